// Streams a configured chat model's answer into the chat page as it is written.
// The server sends server-sent events over the form's own POST (chatbot/resident_stream.py):
// "draft" (provisional text), then "final" (the checked turn, which replaces the draft),
// "refused" (the form with its error) or "failed" (post the form the ordinary way).
// Without this file, or without fetch streams, htmx posts the form as before.
(function () {
  "use strict";
  if (!window.fetch || !window.ReadableStream || !window.TextDecoder) {
    return;
  }

  function draftTurn(question) {
    var item = document.createElement("li");
    item.className = "th-turn th-turn--draft";
    item.setAttribute("aria-busy", "true"); // announced once, when the final turn replaces it
    var asked = document.createElement("div");
    asked.className = "th-turn__question";
    var who = document.createElement("span");
    who.className = "th-turn__who";
    who.textContent = "You asked";
    var text = document.createElement("p");
    text.className = "govuk-body th-turn__text";
    text.textContent = question;
    asked.append(who, text);
    var answer = document.createElement("div");
    answer.className = "th-turn__answer";
    var label = document.createElement("p");
    label.className = "govuk-body-s th-draft__label";
    label.textContent = "Writing an answer. It is checked against our pages before it is final.";
    var draft = document.createElement("p");
    draft.className = "govuk-body th-turn__text th-draft__text";
    answer.append(label, draft);
    item.append(asked, answer);
    return { item: item, text: draft };
  }

  function parse(block) {
    var event = "message";
    var data = [];
    block.split("\n").forEach(function (line) {
      if (line.indexOf("event: ") === 0) {
        event = line.slice(7);
      } else if (line.indexOf("data: ") === 0) {
        data.push(line.slice(6));
      }
    });
    return { event: event, data: data.join("\n") };
  }

  async function ask(form) {
    var url = form.getAttribute("data-stream-url");
    var transcript = document.getElementById("transcript");
    var waiting = document.getElementById("ask-waiting");
    var button = form.querySelector("button");
    var body = new URLSearchParams(new FormData(form));
    var turn = draftTurn(body.get("message") || "");
    var settled = false;
    button.disabled = true;
    if (waiting) waiting.classList.add("htmx-request");
    transcript.appendChild(turn.item);
    try {
      var response = await fetch(url, {
        method: "POST",
        body: body,
        headers: { "HX-Request": "true", Accept: "text/event-stream" },
      });
      var kind = response.headers.get("content-type") || "";
      if (kind.indexOf("text/event-stream") !== 0) {
        // refused before the pipeline ran (422, 429): the form with its error, as htmx swaps it
        turn.item.remove();
        htmx.swap("#ask-form-area", await response.text(), { swapStyle: "outerHTML" });
        settled = true;
        return;
      }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        var cut;
        while ((cut = buffer.indexOf("\n\n")) !== -1) {
          var message = parse(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          if (message.event === "draft") {
            turn.text.textContent = JSON.parse(message.data).text;
          } else if (message.event === "final") {
            turn.item.remove(); // the checked answer replaces the draft, whatever it said
            htmx.swap("#transcript", message.data, { swapStyle: "beforeend" });
            settled = true;
          } else if (message.event === "refused") {
            turn.item.remove();
            htmx.swap("#ask-form-area", message.data, { swapStyle: "outerHTML" });
            settled = true;
          }
        }
      }
    } catch (error) {
      settled = false;
    } finally {
      if (!settled) {
        turn.item.remove();
        HTMLFormElement.prototype.submit.call(form); // the ordinary post: nothing is lost
      } else {
        var box = document.getElementById("message");
        if (box) box.focus();
      }
      var fresh = document.querySelector("#ask-form-area button");
      if (fresh) fresh.disabled = false;
      if (waiting) waiting.classList.remove("htmx-request");
    }
  }

  // Capture phase: runs before htmx sees the submit, and keeps it from posting a second time.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-stream-url]")) return;
      event.preventDefault();
      event.stopPropagation();
      ask(form);
    },
    true,
  );
})();
