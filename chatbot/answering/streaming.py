"""Where a draft answer goes while a chat model is still writing it (the chat page's stream).

The resident stream endpoint opens a sink for the request (`drafts_to`); the model composer
sends it the draft so far, links already mapped back. Drafts are provisional: only the
pipeline's final, guard-checked reply is ever shown as the answer, and it replaces them.
A context variable (per request, never shared between requests) keeps the pipeline's
signature unchanged for callers that do not stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DraftSink = Callable[[str], None]
_sink: ContextVar[DraftSink | None] = ContextVar("townhall_draft_sink", default=None)


@contextmanager
def drafts_to(sink: DraftSink) -> Iterator[None]:
    """Within the block, a streaming composer sends its drafts to `sink`."""
    token = _sink.set(sink)
    try:
        yield
    finally:
        _sink.reset(token)


def current_sink() -> DraftSink | None:
    return _sink.get()
