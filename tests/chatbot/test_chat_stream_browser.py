"""A streamed answer in a real browser (Debian chromium) from the REAL local model
(llama.cpp + SmolLM2-135M, the session's `local_model` server): the draft shows while the
model writes, the guard-checked turn replaces it, and nothing breaks the page's CSP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import launch_chromium, serve

from townhall.services import Services
from townhall.settings import Settings

SITE = Path(__file__).resolve().parents[2] / "demo" / "council-site"
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.usefixtures("no_tiktoken")]

# Records every draft the page shows, before the answer is asked for.
WATCH = """() => {
  window.thDrafts = [];
  new MutationObserver(() => {
    const draft = document.querySelector('.th-turn--draft .th-draft__text');
    if (draft && draft.textContent) window.thDrafts.push(draft.textContent);
  }).observe(document.getElementById('transcript'), {subtree: true, childList: true,
    characterData: true});
}"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, demo_kb, embedder, redactor, local_model) -> Iterator[str]:  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("stream-browser"),
        llm_provider="openai",
        llm_base_url=local_model.base_url,
        llm_model="smollm2",
        llm_timeout_seconds=120,
        llm_max_tokens=48,
        llm_sections=1,
    )
    services = Services(settings)
    services.__dict__.update(knowledge=demo_kb, embedder=embedder, redactor=redactor)
    yield from serve(services)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


def test_the_answer_streams_and_the_checked_turn_replaces_the_draft(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{base_url}/")
    assert page.locator("form[data-stream-url]").count() == 1
    page.evaluate(WATCH)
    page.get_by_label("Your question").fill("how much is the garden waste bin a year")
    page.get_by_role("button", name="Ask").click()
    page.locator("#transcript .th-turn:not(.th-turn--draft)").wait_for(timeout=150_000)

    drafts = page.evaluate("window.thDrafts")
    assert drafts, "no draft was shown while the model wrote"
    assert page.locator(".th-turn--draft").count() == 0  # replaced, never left on screen
    assert page.locator("#transcript .th-turn").count() == 1
    final = page.locator("#transcript .th-turn").inner_text()
    # every amount on screen is one the council's pages state (SmolLM2 invents others)
    on_pages = set(re.findall(r"£[\d,.]*\d", " ".join(p.read_text() for p in SITE.rglob("*.md"))))
    assert set(re.findall(r"£[\d,.]*\d", final)) <= on_pages, final
    assert page.url.rstrip("/") == base_url  # no page load: streamed in place
    assert not problems, problems
    context.close()
