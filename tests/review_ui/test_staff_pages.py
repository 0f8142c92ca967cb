"""The staff pages doing their jobs: the item flow by plain form posts and by htmx, approved
answers (search, edit, expiry, retire, stale flag), dashboard numbers, evaluation runs and
their report files, staff accounts, and `townhall staff add`."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from staff_helpers import CSRF_INPUT, add_staff, make_staff_app, seed_item, sign_in

from chatbot.records import (
    AnswerFeedback,
    ApprovedAnswer,
    Conversation,
    Message,
    ReviewItem,
    utcnow,
)
from evals.records import EvalRun
from review_ui import queue
from review_ui.dashboard import build_dashboard
from review_ui.records import AuditEvent, StaffUser


def actions(engine: Engine) -> list[str]:
    with Session(engine) as db:
        return [e.action for e in db.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_item_flow_by_plain_form_posts(
    engine: Engine, reviewer_client: tuple[TestClient, str]
) -> None:
    client, csrf = reviewer_client
    item = seed_item(engine)
    page = client.get(f"/staff/items/{item}")
    assert "Claim this question" in page.text and "Garden waste is collected" in page.text
    claimed = client.post(f"/staff/items/{item}/claim", data={"csrf_token": csrf})
    assert claimed.url.path == f"/staff/items/{item}"  # redirected back to the item
    assert "Approve answer" in claimed.text and "Release back to the queue" in claimed.text
    empty = client.post(f"/staff/items/{item}/approve", data={"csrf_token": csrf, "answer": " "})
    assert empty.status_code == 422 and "govuk-error-summary" in empty.text
    assert 'href="#answer"' in empty.text
    past = client.post(
        f"/staff/items/{item}/approve",
        data={"csrf_token": csrf, "answer": "x", "expires_on": "2001-01-01"},
    )
    assert past.status_code == 422 and "must be in the future" in past.text
    done = client.post(
        f"/staff/items/{item}/approve",
        data={"csrf_token": csrf, "answer": "Every other Monday.", "expires_on": ""},
    )
    assert done.status_code == 200 and "Edited and approved" in done.text
    again = client.post(f"/staff/items/{item}/claim", data={"csrf_token": csrf})
    assert again.status_code == 409 and "Someone else" in again.text
    assert actions(engine)[-2:] == ["claim", "edit"]


def test_item_flow_by_htmx_returns_the_action_panel(
    engine: Engine, reviewer_client: tuple[TestClient, str], embedder: Any
) -> None:
    client, csrf = reviewer_client
    item = seed_item(engine)
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    claimed = client.post(f"/staff/items/{item}/claim", headers=hx)
    assert claimed.status_code == 200
    assert claimed.text.lstrip().startswith('<div id="item-actions"')
    assert "<html" not in claimed.text
    released = client.post(f"/staff/items/{item}/release", headers=hx)
    assert "Claim this question" in released.text
    queue.claim(engine, item, "someone@brackenvale.example", ttl_minutes=30)
    taken = client.post(f"/staff/items/{item}/claim", headers=hx)
    assert taken.status_code == 409 and "govuk-error-summary" in taken.text
    refused = client.post(f"/staff/items/{item}/reject", headers=hx, data={"reason": "No"})
    assert refused.status_code == 409 and "someone@brackenvale.example" in refused.text

    other = seed_item(engine)
    client.post(f"/staff/items/{other}/claim", headers=hx)
    no_reason = client.post(f"/staff/items/{other}/reject", headers=hx, data={"reason": ""})
    assert no_reason.status_code == 422 and 'href="#reason"' in no_reason.text
    rejected = client.post(
        f"/staff/items/{other}/reject",
        headers=hx,
        data={"reason": "Needs a caseworker", "reply": "Please call 01632 960000."},
    )
    assert rejected.status_code == 200 and "Rejected" in rejected.text
    assert "Please call 01632 960000." in rejected.text
    queue_page = client.get(
        "/staff/?status=rejected", headers={"HX-Request": "true", "HX-Target": "queue-results"}
    )
    assert queue_page.text.lstrip().startswith('<div id="queue-results"')
    assert queue.get_item(engine, other).reference in queue_page.text  # type: ignore[union-attr]


def test_approved_answers_search_edit_expiry_retire_and_stale_flag(
    engine: Engine, embedder: Any
) -> None:
    hashes = {"bins/garden-waste.md": "hash-1"}
    client = TestClient(make_staff_app(engine, embedder, page_hashes=lambda: dict(hashes)))
    csrf = sign_in(client, add_staff(engine, "rev@brackenvale.example"))
    for question in ("When is my green bin collected?", "How do I pay council tax?"):
        item = seed_item(engine, question=question)
        queue.claim(engine, item, "rev@brackenvale.example", ttl_minutes=30)
        queue.approve(
            engine, item, "rev@brackenvale.example", "Answer for: " + question, embedder=embedder
        )
    listing = client.get("/staff/answers?q=GREEN")
    assert "green bin" in listing.text and "council tax" not in listing.text
    assert "govuk-tag--orange" not in listing.text
    with Session(engine) as db:
        answer_id = db.exec(
            select(ApprovedAnswer.id).where(ApprovedAnswer.question.contains("green"))  # type: ignore[attr-defined]
        ).one()

    hashes["bins/garden-waste.md"] = "hash-2"  # the page changed since approval
    assert 'govuk-tag--orange">Stale' in client.get("/staff/answers").text
    stale_only = client.get("/staff/answers?show=stale").text
    assert "green bin" in stale_only
    detail = client.get(f"/staff/answers/{answer_id}").text
    assert "Changed since approval" in detail

    url = f"/staff/answers/{answer_id}"
    edited = client.post(f"{url}/edit", data={"csrf_token": csrf, "answer": "New words."})
    assert edited.status_code == 200 and "New words." in edited.text
    day = (utcnow() + timedelta(days=30)).date().isoformat()
    client.post(f"{url}/expiry", data={"csrf_token": csrf, "expires_on": day})
    bad = client.post(f"{url}/expiry", data={"csrf_token": csrf, "expires_on": "31/02/2027"})
    assert bad.status_code == 422 and "real date" in bad.text
    client.post(f"{url}/retire", data={"csrf_token": csrf})
    with Session(engine) as db:
        answer = db.get(ApprovedAnswer, answer_id)
        assert answer is not None and answer.answer == "New words."
        assert answer.expires_at is not None and answer.expires_at.date().isoformat() == day
        assert answer.retired_at is not None
        item = db.exec(select(ReviewItem).where(ReviewItem.approved_answer_id == answer_id)).one()
        assert item.final_answer == "New words."  # the first resident's reference reads it too
        edit = db.exec(select(AuditEvent).where(AuditEvent.action == "answer_edit")).one()
        assert edit.before.startswith("Answer for: When") and edit.after == "New words."  # type: ignore[union-attr]
    assert "green bin" not in client.get("/staff/answers").text  # retired: not "in use"
    assert "green bin" in client.get("/staff/answers?show=retired").text
    assert actions(engine)[-3:] == ["answer_edit", "answer_expiry", "answer_retire"]


def test_dashboard_numbers(engine: Engine, embedder: Any) -> None:
    now = utcnow()
    with Session(engine) as db:
        db.add(Conversation(id="c1"))
        db.flush()
        for status in ("answered", "answered", "answered", "escalated", "urgent", "greeting"):
            db.add(Message(conversation_id="c1", role="resident", text="q"))
            db.add(Message(conversation_id="c1", role="assistant", text="a", status=status))
        db.commit()
    approved = seed_item(engine, created_at=now - timedelta(hours=2))
    rejected = seed_item(engine, created_at=now - timedelta(hours=4), service_area="housing")
    seed_item(engine, created_at=now - timedelta(hours=5))
    for item in (approved, rejected):
        queue.claim(engine, item, "r@b.example", ttl_minutes=30)
    queue.approve(engine, approved, "r@b.example", "Yes.", embedder=embedder)
    queue.reject(engine, rejected, "r@b.example", "No.")
    board = build_dashboard(engine, days=7)
    assert board.questions == 6 and board.per_day[-1] == (now.date().isoformat(), 6)
    assert (board.answered, board.escalated, board.replies) == (3, 2, 5)
    assert board.answered_share == 0.6 and board.escalated_share == 0.4
    assert board.queue_size == 1 and board.oldest_open is not None
    assert board.oldest_open >= timedelta(hours=5)
    assert board.decided == 2 and board.approval_rate == 0.5
    assert board.median_decision is not None and board.median_decision >= timedelta(hours=3)
    areas = {a.name: (a.items, a.open, a.decided, a.approved) for a in board.areas}
    assert areas == {"bins": (2, 1, 1, 1), "housing": (1, 0, 1, 0)}
    client = TestClient(make_staff_app(engine, embedder))
    sign_in(client, add_staff(engine, "rev@brackenvale.example"))
    page = client.get("/staff/dashboard")
    assert page.status_code == 200 and "60%" in page.text and "Housing" in page.text


def test_dashboard_shows_helpfulness_by_service_area(engine: Engine, embedder: Any) -> None:
    """Issue 13: residents' "Was this helpful?" per service area, on the dashboard."""
    with Session(engine) as db:
        db.add(Conversation(id="c2"))
        db.flush()
        ratings = [("bins-and-recycling", True)] * 3 + [("bins-and-recycling", False)]
        ratings += [("parking", False), (None, True)]
        for n, (area, helpful) in enumerate(ratings):
            db.add(
                AnswerFeedback(
                    message_id=1000 + n, conversation_id="c2", helpful=helpful, service_area=area
                )
            )
        db.commit()
    board = build_dashboard(engine, days=7)
    rows = {r.name: (r.rated, r.helpful, r.helpful_rate) for r in board.helpfulness}
    assert rows == {
        "bins-and-recycling": (4, 3, 0.75),
        "parking": (1, 0, 0.0),
        "(none)": (1, 1, 1.0),
    }
    client = TestClient(make_staff_app(engine, embedder))
    sign_in(client, add_staff(engine, "rev2@brackenvale.example"))
    page = client.get("/staff/dashboard").text
    assert "Was it helpful? By service area" in page and "75%" in page
    assert "Bins and recycling" in page and "bins-and-recycling" not in page


def test_eval_runs_page_serves_only_files_inside_a_runs_folder(
    engine: Engine, admin_client: tuple[TestClient, str], tmp_path: Path
) -> None:
    client, _ = admin_client
    run_dir = tmp_path / "evals" / "run-7"
    run_dir.mkdir(parents=True)
    (run_dir / "report.html").write_text("<h1>Run 7 report</h1>")
    (run_dir / "summary.json").write_text("{}")
    (tmp_path / "evals" / "secret.html").write_text("outside the run")
    (run_dir / "sneaky.html").symlink_to(tmp_path / "evals" / "secret.html")
    summary = {
        "cases": 40,
        "retrieval": {"hit_at_5": 0.925},
        "answers": {"answered_rate": 0.5},
        "gates": {
            "passed": False,
            "failed": [
                {
                    "scope": "overall",
                    "key": "retrieval.hit_at_5",
                    "op": ">=",
                    "threshold": 0.95,
                    "value": 0.925,
                }
            ],
        },
    }
    with Session(engine) as db:
        db.add(
            EvalRun(
                id="run-7",
                out_dir=str(run_dir),
                summary=summary,
                gates_passed=False,
                datasets=["evals/datasets/demo-council.jsonl"],
            )
        )
        db.commit()
    page = client.get("/staff/evals")
    assert "run-7" in page.text and "92.5%" in page.text and "Failed" in page.text
    assert 'href="/staff/evals/run-7/files/report.html"' in page.text
    report = client.get("/staff/evals/run-7/files/report.html")
    assert report.status_code == 200 and "Run 7 report" in report.text
    assert "sandbox" in report.headers["content-security-policy"]
    for name in (
        "..%2Fsecret.html",
        "%2E%2E%2Fsecret.html",
        "sneaky.html",
        "missing.html",
        "..",
        "%2Fetc%2Fpasswd",
        ".hidden.html",
        "report.py",
    ):
        response = client.get(f"/staff/evals/run-7/files/{name}")
        assert response.status_code == 404, name
        assert "outside the run" not in response.text
    assert client.get("/staff/evals/other-run/files/report.html").status_code == 404


def test_admin_manages_staff_accounts_with_an_audit_trail(
    engine: Engine, admin_client: tuple[TestClient, str], embedder: Any
) -> None:
    client, csrf = admin_client
    added = client.post(
        "/staff/users",
        data={"csrf_token": csrf, "email": "new@brackenvale.example", "role": "reviewer"},
    )
    assert added.status_code == 200 and "Account created" in added.text
    password = re.search(r'id="new-password">([^<]+)<', added.text).group(1)  # type: ignore[union-attr]
    assert "Account created" not in client.get("/staff/users").text  # shown once
    newcomer = TestClient(client.app)
    sign_in(newcomer, "new@brackenvale.example", password)
    duplicate = client.post(
        "/staff/users",
        data={"csrf_token": csrf, "email": "NEW@brackenvale.example", "role": "reviewer"},
    )
    assert duplicate.status_code == 422 and "already an account" in duplicate.text
    bad = client.post("/staff/users", data={"csrf_token": csrf, "email": "x", "role": "god"})
    assert bad.status_code == 422 and "govuk-error-summary" in bad.text
    with Session(engine) as db:
        ids = {u.email: u.id for u in db.exec(select(StaffUser)).all()}
    new_id, admin_id = ids["new@brackenvale.example"], ids["boss@brackenvale.example"]
    client.post(f"/staff/users/{new_id}/role", data={"csrf_token": csrf, "role": "admin"})
    assert newcomer.get("/staff/", follow_redirects=False).status_code == 303  # re-sign-in
    client.post(f"/staff/users/{new_id}/active", data={"csrf_token": csrf, "active": "no"})
    client.post(f"/staff/users/{new_id}/role", data={"csrf_token": csrf, "role": "reviewer"})
    last = client.post(
        f"/staff/users/{admin_id}/role", data={"csrf_token": csrf, "role": "reviewer"}
    )
    assert last.status_code == 409 and "at least one active admin" in last.text
    with Session(engine) as db:
        user = db.get(StaffUser, new_id)
        assert user is not None and not user.active and user.role == "reviewer"
        changes = db.exec(
            select(AuditEvent).where(
                AuditEvent.action.in_(  # type: ignore[attr-defined]
                    ["user_add", "user_change"]
                )
            )
        ).all()
        assert [(c.before, c.after) for c in changes if c.target_id == str(new_id)] == [
            (None, "new@brackenvale.example (reviewer)"),
            ("new@brackenvale.example (reviewer)", "new@brackenvale.example (admin)"),
            ("new@brackenvale.example (active)", "new@brackenvale.example (deactivated)"),
            ("new@brackenvale.example (admin)", "new@brackenvale.example (reviewer)"),
        ]
    audit_page = client.get("/staff/audit?action=user_change")
    assert audit_page.status_code == 200 and "new@brackenvale.example (deactivated)" in (
        audit_page.text
    )
    assert client.get("/staff/settings").status_code == 200


def test_cli_staff_add_reads_stdin_or_prints_a_generated_password(
    tmp_path: Path, monkeypatch: Any, embedder: Any
) -> None:
    from typer.testing import CliRunner

    from townhall.cli import app
    from townhall.db import make_engine

    monkeypatch.setenv("TOWNHALL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TOWNHALL_DATABASE_URL", raising=False)
    runner = CliRunner()
    first = runner.invoke(
        app,
        [
            "staff",
            "add",
            "--email",
            "chief@brackenvale.example",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input="a good long password\n",
    )
    assert first.exit_code == 0, first.output
    assert "a good long password" not in first.output
    second = runner.invoke(app, ["staff", "add", "--email", "rev@brackenvale.example"], input="")
    assert second.exit_code == 0, second.output
    generated = re.search(r"Password \(shown once, keep it safe\): (\S+)", second.output)
    assert generated is not None
    short = runner.invoke(
        app,
        ["staff", "add", "--email", "x@brackenvale.example", "--password-stdin"],
        input="short\n",
    )
    assert short.exit_code == 2 and "at least 12" in short.output
    wrong_role = runner.invoke(
        app, ["staff", "add", "--email", "y@brackenvale.example", "--role", "mayor"]
    )
    assert wrong_role.exit_code == 2
    listed = runner.invoke(app, ["staff", "list", "--json"])
    assert '"chief@brackenvale.example"' in listed.output and "argon2" not in listed.output

    engine = make_engine(f"sqlite:///{tmp_path / 'townhall.db'}")
    client = TestClient(make_staff_app(engine, embedder))
    sign_in(client, "chief@brackenvale.example", "a good long password")
    sign_in(TestClient(client.app), "rev@brackenvale.example", generated.group(1))
    assert client.get("/staff/users").status_code == 200
    engine.dispose()


def test_unknown_ids_get_a_404_page(reviewer_client: tuple[TestClient, str]) -> None:
    client, csrf = reviewer_client
    for url in ("/staff/items/999999", "/staff/answers/999999"):
        response = client.get(url)
        assert response.status_code == 404 and "Page not found" in response.text
    assert client.post("/staff/items/999999/claim", data={"csrf_token": csrf}).status_code == 404
    for url in ("/staff/items/abc", "/staff/dashboard?days=lots", "/staff/?status=%00"):
        response = client.get(url)
        assert response.status_code in (200, 404) and "<html" in response.text, url
    assert CSRF_INPUT.search(client.get("/staff/").text)  # every page carries the token
    assert ReviewItem.__tablename__ == "review_item"
