"""Passwords: a policy beyond length (the probe: 12 spaces were accepted), staff changing their
own, and an admin's one-time reset link (hashed at rest, expiring, single use, audited)."""

from __future__ import annotations

import hashlib
import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from staff_helpers import PASSWORD, sign_in

from chatbot.records import utcnow
from review_ui import auth, passwords, users
from review_ui.password_policy import common_passwords, password_problem
from review_ui.records import AuditEvent, PasswordReset, StaffSession, StaffUser

NEW = "plum orchard lantern seven"


@pytest.mark.parametrize(
    "weak",
    [
        " " * 12,
        "\t" * 14,
        "password1234",
        "Password!!!!",
        "qwertyqwerty",
        "iloveyou2024!",
        "aaaaaaaaaaaaaaaa",
        "abababababab",
        "monkey12345678",
        "x" * 257,
    ],
)
def test_weak_passwords_are_refused(weak: str) -> None:
    assert password_problem(weak) is not None


def test_good_passphrases_pass_and_the_list_is_shipped() -> None:
    assert len(common_passwords()) > 19_000
    for good in (NEW, "correct horse battery staple", PASSWORD):
        assert password_problem(good) is None, good
    assert password_problem("jsmith-garden-2031", "jsmith@brackenvale.example") is not None


def test_accounts_cannot_be_created_with_a_weak_password(engine: Engine) -> None:
    with pytest.raises(users.StaffChangeRefused, match="at least|same few"):
        users.add_user(engine, email="a@b.example", role="reviewer", password=" " * 12, actor="t")
    with pytest.raises(users.StaffChangeRefused, match="too common"):
        users.add_user(
            engine, email="a@b.example", role="reviewer", password="password1234", actor="t"
        )


def test_staff_change_their_password_and_other_sessions_end(
    engine: Engine, staff_app: Any, reviewer: str
) -> None:
    laptop, phone = TestClient(staff_app), TestClient(staff_app)
    csrf = sign_in(laptop, reviewer)
    sign_in(phone, reviewer)

    def change(current: str, new: str, confirm: str | None = None) -> Any:
        return laptop.post(
            "/staff/account/password",
            data={
                "csrf_token": csrf,
                "current_password": current,
                "new_password": new,
                "confirm_password": new if confirm is None else confirm,
            },
        )

    assert change("not my password", NEW).status_code == 422
    assert "too common" in change(PASSWORD, "password1234").text
    assert "do not match" in change(PASSWORD, NEW, NEW + "x").text
    no_csrf = {"current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW}
    assert laptop.post("/staff/account/password", data=no_csrf).status_code == 403
    done = change(PASSWORD, NEW)
    assert done.status_code == 200 and "Password changed" in done.text
    assert laptop.get("/staff/", follow_redirects=False).status_code == 200  # this one stays
    assert phone.get("/staff/", follow_redirects=False).status_code == 303  # signed out
    assert auth.sign_in(
        engine, reviewer, NEW, session_hours=1, lockout_attempts=5, lockout_minutes=5
    ).ok
    with Session(engine) as db:
        assert db.exec(select(AuditEvent).where(AuditEvent.action == "password_change")).one()


def test_an_admin_reset_link_works_once_and_is_stored_hashed(
    engine: Engine, admin_client: tuple[TestClient, str], reviewer: str
) -> None:
    admin, csrf = admin_client
    with Session(engine) as db:
        user_id = db.exec(select(StaffUser.id).where(StaffUser.email == reviewer)).one()
    # The reviewer is locked out and signed in somewhere.
    for _ in range(6):
        auth.sign_in(
            engine, reviewer, "wrong guess", session_hours=1, lockout_attempts=5, lockout_minutes=15
        )
    page = admin.post(f"/staff/users/{user_id}/reset-link", data={"csrf_token": csrf})
    link = re.search(r'id="reset-link">([^<]+)<', page.text).group(1)  # type: ignore[union-attr]
    token = link.split("token=", 1)[1]
    with Session(engine) as db:
        stored = db.exec(select(PasswordReset)).one()
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in stored.token_hash and stored.used_at is None

    visitor = TestClient(admin.app)
    form = visitor.get(f"/staff/reset?token={token}")
    assert form.status_code == 200 and reviewer in form.text

    no_csrf = {"token": token, "new_password": NEW, "confirm_password": NEW}
    assert visitor.post("/staff/reset", data=no_csrf).status_code == 403
    form_token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]

    def post_reset(new: str, confirm: str) -> Any:
        data = {"token": token, "new_password": new, "confirm_password": confirm}
        return visitor.post("/staff/reset", data={**data, "csrf_token": form_token})

    assert post_reset(" " * 12, " " * 12).status_code == 422
    done = post_reset(NEW, NEW)
    assert done.status_code == 200 and "Password set" in done.text
    again = post_reset(NEW + " x", NEW + " x")
    assert again.status_code == 404 and "expired or has been used" in again.text
    assert auth.sign_in(
        engine, reviewer, NEW, session_hours=1, lockout_attempts=5, lockout_minutes=15
    ).ok  # the lock-out was lifted
    with Session(engine) as db:
        actions = [e.action for e in db.exec(select(AuditEvent)).all()]
        assert actions.count("reset_link_issued") == 1 and actions.count("password_reset") == 1
        assert all(token not in str(e.detail) for e in db.exec(select(AuditEvent)).all())


def test_reset_links_expire_and_a_new_one_cancels_the_old(engine: Engine, reviewer: str) -> None:
    with Session(engine) as db:
        user_id = int(db.exec(select(StaffUser.id).where(StaffUser.email == reviewer)).one())
    old, _ = passwords.issue_reset_link(engine, user_id, actor="boss@b.example")
    new, _ = passwords.issue_reset_link(engine, user_id, actor="boss@b.example")
    assert passwords.reset_link_email(engine, old) is None
    assert passwords.reset_link_email(engine, new) == reviewer
    later = utcnow() + timedelta(hours=passwords.RESET_LINK_HOURS + 1)
    with pytest.raises(passwords.PasswordChangeRefused, match="expired"):
        passwords.reset_with_link(engine, new, NEW, NEW, now=later)


def test_two_browsers_using_one_link_at_once_set_one_password(
    engine: Engine, reviewer: str
) -> None:
    with Session(engine) as db:
        user_id = int(db.exec(select(StaffUser.id).where(StaffUser.email == reviewer)).one())
    token, _ = passwords.issue_reset_link(engine, user_id, actor="boss@b.example")
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def use(n: int) -> None:
        start.wait()
        try:
            passwords.reset_with_link(engine, token, f"{NEW} {n}", f"{NEW} {n}")
            outcomes.append("set")
        except passwords.PasswordChangeRefused:
            outcomes.append("refused")

    threads = [threading.Thread(target=use, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "refused", "refused", "set"]
    with Session(engine) as db:
        events = db.exec(select(AuditEvent).where(AuditEvent.action == "password_reset")).all()
        assert len(events) == 1
        assert db.exec(select(StaffSession).where(StaffSession.user_id == user_id)).all() == []
