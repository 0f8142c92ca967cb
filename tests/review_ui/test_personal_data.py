"""Retention and residents' rights: purge, export and erase, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from chatbot.conversation_tokens import new_conversation
from chatbot.records import (
    AnswerFeedback,
    ApprovedAnswer,
    Conversation,
    Message,
    ReplyNotification,
    ReviewItem,
    utcnow,
)
from chatbot.store import ChatStore, Exchange
from outbox.records import OutboxMessage
from review_ui.personal_data import erase_reference, export_reference, purge
from review_ui.records import AuditEvent, UsageStatistic


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue("sqlite_engine" if request.param == "sqlite" else "pg_engine")


def _turn(
    store: ChatStore,
    question: str,
    *,
    reference: str | None = None,
    status: str = "new",
    flags: list[str] | None = None,
    age_days: float = 0,
) -> str:
    started = new_conversation()
    item = None
    if reference:
        item = ReviewItem(
            reference=reference,
            conversation_id=started.id,
            question=question,
            route="own_case",
            status=status,
            final_answer="Your claim was paid on Friday." if status != "new" else None,
            special_category=flags,
        )
    store.record(
        Exchange(
            conversation_id=started.id,
            new_conversation=True,
            question=question,
            reply="We have passed your question on.",
            status="escalated" if reference else "answered",
            route="own_case" if reference else "answer",
            confidence=0.5,
            sources=[],
            reference=reference,
            review_item=item,
            secret_hash=started.secret_hash,
            special_category=flags,
        )
    )
    if age_days:
        then = utcnow() - timedelta(days=age_days)
        with Session(store.engine) as db:
            row = db.get(Conversation, started.id)
            assert row is not None
            row.last_active_at = row.created_at = then
            db.add(row)
            if reference:
                it = db.exec(select(ReviewItem).where(ReviewItem.reference == reference)).one()
                it.updated_at = it.decided_at = then
                db.add(it)
            db.commit()
    return started.id


def _everything(engine: Engine) -> str:
    """Every value of every table, as one string to search."""
    rows = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                rows.append(json.dumps([str(v) for v in row]))
    return "\n".join(rows)


def test_erase_leaves_nothing_and_the_reference_reads_as_unknown(engine: Engine) -> None:
    store = ChatStore(engine)
    ref = "TH-ERAS-E7KQ-M9XD"
    question = "why was my Housing Benefit stopped, I have <UK_NINO> and lupus"
    conversation = _turn(store, question, reference=ref, status="approved", flags=["health"])
    with Session(engine) as db:
        item = db.exec(select(ReviewItem).where(ReviewItem.reference == ref)).one()
        reply = db.exec(
            select(Message).where(
                Message.conversation_id == conversation, Message.role == "assistant"
            )
        ).one()
        db.add(ReplyNotification(reference=ref, email="jo.notify@example.org"))
        db.add(
            OutboxMessage(
                channel="email",
                kind="reply_ready",
                about=ref,
                dedupe_key=f"reply_ready:{ref}",
                recipient="jo.notify@example.org",
                body=f"Your reply to {ref} is ready",
            )
        )
        db.add(
            AnswerFeedback(
                message_id=reply.id, conversation_id=conversation, helpful=False, comment="lupus"
            )
        )
        db.add(
            ApprovedAnswer(
                question="why was Housing Benefit stopped",
                answer="Benefit stops when...",
                approved_by="r@example.org",
                review_item_id=item.id,
            )
        )
        db.commit()
    other = _turn(store, "when is the tip open")

    exported = export_reference(engine, ref)
    assert exported is not None and exported["question"] == question
    assert exported["special_category"] == ["health"]
    assert [m["role"] for m in exported["conversation"]["messages"]] == ["resident", "assistant"]

    report = erase_reference(engine, ref)
    assert report is not None and report.review_items == 1 and report.messages == 2
    assert store.answer_for_reference(ref) is None  # the resident's look-up: unknown
    assert erase_reference(engine, ref) is None and export_reference(engine, ref) is None
    everything = _everything(engine)
    for trace in (ref, "lupus", "Housing Benefit stopped, I have", "paid on Friday", "jo.notify"):
        assert trace not in everything
    with Session(engine) as db:
        assert db.exec(select(ApprovedAnswer)).one().review_item_id is None  # kept, unlinked
        assert db.get(Conversation, other) is not None  # other residents untouched
        actions = [e.action for e in db.exec(select(AuditEvent))]
        assert actions == ["data_export", "data_erase"]


def test_purge_keeps_what_is_in_time_open_or_approved(engine: Engine) -> None:
    store = ChatStore(engine)
    old = _turn(store, "old question", age_days=100)
    old_closed = _turn(
        store, "old closed", reference="TH-AAAA-BBBB-CCC2", status="rejected", age_days=95
    )
    old_open = _turn(store, "old but still open", reference="TH-AAAA-BBBB-CCC3", age_days=120)
    flagged = _turn(store, "my wife is pregnant", flags=["pregnancy"], age_days=40)
    recent = _turn(store, "new question", age_days=5)
    recent_flagged = _turn(store, "I'm deaf", flags=["disability"], age_days=10)

    dry = purge(engine, retention_days=90, special_category_days=30, dry_run=True)
    assert (dry.conversations, dry.review_items) == (3, 1)
    with Session(engine) as db:
        assert len(db.exec(select(Conversation)).all()) == 6  # a dry run deletes nothing

    report = purge(engine, retention_days=90, special_category_days=30, actor="cli")
    assert (report.conversations, report.messages, report.review_items) == (3, 6, 1)
    with Session(engine) as db:
        left = {c.id for c in db.exec(select(Conversation))}
        assert left == {old_open, recent, recent_flagged}
        assert {m.conversation_id for m in db.exec(select(Message))} == left
        assert [i.reference for i in db.exec(select(ReviewItem))] == ["TH-AAAA-BBBB-CCC3"]
        stats = db.exec(select(UsageStatistic)).all()
        assert sum(s.count for s in stats if s.kind == "question") == 3
        assert sum(s.count for s in stats if s.kind == "review_item") == 1
        purge_event = db.exec(select(AuditEvent).where(AuditEvent.action == "purge")).one()
        assert purge_event.actor == "cli" and purge_event.detail["conversations"] == 3
    assert "old question" not in _everything(engine) and old and old_closed and flagged


def test_cli_exit_codes(tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from townhall.cli import app

    monkeypatch.setenv("TOWNHALL_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(app, ["data", "erase", "my name is Jo"]).exit_code == 2
    assert runner.invoke(app, ["data", "export", "TH-7KQ2-M9XD-4RPA"]).exit_code == 1
    purged = runner.invoke(app, ["purge", "--dry-run"])
    assert purged.exit_code == 0 and "would delete: 0 conversations" in purged.output
