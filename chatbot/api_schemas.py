"""The resident API's request and response bodies (CONTRACTS.md), so OpenAPI documents them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Letters, digits, ".", "-", "_": what Townhall hands out (no NULs, spaces or anything to escape)
CONVERSATION_ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"

ChatStatus = Literal["answered", "escalated", "urgent", "greeting", "out_of_scope"]
AnswerStatus = Literal["pending", "answered", "closed"]


class ChatRequest(BaseModel):
    """A resident's message, and the conversation it continues (if any)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"message": "How do I apply for a Blue Badge?"}]},
    )

    message: str = Field(description="The resident's message (limit set by the council).")
    conversation_id: str | None = Field(
        default=None,
        max_length=64,
        pattern=CONVERSATION_ID_PATTERN,
        description="The conversation_id from an earlier answer, to ask a follow-up question.",
    )


class Source(BaseModel):
    """A council page (and section) the reply was taken from."""

    title: str
    url: str | None = Field(description="The page's address, or null when it has none.")
    section: str | None = Field(description="The heading of the section used.")
    page: str | None = Field(description="The page's identity: its source file path.")


class ChatResponse(BaseModel):
    """Townhall's reply. `reference` is set when staff will look at the question."""

    conversation_id: str
    reply: str
    status: ChatStatus
    sources: list[Source]
    confidence: float | None = Field(description="How sure Townhall is, from 0 to 1.")
    reference: str | None = Field(
        description="A code to collect a staff answer later (escalated and urgent only)."
    )
    html: str | None = Field(
        default=None,
        description="The reply as HTML (lists, tables, links to the council's pages only, "
        "tel: and mailto: links); `reply` stays the plain text.",
    )


class AnswerStatusResponse(BaseModel):
    """Where an escalated question stands; `reply` is the staff-approved answer, once approved."""

    reference: str
    status: AnswerStatus
    reply: str | None
    sources: list[Source]
    updated_at: datetime
    html: str | None = Field(default=None, description="The reply as HTML, when there is one.")


class Problem(BaseModel):
    """A plain-English explanation of why the request was refused."""

    detail: str


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"model": Problem, "description": "The request holds a character we cannot accept."},
    413: {"model": Problem, "description": "The request body is too large."},
    422: {"model": Problem, "description": "The message is empty, too long or malformed."},
    429: {"model": Problem, "description": "Too many requests; see the Retry-After header."},
    503: {
        "model": Problem,
        "description": "Townhall cannot answer right now; the detail gives the council's contacts.",
    },
}
