"""The edge, against the real app under uvicorn as `townhall serve` runs it: the client is the
socket peer unless a trusted proxy says otherwise, Host names are checked, HSTS behind HTTPS."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser_support import serve
from fastapi.testclient import TestClient

from townhall.app import create_app
from townhall.services import Services
from townhall.settings import Settings

UNKNOWN_REF = "/api/answers/TH-2345-6789-ABCD"


def services_for(tmp_path: Path, demo_kb: Any, embedder: Any, redactor: Any, **settings: Any):
    services = Services(Settings(data_dir=tmp_path, **settings))
    services.__dict__.update(knowledge=demo_kb, embedder=embedder, redactor=redactor)
    return services


@pytest.fixture
def server(request, tmp_path, demo_kb, embedder, redactor) -> Iterator[str]:  # type: ignore[no-untyped-def]
    settings = {"reference_rate_per_minute": 30, **getattr(request, "param", {})}
    yield from serve(services_for(tmp_path, demo_kb, embedder, redactor, **settings))


def fake_addresses() -> Iterator[str]:
    for n in itertools.count(1):
        yield f"198.51.{n // 250}.{n % 250 + 1}"


def test_rotating_x_forwarded_for_gets_no_extra_requests(server: str) -> None:
    """The probe got 60 of 60 through a 30/min limit by rotating the header from 127.0.0.1."""
    addresses = fake_addresses()
    with httpx.Client(base_url=server) as client:
        codes = [
            client.get(UNKNOWN_REF, headers={"X-Forwarded-For": next(addresses)}).status_code
            for _ in range(60)
        ]
    assert codes.count(404) == 30 and codes.count(429) == 30, codes


@pytest.mark.parametrize("server", [{"trusted_proxies": "127.0.0.1"}], indirect=True)
def test_behind_a_trusted_proxy_each_resident_has_their_own_limit(server: str) -> None:
    with httpx.Client(base_url=server) as client:

        def look_up(forwarded: str) -> int:
            return client.get(UNKNOWN_REF, headers={"X-Forwarded-For": forwarded}).status_code

        # One resident rotating what they put in front of the proxy's entry: one bucket.
        fakes = itertools.islice(fake_addresses(), 35)
        spoofed = [look_up(f"{fake}, 203.0.113.9") for fake in fakes]
        assert spoofed.count(404) == 30 and spoofed.count(429) == 5
        # Another resident behind the same proxy is not held up by the first.
        assert look_up("203.0.113.10") == 404


def test_serve_turns_off_uvicorns_own_proxy_headers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from townhall.cli import app

    seen: list[dict[str, Any]] = []
    monkeypatch.setenv("TOWNHALL_DATA_DIR", str(tmp_path))  # serve migrates before it starts
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.append(kw))
    monkeypatch.setattr("townhall.app.create_app", lambda *a, **kw: object())
    for workers in ("1", "2"):
        assert CliRunner().invoke(app, ["serve", "--workers", workers]).exit_code == 0
    assert [kw["proxy_headers"] for kw in seen] == [False, False]


# --- Host header and HSTS (no models needed) ---------------------------------------------------


def bare_app(tmp_path: Path, **settings: Any):  # type: ignore[no-untyped-def]
    return create_app(Settings(data_dir=tmp_path, **settings))


def test_unknown_host_is_refused_not_reflected(tmp_path: Path) -> None:
    client = TestClient(bare_app(tmp_path, allowed_hosts="127.0.0.1,localhost"))
    evil = client.get("/staff", headers={"host": "evil.example"}, follow_redirects=False)
    assert evil.status_code == 400
    assert "evil.example" not in evil.headers.get("location", "") + evil.text
    ok = client.get("/healthz", headers={"host": "127.0.0.1:8000"})
    assert ok.status_code == 200


def test_default_hosts_are_loopback_only() -> None:
    assert Settings(_env_file=None).allowed_host_names == ["127.0.0.1", "localhost", "[::1]"] or (
        # the test suite itself adds TestClient's "testserver" through the environment
        "testserver" in Settings().allowed_host_names
    )


def test_hsts_only_when_cookies_are_secure(tmp_path: Path) -> None:
    plain = TestClient(bare_app(tmp_path / "a")).get("/healthz")
    assert "strict-transport-security" not in plain.headers
    secure = TestClient(bare_app(tmp_path / "b", cookie_secure=True)).get("/healthz")
    assert secure.headers["strict-transport-security"].startswith("max-age=31536000")


def test_secret_key_file_is_created_once_and_private(tmp_path: Path) -> None:
    from townhall.secret_key import load_secret_key

    first = load_secret_key(tmp_path)
    assert first == load_secret_key(tmp_path)
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
    assert load_secret_key(tmp_path, "configured-key-" * 3) == ("configured-key-" * 3).encode()


def test_nul_characters_are_a_plain_400_not_a_500(tmp_path: Path) -> None:
    """The probe: a NUL in `conversation_id` or the sign-in email was a 500 on PostgreSQL."""
    client = TestClient(bare_app(tmp_path), raise_server_exceptions=False)
    bad_id = client.post("/api/chat", json={"message": "bins", "conversation_id": "ab\x00cd"})
    assert bad_id.status_code == 422 and "conversation_id" in bad_id.json()["detail"]
    for path in (
        "/api/answers/TH-2345%00",
        "/staff/?service_area=bins%00",
        "/answers?reference=%00",
    ):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "NUL" in response.text
