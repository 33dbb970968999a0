// A listing page's extras: "Add to my list" and, in UK time, whether it is open now and when it
// next opens. Without JavaScript the page still gives every opening time in words.

import { londonNow } from "../search/hours.js";
import { shortlistButton } from "../shortlist/toggle.js";
import { openingSummary } from "./opening.js";

const add = document.getElementById("shortlist-add");
if (add) {
  add.prepend(shortlistButton(add.dataset.slug, add.dataset.name));
  add.hidden = false;
}

const state = document.getElementById("open-state");
const hours = document.getElementById("opening-hours");
if (state && hours) {
  const places = JSON.parse(hours.textContent);
  const show = () => {
    const summary = openingSummary(places, londonNow());
    state.textContent = `${summary.text} (UK time)`;
    state.classList.toggle("open-state--open", summary.open);
    state.classList.toggle("open-state--closed", !summary.open);
  };
  show();
  state.hidden = false;
  window.setInterval(show, 60 * 1000); // quietly: not a live region, so nothing is read out
}
