"""The staff app with the keyboard only, in Debian's chromium against the real app with the
demo council's knowledge base: after every htmx action focus lands on the result heading and
the result is announced in the live region. The reviewer removes a retrieved source and adds
one found by searching the pages while approving; a reworded question then gets the answer
with exactly the chosen sources."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from browser_support import launch_chromium, serious_violations, serve
from sqlmodel import Session, select
from staff_helpers import PASSWORD, add_staff, seed_item

from chatbot.records import ApprovedAnswer
from townhall.services import Services
from townhall.settings import Settings

pytestmark = pytest.mark.browser

REVIEWER = "keys@brackenvale.example"
RECYCLING = "bins-and-recycling/household-recycling-centres.md"
FLY_TIPPING = "roads-and-streets/fly-tipping.md"
QUESTION = "What time does the tip open on a Sunday?"
REWORDED = "When is the tip open on Sundays?"


@pytest.fixture(scope="module")
def app(
    tmp_path_factory: Any, demo_kb: Any, embedder: Any, redactor: Any
) -> Iterator[tuple[str, Services]]:
    services = Services(Settings(data_dir=tmp_path_factory.mktemp("staff-keys")))
    services.__dict__.update(knowledge=demo_kb, embedder=embedder, redactor=redactor)
    add_staff(services.engine, REVIEWER)
    for url in serve(services):
        yield url, services


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


def source(kb: Any, page: str, section: str) -> dict[str, Any]:
    hit = kb.section(page, section)
    return {
        "title": hit.title,
        "url": hit.url,
        "section": hit.section,
        "page": hit.page_id,
        "content_hash": hit.content_hash,
        "text": hit.text,
    }


def tab_to(page: Any, target: Any, limit: int = 120) -> None:
    """Press Tab until `target` has focus (as a keyboard user would)."""
    handle = target.element_handle()
    for _ in range(limit):
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {target}")


def focused_id(page: Any) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def wait_focus(page: Any, element_id: str) -> None:
    page.wait_for_function(
        "(id) => document.activeElement && document.activeElement.id === id", arg=element_id
    )


def wait_announced(page: Any, words: str) -> None:
    page.wait_for_function(
        "(words) => document.getElementById('th-live').textContent.includes(words)", arg=words
    )


def sign_in(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/staff/sign-in")
    tab_to(page, page.get_by_label("Email address"))
    page.keyboard.type(REVIEWER)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Review queue").wait_for()


def test_keyboard_reviewer_chooses_sources_and_a_reworded_question_reuses_them(
    browser: Any, app: tuple[str, Services], demo_kb: Any
) -> None:
    base_url, services = app
    report = source(demo_kb, FLY_TIPPING, "How to report fly-tipping")
    item = seed_item(
        services.engine,
        question=QUESTION,
        draft_answer="You can report fly-tipping online.",
        route="not_covered",
        service_area="bins-and-recycling",
        sources=[report, dict(report), source(demo_kb, RECYCLING, "Household recycling centres")],
    )
    page = browser.new_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, base_url)
    page.goto(f"{base_url}/staff/items/{item}")

    tab_to(page, page.get_by_role("button", name="Claim this question"))
    page.keyboard.press("Enter")
    wait_focus(page, "actions")
    wait_announced(page, "You claimed this question")

    boxes = page.locator("input[name=source]")
    assert boxes.count() == 2  # the duplicate retrieved section is shown once
    answer = "Our household recycling centres are open 8am to 4pm on Sundays."
    tab_to(page, page.get_by_label("Answer for the resident"))
    page.keyboard.press("Control+A")
    page.keyboard.type(answer)
    tab_to(page, page.get_by_label("Report fly-tipping: How to report fly-tipping"))
    page.keyboard.press("Space")  # remove the wrong source
    tab_to(page, page.get_by_label("Add a section: search page titles and headings"))
    page.keyboard.type("recycling opening hours")
    page.keyboard.press("Enter")
    wait_focus(page, "found-heading")
    wait_announced(page, "found for recycling opening hours")
    assert not serious_violations(page)

    tab_to(page, page.get_by_role("button", name="Add Household recycling centres: Opening hours"))
    page.keyboard.press("Enter")
    wait_announced(page, "Added Household recycling centres: Opening hours")
    assert page.evaluate("document.activeElement.value") == f"{RECYCLING}::Opening hours"
    assert page.get_by_label("Answer for the resident").input_value() == answer
    assert not page.get_by_label("Report fly-tipping: How to report fly-tipping").is_checked()

    tab_to(page, page.get_by_role("button", name="Approve answer"))
    page.keyboard.press("Enter")
    wait_focus(page, "actions-result")
    assert page.evaluate("document.activeElement.textContent") == "Edited and approved"
    wait_announced(page, "Decision saved. The resident with reference")
    assert errors == []

    with Session(services.engine) as db:
        approved = db.exec(select(ApprovedAnswer)).one()
    chosen = [(s["page"], s["section"]) for s in approved.sources]
    assert chosen == [(RECYCLING, "Household recycling centres"), (RECYCLING, "Opening hours")]

    reply = httpx.post(f"{base_url}/api/chat", json={"message": REWORDED}, timeout=60).json()
    assert reply["status"] == "answered", reply
    assert answer in reply["reply"]
    assert [(s["page"], s["section"]) for s in reply["sources"]] == chosen


def test_focus_and_announcements_after_release_reject_errors_filters_and_answer_edits(
    browser: Any, app: tuple[str, Services]
) -> None:
    base_url, services = app
    item = seed_item(services.engine, question="Can I put glass in my blue bin?")
    page = browser.new_context().new_page()
    sign_in(page, base_url)

    page.goto(f"{base_url}/staff/")
    tab_to(page, page.get_by_label("Why it is here"))
    page.keyboard.press("End")  # the last reason: someone said an answer did not help
    tab_to(page, page.get_by_role("button", name="Apply filters"))
    page.keyboard.press("Enter")
    wait_focus(page, "queue-results-heading")
    wait_announced(page, "questions shown")

    page.goto(f"{base_url}/staff/items/{item}")
    tab_to(page, page.get_by_role("button", name="Claim this question"))
    page.keyboard.press("Enter")
    wait_focus(page, "actions")
    tab_to(page, page.get_by_role("button", name="Release back to the queue"))
    page.keyboard.press("Enter")
    wait_announced(page, "Released. The question is back in the queue.")
    wait_focus(page, "actions")

    tab_to(page, page.get_by_role("button", name="Claim this question"))
    page.keyboard.press("Enter")
    wait_focus(page, "actions")
    for box in page.locator("input[name=source]").all():  # untick every source: refused
        tab_to(page, box)
        page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Approve answer"))
    page.keyboard.press("Enter")
    page.locator(".govuk-error-summary").wait_for()
    page.wait_for_function(
        "() => document.activeElement"
        " && document.activeElement.classList.contains('govuk-error-summary')"
    )

    tab_to(page, page.get_by_label("Reason (staff only)"))
    page.keyboard.type("Answered on the phone")
    tab_to(page, page.get_by_role("button", name="Reject question"))
    page.keyboard.press("Enter")
    wait_focus(page, "actions-result")
    assert page.evaluate("document.activeElement.textContent") == "Rejected"
    wait_announced(page, "Decision saved. The resident with reference")

    with Session(services.engine) as db:
        answer_id = db.exec(select(ApprovedAnswer.id)).first()
    if answer_id is None:
        pytest.skip("needs the approved answer of the first test in this module")
    page.goto(f"{base_url}/staff/answers/{answer_id}")
    tab_to(page, page.get_by_label("Answer", exact=True))
    page.keyboard.press("End")
    page.keyboard.type(" Closed on Christmas Day.")
    tab_to(page, page.get_by_role("button", name="Save answer"))
    page.keyboard.press("Enter")
    wait_focus(page, "saved-title")
    wait_announced(page, "Changes saved")
    assert not serious_violations(page)
