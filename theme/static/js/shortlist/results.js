// "Add to my list" on every search result card, through the results list's card-action hook
// (addCardAction in ../search/results.js), so the search code needs no knowledge of the list.

import { addCardAction } from "../search/results.js";
import { shortlistButton } from "./toggle.js";

addCardAction((record) => shortlistButton(record.slug, record.name));
