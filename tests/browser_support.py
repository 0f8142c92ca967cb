"""What every browser test needs: the real app under uvicorn on a free loopback port, Debian's
chromium through Playwright (never `playwright install`), and an axe-core scan."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.stack import free_port
from townhall.app import create_app
from townhall.services import Services
from townhall.serving import uvicorn_options

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # The widget test serves a "council site" at a public origin that loads widget.js from the
    # app on 127.0.0.1: Chromium's local network access checks would block that request, which
    # never happens between a real council site and a real (public) Townhall.
    "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessRespectPreflightResults,"
    "BlockInsecurePrivateNetworkRequests",
]


def serve(services: Services, *, production_options: bool = True, **config: Any) -> Iterator[str]:
    """The real app under uvicorn in a background thread; yields its base URL, and stops the
    server when resumed or closed (a failing test included). `config` goes to uvicorn.Config;
    production_options=False leaves out the options `townhall serve` sets (uvicorn's own
    defaults, its access log among them)."""
    import uvicorn

    port = free_port()
    options = {"log_level": "warning", **config}
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(services.settings, services),
            host="127.0.0.1",
            port=port,
            **(uvicorn_options(**options) if production_options else options),
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 90
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("the app did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def launch_chromium() -> Iterator[Any]:
    """Debian's chromium, or a skip saying how to install it."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: install Debian's chromium (make chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page (printed for the test log)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    for v in found:
        targets = [node.get("target") for node in v.get("nodes", [])]
        print(f"axe {v['impact']}: {v['id']} - {v['help']} at {targets}")
    return found
