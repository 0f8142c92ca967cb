// Staff pages: after every htmx action, move keyboard focus to the result and announce it.
// The server marks the swapped-in content: data-th-focus="element id" (what to focus) and
// data-th-announce="text" (read out through the page's live region). Without JavaScript the
// forms post and redirect as usual, so this file only adds to them.
const live = () => document.getElementById("th-live");

function announce(text) {
  const region = live();
  if (!region || !text) {
    return;
  }
  // Clear first, then set on the next frame, so the same words twice are read twice.
  region.textContent = "";
  window.requestAnimationFrame(() => {
    region.textContent = text;
  });
}

function focusById(id) {
  const target = id && document.getElementById(id);
  if (!target) {
    return false;
  }
  if (!target.hasAttribute("tabindex") && !target.matches("a, button, input, select, textarea")) {
    target.setAttribute("tabindex", "-1");
  }
  target.focus();
  return true;
}

document.body.addEventListener("htmx:afterSettle", () => {
  for (const marked of document.querySelectorAll("[data-th-announce], [data-th-focus]")) {
    const text = marked.getAttribute("data-th-announce");
    const id = marked.getAttribute("data-th-focus");
    marked.removeAttribute("data-th-announce");
    marked.removeAttribute("data-th-focus");
    // An error summary focuses itself (GOV.UK Frontend); leave focus with it.
    if (!marked.querySelector(".govuk-error-summary")) {
      focusById(id);
    }
    announce(text);
  }
});
