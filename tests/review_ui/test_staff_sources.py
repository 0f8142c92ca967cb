"""Sources under the reviewer's control, through the staff app on a real database with the
demo council's real knowledge base: the retrieved sections shown once each, removing one,
adding one found by title and heading, "no page", the refusals, the same on an approved
answer, and the stale check watching exactly the chosen sources."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from staff_helpers import add_staff, make_staff_app, seed_item, sign_in

from chatbot.approved import no_page_source, stale_sources
from chatbot.records import ApprovedAnswer
from chatbot.store import public_sources
from review_ui.records import AuditEvent
from review_ui.sources import Posted, SectionFinder, build_picker, source_key

RECYCLING = "bins-and-recycling/household-recycling-centres.md"
FLY_TIPPING = "roads-and-streets/fly-tipping.md"


def section_source(kb: Any, page: str, section: str) -> dict[str, Any]:
    hit = kb.section(page, section)
    assert hit is not None, (page, section)
    return {
        "title": hit.title,
        "url": hit.url,
        "section": hit.section,
        "page": hit.page_id,
        "content_hash": hit.content_hash,
        "text": hit.text,
    }


@pytest.fixture
def retrieved(demo_kb: Any) -> list[dict[str, Any]]:
    """What retrieval gave a tip-opening-times question: fly-tipping twice, one useful."""
    report = section_source(demo_kb, FLY_TIPPING, "How to report fly-tipping")
    return [report, dict(report), section_source(demo_kb, RECYCLING, "Household recycling centres")]


@pytest.fixture
def client(sqlite_engine: Engine, embedder: Any, demo_kb: Any) -> tuple[TestClient, str]:
    app = make_staff_app(
        sqlite_engine, embedder, page_hashes=demo_kb.page_hashes, knowledge=demo_kb
    )
    add_staff(sqlite_engine, "rev@brackenvale.example")
    test_client = TestClient(app)
    return test_client, sign_in(test_client, "rev@brackenvale.example")


def claimed_item(engine: Engine, client: TestClient, token: str, sources: list[Any]) -> int:
    item = seed_item(
        engine,
        question="What time does the tip open on a Sunday?",
        draft_answer="Report fly-tipping online.",
        sources=sources,
    )
    assert client.post(f"/staff/items/{item}/claim", data={"csrf_token": token}).status_code in (
        200,
        303,
    )
    return item


def checkboxes(html: str) -> dict[str, bool]:
    found = re.findall(r'<input class="govuk-checkboxes__input"[^>]*name="source"[^>]*>', html)
    return {re.search(r'value="([^"]+)"', f).group(1): " checked" in f for f in found}  # type: ignore[union-attr]


def test_the_picker_shows_each_section_once_and_adds_from_the_knowledge_base(
    demo_kb: Any, retrieved: list[dict[str, Any]]
) -> None:
    finder = SectionFinder(demo_kb)
    picker = build_picker(retrieved, finder)
    assert [c["key"] for c in picker.candidates] == [
        f"{FLY_TIPPING}::How to report fly-tipping",
        f"{RECYCLING}::Household recycling centres",
    ]
    assert all(c["checked"] for c in picker.candidates) and not picker.no_page
    found = build_picker(retrieved, finder, find="recycling opening hours", searching=True)
    assert found.found[0]["key"] == f"{RECYCLING}::Opening hours"
    assert found.announce.endswith("found for recycling opening hours")
    posted = Posted.from_form([f"{RECYCLING}::Household recycling centres"], [], "")
    posted.offered = [c["key"] for c in picker.candidates]
    added = build_picker(retrieved, finder, posted, add=f"{RECYCLING}::Opening hours")
    assert {c["key"]: c["checked"] for c in added.candidates} == {
        f"{FLY_TIPPING}::How to report fly-tipping": False,
        f"{RECYCLING}::Household recycling centres": True,
        f"{RECYCLING}::Opening hours": True,
    }
    assert added.announce == "Added Household recycling centres: Opening hours"


def test_reviewer_removes_and_adds_a_source_and_the_answer_keeps_exactly_those(
    sqlite_engine: Engine, client: tuple[TestClient, str], retrieved: list[dict[str, Any]]
) -> None:
    http, token = client
    item = claimed_item(sqlite_engine, http, token, retrieved)
    page = http.get(f"/staff/items/{item}").text
    assert checkboxes(page) == {
        f"{FLY_TIPPING}::How to report fly-tipping": True,
        f"{RECYCLING}::Household recycling centres": True,
    }
    typed = "The household recycling centres open 8am to 4pm on Sundays."
    form = {
        "csrf_token": token,
        "answer": typed,
        "offered": [
            f"{FLY_TIPPING}::How to report fly-tipping",
            f"{RECYCLING}::Household recycling centres",
        ],
        "source": [f"{RECYCLING}::Household recycling centres"],
        "find": "recycling opening hours",
        "action": "find",
    }
    found = http.post(f"/staff/items/{item}/sources", data=form, headers={"HX-Request": "true"})
    assert found.status_code == 200
    assert 'data-th-focus="found-heading"' in found.text and typed in found.text
    assert f'name="add" value="{RECYCLING}::Opening hours"' in found.text
    form.pop("action")
    added = http.post(
        f"/staff/items/{item}/sources", data={**form, "add": f"{RECYCLING}::Opening hours"}
    )
    assert checkboxes(added.text) == {
        f"{FLY_TIPPING}::How to report fly-tipping": False,
        f"{RECYCLING}::Household recycling centres": True,
        f"{RECYCLING}::Opening hours": True,
    }
    assert typed in added.text  # nothing typed is lost, with or without JavaScript
    with Session(sqlite_engine) as db:
        assert db.exec(select(ApprovedAnswer)).all() == []  # searching and adding save nothing

    approve = {
        "csrf_token": token,
        "answer": typed,
        "offered": list(checkboxes(added.text)),
        "source": [f"{RECYCLING}::Household recycling centres", f"{RECYCLING}::Opening hours"],
    }
    done = http.post(f"/staff/items/{item}/approve", data=approve, headers={"HX-Request": "true"})
    assert done.status_code == 200, done.text
    assert 'data-th-focus="actions-result"' in done.text
    with Session(sqlite_engine) as db:
        answer = db.exec(select(ApprovedAnswer)).one()
        event = db.exec(select(AuditEvent).where(AuditEvent.action == "edit")).one()
    assert [source_key(s) for s in answer.sources] == approve["source"]
    assert all("text" not in s for s in answer.sources)
    assert event.detail["sources"] == approve["source"]


def test_an_empty_choice_is_refused_and_no_page_is_recorded_against_every_page(
    sqlite_engine: Engine,
    client: tuple[TestClient, str],
    retrieved: list[dict[str, Any]],
    demo_kb: Any,
) -> None:
    http, token = client
    item = claimed_item(sqlite_engine, http, token, retrieved)
    offered = [
        f"{FLY_TIPPING}::How to report fly-tipping",
        f"{RECYCLING}::Household recycling centres",
    ]
    base = {"csrf_token": token, "answer": "Call us on 01632 960000.", "offered": offered}
    empty = http.post(f"/staff/items/{item}/approve", data=base)
    assert empty.status_code == 422
    assert "Choose at least one page section" in empty.text
    both = http.post(
        f"/staff/items/{item}/approve", data={**base, "source": offered[:1], "no_page": "yes"}
    )
    assert both.status_code == 422 and "Untick the page sections" in both.text
    gone = http.post(
        f"/staff/items/{item}/approve", data={**base, "source": [f"{RECYCLING}::No such heading"]}
    )
    assert gone.status_code == 422 and "no longer on the site" in gone.text
    with Session(sqlite_engine) as db:
        assert db.exec(select(ApprovedAnswer)).all() == []

    ok = http.post(f"/staff/items/{item}/approve", data={**base, "no_page": "yes"})
    assert ok.status_code in (200, 303)
    with Session(sqlite_engine) as db:
        answer = db.exec(select(ApprovedAnswer)).one()
    assert answer.sources == [
        {k: v for k, v in no_page_source(demo_kb.page_hashes()).items() if k != "text"}
    ]
    hashes = demo_kb.page_hashes()
    assert stale_sources(answer.sources, hashes) == []
    changed = {**hashes, "council-tax/paying.md": "something else"}
    assert stale_sources(answer.sources, changed) == answer.sources  # any page change
    assert public_sources(answer.sources) == []  # residents get no link for "no page"


def test_the_stale_check_watches_exactly_the_chosen_sections(
    demo_kb: Any, retrieved: list[dict[str, Any]]
) -> None:
    chosen = [retrieved[2]]
    hashes = demo_kb.page_hashes()
    assert stale_sources(chosen, {**hashes, FLY_TIPPING: "changed"}) == []
    assert stale_sources(chosen, {**hashes, RECYCLING: "changed"}) == chosen


def test_editing_an_approved_answer_changes_its_sources_and_is_audited(
    sqlite_engine: Engine, client: tuple[TestClient, str], retrieved: list[dict[str, Any]]
) -> None:
    http, token = client
    item = claimed_item(sqlite_engine, http, token, retrieved)
    http.post(f"/staff/items/{item}/approve", data={"csrf_token": token, "answer": "Open daily."})
    with Session(sqlite_engine) as db:
        answer = db.exec(select(ApprovedAnswer)).one()
    # Without a picker on the form, the draft's sections are kept, once each.
    assert [source_key(s) for s in answer.sources] == [
        f"{FLY_TIPPING}::How to report fly-tipping",
        f"{RECYCLING}::Household recycling centres",
    ]
    page = http.get(f"/staff/answers/{answer.id}").text
    assert len(checkboxes(page)) == 2
    form = {
        "csrf_token": token,
        "answer": "Open 8am to 4pm every day.",
        "offered": list(checkboxes(page)),
        "source": [f"{RECYCLING}::Household recycling centres"],
    }
    added = http.post(
        f"/staff/answers/{answer.id}/sources", data={**form, "add": f"{RECYCLING}::Opening hours"}
    )
    assert checkboxes(added.text)[f"{RECYCLING}::Opening hours"] is True
    saved = http.post(
        f"/staff/answers/{answer.id}/edit",
        data={
            **form,
            "offered": list(checkboxes(added.text)),
            "source": [f"{RECYCLING}::Opening hours"],
        },
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200 and 'data-th-focus="saved-title"' in saved.text
    with Session(sqlite_engine) as db:
        edited = db.get(ApprovedAnswer, answer.id)
        event = db.exec(select(AuditEvent).where(AuditEvent.action == "answer_edit")).one()
    assert [source_key(s) for s in edited.sources] == [f"{RECYCLING}::Opening hours"]
    assert event.detail["sources_after"] == [f"{RECYCLING}::Opening hours"]
    assert len(event.detail["sources_before"]) == 2
    refused = http.post(f"/staff/answers/{answer.id}/edit", data={**form, "source": []})
    assert refused.status_code == 422 and "Choose at least one page section" in refused.text
