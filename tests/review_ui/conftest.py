"""Fixtures for the staff app: a bare FastAPI app with the staff router on a real database,
staff accounts and signed-in clients."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from staff_helpers import add_staff, make_staff_app, sign_in


@pytest.fixture
def staff_app(engine: Engine, embedder: Any) -> FastAPI:
    return make_staff_app(engine, embedder)


@pytest.fixture
def reviewer(engine: Engine) -> str:
    return add_staff(engine, "rev@brackenvale.example", "reviewer")


@pytest.fixture
def admin(engine: Engine) -> str:
    return add_staff(engine, "boss@brackenvale.example", "admin")


@pytest.fixture
def reviewer_client(staff_app: FastAPI, reviewer: str) -> tuple[TestClient, str]:
    client = TestClient(staff_app)
    return client, sign_in(client, reviewer)


@pytest.fixture
def admin_client(staff_app: FastAPI, admin: str) -> tuple[TestClient, str]:
    client = TestClient(staff_app)
    return client, sign_in(client, admin)
