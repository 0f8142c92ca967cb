"""Starts and stops the test council website (`council_site.py`) as its own process."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SITE_SCRIPT = Path(__file__).with_name("council_site.py")


class RunningSite:
    def __init__(self, url: str, process: subprocess.Popen[str]) -> None:
        self.url = url
        self.process = process

    def control(self, path: str) -> None:
        urllib.request.urlopen(urllib.request.Request(self.url + path, method="POST")).read()

    def phase(self, n: int) -> None:
        self.control(f"_control/phase?n={n}")

    def reset_stats(self) -> None:
        self.control("_control/reset-stats")

    def stats(self) -> dict[str, dict[str, int]]:
        with urllib.request.urlopen(self.url + "_stats") as response:
            return json.loads(response.read())


@contextmanager
def council_site(corpus: Path | None, only: int | None = None) -> Iterator[RunningSite]:
    """The site on a free port; stopped by its own process id whatever happens."""
    args = [sys.executable, str(SITE_SCRIPT), "--port", "0"]
    if corpus is not None:
        args += ["--corpus", str(corpus)]
    if only is not None:
        args += ["--only", str(only)]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""
        if not line.startswith("READY "):
            raise RuntimeError(f"the test site did not start: {line!r}")
        yield RunningSite(f"http://127.0.0.1:{int(line.split()[1])}/", process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
