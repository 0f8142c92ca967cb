"""Security of the staff app, walking every /staff route of the real app: no way in without
signing in, no admin page for reviewers, no state change without the CSRF token, resident
text always escaped, and an audit log nobody can change."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select
from staff_helpers import add_staff, seed_item, sign_in

from chatbot.records import ReviewItem
from evals.records import EvalRun
from review_ui import queue
from review_ui.audit import AuditLogIsAppendOnly
from review_ui.records import AuditEvent, StaffUser
from townhall.app import create_app
from townhall.services import Services
from townhall.settings import Settings

PUBLIC = {
    ("GET", "/staff/sign-in"),
    ("POST", "/staff/sign-in"),
    ("GET", "/staff/reset"),  # a one-time reset link's page: the token is the key
    ("POST", "/staff/reset"),
}
ADMIN_ONLY = ("/staff/evals", "/staff/users", "/staff/audit", "/staff/settings")


@pytest.fixture
def full_app(tmp_path: Path, engine: Engine, embedder: Any) -> FastAPI:
    """The product's own app (resident and staff parts), on the test database."""
    services = Services(Settings(data_dir=tmp_path))
    services.__dict__.update(engine=engine, embedder=embedder)
    return create_app(services.settings, services)


def staff_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) under /staff. FastAPI 0.137+ keeps included routers as a tree in
    `app.routes`; `iter_route_contexts` walks it with the include prefixes applied."""
    found = []
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute) and (route.path or "").startswith("/staff"):
            found.extend((method, route.path) for method in sorted(route.methods or ()))
    return found


@pytest.fixture
def targets(engine: Engine, tmp_path: Path, embedder: Any) -> dict[str, str]:
    """Real ids for every path parameter, so each route reaches its handler."""
    item = seed_item(engine)
    answered = seed_item(engine)
    queue.claim(engine, answered, "seed@b.example", ttl_minutes=30)
    done = queue.approve(engine, answered, "seed@b.example", "An answer", embedder=embedder)
    add_staff(engine, "other@brackenvale.example")
    with Session(engine) as db:
        user = db.exec(select(StaffUser).where(StaffUser.email == "other@brackenvale.example"))
        user_id = user.one().id
        (tmp_path / "run").mkdir()
        (tmp_path / "run" / "report.html").write_text("<h1>report</h1>")
        db.add(EvalRun(id="run-1", out_dir=str(tmp_path / "run")))
        db.commit()
    return {
        "item_id": str(item),
        "answer_id": str(done.approved_answer_id),
        "user_id": str(user_id),
        "run_id": "run-1",
        "name": "report.html",
    }


def fill(path: str, targets: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: targets[m.group(1)], path)


def test_every_staff_route_refuses_strangers(full_app: FastAPI, targets: dict[str, str]) -> None:
    routes = staff_routes(full_app)
    assert len(routes) >= 20, routes  # the walk really covers the app
    client = TestClient(full_app)
    for method, path in routes:
        url = fill(path, targets)
        response = client.request(method, url, follow_redirects=False)
        if (method, path) == ("GET", "/staff/sign-in"):
            assert response.status_code == 200
            continue
        if (method, path) == ("POST", "/staff/sign-in"):
            assert response.status_code == 403, "sign-in without its CSRF token"
            continue
        if (method, path) == ("GET", "/staff/reset"):
            assert response.status_code == 404, "a reset page without a live token"
            assert "expired or has been used" in response.text
            continue
        if (method, path) == ("POST", "/staff/reset"):
            assert response.status_code == 403, "a reset form without its CSRF token"
            continue
        assert response.status_code == 303, (method, path, response.status_code)
        assert response.headers["location"].startswith("/staff/sign-in")
        htmx = client.request(method, url, headers={"HX-Request": "true"}, follow_redirects=False)
        assert htmx.status_code == 401, (method, path)
        assert htmx.headers["hx-redirect"].startswith("/staff/sign-in")
        forged = TestClient(full_app, cookies={"th_staff_session": "made-up-token"})
        assert forged.request(method, url, follow_redirects=False).status_code == 303


def test_reviewers_cannot_reach_admin_routes(
    full_app: FastAPI, targets: dict[str, str], engine: Engine
) -> None:
    client = TestClient(full_app)
    csrf = sign_in(client, add_staff(engine, "rev@brackenvale.example"))
    checked_admin = checked_open = 0
    for method, path in staff_routes(full_app):
        if (method, path) in PUBLIC or path == "/staff/sign-out":
            continue
        url = fill(path, targets)
        data = {"csrf_token": csrf} if method == "POST" else None
        response = client.request(method, url, data=data, follow_redirects=False)
        if path.startswith(ADMIN_ONLY):
            assert response.status_code == 403, (method, path, response.status_code)
            assert "You do not have access" in response.text
            checked_admin += 1
        elif method == "GET":
            assert response.status_code == 200, (method, path, response.status_code)
            checked_open += 1
    assert checked_admin >= 6 and checked_open >= 5


def test_every_post_needs_the_csrf_token(
    full_app: FastAPI, targets: dict[str, str], engine: Engine
) -> None:
    client = TestClient(full_app)
    csrf = sign_in(client, add_staff(engine, "boss@brackenvale.example", "admin"))
    posts = [path for method, path in staff_routes(full_app) if method == "POST"]
    assert len(posts) >= 10
    for path in posts:
        url = fill(path, targets)
        for data, headers in (
            (None, None),
            ({"csrf_token": "wrong"}, None),
            ({"csrf_token": ""}, {"X-CSRF-Token": "wrong"}),
        ):
            response = client.post(url, data=data, headers=headers, follow_redirects=False)
            assert response.status_code == 403, (path, data, headers, response.status_code)
    item = queue.get_item(engine, int(targets["item_id"]))
    assert item is not None and item.status == "new"  # nothing happened
    # The same request with the token (as a form field, or as htmx's header) goes through.
    claim = fill("/staff/items/{item_id}/claim", targets)
    ok = client.post(claim, headers={"X-CSRF-Token": csrf, "HX-Request": "true"})
    assert ok.status_code == 200 and queue.get_item(engine, int(targets["item_id"])).status == (
        "claimed"
    )
    assert client.get("/staff/").status_code == 200  # still signed in: refusals end nothing


HOSTILE = '<script>alert("x")</script><b>bold</b><img src=x onerror=alert(1)>'


def test_resident_text_is_escaped_everywhere(
    full_app: FastAPI, engine: Engine, embedder: Any
) -> None:
    long_text = "word " * 5000 + "<script>tail()</script>"
    item = seed_item(
        engine,
        question=HOSTILE + " " + long_text,
        draft_answer=HOSTILE,
        context=[{"role": "resident", "text": HOSTILE}],
        service_area='bins"><script>x()</script>',
        sources=[
            {
                "title": HOSTILE,
                "url": "javascript:alert(1)",
                "section": HOSTILE,
                "page": "p.md",
                "content_hash": "h",
                "text": HOSTILE,
            },
        ],
    )
    client = TestClient(full_app)
    csrf = sign_in(client, add_staff(engine, "boss@brackenvale.example", "admin"))
    client.post(f"/staff/items/{item}/claim", data={"csrf_token": csrf})
    client.post(f"/staff/items/{item}/approve", data={"csrf_token": csrf, "answer": HOSTILE})
    pages = [
        "/staff/",
        "/staff/?status=all",
        f"/staff/items/{item}",
        "/staff/answers",
        "/staff/answers?q=script",
        "/staff/audit",
        "/staff/dashboard",
    ]
    with Session(engine) as db:
        answer_id = db.exec(select(ReviewItem.approved_answer_id).where(ReviewItem.id == item))
        pages.append(f"/staff/answers/{answer_id.one()}")
    for page in pages:
        body = client.get(page).text
        assert "<script>alert" not in body and "<script>x()" not in body, page
        assert "<script>tail()" not in body and "<img src=x" not in body, page
        assert "<b>bold</b>" not in body and 'href="javascript:' not in body, page
    item_page = client.get(f"/staff/items/{item}").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in item_page
    assert "&lt;script&gt;tail()&lt;/script&gt;" in item_page  # the long text in full


def test_the_audit_log_cannot_be_changed_through_the_app(full_app: FastAPI, engine: Engine) -> None:
    audit_routes = [(m, p) for m, p in staff_routes(full_app) if "audit" in p]
    assert audit_routes == [("GET", "/staff/audit")]
    client = TestClient(full_app)
    csrf = sign_in(client, add_staff(engine, "boss@brackenvale.example", "admin"))
    with Session(engine) as db:
        before = db.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        first = before[0]
        snapshot = [(e.id, e.actor, e.action, e.before, e.after) for e in before]
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for url in ("/staff/audit", f"/staff/audit/{first.id}", f"/staff/audit?id={first.id}"):
            response = client.request(
                method, url, headers={"X-CSRF-Token": csrf}, data=None, follow_redirects=False
            )
            assert response.status_code in (404, 405), (method, url, response.status_code)
    with Session(engine) as db:
        after = db.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.id, e.actor, e.action, e.before, e.after) for e in after] == snapshot


def test_the_database_refuses_to_change_audit_rows(engine: Engine) -> None:
    from review_ui import audit

    with Session(engine) as db:
        audit.record(db, actor="a@b.example", action="claim", target_id=1)
        db.commit()
    with Session(engine) as db:
        row = db.exec(select(AuditEvent)).one()
        row.actor = "someone else"
        db.add(row)
        with pytest.raises(AuditLogIsAppendOnly):
            db.commit()
    with Session(engine) as db:
        db.delete(db.exec(select(AuditEvent)).one())
        with pytest.raises(AuditLogIsAppendOnly):
            db.commit()
    for statement in ("UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with Session(engine) as db:
        assert db.exec(select(func.count()).select_from(AuditEvent)).one() == 1
        assert db.exec(select(AuditEvent)).one().actor == "a@b.example"
