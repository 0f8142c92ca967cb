"""The chat page's streamed answer (a configured chat model only): server-sent events over the
same form POST, so the raw message never waits anywhere between two requests.

Events, in order:
- `draft` (JSON `{"text": ...}`, repeated): what the model has written so far, links mapped
  back. The page shows it as provisional ("checking it against our pages").
- then exactly one of
  - `final`: the finished turn as the htmx partial the page would get without streaming,
    after the grounding guard and the confidence step; it replaces the draft, whatever the
    draft said (an answer the guard rejected is never left on screen);
  - `refused`: the form with its error (an empty or unusable message);
  - `failed`: nothing usable (the page then posts the form the ordinary way).
The no-JavaScript form post and the htmx post are unchanged; `static/chat-stream.js` uses this.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

from fastapi.responses import StreamingResponse

from chatbot.answering.streaming import drafts_to

log = logging.getLogger(__name__)
WAIT_SECONDS = 300.0  # a pipeline never takes this long: the model's own timeout is far shorter


def sse(event: str, data: str) -> str:
    """One server-sent event; every line of `data` gets its own `data:` field."""
    lines = "".join(f"data: {line}\n" for line in data.split("\n"))
    return f"event: {event}\n{lines}\n"


def stream_answer(
    handle: Callable[[], Any],
    final_html: Callable[[Any], str],
    refused_html: Callable[[ValueError], str | None],
) -> StreamingResponse:
    """Run `handle()` (the pipeline) in a worker thread, streaming its drafts, then the final
    turn rendered by `final_html(result)`. `refused_html(exc)` renders a rejected message's
    form, or returns None when the error is not a rejection (the stream then fails)."""
    events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work() -> None:
        with drafts_to(lambda text: events.put(("draft", text))):
            try:
                events.put(("final", handle()))
            except ValueError as exc:
                events.put(("refused", exc))
            except Exception:  # the message is not in the log: only that it failed
                log.exception("streamed answer failed")
                events.put(("failed", None))

    worker = threading.Thread(target=work, name="townhall-stream", daemon=True)
    worker.start()

    def produce() -> Iterator[str]:
        yield ": stream open\n\n"  # flushes the headers at once
        while True:
            try:
                kind, value = events.get(timeout=WAIT_SECONDS)
            except queue.Empty:
                yield sse("failed", "")
                return
            if kind == "draft":
                yield sse("draft", json.dumps({"text": value}, ensure_ascii=False))
                continue
            if kind == "final":
                yield sse("final", final_html(value))
            elif kind == "refused" and (html := refused_html(value)) is not None:
                yield sse("refused", html)
            else:
                yield sse("failed", "")
            return

    return StreamingResponse(
        produce(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
