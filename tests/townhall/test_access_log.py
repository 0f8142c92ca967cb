"""The access log names the route template, the status and a client pseudonym: never a query
string, a form value, a path a client typed, or the client's address."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Form
from fastapi.testclient import TestClient

from chatbot.client_identity import ClientAddressMiddleware
from townhall.access_log import AccessLogMiddleware, silence_uvicorn_access_log


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/answers/{reference}")
    def answer(reference: str) -> dict[str, str]:
        return {"ok": "yes"}

    @app.post("/chat")
    def chat(message: str = Form("")) -> dict[str, str]:
        return {"ok": "yes"}

    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(ClientAddressMiddleware, trusted_proxies=(), key=b"x" * 32)
    return app


def test_access_log_holds_no_personal_data(caplog) -> None:
    client = TestClient(_app(), client=("198.51.100.23", 5000))
    with caplog.at_level(logging.INFO, logger="townhall.access"):
        client.get("/answers/Jo Bloggs 07700900123?reference=Jo+Bloggs&phone=07700900123")
        client.post("/chat", data={"message": "I'm Jo Bloggs on 07700 900123"})
        client.get("/no-such-page/jo.bloggs@example.com")
    lines = [r.getMessage() for r in caplog.records if r.name == "townhall.access"]
    assert len(lines) == 3
    assert lines[0].startswith("GET /answers/{reference} 200 ")
    assert lines[1].startswith("POST /chat 200 ")
    assert lines[2].startswith("GET (no route) 404 ")
    for line in lines:
        assert "client=c-" in line
        for secret in ("Jo", "Bloggs", "07700", "198.51.100.23", "example.com", "?"):
            assert secret not in line


def test_uvicorn_access_log_is_silenced() -> None:
    silence_uvicorn_access_log()
    access = logging.getLogger("uvicorn.access")
    assert access.disabled
    assert not access.filter(logging.makeLogRecord({"msg": "GET /?q=Jo HTTP/1.1"}))
