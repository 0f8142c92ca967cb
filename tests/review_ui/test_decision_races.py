"""A staff decision is never lost or doubled, on SQLite and PostgreSQL: a double submit, a
browser retry after the first answer was lost, and an approve racing the claim's expiry each
leave exactly one decision, one approved answer (when approved) and one audit event."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from staff_helpers import seed_item

from chatbot.records import ApprovedAnswer, ReviewItem, utcnow
from review_ui import queue
from review_ui.records import AuditEvent

DECISIONS = ("approve", "edit", "reject")
ANSWER = "Green bins are collected every other Monday from March to November."


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; each result, or the exception raised."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(n: int) -> None:
        start.wait()
        try:
            results[n] = calls[n]()
        except Exception as exc:  # noqa: BLE001 - the loser's refusal is the point
            results[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def decisions(engine: Engine, item_id: int) -> tuple[list[str], int]:
    with Session(engine) as db:
        events = db.exec(
            select(AuditEvent.action).where(
                AuditEvent.target_id == str(item_id),
                AuditEvent.action.in_(DECISIONS),  # type: ignore[attr-defined]
            )
        ).all()
        answers = db.exec(select(ApprovedAnswer).where(ApprovedAnswer.review_item_id == item_id))
        return list(events), len(answers.all())


def test_a_double_submitted_approval_is_one_decision(
    engine: Engine, reviewer: str, embedder: Any
) -> None:
    item = seed_item(engine)
    assert queue.claim(engine, item, reviewer, ttl_minutes=30)
    results = at_once(
        *[lambda: queue.approve(engine, item, reviewer, ANSWER, embedder=embedder)] * 3
    )
    assert sum(isinstance(r, ReviewItem) for r in results) == 1, results
    assert all(isinstance(r, (ReviewItem, queue.QueueActionRefused)) for r in results)
    assert decisions(engine, item) == (["edit"], 1)


def test_approve_and_reject_at_once_is_one_decision(
    engine: Engine, reviewer: str, embedder: Any
) -> None:
    item = seed_item(engine)
    assert queue.claim(engine, item, reviewer, ttl_minutes=30)
    at_once(
        lambda: queue.approve(engine, item, reviewer, ANSWER, embedder=embedder),
        lambda: queue.reject(engine, item, reviewer, "Duplicate"),
    )
    events, answers = decisions(engine, item)
    assert len(events) == 1 and answers == (1 if events == ["edit"] else 0)


def test_a_browser_retry_after_success_changes_nothing(
    engine: Engine, reviewer_client: tuple[TestClient, str]
) -> None:
    client, csrf = reviewer_client
    item = seed_item(engine)
    client.post(f"/staff/items/{item}/claim", data={"csrf_token": csrf})
    form = {"csrf_token": csrf, "answer": ANSWER}
    first = client.post(f"/staff/items/{item}/approve", data=form, follow_redirects=False)
    retry = client.post(f"/staff/items/{item}/approve", data=form, follow_redirects=False)
    assert first.status_code == 303
    assert retry.status_code == 303  # the same decision again: shown as done, not as a conflict
    assert decisions(engine, item) == (["edit"], 1)
    changed = client.post(
        f"/staff/items/{item}/approve", data={**form, "answer": "Another answer."}
    )
    assert changed.status_code == 409 and "already been decided" in changed.text
    assert decisions(engine, item) == (["edit"], 1)


def test_approve_racing_the_claims_expiry_is_one_decision(engine: Engine, embedder: Any) -> None:
    """A holds a claim that has just lapsed; A approves while B takes the item over."""
    a, b = "a@brackenvale.example", "b@brackenvale.example"
    winners = []
    for n in range(4):
        item = seed_item(engine)
        assert queue.claim(engine, item, a, ttl_minutes=30)
        with Session(engine) as db:
            db.execute(
                update(ReviewItem)
                .where(ReviewItem.id == item)  # type: ignore[arg-type]
                .values(claimed_at=utcnow() - timedelta(minutes=31))
            )
            db.commit()
        approved, claimed = at_once(
            lambda item=item: queue.approve(engine, item, a, ANSWER, embedder=embedder),
            # B sometimes arrives a moment later, so both orders are exercised.
            lambda item=item, n=n: (
                time.sleep(1.5 * (n % 2)) or queue.claim(engine, item, b, ttl_minutes=30)
            ),
        )
        if isinstance(approved, ReviewItem):
            winners.append("a")
            assert claimed is False
        else:
            winners.append("b")
            assert isinstance(approved, queue.QueueActionRefused) and claimed is True
            queue.reject(engine, item, b, "Answered by phone")
        events, answers = decisions(engine, item)
        assert len(events) == 1, events
        assert answers == (1 if winners[-1] == "a" else 0)
        final = queue.get_item(engine, item)
        assert final is not None and final.decided_by == (a if winners[-1] == "a" else b)
    print("race winners:", winners)
