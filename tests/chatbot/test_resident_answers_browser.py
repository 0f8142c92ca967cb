"""What residents see, in a real browser (Debian chromium, Playwright, axe): answers as HTML
(lists, links, `tel:` links, sources by page with section anchors), honest labels and the AI
disclosure, the staff rejection reply on the answers page, "Was this helpful?" creating a
review item, the notices, and a 20-question session with no console errors. JavaScript on and
off, 320 px wide, keyboard only. One server and one browser for the whole module."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import launch_chromium, serious_violations, serve
from playwright.sync_api import expect
from sqlmodel import Session, select

from chatbot.approved import new_approved_answer
from chatbot.records import ReviewItem, utcnow
from townhall.services import Services
from townhall.settings import Settings

pytestmark = pytest.mark.browser

PHONE_QUESTION = "What is the phone number for the parking team?"
LIST_QUESTION = "How much is a parking fine?"
STAFF_QUESTION = "Can I put a sofa out for the bin men to take?"


@pytest.fixture(scope="module")
def services(tmp_path_factory, demo_kb, embedder, redactor) -> Services:  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("resident-answers"),
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


def new_page(browser: Any, *, javascript: bool = True, width: int = 1024) -> tuple[Any, Any, list]:
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}")
            if msg.type in ("error", "warning")
            else None
        ),
    )
    return context, page, problems


def ask(page: Any, question: str, turns_before: int) -> Any:
    page.locator("#message").fill(question)
    page.locator("#ask-form-area button[type=submit]").click()
    turn = page.locator("#transcript .th-turn").nth(turns_before)
    turn.locator(".th-turn__answer").wait_for(timeout=30_000)
    return turn


def test_answers_are_html_with_lists_links_tel_and_sources_by_page(
    browser: Any, base_url: str
) -> None:
    context, page, problems = new_page(browser, width=320)
    page.goto(f"{base_url}/")
    assert page.title() == "Ask a question – Brackenvale Borough Council"
    disclosure = page.locator(".th-disclosure")
    expect(disclosure).to_contain_text("automated assistant")
    expect(disclosure.locator('a[href="/privacy"]')).to_have_count(1)
    footer = page.locator("footer")
    expect(footer.locator('a[href="/privacy"]')).to_have_count(1)
    expect(footer.locator('a[href="/accessibility"]')).to_have_count(1)
    expect(footer.locator('a[href="/docs"]')).to_have_count(0)

    turn = ask(page, PHONE_QUESTION, 0)
    answer = turn.locator(".th-answer")
    expect(answer.locator('a[href^="tel:+44"]').first).to_be_visible()
    expect(turn.locator(".th-label--automatic")).to_contain_text(
        "Answered automatically from our pages"
    )
    source_links = turn.locator(".th-sources a")
    hrefs = [source_links.nth(i).get_attribute("href") for i in range(source_links.count())]
    assert hrefs and all(h and h.startswith("https://www.brackenvale.example/") for h in hrefs)
    assert any("#" in h for h in hrefs), hrefs  # sections link to their heading
    pages = [h.split("#")[0] for h in hrefs]
    assert len(turn.locator(".th-sources__page").all()) == len(set(pages))  # one per page
    expect(turn.locator(".th-sources__updated").first).to_contain_text("Page last updated")

    turn = ask(page, LIST_QUESTION, 1)
    items = turn.locator(".th-answer ul li, .th-answer table tr")
    assert items.count() >= 2
    assert "- " not in turn.locator(".th-answer").inner_text().splitlines()[0]
    # Nothing overflows the 320 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert not serious_violations(page)
    assert not problems, problems
    context.close()


def test_a_holding_reply_links_the_pages_to_read_meanwhile(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser)
    page.goto(f"{base_url}/")
    turn = ask(page, "What day are my bins collected?", 0)
    expect(turn).to_contain_text("passed your question to a member of staff")
    link = turn.locator('a[href$="/bins-and-recycling/bin-collection-days"]')
    expect(link.first).to_be_visible()
    expect(turn.locator(".th-sources a")).to_have_count(0)  # pages to read, not sources
    assert not problems, problems
    context.close()


def test_staff_answers_are_labelled_as_staff_with_the_date(
    browser: Any, base_url: str, services: Services, embedder: Any
) -> None:
    approved = new_approved_answer(
        question=STAFF_QUESTION,
        answer="Yes. Book a bulky waste collection online or call 01632 960100.",
        sources=[],
        approved_by="reviewer@brackenvale.example",
        embedder=embedder,
        service_area="bins",
    )
    with Session(services.engine) as db:
        db.add(approved)
        db.commit()
    context, page, problems = new_page(browser)
    page.goto(f"{base_url}/")
    turn = ask(page, STAFF_QUESTION, 0)
    label = turn.locator(".th-label--staff")
    expect(label).to_contain_text("Answered by Brackenvale Council staff")
    expect(label).to_contain_text(str(utcnow().year))
    expect(turn.locator(".th-label--automatic")).to_have_count(0)
    expect(turn.locator('.th-answer a[href="tel:+441632960100"]')).to_have_count(1)
    assert not problems, problems
    context.close()


def test_rejection_reply_is_shown_on_the_answers_page(
    browser: Any, base_url: str, services: Services
) -> None:
    context, page, problems = new_page(browser, javascript=False, width=320)
    page.goto(f"{base_url}/")
    page.locator("#message").fill("Why was my housing benefit claim stopped last week?")
    page.locator("#ask-form-area button[type=submit]").click()
    reference = page.locator(".th-reference").first.inner_text()
    with Session(services.engine) as db:
        item = db.exec(select(ReviewItem).where(ReviewItem.reference == reference)).one()
        item.status = "rejected"
        item.final_answer = "We cannot discuss a claim here. Call 01632 960100 about it."
        item.decided_by = "reviewer@brackenvale.example"
        item.updated_at = utcnow()
        db.add(item)
        db.commit()
    page.goto(f"{base_url}/answers/{reference}")
    assert page.title() == "A reply to your question – Brackenvale Borough Council"
    expect(page.locator(".th-answer")).to_contain_text("We cannot discuss a claim here")
    expect(page.locator('.th-answer a[href="tel:+441632960100"]')).to_have_count(1)
    expect(page.locator(".th-label--staff")).to_contain_text("Answered by Brackenvale Council")
    context.close()
    context, page, problems = new_page(browser)
    page.goto(f"{base_url}/answers/{reference}")
    assert not serious_violations(page)
    assert not problems, problems
    page.goto(f"{base_url}/answers/TH-2222-3333-4444")  # its 404 is logged by the browser
    assert page.title().startswith("Error: ")  # not found is an error state too
    context.close()


def test_feedback_no_creates_a_review_item_with_javascript_on_and_off(
    browser: Any, base_url: str, services: Services
) -> None:
    for javascript in (True, False):
        context, page, problems = new_page(browser, javascript=javascript)
        page.goto(f"{base_url}/")
        if javascript:
            turn = ask(page, LIST_QUESTION, 0)
        else:
            page.locator("#message").fill(LIST_QUESTION)
            page.locator("#ask-form-area button[type=submit]").click()
            turn = page.locator("#transcript .th-turn").last
        feedback = turn.locator(".th-feedback")
        feedback.get_by_role("button", name=re.compile("^No")).click()
        reasons = page.locator(".th-feedback").last
        reasons.get_by_label("It was wrong or out of date").check()
        reasons.get_by_label("Tell us more (optional)").fill(
            "My name is Sarah Jones and the price is different"
        )
        reasons.get_by_role("button", name="Send feedback").click()
        expect(page.locator(".th-feedback__thanks").last).to_contain_text("Thank you")
        assert not problems, problems
        if javascript:
            assert not serious_violations(page)
        context.close()
    with Session(services.engine) as db:
        items = db.exec(select(ReviewItem).where(ReviewItem.route == "feedback")).all()
    assert len(items) == 2
    for item in items:
        assert item.draft_answer and item.sources and item.question == LIST_QUESTION
        note = " ".join(c["text"] for c in item.context)
        assert "wrong or out of date" in note and "Sarah" not in note


def test_notices_are_published_and_accessible(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser, width=320)
    for path, title in [
        ("/privacy", "Privacy notice"),
        ("/accessibility", "Accessibility statement"),
    ]:
        page.goto(f"{base_url}{path}")
        assert page.title() == f"{title} – Brackenvale Borough Council"
        assert not serious_violations(page), path
    expect(page.locator("h2", has_text="Enforcement procedure")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("axe-core")  # the committed axe results
    expect(page.locator("table tbody tr")).to_have_count(6)
    page.goto(f"{base_url}/privacy")
    expect(page.locator("h2", has_text="How long we keep it")).to_have_count(1)
    assert not problems, problems
    context.close()


def test_twenty_questions_with_javascript_no_console_errors_and_error_titles(
    browser: Any, base_url: str
) -> None:
    context, page, problems = new_page(browser)
    page.goto(f"{base_url}/")
    questions = [
        "hello",
        "How do I apply for a Blue Badge?",
        "When is my bin collected?",
        "How much is garden waste collection?",
        "How do I report a pothole?",
        "What are the library opening hours?",
        "How do I pay my council tax?",
        "Can I get a single person discount?",
        "How do I register a birth?",
        "How do I report fly-tipping?",
        "What goes in the blue bin?",
        "How do I apply for a school place?",
        "Do I need planning permission for a fence?",
        "How do I report a noisy neighbour?",
        "How much does a bulky waste collection cost?",
        "How do I report a broken street light?",
        "Can I get help paying for care?",
        "How do I join the library?",
        "What is the phone number for the parking team?",
        "thanks",
    ]
    for n, question in enumerate(questions):
        ask(page, question, n)
    expect(page.locator("#transcript .th-turn")).to_have_count(20)
    assert not problems, problems  # 20 questions, not one console error or warning
    # An empty question: the GOV.UK message, and "Error:" in the title (htmx updates it).
    page.locator("#message").fill("")
    page.locator("#ask-form-area button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your question")
    expect(page).to_have_title(re.compile("^Error: Ask a question – Brackenvale Borough Council$"))
    # Then a good question clears the error from the title again.
    ask(page, "How do I renew a library book?", 20)
    expect(page).to_have_title("Ask a question – Brackenvale Borough Council")
    # Only the browser's own network line for the deliberate 422 (not a script error).
    assert [p for p in problems if "status of 422" not in p] == [], problems
    context.close()


def test_keyboard_only_feedback(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser)
    page.goto(f"{base_url}/")
    page.locator("#message").focus()
    page.keyboard.type("How do I report a pothole?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Ask button
    yes = page.locator(".th-feedback button[value=yes]").first
    yes.wait_for(timeout=30_000)
    for _ in range(60):  # Tab through the answer to the feedback buttons
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "yes":
            break
    assert page.evaluate("document.activeElement.value") == "yes"
    page.keyboard.press("Enter")
    expect(page.locator(".th-feedback__thanks")).to_contain_text("Thank you for your feedback")
    assert not problems, problems
    context.close()


WELSH_QUESTION = "Pryd mae'r biniau ailgylchu yn cael eu casglu ar fy stryd i?"


def test_welsh_toggle_and_a_welsh_message(browser: Any, base_url: str, services: Services) -> None:
    for javascript in (True, False):
        context, page, problems = new_page(browser, javascript=javascript, width=320)
        page.goto(f"{base_url}/")
        page.get_by_role("link", name="Cymraeg").click()
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        assert page.title() == "Gofyn cwestiwn – Cyngor Bwrdeistref Brackenvale"
        expect(page.locator(".th-disclosure")).to_contain_text("Cynorthwyydd awtomatig")
        page.locator("#message").fill(WELSH_QUESTION)
        page.locator("#ask-form-area button[type=submit]").click()
        turn = page.locator("#transcript .th-turn").last
        expect(turn.locator(".th-answer")).to_contain_text("Diolch am ysgrifennu yn Gymraeg")
        expect(turn.locator(".th-answer")).to_contain_text("Eich cyfeirnod yw")
        expect(turn.locator(".th-reference")).to_have_count(1)
        if javascript:
            assert not serious_violations(page)
        # Back to English; the choice is remembered (cookie) on the next page.
        page.get_by_role("link", name="English").click()
        page.wait_for_url("**/?lang=en", timeout=30_000)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.goto(f"{base_url}/answers")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert not problems, problems
        context.close()
    with Session(services.engine) as db:
        items = db.exec(select(ReviewItem).where(ReviewItem.language == "cy")).all()
    assert len(items) == 2 and all(i.route == "welsh" for i in items)


def test_english_answer_in_welsh_pages_says_so(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser, javascript=False)
    page.goto(f"{base_url}/?lang=cy")
    page.locator("#message").fill("How much is a parking fine?")
    page.locator("#ask-form-area button[type=submit]").click()
    turn = page.locator("#transcript .th-turn").last
    expect(turn.locator(".th-label__language")).to_contain_text("yn Saesneg")
    expect(turn.locator(".th-answer")).to_have_attribute("lang", "en")
    expect(turn.locator(".th-label--automatic")).to_contain_text("Ateb awtomatig")
    context.close()


def test_suggested_questions_on_the_empty_page(browser: Any, base_url: str) -> None:
    for javascript in (True, False):
        context, page, problems = new_page(browser, javascript=javascript)
        page.goto(f"{base_url}/")
        button = page.get_by_role("button", name="How do I report a pothole?")
        expect(button).to_be_visible()
        button.click()
        turn = page.locator("#transcript .th-turn").last
        expect(turn.locator(".th-turn__question")).to_contain_text(
            "How do I report a pothole?", timeout=30_000
        )
        expect(page.locator(".th-suggestions")).to_have_count(0)  # gone once asked
        assert not problems, problems
        context.close()
