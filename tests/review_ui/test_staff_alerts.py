"""Alerts that reach staff, end to end with real parts: an urgent message through the resident
API, the alert scan and the outbox, a real SMTP server (aiosmtpd) and a real HTTP receiver that
fails its first two calls. The clock is injected, so "15 minutes later" takes no time; the last
test restarts a real server (uvicorn, the app's own lifespan loop) between a failure and the
retry."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_support import serve
from fastapi.testclient import TestClient
from mail_support import smtp_server, webhook_receiver
from sqlmodel import Session, select

from chatbot.records import ReviewItem, utcnow
from outbox import OutboxMessage
from review_ui import queue
from review_ui.records import AuditEvent
from townhall.app import create_app
from townhall.background import outbox_jobs
from townhall.services import Services
from townhall.settings import Settings

URGENT_MESSAGE = "My partner hits me and I have nowhere to sleep tonight, call me on 07700 900123"
ONCALL = "oncall@brackenvale.example"
WEBHOOK_KEYS = {
    "event",
    "reference",
    "route",
    "priority",
    "urgent_categories",
    "service_area",
    "link",
    "received_at",
    "waiting_minutes",
    "reminder",
}


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> Any:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_services(data_dir: Path, parts: dict[str, Any], **settings: Any) -> Services:
    services = Services(
        Settings(data_dir=data_dir, public_url="https://townhall.brackenvale.example", **settings)
    )
    services.__dict__.update(parts)
    return services


@pytest.fixture
def parts(demo_kb: Any, embedder: Any, redactor: Any) -> dict[str, Any]:
    return {"knowledge": demo_kb, "embedder": embedder, "redactor": redactor}


def ask_urgent(services: Services) -> dict[str, Any]:
    client = TestClient(create_app(services.settings, services))  # no lifespan: no loop
    answer = client.post("/api/chat", json={"message": URGENT_MESSAGE}).json()
    assert answer["status"] == "urgent", answer
    return answer


def run(services: Services, clock: Clock) -> None:
    for job in outbox_jobs(services, clock):
        job()


def alert_audit(services: Services) -> list[tuple[str, str, int]]:
    with Session(services.engine) as db:
        events = db.exec(select(AuditEvent).where(AuditEvent.target_type == "outbox_message")).all()
    return [(e.action, e.detail["channel"], e.detail["attempt"]) for e in events]


def test_an_urgent_message_alerts_once_by_email_and_webhook_then_again_when_left_unclaimed(
    tmp_path: Path, parts: dict[str, Any]
) -> None:
    clock = Clock()
    with smtp_server() as (smtp_url, inbox), webhook_receiver(fail_first=2) as (hook, receiver):
        settings = {
            "smtp_url": smtp_url,
            "alert_email": ONCALL,
            "alert_webhook_url": hook,
            "outbox_retry_seconds": 60,
            "alert_urgent_repeat_minutes": 15,
        }
        services = make_services(tmp_path, parts, **settings)
        answer = ask_urgent(services)
        reference = answer["reference"]

        run(services, clock)  # email sent; webhook fails (1)
        assert len(inbox.messages) == 1 and len(receiver.calls) == 1
        clock.advance(seconds=30)
        run(services, clock)  # retry not due yet
        assert len(receiver.calls) == 1
        clock.advance(seconds=30)
        run(services, clock)  # webhook fails (2)
        assert len(receiver.calls) == 2

        # A restart between failure and retry: new process state, same database.
        services.engine.dispose()
        services = make_services(tmp_path, parts, **settings)
        clock.advance(seconds=120)
        run(services, clock)  # webhook delivered (3rd call)
        clock.advance(minutes=1)
        run(services, clock)
        assert len(inbox.messages) == 1, "exactly one email for the urgent message"
        assert len(receiver.calls) == 3 and len(receiver.delivered) == 1

        email = inbox.messages[0]
        assert email["To"] == ONCALL and reference in email["Subject"]
        body = email.get_payload()
        with Session(services.engine) as db:
            item = db.exec(select(ReviewItem).where(ReviewItem.reference == reference)).one()
        link = f"https://townhall.brackenvale.example/staff/items/{item.id}"
        assert link in body
        hook_call = receiver.delivered[0]
        assert set(hook_call) == WEBHOOK_KEYS
        assert hook_call["reference"] == reference and hook_call["link"] == link
        assert (hook_call["route"], hook_call["priority"], hook_call["event"]) == (
            "urgent",
            0,
            "urgent",
        )
        for text in (body, str(hook_call), email["Subject"]):  # never the resident's words
            assert "partner" not in text and "sleep" not in text and "07700" not in text
        assert sorted(alert_audit(services)) == sorted(
            [
                ("alert_sent", "email", 1),
                ("alert_failed", "webhook", 1),
                ("alert_failed", "webhook", 2),
                ("alert_sent", "webhook", 3),
            ]
        )

        # Left unclaimed past the set age: one reminder on each channel, however often the
        # scan runs.
        clock.advance(minutes=10)  # 14 minutes since the message
        run(services, clock)
        assert len(inbox.messages) == 1
        clock.advance(minutes=2)
        run(services, clock)
        run(services, clock)
        assert len(inbox.messages) == 2 and len(receiver.delivered) == 2
        assert re.search(r"still unclaimed after 1[56] minutes", inbox.messages[1]["Subject"])
        assert receiver.delivered[1]["event"] == "unclaimed"
        assert receiver.delivered[1]["reminder"] == 1

        # Once someone claims it, nobody is reminded again.
        assert queue.claim(
            services.engine, int(item.id), "rev@brackenvale.example", ttl_minutes=30, now=clock.now
        )
        clock.advance(minutes=20)
        run(services, clock)
        assert len(inbox.messages) == 2 and len(receiver.delivered) == 2

    with Session(services.engine) as db:
        for row in db.exec(select(OutboxMessage)).all():
            assert "partner" not in row.body + str(row.payload)
            assert row.status == "sent"


def test_an_ordinary_question_alerts_only_when_it_waits_past_the_set_age(
    tmp_path: Path, parts: dict[str, Any]
) -> None:
    from staff_helpers import seed_item

    clock = Clock()
    with smtp_server() as (smtp_url, inbox):
        services = make_services(
            tmp_path,
            parts,
            smtp_url=smtp_url,
            alert_email=ONCALL,
            alert_unclaimed_minutes=120,
            alert_repeat_minutes=60,
        )
        seed_item(services.engine, created_at=clock.now)
        run(services, clock)
        clock.advance(minutes=119)
        run(services, clock)
        assert inbox.messages == []
        clock.advance(minutes=2)
        run(services, clock)
        assert len(inbox.messages) == 1
        assert "Question still unclaimed after 2 hours" in inbox.messages[0]["Subject"]
        clock.advance(minutes=58)  # 179 minutes
        run(services, clock)
        assert len(inbox.messages) == 1
        clock.advance(minutes=1)
        run(services, clock)
        assert len(inbox.messages) == 2  # reminded after another hour


def wait_for(condition: Any, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the outbox")
        time.sleep(0.05)


def test_a_real_server_restart_between_failure_and_retry_loses_no_alert(
    tmp_path: Path, parts: dict[str, Any]
) -> None:
    import httpx

    with smtp_server() as (smtp_url, inbox), webhook_receiver(fail_first=2) as (hook, receiver):
        settings = {
            "smtp_url": smtp_url,
            "alert_email": ONCALL,
            "alert_webhook_url": hook,
            "outbox_poll_seconds": 0.1,
            "outbox_retry_seconds": 3,
            "chat_rate_per_minute": 1000,
        }
        first = make_services(tmp_path, parts, **settings)
        server = serve(first)
        base_url = next(server)
        answer = httpx.post(f"{base_url}/api/chat", json={"message": URGENT_MESSAGE}).json()
        assert answer["status"] == "urgent"
        wait_for(lambda: len(inbox.messages) == 1 and len(receiver.calls) == 1)
        next(server, None)  # stop the server (and its outbox loop) before the retry is due
        assert len(receiver.calls) == 1

        second = make_services(tmp_path, parts, **settings)
        server = serve(second)
        next(server)
        try:
            wait_for(lambda: len(receiver.delivered) == 1)
        finally:
            next(server, None)
    assert len(inbox.messages) == 1 and len(receiver.calls) == 3
    assert receiver.delivered[0]["reference"] == answer["reference"]
