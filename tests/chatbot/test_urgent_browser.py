"""Issue 8 in Chromium: an urgent message shows "Get help now" and the right number first, as
a link a phone can call, with the reference once; JavaScript on and off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser_support import launch_chromium, serious_violations, serve
from tests.services_support import make_services

pytestmark = pytest.mark.browser

CASES = [
    ("i cant keep going, ive got all my tablets out and i'm going to take them", "tel:116123"),
    ("theres a strong smell of gas in the hall and my kids are upstairs", "tel:+44800111999"),
    ("my partner is outside shouting he will kill me, he's trying to get in", "tel:999"),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, demo_kb, embedder, redactor) -> Iterator[str]:  # type: ignore[no-untyped-def]
    services = make_services(tmp_path_factory.mktemp("urgent-browser"), demo_kb, embedder, redactor)
    yield from serve(services)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("message, first_tel", CASES)
def test_urgent_reply_leads_with_the_right_number(
    browser: Any, base_url: str, message: str, first_tel: str, javascript: bool
) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        page.locator("#message").fill(message)
        page.locator("#ask-form-area button[type=submit]").click()
        answer = page.locator("#transcript .th-turn").first.locator(".th-turn__answer--urgent")
        answer.wait_for(timeout=30_000)
        assert answer.locator("h3").inner_text().strip() == "Get help now"
        first = answer.locator(".th-answer a[href^='tel:']").first
        assert first.get_attribute("href") == first_tel
        reference = answer.locator(".th-reference").inner_text()
        assert answer.locator(".th-answer").inner_text().count(reference) == 1
        if javascript and first_tel == "tel:116123":
            assert not serious_violations(page)
    finally:
        context.close()
