"""The chat page's streamed answer (a chat model configured), without a browser, against a
SCRIPTED FAKE OpenAI-compatible server (tests/llm_servers.py): drafts arrive as written, the
final turn is the guard-checked one, and a draft the guard rejects is replaced."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from llm_servers import Reply, ScriptedChatServer

from townhall.app import create_app
from townhall.services import Services
from townhall.settings import Settings

QUESTION = "how much is the garden waste bin a year"
HTMX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def scripted() -> Iterator[ScriptedChatServer]:
    server = ScriptedChatServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def client(tmp_path_factory, demo_kb, embedder, redactor, scripted) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("chat-stream"),
        chat_rate_per_minute=10_000,
        llm_provider="openai",
        llm_base_url=scripted.base_url,
        llm_model="scripted-fake",
        llm_timeout_seconds=10,
    )
    services = Services(settings)
    services.__dict__.update(knowledge=demo_kb, embedder=embedder, redactor=redactor)
    with TestClient(create_app(settings, services)) as test_client:
        yield test_client


def events(body: str) -> list[tuple[str, str]]:
    out = []
    for block in body.split("\n\n"):
        lines = block.split("\n")
        kind = next((line[7:] for line in lines if line.startswith("event: ")), None)
        if kind:
            data = "\n".join(line[6:] for line in lines if line.startswith("data: "))
            out.append((kind, data))
    return out


def test_the_page_streams_only_with_a_chat_model(client: TestClient) -> None:
    html = client.get("/").text
    assert 'data-stream-url="/chat/stream"' in html and "/assets/chat-stream.js" in html
    assert client.get("/assets/chat-stream.js").status_code == 200


def test_drafts_arrive_then_the_checked_answer(client: TestClient, scripted) -> None:  # type: ignore[no-untyped-def]
    scripted.script(
        Reply(
            "A garden waste subscription costs £52 a year for one brown bin. "
            "Each extra brown bin costs £40 a year. Pensioners pay £10."
        )
    )
    response = client.post(
        "/chat/stream", data={"message": QUESTION}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    got = events(response.text)
    drafts = [json.loads(d)["text"] for k, d in got if k == "draft"]
    assert len(drafts) > 5 and drafts[-1].endswith("Pensioners pay £10.")
    kind, final = got[-1]
    assert kind == "final" and 'class="th-turn"' in final
    assert "£52" in final and "£10" not in final  # the invented figure never becomes final
    assert 'id="ask-form-area" hx-swap-oob="true"' in final  # a fresh form, as with htmx


def test_a_rejected_stream_is_replaced(client: TestClient, scripted) -> None:  # type: ignore[no-untyped-def]
    scripted.script(Reply("Garden waste is free for everyone. Call 0800 123 456 to join."))
    response = client.post(
        "/chat/stream", data={"message": QUESTION}, headers={"HX-Request": "true"}
    )
    got = events(response.text)
    assert any("0800 123 456" in d for k, d in got if k == "draft")
    kind, final = got[-1]
    assert kind == "final" and "0800 123 456" not in final and "free for everyone" not in final


def test_a_refused_message_gets_the_form_with_its_error(client: TestClient) -> None:
    response = client.post("/chat/stream", data={"message": "  "}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "govuk-error-summary" in response.text


def test_the_plain_form_post_is_unchanged(client: TestClient, scripted) -> None:  # type: ignore[no-untyped-def]
    scripted.script(Reply("A garden waste subscription costs £52 a year for one brown bin."))
    page = client.post("/chat", data={"message": QUESTION})
    assert page.status_code == 200 and "<html" in page.text and "£52" in page.text
