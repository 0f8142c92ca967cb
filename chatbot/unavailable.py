"""What a resident reads when a part Townhall needs is down: never a 500 page.

The database down: nothing can be stored, so no reference can be promised; the resident gets
"we cannot answer right now" with the council's contacts (HTTP 503 with Retry-After). The
vector store (or anything else in retrieval) down while the database is up: the question goes
to staff like any escalation, with a reference (route `search_unavailable`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

RETRY_AFTER_SECONDS = 30

# The database cannot be reached, or is busy past its wait ("database is locked" on SQLite
# once the busy timeout passes, a refused PostgreSQL connection, an exhausted pool). Other
# database errors (a constraint, a bad value) are faults in Townhall and are not hidden.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, PoolTimeout)


def _contacts(council: Any) -> str:
    phone = getattr(council, "phone", "") or ""
    hours = getattr(council, "phone_hours", "") or ""
    page = getattr(council, "contact_page", None)
    parts = []
    if phone:
        parts.append(f"call us on {phone}" + (f" ({hours})" if hours else ""))
    if page:
        parts.append(f"see {page}")
    return " or ".join(parts)


def cannot_answer_now(council: Any) -> str:
    """The reply when nothing can be answered or stored (database down, any unexpected fault)."""
    name = getattr(council, "name", None) or "the council"
    contacts = _contacts(council)
    reach = f" If you need help now, {contacts}." if contacts else ""
    return (
        f"Sorry, {name}'s question service cannot answer right now. "
        f"Please try again in a few minutes.{reach} If someone is in danger, call 999."
    )


def search_unavailable(council: Any, reference: str) -> str:
    """The reply when the pages cannot be searched but the question can go to staff."""
    contacts = _contacts(council)
    urgent = f" If it is urgent, {contacts}." if contacts else ""
    return (
        "I cannot search our pages right now, so I have passed your question to a member of "
        f"staff. Your reference is {reference}. You can check for a reply with this reference "
        f"on the answers page.{urgent}"
    )
