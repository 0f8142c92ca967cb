"""Conversation tokens: a conversation belongs to the browser that started it.

The resident's browser gets `<id>.<secret>` as its `conversation_id`: the id (80 random bits,
hex) names the conversation to staff and in the tables; the secret (240 random bits) is given
only to that browser, and only its sha256 is stored. Reading or continuing a conversation needs
the whole token; an id seen in a staff view or a log opens nothing, and neither does a token
once its conversation has expired.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import NamedTuple

_TOKEN = re.compile(r"(?P<id>[0-9a-f]{20})\.(?P<secret>[A-Za-z0-9_\-]{40})")


class NewConversation(NamedTuple):
    id: str
    token: str
    secret_hash: str


def new_conversation() -> NewConversation:
    conversation_id = secrets.token_hex(10)
    secret = secrets.token_urlsafe(30)
    return NewConversation(conversation_id, f"{conversation_id}.{secret}", secret_hash(secret))


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def parse_token(token: str | None) -> tuple[str, str] | None:
    """(id, secret) from a well-formed token, else None (anything else opens nothing)."""
    match = _TOKEN.fullmatch((token or "").strip())
    return (match.group("id"), match.group("secret")) if match else None


def secret_matches(secret: str, stored_hash: str | None) -> bool:
    return bool(stored_hash) and hmac.compare_digest(secret_hash(secret), str(stored_hash))
