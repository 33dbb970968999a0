// "Copy code" buttons for the embed snippet (partials/reach.html). Without JavaScript the button
// stays hidden and the code can still be selected in its read-only box and copied by hand.
(function () {
  "use strict";

  function copyText(box) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(box.value);
    }
    // Older browsers and plain-http previews: copy the selection instead.
    box.focus();
    box.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
    var box = document.getElementById(button.getAttribute("data-copy-from"));
    if (!box) {
      return;
    }
    var status = button.parentNode.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(box).then(
        function () {
          if (status) {
            status.textContent = "Copied. Paste it into your website's editor.";
          }
        },
        function () {
          box.focus();
          box.select();
          if (status) {
            status.textContent = "Couldn't copy automatically: the code is selected, press Ctrl+C (or ⌘C) to copy it.";
          }
        }
      );
    });
  });
})();
