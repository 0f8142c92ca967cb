"""Signing in and out: argon2 hashes, server-side sessions (only a token hash stored), cookie
flags, lock-out after repeated failures, safe redirects, deactivated accounts."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from staff_helpers import CSRF_INPUT, PASSWORD, add_staff, make_staff_app, sign_in

from chatbot.records import utcnow
from review_ui import auth, users
from review_ui.records import AuditEvent, StaffSession, StaffUser


def post_sign_in(client: TestClient, email: str, password: str, next_page: str = "/staff/") -> Any:
    token = CSRF_INPUT.search(client.get("/staff/sign-in").text).group(1)  # type: ignore[union-attr]
    return client.post(
        "/staff/sign-in",
        data={"email": email, "password": password, "csrf_token": token, "next": next_page},
        follow_redirects=False,
    )


def test_sign_in_sets_a_hardened_cookie_and_stores_only_its_hash(
    engine: Engine, embedder: Any
) -> None:
    email = add_staff(engine, "rev@brackenvale.example")
    with Session(engine) as db:
        stored = db.exec(select(StaffUser)).one().password_hash
    assert stored.startswith("$argon2") and PASSWORD not in stored
    client = TestClient(make_staff_app(engine, embedder))
    response = post_sign_in(client, email.upper(), PASSWORD)  # emails are case-insensitive
    assert response.status_code == 303 and response.headers["location"] == "/staff/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if "th_staff_session=" in c)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/staff" in cookie
    assert "Secure" not in cookie
    token = re.search(r"th_staff_session=([^;]+)", cookie).group(1)  # type: ignore[union-attr]
    with Session(engine) as db:
        session = db.exec(select(StaffSession)).one()
        assert session.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (session.token_hash, session.csrf_token)
        assert db.exec(select(AuditEvent).where(AuditEvent.action == "sign_in")).one()

    secure = TestClient(
        make_staff_app(engine, embedder, cookie_secure=True), base_url="https://testserver"
    )
    cookie = next(
        c
        for c in post_sign_in(secure, email, PASSWORD).headers.get_list("set-cookie")
        if "th_staff_session=" in c
    )
    assert "Secure" in cookie


def test_wrong_passwords_lock_the_account_for_a_while(engine: Engine, embedder: Any) -> None:
    email = add_staff(engine, "rev@brackenvale.example")
    client = TestClient(make_staff_app(engine, embedder, lockout_attempts=3, lockout_minutes=15))
    for _ in range(2):
        response = post_sign_in(client, email, "not the password")
        assert response.status_code == 401
        assert "govuk-error-summary" in response.text and "not right" in response.text
    locked = post_sign_in(client, email, "not the password")
    assert "locked" in locked.text
    still = post_sign_in(client, email, PASSWORD)  # the right password does not help now
    assert still.status_code == 401 and "locked" in still.text
    unknown = post_sign_in(client, "nobody@brackenvale.example", PASSWORD)
    assert unknown.status_code == 401 and "not right" in unknown.text  # no hint who exists
    later = utcnow() + timedelta(minutes=16)
    result = auth.sign_in(
        engine, email, PASSWORD, session_hours=8, lockout_attempts=3, lockout_minutes=15, now=later
    )
    assert result.ok
    with Session(engine) as db:
        failed = db.exec(select(AuditEvent).where(AuditEvent.action == "sign_in_failed")).all()
        assert len(failed) == 5
        assert all(PASSWORD not in str(e.detail) for e in failed)


def test_sign_out_ends_the_session(engine: Engine, embedder: Any) -> None:
    client = TestClient(make_staff_app(engine, embedder))
    csrf = sign_in(client, add_staff(engine, "rev@brackenvale.example"))
    old_cookie = client.cookies.get("th_staff_session")
    response = client.post("/staff/sign-out", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/staff/sign-in"
    replay = TestClient(client.app, cookies={"th_staff_session": old_cookie})
    assert replay.get("/staff/", follow_redirects=False).status_code == 303
    with Session(engine) as db:
        assert db.exec(select(StaffSession)).all() == []


def test_sessions_expire_and_deactivated_staff_are_signed_out(
    engine: Engine, embedder: Any
) -> None:
    client = TestClient(make_staff_app(engine, embedder))
    email = add_staff(engine, "rev@brackenvale.example")
    sign_in(client, email)
    token = client.cookies.get("th_staff_session")
    assert auth.signed_in(engine, token) is not None
    assert auth.signed_in(engine, token, now=utcnow() + timedelta(hours=9)) is None
    add_staff(engine, "boss@brackenvale.example", "admin")
    with Session(engine) as db:
        user_id = db.exec(select(StaffUser.id).where(StaffUser.email == email)).one()
    users.set_active(engine, user_id, False, actor="boss@brackenvale.example")
    assert client.get("/staff/", follow_redirects=False).status_code == 303
    assert post_sign_in(client, email, PASSWORD).status_code == 401


def test_sign_in_only_returns_to_staff_pages(engine: Engine, embedder: Any) -> None:
    email = add_staff(engine, "rev@brackenvale.example")
    client = TestClient(make_staff_app(engine, embedder))
    first = client.get("/staff/answers?q=bins", follow_redirects=False)
    assert first.headers["location"] == "/staff/sign-in?next=%2Fstaff%2Fanswers%3Fq%3Dbins"
    ok = post_sign_in(client, email, PASSWORD, "/staff/answers?q=bins")
    assert ok.headers["location"] == "/staff/answers?q=bins"
    for hostile in ("//evil.example/", "https://evil.example/", "/\\evil.example", "/elsewhere"):
        client.cookies.clear()
        response = post_sign_in(client, email, PASSWORD, hostile)
        assert response.headers["location"] == "/staff/", hostile


def test_empty_sign_in_form_shows_the_govuk_error_summary(engine: Engine, embedder: Any) -> None:
    client = TestClient(make_staff_app(engine, embedder))
    response = post_sign_in(client, "", "")
    assert response.status_code == 422
    assert 'href="#email"' in response.text and 'href="#password"' in response.text
    assert response.text.count("govuk-error-message") == 2
