"""The outbox on SQLite and PostgreSQL: enqueue with keys, leases that two workers cannot
share, back-off, giving up, and a resident's address erased once sent; delivered through a
real local SMTP server and HTTP receiver."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mail_support import smtp_server, webhook_receiver
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from outbox import (
    FAILED,
    PENDING,
    SENT,
    Attempt,
    Backoff,
    Deliverer,
    DeliveryFailed,
    OutboxMessage,
    OutboxWorker,
    SmtpSender,
    SmtpServer,
    WebhookSender,
    claim_due,
    enqueue,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def add(engine: Engine, **fields: Any) -> bool:
    values: dict[str, Any] = {"channel": "webhook", "kind": "staff_alert", "payload": {"n": 1}}
    values.update(fields)
    with Session(engine) as db:
        added = enqueue(db, now=T0, **values)
        db.commit()
    return added


def rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as db:
        return list(db.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


class Recording:
    def __init__(self, fail: list[DeliveryFailed] | None = None) -> None:
        self.fail = list(fail or [])
        self.sent: list[int] = []

    def send(self, message: OutboxMessage) -> None:
        if self.fail:
            raise self.fail.pop(0)
        self.sent.append(int(message.id or 0))


def test_a_dedupe_key_adds_one_row_however_often_it_is_enqueued(engine: Engine) -> None:
    assert add(engine, dedupe_key="alert:TH-1:urgent:0:webhook")
    assert not add(engine, dedupe_key="alert:TH-1:urgent:0:webhook")
    assert add(engine)  # no key: always added
    assert add(engine)
    assert len(rows(engine)) == 3


def test_bad_messages_are_refused_before_they_are_written(engine: Engine) -> None:
    with pytest.raises(ValueError, match="channel"), Session(engine) as db:
        enqueue(db, channel="pigeon", kind="x")
    with pytest.raises(ValueError, match="recipient"), Session(engine) as db:
        enqueue(db, channel="email", kind="x", subject="s", body="b")
    assert rows(engine) == []


def test_two_workers_never_lease_the_same_message(engine: Engine) -> None:
    for n in range(5):
        add(engine, dedupe_key=f"k{n}")
    _, first = claim_due(engine, now=T0, limit=3)
    _, second = claim_due(engine, now=T0, limit=10)
    _, third = claim_due(engine, now=T0, limit=10)
    assert len(first) == 3 and len(second) == 2 and third == []
    assert not {m.id for m in first} & {m.id for m in second}
    # A worker that died mid-send: its lease runs out and another worker takes the rows.
    _, taken_over = claim_due(engine, now=T0 + timedelta(minutes=5), limit=10)
    assert len(taken_over) == 5


def test_failures_back_off_then_give_up_and_every_attempt_is_reported(engine: Engine) -> None:
    add(engine)
    clock = Clock()
    attempts: list[Attempt] = []
    sender = Recording([DeliveryFailed("HTTP 503")] * 3)
    deliverer = Deliverer(
        engine,
        {"webhook": sender},
        clock=clock,
        backoff=Backoff(base_seconds=60, max_seconds=600),
        max_attempts=3,
        on_attempt=attempts.append,
    )
    assert deliverer.deliver_due() == 1
    row = rows(engine)[0]
    assert (row.status, row.attempts, row.last_error) == (PENDING, 1, "HTTP 503")
    assert row.next_attempt_at == T0 + timedelta(seconds=60)
    clock.advance(seconds=59)
    assert deliverer.deliver_due() == 0  # not due yet
    clock.advance(seconds=1)
    assert deliverer.deliver_due() == 1
    assert rows(engine)[0].next_attempt_at == clock.now + timedelta(seconds=120)  # doubled
    clock.advance(seconds=120)
    deliverer.deliver_due()
    row = rows(engine)[0]
    assert (row.status, row.attempts) == (FAILED, 3)
    assert [(a.attempt, a.ok, a.gave_up) for a in attempts] == [
        (1, False, False),
        (2, False, False),
        (3, False, True),
    ]
    clock.advance(hours=5)
    assert deliverer.deliver_due() == 0 and sender.sent == []


def test_a_permanent_refusal_is_not_retried(engine: Engine) -> None:
    add(engine)
    deliverer = Deliverer(engine, {"webhook": Recording([DeliveryFailed("x", permanent=True)])})
    deliverer.deliver_due()
    assert rows(engine)[0].status == FAILED


def test_a_message_for_a_channel_with_no_sender_waits_rather_than_vanishing(
    engine: Engine,
) -> None:
    add(engine, channel="email", recipient="oncall@brackenvale.example", subject="s", body="b")
    Deliverer(engine, {}, clock=Clock()).deliver_due()
    row = rows(engine)[0]
    assert row.status == PENDING and row.last_error == "no email sender configured"


def test_real_smtp_delivery_erases_a_residents_address_once_sent(engine: Engine) -> None:
    add(
        engine,
        channel="email",
        kind="reply_ready",
        recipient="resident@example.org",
        forget_recipient=True,
        subject="Your answer is ready",
        body="Read it at https://townhall.example/answers/TH-AAAA-BBBB-CCCC",
    )
    add(engine, channel="email", recipient="oncall@brackenvale.example", subject="a", body="b")
    with smtp_server() as (url, inbox):
        sender = SmtpSender(SmtpServer.from_url(url), "townhall@brackenvale.example")
        assert Deliverer(engine, {"email": sender}).deliver_due() == 2
    assert [m["To"] for m in inbox.messages] == [
        "resident@example.org",
        "oncall@brackenvale.example",
    ]
    assert inbox.messages[0]["Subject"] == "Your answer is ready"
    assert "answers/TH-AAAA-BBBB-CCCC" in inbox.messages[0].get_payload()
    resident, oncall = rows(engine)
    assert resident.status == SENT and resident.recipient is None
    assert oncall.status == SENT and oncall.recipient == "oncall@brackenvale.example"


def test_an_unreachable_smtp_server_is_a_retryable_failure_without_server_text(
    engine: Engine,
) -> None:
    from browser_support import free_port

    add(engine, channel="email", recipient="oncall@brackenvale.example", subject="a", body="b")
    sender = SmtpSender(SmtpServer.from_url(f"smtp://127.0.0.1:{free_port()}"), "th@x.example")
    Deliverer(engine, {"email": sender}, clock=Clock()).deliver_due()
    row = rows(engine)[0]
    assert row.status == PENDING and row.last_error == "SMTP ConnectionRefusedError"


def test_webhook_sender_posts_json_and_reads_failures_as_codes() -> None:
    message = OutboxMessage(id=7, channel="webhook", kind="staff_alert", payload={"ref": "TH-1"})
    with webhook_receiver(fail_first=1) as (url, receiver):
        with pytest.raises(DeliveryFailed, match="HTTP 503") as failed:
            WebhookSender(url).send(message)
        assert not failed.value.permanent
        WebhookSender(url).send(message)
    assert receiver.calls == [{"ref": "TH-1"}, {"ref": "TH-1"}]
    assert receiver.delivered == [{"ref": "TH-1"}]


def test_smtp_addresses_are_read_with_credentials_and_tls() -> None:
    plain = SmtpServer.from_url("smtp://127.0.0.1:1025")
    assert (plain.host, plain.port, plain.tls, plain.username) == ("127.0.0.1", 1025, False, None)
    secure = SmtpServer.from_url("smtps://alerts%40council:p%40ss@mail.example")
    assert (secure.port, secure.tls) == (465, True)
    assert (secure.username, secure.password) == ("alerts@council", "p@ss")
    for bad in ("http://mail.example", "smtp://", "mail.example:25"):
        with pytest.raises(ValueError, match="smtp://host:port"):
            SmtpServer.from_url(bad)
    with pytest.raises(ValueError, match="https://"):
        WebhookSender("ftp://example")


def test_the_worker_runs_its_jobs_until_stopped() -> None:
    import threading

    ran = threading.Event()
    calls: list[int] = []

    def job() -> None:
        calls.append(1)
        ran.set()

    def broken() -> None:
        raise RuntimeError("database away")

    worker = OutboxWorker([broken, job], interval=0.05)
    worker.start()
    assert ran.wait(5)
    worker.stop()
    count = len(calls)
    assert count >= 1
    threading.Event().wait(0.2)
    assert len(calls) == count  # stopped means stopped
