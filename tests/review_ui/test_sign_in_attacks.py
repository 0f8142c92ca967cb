"""The probe's sign-in attacks, replayed: parallel guessing against the real server (uvicorn,
threads) on SQLite and PostgreSQL, floods from one client, guessing one account from many
clients, a planted sign-in cookie, NUL characters, and what a refusal gives away."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser_support import serve
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from staff_helpers import CSRF_INPUT, PASSWORD, add_staff, make_staff_app

from review_ui import auth
from review_ui.records import AuditEvent, StaffUser
from townhall.services import Services
from townhall.settings import Settings

EMAIL = "rev@brackenvale.example"


@pytest.fixture
def live(request, tmp_path: Path, engine: Engine, demo_kb, embedder, redactor) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The whole product under uvicorn on the test database (models from the session)."""
    settings = {"sign_in_rate_per_minute": 1000, "sign_in_account_rate_per_hour": 1000}
    settings.update(getattr(request, "param", {}))
    services = Services(Settings(data_dir=tmp_path, **settings))
    services.__dict__.update(engine=engine, knowledge=demo_kb, embedder=embedder, redactor=redactor)
    yield from serve(services)


def form_pair(client: httpx.Client) -> str:
    page = client.get("/staff/sign-in")
    return CSRF_INPUT.search(page.text).group(1)  # type: ignore[union-attr]


def attempt(client: httpx.Client, token: str, email: str, password: str, **headers: str) -> int:
    data = {"email": email, "password": password, "csrf_token": token, "next": "/staff/"}
    return client.post("/staff/sign-in", data=data, headers=headers).status_code


def failures(engine: Engine) -> list[dict[str, Any]]:
    with Session(engine) as db:
        rows = db.exec(select(AuditEvent).where(AuditEvent.action == "sign_in_failed")).all()
        return [dict(row.detail or {}) for row in rows]


def test_forty_parallel_guesses_check_at_most_five_passwords(live: str, engine: Engine) -> None:
    """The probe: 40 parallel wrong passwords were all checked and the account ended unlocked."""
    add_staff(engine, EMAIL)
    clients = [httpx.Client(base_url=live, timeout=300) for _ in range(40)]
    tokens = [form_pair(c) for c in clients]
    start = threading.Barrier(len(clients))

    def guess(n: int) -> int:
        start.wait()
        return attempt(clients[n], tokens[n], EMAIL, f"wrong guess number {n}")

    with ThreadPoolExecutor(len(clients)) as pool:
        codes = list(pool.map(guess, range(len(clients))))
    assert codes == [401] * 40
    checked = [f for f in failures(engine) if f.get("why") == "password"]
    assert len(checked) == 5, f"{len(checked)} passwords checked against a limit of 5"
    assert sum(f.get("why") == "locked" for f in failures(engine)) == 35
    with Session(engine) as db:
        assert db.exec(select(StaffUser)).one().locked_until is not None
    right = clients[0]
    assert attempt(right, form_pair(right), EMAIL, PASSWORD) == 401  # still locked
    for c in clients:
        c.close()


@pytest.mark.parametrize("live", [{"sign_in_rate_per_minute": 10}], indirect=True)
def test_one_client_flooding_sign_in_is_held_back(live: str, engine: Engine) -> None:
    """The probe: 120 unknown-email sign-ins with 1 KB passwords, all hashed and audited."""
    with httpx.Client(base_url=live, timeout=60) as client:
        codes = [
            attempt(client, form_pair(client), f"nobody{n}@x.example", "x" * 1024)
            for n in range(25)
        ]
    assert codes == [401] * 10 + [429] * 15
    assert len(failures(engine)) == 0  # over-long passwords are refused before any lookup


@pytest.mark.parametrize(
    "live",
    [{"trusted_proxies": "127.0.0.1", "sign_in_account_rate_per_hour": 8}],
    indirect=True,
)
def test_one_account_guessed_from_many_clients_is_held_back(live: str, engine: Engine) -> None:
    with httpx.Client(base_url=live, timeout=60) as client:
        codes = [
            attempt(
                client,
                form_pair(client),
                "nobody@x.example",
                "a guess",
                **{"X-Forwarded-For": f"198.51.100.{n}"},
            )
            for n in range(1, 13)
        ]
    assert codes == [401] * 8 + [429] * 4


def test_refusals_say_the_same_after_the_same_work(
    engine: Engine, embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe: the lock-out message differed for real and unknown accounts, and a locked
    account answered faster (no password check)."""
    add_staff(engine, EMAIL)
    verified: list[str] = []

    class CountingHasher:
        def __init__(self, real: Any) -> None:
            self.real = real

        def verify(self, password_hash: str, password: str) -> bool:
            verified.append(password)
            return self.real.verify(password_hash, password)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.real, name)

    monkeypatch.setattr(auth, "_hasher", CountingHasher(auth._hasher))
    client = TestClient(make_staff_app(engine, embedder, lockout_attempts=2))

    def refusal(email: str, password: str) -> str:
        response = client.post(
            "/staff/sign-in",
            data={"email": email, "password": password, "csrf_token": form_pair(client)},
        )
        assert response.status_code == 401
        return response.text.split('id="email-error"', 1)[1].split("</p>", 1)[0]

    verified.clear()
    texts = [
        refusal(EMAIL, "wrong one"),  # real account, wrong password
        refusal(EMAIL, "wrong two"),  # ... the attempt that locks it
        refusal(EMAIL, PASSWORD),  # locked: even the right password
        refusal("nobody@brackenvale.example", PASSWORD),  # unknown account
    ]
    assert len(set(texts)) == 1, texts
    assert len(verified) == 4  # one argon2 verification each, locked and unknown included


def test_a_planted_sign_in_cookie_is_refused(engine: Engine, embedder: Any) -> None:
    """Login CSRF: a cookie planted in the victim's browser and the same value in a forged form
    signed the victim in as the attacker. The form token must be the server's HMAC of it."""
    add_staff(engine, EMAIL)
    client = TestClient(make_staff_app(engine, embedder))
    planted = "attacker-chosen-value-0123456789abcdef"
    client.cookies.set("th_staff_sign_in", planted, path="/staff")
    forged = {"email": EMAIL, "password": PASSWORD, "csrf_token": planted}
    response = client.post("/staff/sign-in", data=forged, follow_redirects=False)
    assert response.status_code == 403
    assert "th_staff_session" not in response.headers.get("set-cookie", "")


def test_nul_in_the_email_is_a_plain_refusal_and_never_logged(
    engine: Engine, embedder: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The probe: a NUL in the email was a 500 on PostgreSQL and the log held the typed email."""
    client = TestClient(make_staff_app(engine, embedder), raise_server_exceptions=False)
    typed = "victim.name\x00@brackenvale.example"
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/staff/sign-in",
            data={"email": typed, "password": "whatever it is", "csrf_token": form_pair(client)},
        )
    assert response.status_code == 401
    assert "victim.name" not in caplog.text
