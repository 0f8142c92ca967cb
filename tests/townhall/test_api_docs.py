"""`/docs` from local files: no CDN, no inline script, and it renders under the CSP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import launch_chromium, serve
from fastapi.testclient import TestClient

from townhall.app import create_app
from townhall.services import Services
from townhall.settings import Settings


def test_docs_use_only_local_assets(tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(data_dir=tmp_path)))
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    assert not re.search(r"<script>(?!</script>)", page.text)  # no inline script
    for asset in re.findall(r'(?:src|href)="(/assets/[^"]+)"', page.text):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc").status_code == 404
    off = TestClient(create_app(Settings(data_dir=tmp_path / "off", api_docs=False)))
    assert off.get("/docs").status_code == 404
    assert off.get("/openapi.json").status_code == 200


@pytest.fixture
def live(tmp_path: Path, demo_kb: Any, embedder: Any, redactor: Any) -> Iterator[str]:
    services = Services(Settings(data_dir=tmp_path))
    services.__dict__.update(knowledge=demo_kb, embedder=embedder, redactor=redactor)
    yield from serve(services)


@pytest.mark.browser
def test_docs_render_offline_under_the_csp(live: str) -> None:
    problems: list[str] = []
    for browser in launch_chromium():
        page = browser.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
        page.goto(f"{live}/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=20_000)
        assert "/api/chat" in page.inner_text("#swagger-ui")
        assert not [p for p in problems if "Content Security Policy" in p or "failed" in p]
