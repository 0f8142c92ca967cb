"""Helpers for the staff app tests (imported by conftest and the tests)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from chatbot.records import ReviewItem
from chatbot.references import new_reference
from review_ui.app import create_staff_router
from review_ui.users import add_user

PASSWORD = "a long enough password 42"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def seed_item(engine: Engine, **fields: Any) -> int:
    """A review item as the resident pipeline would leave it (redacted text only)."""
    values: dict[str, Any] = {
        "reference": new_reference(),
        "question": "When is my green bin collected?",
        "draft_answer": "Green bins are collected every other Monday.",
        "route": "low_confidence",
        "service_area": "bins",
        "confidence": 0.31,
        "sources": [
            {
                "title": "Garden waste collections",
                "url": "https://www.brackenvale.example/bins/garden-waste",
                "section": "Collection days",
                "page": "bins/garden-waste.md",
                "content_hash": "hash-1",
                "text": "Garden waste is collected every other Monday from March to November.",
            }
        ],
    }
    values.update(fields)
    with Session(engine) as db:
        item = ReviewItem(**values)
        db.add(item)
        db.commit()
        db.refresh(item)
        return int(item.id)  # type: ignore[arg-type]


def make_staff_app(
    engine: Engine,
    embedder: Any,
    page_hashes: Callable[[], dict[str, str]] | None = None,
    **options: Any,
) -> FastAPI:
    app = FastAPI()
    app.include_router(
        create_staff_router(
            engine=engine,
            embedder=embedder,
            page_hashes=page_hashes or (lambda: {"bins/garden-waste.md": "hash-1"}),
            **options,
        )
    )
    return app


def add_staff(engine: Engine, email: str, role: str = "reviewer") -> str:
    add_user(engine, email=email, role=role, password=PASSWORD, actor="test")
    return email


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token (read from a page)."""
    page = client.get("/staff/sign-in")
    token = CSRF_INPUT.search(page.text).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/staff/sign-in",
        data={"email": email, "password": password, "csrf_token": token, "next": "/staff/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    home = client.get("/staff/")
    return CSRF_INPUT.search(home.text).group(1)  # type: ignore[union-attr]
