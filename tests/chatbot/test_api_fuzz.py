"""Schemathesis against the resident API's own OpenAPI schema, through the real app (real
models, knowledge base and database), with a bounded number of examples so it stays fast.

Every response must be: never a 5xx; a status code the schema documents; JSON matching the
schema, so every error is a 4xx in the documented problem shape `{"detail": "..."}`; and
schema-invalid requests must be refused. (Valid-by-schema messages can still be refused, e.g.
all blanks or only hidden characters, which a JSON schema cannot express: so the "positive data
acceptance" check is not used.) The counts per operation go in SECURITY.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from townhall.app import create_app
from townhall.services import Services
from townhall.settings import Settings

EXAMPLES = 25  # per operation and mode: 100 cases, about 20 s on an idle machine
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
def resident_app(tmp_path_factory, demo_kb, embedder, redactor) -> Iterator[FastAPI]:  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("fuzz"),
        chat_rate_per_minute=100_000,
        reference_rate_per_minute=100_000,
    )
    services = Services(settings)
    services.__dict__.update(knowledge=demo_kb, embedder=embedder, redactor=redactor)
    app = create_app(settings, services)
    with TestClient(app):  # runs start-up (warm-up) once
        yield app


def test_resident_api_never_fails_and_every_error_is_documented(resident_app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", resident_app)
    tried: dict[str, dict[int, int]] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "POST /api/chat",
        "GET /api/answers/{reference}",
    }
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode, tried.setdefault(f"{operation.label} {mode.value}", {}))
    print("schemathesis cases by operation and status:", tried)


def fuzz(operation: Any, mode: GenerationMode, codes: dict[int, int]) -> None:
    """Bounded, repeatable examples of one operation, each checked; counts by status."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same cases every run: a failure is a real regression
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def call(case: Any) -> None:
        response = case.call_and_validate(checks=CHECKS)
        codes[response.status_code] = codes.get(response.status_code, 0) + 1

    try:
        call()
    except Unsatisfiable:
        # No schema-invalid request exists (a free-text path parameter): nothing to send.
        assert mode is GenerationMode.NEGATIVE and not codes
