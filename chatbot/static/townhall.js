// Progressive enhancement for the resident chat. The page works without this file.
import { initAll } from "./vendor/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// Content that htmx swaps in (a new turn, the refreshed form) gets the GOV.UK components too.
document.body.addEventListener("htmx:load", (event) => {
  const element = event.detail.elt;
  if (element !== document.body && element.querySelector) {
    initAll({ scope: element });
  }
});

// After an answer arrives, put the resident back in the box for a follow-up question; the
// transcript is an aria-live region, so screen readers announce the answer by themselves.
// After a validation error, the GOV.UK error summary takes focus itself.
document.body.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.target && event.detail.target.id === "transcript") {
    const box = document.getElementById("message");
    if (box) {
      box.focus();
    }
  }
});

// Inside the widget's iframe: Escape asks the council page's widget to close the chat.
if (window.parent !== window) {
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      window.parent.postMessage({ townhall: "close" }, "*");
    }
  });
}
