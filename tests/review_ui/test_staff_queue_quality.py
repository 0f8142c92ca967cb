"""Queue quality: names staff read instead of codes, near-identical questions grouped so one
decision answers them all (each resident keeping their own reference and reply), and relative
paths on the evaluation runs page. Real database and real embedder."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from staff_helpers import add_staff, seed_item

from chatbot.records import ApprovedAnswer, ReviewItem
from evals.records import EvalRun
from review_ui import queue
from review_ui.labels import humanise, route_label, service_area_label, urgent_categories
from review_ui.records import AuditEvent

TIP = [
    "What time does the tip open on a Sunday?",
    "what time does the tip open on sunday",
    "When is the tip open on Sundays?",
]


def test_codes_read_as_words() -> None:
    assert service_area_label("bins-and-recycling") == "Bins and recycling"
    assert service_area_label("street-problems-reporting") == "Reporting street problems"
    assert service_area_label("trees_and-hedges") == "Trees and hedges"  # unknown: still words
    assert service_area_label(None) == "Not known"
    assert route_label("not_covered") == "Not on our pages"
    assert route_label("feedback") == "Resident said the answer did not help"
    assert humanise("nhs-continuing_care") == "NHS continuing care"
    item = SimpleNamespace(urgent_categories=["suicide_self_harm", "homeless_tonight", "suicide"])
    assert urgent_categories(item) == ["Suicide or self-harm", "Homeless tonight"]
    assert urgent_categories(SimpleNamespace()) == []


def test_queue_shows_labels_and_groups_near_identical_questions(
    engine: Engine, reviewer_client: tuple[TestClient, str]
) -> None:
    client, _ = reviewer_client
    ids = [seed_item(engine, question=q, service_area="bins-and-recycling") for q in TIP]
    other = seed_item(engine, question="How do I apply for a Blue Badge?", service_area="parking")
    urgent = seed_item(engine, question=TIP[0], route="urgent", priority=0)
    own = seed_item(engine, question=TIP[1], route="own_case")
    page = client.get("/staff/").text
    assert "bins-and-recycling</option>" not in page and ">Bins and recycling</option>" in page
    assert '<td class="govuk-table__cell">Bins and recycling</td>' in page
    assert "and 2 near-identical questions" in page
    assert "6 questions shown in 4 rows" in page
    for item_id in (ids[0], other, urgent, own):  # urgent and own-case questions stand alone
        assert f'href="/staff/items/{item_id}"' in page


def decide_group(
    engine: Engine, client: TestClient, token: str, verb: str, **form: Any
) -> tuple[list[int], str]:
    ids = [seed_item(engine, question=q) for q in TIP]
    client.post(f"/staff/items/{ids[0]}/claim", data={"csrf_token": token})
    page = client.get(f"/staff/items/{ids[0]}").text
    assert "2 near-identical questions waiting" in page
    for member in ids[1:]:
        assert f'name="also" type="checkbox" value="{member}" ' in page
    response = client.post(
        f"/staff/items/{ids[0]}/{verb}",
        data={"csrf_token": token, "also": ids[1:], **form},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200, response.text
    return ids, response.text


def test_one_approval_answers_the_group_and_each_resident_keeps_their_reference(
    engine: Engine, reviewer_client: tuple[TestClient, str]
) -> None:
    client, token = reviewer_client
    text = "The household recycling centres open 8am to 4pm on Sundays."
    ids, html = decide_group(engine, client, token, "approve", answer=text)
    assert "2 near-identical questions decided the same way" in html
    with Session(engine) as db:
        items = [db.get(ReviewItem, i) for i in ids]
        answers = db.exec(select(ApprovedAnswer)).all()
        events = db.exec(select(AuditEvent).where(AuditEvent.action == "edit")).all()
    assert len(answers) == 1  # one answer to reuse, not three
    assert len({i.reference for i in items}) == 3
    for item in items:
        assert (item.status, item.final_answer) == ("edited", text)
        assert item.approved_answer_id == answers[0].id
        assert item.decided_by == "rev@brackenvale.example"
    assert sorted(int(e.target_id) for e in events) == sorted(ids)


def test_one_rejection_closes_the_group_with_the_same_reply(
    engine: Engine, reviewer_client: tuple[TestClient, str]
) -> None:
    client, token = reviewer_client
    reply = "Please ring the recycling centre on 01632 960111."
    ids, _ = decide_group(engine, client, token, "reject", reason="phone them", reply=reply)
    with Session(engine) as db:
        items = [db.get(ReviewItem, i) for i in ids]
    assert [(i.status, i.final_answer, i.decision_reason) for i in items] == [
        ("rejected", reply, "phone them")
    ] * 3


def test_a_group_member_someone_else_holds_or_that_is_not_alike_is_left_alone(
    engine: Engine, reviewer_client: tuple[TestClient, str]
) -> None:
    client, token = reviewer_client
    ids = [seed_item(engine, question=q) for q in TIP]
    different = seed_item(engine, question="How do I apply for a Blue Badge?")
    urgent = seed_item(engine, question=TIP[1], route="urgent", priority=0)
    add_staff(engine, "other@brackenvale.example")
    assert queue.claim(engine, ids[2], "other@brackenvale.example", ttl_minutes=30)
    client.post(f"/staff/items/{ids[0]}/claim", data={"csrf_token": token})
    done = client.post(
        f"/staff/items/{ids[0]}/approve",
        data={
            "csrf_token": token,
            "answer": "Open 8 to 4.",
            "also": [ids[1], ids[2], different, urgent],
        },
        headers={"HX-Request": "true"},
    )
    assert "1 near-identical question decided the same way" in done.text
    with Session(engine) as db:
        status = {i: db.get(ReviewItem, i).status for i in (*ids, different, urgent)}
    assert status == {
        ids[0]: "edited",
        ids[1]: "edited",
        ids[2]: "claimed",  # someone else's
        different: "new",  # not near-identical: the server checks again
        urgent: "new",  # never decided as part of a group
    }


def test_eval_runs_page_shows_no_absolute_paths(
    engine: Engine, admin_client: tuple[TestClient, str], tmp_path: Path
) -> None:
    client, _ = admin_client
    here = Path.cwd()
    with Session(engine) as db:
        db.add(
            EvalRun(
                id="run-paths",
                out_dir=str(tmp_path),
                summary={"cases": 3},
                datasets=[
                    str(here / "evals/datasets/demo-council.jsonl"),
                    str(here.parent / "shared/evals/resident-questions.dev.jsonl"),
                ],
                knowledge_paths=[str(here / "demo/council-site")],
            )
        )
        db.commit()
    page = client.get("/staff/evals").text
    assert "evals/datasets/demo-council.jsonl" in page
    assert "../shared/evals/resident-questions.dev.jsonl" in page
    assert "demo/council-site" in page
    assert str(here) not in page and str(tmp_path) not in page
