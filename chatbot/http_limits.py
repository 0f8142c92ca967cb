"""Request guards for the resident routes: refuse oversized bodies early, explain bad JSON plainly.

A route class rather than app-wide handlers, so the resident router carries its own rules wherever
it is mounted and the staff app keeps its own.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.exc import DataError

DEFAULT_MAX_BODY_BYTES = 64 * 1024

UNSTORABLE = "Your request has a character we cannot accept. Remove it and try again."
TOO_LARGE = "Your request is too large. Please send a shorter message."
EXAMPLE = '{"message": "your question", "conversation_id": "optional"}'


class BodyTooLarge(Exception):
    """Raised while reading a body that passes the size limit."""


def plain_validation_message(errors: Sequence[Any]) -> str:
    """One plain sentence for FastAPI's validation errors (which are written for programmers)."""
    for error in errors:
        kind = str(error.get("type", ""))
        loc = [str(p) for p in error.get("loc", ()) if p != "body"]
        field = loc[0] if loc else ""
        if kind in {"json_invalid", "json_type"} or (kind == "model_attributes_type" and not field):
            return f"We could not read your request. Send JSON like {EXAMPLE}."
        if kind == "missing" and field == "message":
            return 'Please include your question as "message".'
        if kind == "missing" and not field:
            return f"Your request was empty. Send JSON like {EXAMPLE}."
        if field == "message":
            return "The message must be text."
        if field == "conversation_id":
            return "The conversation_id must be the text we gave you with an earlier answer."
        if kind == "extra_forbidden":
            return f'Your request has a field we do not know: "{field}". Send JSON like {EXAMPLE}.'
    return f"Your request was not in the form we expected. Send JSON like {EXAMPLE}."


class ResidentRoute(APIRoute):
    """Refuse bodies over the limit with 413 before parsing; plain 422s for malformed input."""

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        limit = self.max_body_bytes

        async def guarded(request: Request) -> Response:
            if request.method in {"POST", "PUT", "PATCH"}:
                declared = request.headers.get("content-length")
                if declared is not None and (not declared.isdigit() or int(declared) > limit):
                    return _too_large()
                try:
                    await _read_body_within(request, limit)
                except BodyTooLarge:
                    return _too_large()
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return JSONResponse(
                    {"detail": plain_validation_message(exc.errors())}, status_code=422
                )
            except DataError:
                # A value the database cannot hold; nothing was written (one transaction) and
                # the statement's parameters are never logged (hide_parameters).
                return JSONResponse({"detail": UNSTORABLE}, status_code=400)

        return guarded


def _too_large() -> Response:
    return JSONResponse({"detail": TOO_LARGE}, status_code=413, headers={"Connection": "close"})


async def _read_body_within(request: Request, limit: int) -> None:
    """Read a (possibly chunked) body, stopping as soon as it passes the limit."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    # Starlette caches the body here; the normal handler then parses it from memory.
    request._body = b"".join(chunks)  # noqa: SLF001


def resident_route_class(max_body_bytes: int) -> type[ResidentRoute]:
    """A route class with its own body limit (so two routers can use different limits)."""
    return type("ResidentRouteLimited", (ResidentRoute,), {"max_body_bytes": max_body_bytes})
