/* Townhall chat widget for a council's own website.
 *
 *   <script src="https://townhall.example/widget.js" defer></script>
 *
 * Adds an "Ask a question" button (bottom right) that opens the chat in an iframe of /embed,
 * served by the Townhall that served this script. Optional: data-label="Ask us" on the tag.
 * No cookies, no tracking, no third-party requests.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__townhallWidget) {
    return;
  }
  window.__townhallWidget = true;
  var origin = new URL(script.src, window.location.href).origin;
  var label = script.getAttribute("data-label") || "Ask a question";

  function style(element, rules) {
    Object.keys(rules).forEach(function (name) {
      element.style.setProperty(name, rules[name]);
    });
  }

  function start() {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "townhall-widget-panel");
    style(button, {
      position: "fixed", right: "20px", bottom: "20px", "z-index": "2147483000",
      padding: "12px 18px", border: "2px solid transparent", "border-radius": "0",
      background: "#00703c", color: "#fff", "font": "700 19px/1.2 arial, sans-serif",
      "box-shadow": "0 2px 0 #002d18", cursor: "pointer"
    });
    button.addEventListener("focus", function () {
      style(button, { outline: "3px solid #fd0", "outline-offset": "0", "box-shadow": "0 4px 0 #0b0c0c" });
    });
    button.addEventListener("blur", function () {
      style(button, { outline: "none", "box-shadow": "0 2px 0 #002d18" });
    });

    var panel = document.createElement("div");
    panel.id = "townhall-widget-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", label);
    panel.hidden = true;
    style(panel, {
      position: "fixed", right: "20px", bottom: "80px", "z-index": "2147483000",
      width: "min(420px, calc(100vw - 40px))", height: "min(640px, calc(100vh - 120px))",
      background: "#fff", border: "2px solid #0b0c0c", "box-shadow": "0 4px 16px rgba(0,0,0,.3)",
      display: "flex", "flex-direction": "column"
    });

    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    style(close, {
      "align-self": "flex-end", margin: "4px", padding: "6px 10px", border: "2px solid #0b0c0c",
      background: "#f3f2f1", color: "#0b0c0c", font: "16px arial, sans-serif", cursor: "pointer"
    });

    var frame = null;

    function open() {
      if (!frame) {
        frame = document.createElement("iframe");
        frame.src = origin + "/embed";
        frame.title = label;
        style(frame, { border: "0", width: "100%", "flex": "1 1 auto" });
        panel.appendChild(frame);
      }
      panel.hidden = false;
      panel.style.setProperty("display", "flex");
      button.setAttribute("aria-expanded", "true");
      frame.focus();
    }

    function shut() {
      panel.hidden = true;
      panel.style.setProperty("display", "none");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }

    button.addEventListener("click", function () {
      if (panel.hidden) {
        open();
      } else {
        shut();
      }
    });
    close.addEventListener("click", shut);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        shut();
      }
    });
    // Escape pressed inside the chat (the iframe) arrives as a message from Townhall's origin.
    window.addEventListener("message", function (event) {
      if (event.origin === origin && event.data && event.data.townhall === "close" && !panel.hidden) {
        shut();
      }
    });

    panel.appendChild(close);
    panel.style.setProperty("display", "none");
    document.body.appendChild(panel);
    document.body.appendChild(button);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
