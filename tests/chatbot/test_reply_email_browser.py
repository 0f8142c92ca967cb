"""The opt-in "your reply is ready" email, end to end: a resident escalates in the browser,
leaves an email address, staff decide, and a real local SMTP server (aiosmtpd, started and
stopped here) receives one email with the link; the address is then gone from every table."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import free_port, launch_chromium, serious_violations, serve
from playwright.sync_api import expect
from sqlmodel import Session, select

from chatbot.records import ReplyNotification, ReviewItem, utcnow
from townhall.services import Services
from townhall.settings import Settings

pytestmark = pytest.mark.browser

EMAIL = "resident.test@example.org"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def services(tmp_path_factory, demo_kb, embedder, redactor, smtp) -> Services:  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("reply-email"),
        smtp_url=f"smtp://127.0.0.1:{smtp[1]}",
        mail_from="townhall@brackenvale.example",
        public_url="https://ask.brackenvale.example",
        outbox_poll_seconds=0.5,
        chat_rate_per_minute=10_000,
        reference_rate_per_minute=10_000,
    )
    built = Services(settings)
    built.__dict__.update(knowledge=demo_kb, embedder=embedder, redactor=redactor)
    return built


@pytest.fixture(scope="module")
def base_url(services: Services) -> Iterator[str]:
    yield from serve(services)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


def test_resident_gets_one_email_when_staff_reply(
    browser: Any, base_url: str, services: Services, smtp: tuple[Inbox, int]
) -> None:
    inbox, _port = smtp
    context = browser.new_context(viewport={"width": 320, "height": 900})
    page = context.new_page()
    page.goto(f"{base_url}/")
    page.locator("#message").fill("Why has my council tax bill gone up this year?")
    page.locator("#ask-form-area button[type=submit]").click()
    offer = page.get_by_role("link", name="Get an email when your answer is ready")
    offer.wait_for(timeout=30_000)
    reference = page.locator(".th-reference").last.inner_text()
    offer.click()
    expect(page.locator("h1")).to_contain_text("Get an email when your answer is ready")
    assert not serious_violations(page)
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Email me when my answer is ready").click()
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text("correct format")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Email me when my answer is ready").click()
    expect(page.locator(".govuk-panel")).to_contain_text(reference)

    with Session(services.engine) as db:
        stored = db.exec(select(ReplyNotification)).all()
        assert [r.reference for r in stored] == [reference]
        item = db.exec(select(ReviewItem).where(ReviewItem.reference == reference)).one()
        assert EMAIL not in (item.question + str(item.context))  # kept apart
        item.status = "approved"
        item.final_answer = "Bills rose by 4.9% this year. Call 01632 960100 with questions."
        item.decided_by = "reviewer@brackenvale.example"
        item.updated_at = utcnow()
        db.add(item)
        db.commit()

    deadline = time.monotonic() + 30
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(inbox.messages) == 1
    envelope = inbox.messages[0]
    assert envelope.rcpt_tos == [EMAIL]
    text = envelope.content.decode("utf-8", "replace")
    assert f"https://ask.brackenvale.example/answers/{reference}" in text
    assert "4.9%" not in text and "council tax bill" not in text  # no question, no answer
    time.sleep(1.5)  # another tick: still one email
    assert len(inbox.messages) == 1
    with Session(services.engine) as db:
        assert db.exec(select(ReplyNotification)).all() == []
        from outbox import OutboxMessage

        sent = db.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply_ready")).all()
        assert len(sent) == 1 and not sent[0].recipient  # the address is forgotten once sent
    page.goto(f"{base_url}/answers/{reference}")
    expect(page.locator(".th-answer")).to_contain_text("Bills rose by 4.9%")
    context.close()
