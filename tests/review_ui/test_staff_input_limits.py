"""The probe's 500s on staff routes, on both databases: ids past the integer range
(`OverflowError` on SQLite, out of range on PostgreSQL) and NUL characters in what is typed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from staff_helpers import seed_item

from review_ui import queue

HUGE = [str(2**31), str(2**63), str(10**30)]


@pytest.mark.parametrize("number", HUGE)
def test_ids_past_the_integer_range_are_not_found(
    admin_client: tuple[TestClient, str], number: str
) -> None:
    client, csrf = admin_client
    client_errors = TestClient(client.app, cookies=client.cookies, raise_server_exceptions=False)
    for path in (f"/staff/items/{number}", f"/staff/answers/{number}"):
        assert client_errors.get(path).status_code == 404, path
    posts = [
        f"/staff/items/{number}/claim",
        f"/staff/items/{number}/approve",
        f"/staff/users/{number}/role",
        f"/staff/users/{number}/active",
        f"/staff/answers/{number}/retire",
    ]
    for path in posts:
        response = client_errors.post(path, data={"csrf_token": csrf, "role": "admin"})
        assert response.status_code == 404, (path, response.status_code)
        assert "Page not found" in response.text


def test_a_nul_in_a_decision_is_a_plain_refusal(
    engine: Engine, reviewer_client: tuple[TestClient, str], reviewer: str
) -> None:
    client, csrf = reviewer_client
    item = seed_item(engine)
    assert queue.claim(engine, item, reviewer, ttl_minutes=30)
    errors = TestClient(client.app, cookies=client.cookies, raise_server_exceptions=False)
    response = errors.post(
        f"/staff/items/{item}/reject",
        data={"csrf_token": csrf, "reason": "dup\x00licate", "reply": "See our\x00 page"},
    )
    assert response.status_code < 500
    if engine.dialect.name == "postgresql":  # SQLite can hold a NUL; PostgreSQL cannot
        assert response.status_code == 400 and "character we cannot store" in response.text
        assert queue.get_item(engine, item).status == "claimed"  # type: ignore[union-attr]


def test_item_pages_still_work(admin_client: tuple[TestClient, str], engine: Engine) -> Any:
    client, _ = admin_client
    item = seed_item(engine)
    assert client.get(f"/staff/items/{item}").status_code == 200
