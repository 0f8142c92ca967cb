"""End to end: a resident uses every resident route with personal data, then nothing of it is
anywhere at rest: not in any log line (uvicorn's, ours, every library's, at DEBUG), any table,
the knowledge index or any file under the data dir. On SQLite and PostgreSQL.

The app runs under a real uvicorn server with uvicorn's own access log switched *on*, as
someone running `uvicorn` by hand would have it; the client connects from its own loopback
address (127.0.0.7) and sends a forged X-Forwarded-For, so a raw client address in any log
line would be found.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser_support import serve
from sqlalchemy import inspect, text

from chatbot.references import new_reference
from townhall.services import Services
from townhall.settings import Settings

CLIENT_SIDE = ("httpx", "httpcore")
CLIENT_ADDRESS = "127.0.0.7"
FORWARDED = "203.0.113.77"
PERSONAL = {
    "name": "Jo Bloggs",
    "surname": "Bloggs",
    "phone": "07700 900123",
    "phone digits": "07700900123",
    "email": "jo.bloggs@example.com",
    "postcode": "BV4 7QT",
    "nino": "AB 12 34 56 C",
    "street": "12 Acacia Avenue",
    "client address": CLIENT_ADDRESS,
    "forwarded address": FORWARDED,
}
MESSAGE = (
    "Hi, I'm Jo Bloggs at 12 Acacia Avenue BV4 7QT, NI AB 12 34 56 C, email "
    "jo.bloggs@example.com or call 07700 900123: why was my housing benefit stopped?"
)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(CLIENT_SIDE):
            return  # the test's own HTTP client logs what it sends; the server is under test
        line = self.format(record)
        if record.exc_info:
            line += logging.Formatter().formatException(record.exc_info)
        self.lines.append(line)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return None if request.param == "sqlite" else request.getfixturevalue("pg_url")


def _drive(base: str) -> list[str]:
    """Every resident route, with personal data wherever a resident could put it."""
    transport = httpx.HTTPTransport(local_address=CLIENT_ADDRESS)
    headers = {"X-Forwarded-For": FORWARDED}
    seen: list[str] = []
    with httpx.Client(base_url=base, transport=transport, headers=headers, timeout=60) as web:

        def hit(method: str, url: str, **kw: Any) -> httpx.Response:
            response = web.request(method, url, **kw)
            assert response.status_code < 500, (method, url, response.status_code)
            seen.append(f"{method} {url.split('?')[0]} {response.status_code}")
            return response

        first = hit("POST", "/api/chat", json={"message": MESSAGE}).json()
        hit(
            "POST",
            "/api/chat",
            json={"message": f"and {MESSAGE}", "conversation_id": first["conversation_id"]},
        )
        hit("GET", "/", params={"q": MESSAGE})
        hit("POST", "/chat", data={"message": MESSAGE, "conversation_id": ""})
        hit("POST", "/chat", data={"message": MESSAGE}, headers={"HX-Request": "true"})
        hit("GET", "/embed", params={"name": PERSONAL["name"]})
        hit(
            "POST", "/embed", data={"message": MESSAGE, "conversation_id": first["conversation_id"]}
        )
        hit("GET", "/widget.js")
        hit("GET", "/answers")
        hit("GET", "/answers", params={"reference": f"{PERSONAL['name']} {PERSONAL['phone']}"})
        hit("GET", f"/answers/{PERSONAL['name']} {PERSONAL['phone']}")
        hit("GET", f"/api/answers/{PERSONAL['email']}")
        if first.get("reference"):
            hit("GET", f"/api/answers/{first['reference']}")
            hit("GET", f"/answers/{first['reference']}", params={"phone": PERSONAL["phone"]})
        hit("GET", f"/api/answers/{new_reference()}")
        hit("POST", "/api/chat", json={"message": MESSAGE * 40})  # too long: 422
        hit("POST", "/api/chat", json={"message": MESSAGE, "conversation_id": PERSONAL["email"]})
        hit("GET", f"/no/such/page/{PERSONAL['email']}")
    return seen


def _files_under(*roots: Path) -> Iterator[Path]:
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                yield path


def _table_dump(services: Services) -> str:
    engine = services.engine
    rows = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                rows.append(table + " " + json.dumps([str(v) for v in row]))
    return "\n".join(rows)


def test_nothing_personal_at_rest(
    tmp_path: Path, database_url: str | None, demo_kb: Any, embedder: Any, redactor: Any
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        chat_rate_per_minute=10_000,
        reference_rate_per_minute=10_000,
    )
    services = Services(settings)
    services.__dict__.update(knowledge=demo_kb, embedder=embedder, redactor=redactor)
    collector = _Collect()
    collector.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(collector)
    root.setLevel(logging.DEBUG)
    try:
        # uvicorn's own access log on: Townhall must silence it itself
        for base in serve(services, production_options=False, log_level="debug", access_log=True):
            seen = _drive(base)
    finally:
        root.removeHandler(collector)
        root.setLevel(old_level)

    assert len(seen) >= 17
    access = [line for line in collector.lines if line.startswith("townhall.access")]
    assert len(access) >= len(seen)  # one line per request, from Townhall's own logger
    assert not [line for line in collector.lines if line.startswith("uvicorn.access")]
    assert any("/answers/{reference}" in line for line in access)

    places: dict[str, str] = {"log": "\n".join(collector.lines), "tables": _table_dump(services)}
    assert "<PERSON>" in places["tables"]  # the redacted transcript is there
    for path in _files_under(settings.data_dir, Path(demo_kb.directory)):
        places[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    found = [
        (what, where)
        for where, content in places.items()
        for what, value in PERSONAL.items()
        if value in content
    ]
    offending = [line for line in collector.lines if any(v in line for v in PERSONAL.values())][:5]
    assert found == [], (found, offending)
