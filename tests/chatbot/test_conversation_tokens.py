"""A conversation opens only with its own token, and not once it has expired."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from chatbot.conversation_tokens import new_conversation, parse_token
from chatbot.records import Conversation, utcnow
from chatbot.store import ChatStore, Exchange


def _start(store: ChatStore) -> tuple[str, str]:
    started = new_conversation()
    store.record(
        Exchange(
            conversation_id=started.id,
            new_conversation=True,
            question="when is my bin collected",
            reply="Every other Monday.",
            status="answered",
            route="answer",
            confidence=0.9,
            sources=[],
            secret_hash=started.secret_hash,
        )
    )
    return started.id, started.token


def test_only_the_whole_token_opens_a_live_conversation(sqlite_engine: Engine) -> None:
    store = ChatStore(sqlite_engine)
    conversation_id, token = _start(store)
    assert store.open_conversation(token, 60) == conversation_id
    assert store.open_conversation(conversation_id, 60) is None  # the id staff see
    forged = conversation_id + "." + "A" * 40
    assert store.open_conversation(forged, 60) is None  # a guessed secret
    assert store.open_conversation(None, 60) is None
    assert store.open_conversation(token + "x", 60) is None
    with Session(sqlite_engine) as db:
        row = db.get(Conversation, conversation_id)
        assert row is not None and row.secret_hash and token.split(".")[1] not in row.secret_hash
        row.last_active_at = utcnow() - timedelta(minutes=61)
        db.add(row)
        db.commit()
    assert store.open_conversation(token, 60) is None  # expired: cannot be read back


def test_tokens_are_unguessable_and_fit_the_api() -> None:
    tokens = {new_conversation().token for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) <= 64 and parse_token(token) is not None
