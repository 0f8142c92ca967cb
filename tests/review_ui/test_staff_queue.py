"""Claims, lapsed claims, decisions and their audit rows, on SQLite and PostgreSQL; the
concurrent-claim race on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from staff_helpers import seed_item

from chatbot.records import ApprovedAnswer, ReviewItem, utcnow
from review_ui import queue
from review_ui.queue import QueueActionRefused, QueueFilter
from review_ui.records import AuditEvent
from townhall.db import make_engine

A, B = "a@brackenvale.example", "b@brackenvale.example"


def audit_actions(engine: Engine, target: int) -> list[str]:
    with Session(engine) as db:
        rows = db.exec(
            select(AuditEvent).where(AuditEvent.target_id == str(target)).order_by(AuditEvent.id)
        ).all()
        return [r.action for r in rows]


def test_queue_lists_urgent_first_then_oldest_with_counts(engine: Engine) -> None:
    old = seed_item(engine, created_at=utcnow() - timedelta(hours=30))
    new = seed_item(engine)
    urgent = seed_item(engine, route="urgent", priority=0, service_area="social care")
    seed_item(engine, status="approved")
    page = queue.list_queue(engine, QueueFilter())
    assert [i.id for i in page.items] == [urgent, old, new]
    assert page.counts["open"] == 3 and page.counts["approved"] == 1
    assert set(page.service_areas) == {"bins", "social care"}
    older = queue.list_queue(engine, QueueFilter.from_query("open", "", "", "24h"))
    assert [i.id for i in older.items] == [old]
    by_route = queue.list_queue(engine, QueueFilter.from_query("all", "urgent", "", ""))
    assert [i.id for i in by_route.items] == [urgent]
    nonsense = QueueFilter.from_query("'; drop table", "x", "bins", "forever")
    assert nonsense == QueueFilter(status="open", route="", service_area="bins", older_than="")


def test_one_claim_at_a_time_and_claims_lapse(engine: Engine) -> None:
    item = seed_item(engine)
    assert queue.claim(engine, item, A, ttl_minutes=30)
    assert queue.claim(engine, item, A, ttl_minutes=30)  # a double click is harmless
    assert not queue.claim(engine, item, B, ttl_minutes=30)
    later = utcnow() + timedelta(minutes=31)
    assert queue.claim(engine, item, B, ttl_minutes=30, now=later)
    got = queue.get_item(engine, item)
    assert got is not None and got.claimed_by == B and got.status == "claimed"
    assert not queue.release(engine, item, A)  # A's claim lapsed and B holds it now
    assert queue.release(engine, item, B)
    assert queue.get_item(engine, item).status == "new"  # type: ignore[union-attr]
    assert audit_actions(engine, item) == ["claim", "claim", "expire", "claim", "release"]


def test_approve_as_drafted_creates_an_approved_answer(engine: Engine, embedder: Any) -> None:
    item = seed_item(engine)
    with pytest.raises(QueueActionRefused, match="Claim"):
        queue.approve(engine, item, A, "Anything", embedder=embedder)
    queue.claim(engine, item, A, ttl_minutes=30)
    with pytest.raises(QueueActionRefused):
        queue.approve(engine, item, B, "Anything", embedder=embedder)
    draft = queue.get_item(engine, item).draft_answer  # type: ignore[union-attr]
    done = queue.approve(engine, item, A, "  " + draft + "\n", embedder=embedder)
    assert done.status == "approved" and done.final_answer == draft and done.decided_by == A
    with Session(engine) as db:
        approved = db.get(ApprovedAnswer, done.approved_answer_id)
        assert approved is not None
        assert approved.answer == draft and approved.review_item_id == item
        assert len(approved.question_embedding) == 384
        assert approved.sources[0]["content_hash"] == "hash-1"
        assert "text" not in approved.sources[0]
    with pytest.raises(QueueActionRefused, match="already been decided"):
        queue.approve(engine, item, A, "Again", embedder=embedder)


def test_edit_then_approve_and_reject_with_reply_are_audited(engine: Engine, embedder: Any) -> None:
    edited = seed_item(engine)
    queue.claim(engine, edited, A, ttl_minutes=30)
    done = queue.approve(
        engine, edited, A, "Every other Monday, March to November.", embedder=embedder
    )
    assert done.status == "edited"
    with Session(engine) as db:
        event = db.exec(select(AuditEvent).where(AuditEvent.action == "edit")).one()
        assert event.before == "Green bins are collected every other Monday."
        assert event.after == "Every other Monday, March to November."
        assert event.actor == A and event.target_id == str(edited)

    rejected = seed_item(engine)
    queue.claim(engine, rejected, B, ttl_minutes=30)
    with pytest.raises(QueueActionRefused, match="reason"):
        queue.reject(engine, rejected, B, "   ")
    done = queue.reject(engine, rejected, B, "Own case: needs a caseworker", "Please call us.")
    assert done.status == "rejected" and done.final_answer == "Please call us."
    assert done.decision_reason == "Own case: needs a caseworker"
    assert done.approved_answer_id is None
    assert audit_actions(engine, rejected) == ["claim", "reject"]


def test_resident_reference_shows_the_decision(engine: Engine, embedder: Any) -> None:
    """What the resident's reference code reads after each decision (ChatStore's contract)."""
    from chatbot.store import ChatStore

    store = ChatStore(engine)
    approved = seed_item(engine)
    ref = queue.get_item(engine, approved).reference  # type: ignore[union-attr]
    assert store.answer_for_reference(ref)["status"] == "pending"  # type: ignore[index]
    queue.claim(engine, approved, A, ttl_minutes=30)
    queue.approve(engine, approved, A, "Edited: every other Monday.", embedder=embedder)
    found = store.answer_for_reference(ref)
    assert found is not None and found["status"] == "answered"
    assert found["reply"] == "Edited: every other Monday."

    closed = seed_item(engine)
    ref = queue.get_item(engine, closed).reference  # type: ignore[union-attr]
    queue.claim(engine, closed, A, ttl_minutes=30)
    queue.reject(engine, closed, A, "Duplicate", "We have replied by email.")
    found = store.answer_for_reference(ref)
    assert found is not None and found["status"] == "closed"
    assert found["reply"] == "We have replied by email."


def race_to_claim(engines: list[Engine], item: int) -> list[str]:
    """Every engine (its own connection) claims the item at the same moment; the winners."""
    barrier = threading.Barrier(len(engines))
    wins: list[str] = []
    errors: list[BaseException] = []

    def claim_as(n: int) -> None:
        try:
            with engines[n].connect():  # connect before the start line
                pass
            barrier.wait()
            if queue.claim(engines[n], item, f"r{n}@b.example", ttl_minutes=30):
                wins.append(f"r{n}@b.example")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=claim_as, args=(n,)) for n in range(len(engines))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return wins


def test_concurrent_claims_have_exactly_one_winner(engine: Engine) -> None:
    """Eight reviewers, each with their own engine and connection, race for the same item:
    exactly one wins, on PostgreSQL (row locks) and on SQLite (one writer at a time)."""
    url = engine.url.render_as_string(hide_password=False)
    engines = [make_engine(url) for _ in range(8)]
    try:
        for _round in range(3):
            item = seed_item(engine)
            wins = race_to_claim(engines, item)
            assert len(wins) == 1, wins
            with Session(engine) as db:
                row = db.get(ReviewItem, item)
                assert row is not None and row.claimed_by == wins[0]
                claims = db.exec(
                    select(AuditEvent).where(
                        AuditEvent.action == "claim", AuditEvent.target_id == str(item)
                    )
                ).all()
                assert [c.actor for c in claims] == wins
    finally:
        for e in engines:
            e.dispose()


@pytest.mark.postgres
def test_concurrent_decisions_on_postgres_never_both_succeed(pg_url: str, embedder: Any) -> None:
    """Even the holder double-submitting approve and reject at once gets one decision."""
    from townhall.db import migrate

    engines = [make_engine(pg_url) for _ in range(2)]
    migrate(engines[0])
    try:
        item = seed_item(engines[0])
        assert queue.claim(engines[0], item, A, ttl_minutes=30)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def approve() -> None:
            barrier.wait()
            try:
                queue.approve(engines[0], item, A, "Approved text", embedder=embedder)
                outcomes.append("approved")
            except QueueActionRefused:
                outcomes.append("refused")

        def reject() -> None:
            barrier.wait()
            try:
                queue.reject(engines[1], item, A, "No")
                outcomes.append("rejected")
            except QueueActionRefused:
                outcomes.append("refused")

        threads = [threading.Thread(target=approve), threading.Thread(target=reject)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes).count("refused") == 1, outcomes
        with Session(engines[0]) as db:
            answers = db.exec(select(ApprovedAnswer)).all()
            row = db.get(ReviewItem, item)
            assert row is not None
            assert len(answers) == (1 if row.status == "edited" else 0)
    finally:
        for e in engines:
            e.dispose()


def test_approving_a_stale_answer_refreshes_hashes_and_retires_the_old_one(
    engine: Engine, embedder: Any
) -> None:
    first = seed_item(engine)
    queue.claim(engine, first, A, ttl_minutes=30)
    old = queue.approve(engine, first, A, "Every other Monday.", embedder=embedder)
    with Session(engine) as db:
        old_answer = db.get(ApprovedAnswer, old.approved_answer_id)
        assert old_answer is not None
        stale_sources = list(old_answer.sources)
    # The garden-waste page changed: the pipeline sent the old answer back for review.
    stale = seed_item(
        engine, route="stale_answer", draft_answer="Every other Monday.", sources=stale_sources
    )
    queue.claim(engine, stale, B, ttl_minutes=30)
    current = {"bins/garden-waste.md": "hash-2"}
    done = queue.approve(
        engine, stale, B, "Every other Monday.", embedder=embedder, current_hashes=current
    )
    with Session(engine) as db:
        new_answer = db.get(ApprovedAnswer, done.approved_answer_id)
        retired = db.get(ApprovedAnswer, old.approved_answer_id)
        assert new_answer is not None and retired is not None
        assert new_answer.sources[0]["content_hash"] == "hash-2"
        assert new_answer.retired_at is None and retired.retired_at is not None
        event = db.exec(select(AuditEvent).where(AuditEvent.action == "answer_retire")).one()
        assert event.detail["superseded_by"] == new_answer.id


@pytest.mark.parametrize("route", ["own_case", "urgent"])
def test_an_answer_to_one_residents_case_goes_to_them_and_is_never_reused(
    engine: Engine, embedder: Any, route: str
) -> None:
    """ "Your claim was stopped because we have not had your payslips" answers one person: it
    must never be matched to a similar question from someone else."""
    from chatbot.store import ChatStore

    item = seed_item(engine, route=route, question="why was my claim stopped")
    queue.claim(engine, item, A, ttl_minutes=30)
    answer = "Your claim was stopped because we have not had your payslips."
    done = queue.approve(engine, item, A, answer, embedder=embedder)
    assert done.status == "edited" and done.final_answer == answer  # the resident's reply
    with Session(engine) as db:
        approved = db.get(ApprovedAnswer, done.approved_answer_id)
        assert approved is not None and approved.retired_at is not None
    assert all(c.id != done.approved_answer_id for c in ChatStore(engine).approved_answers())
