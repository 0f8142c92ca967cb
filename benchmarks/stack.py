"""Start and stop the production parts on loopback, by process id: a Chroma server
(`chroma run`) and `townhall serve --workers N`. The one place for them: the multi-worker and
fault tests, the load and scale benchmarks use these; nothing here touches the machine's own
PostgreSQL or Redis.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(
    url: str,
    timeout: float,
    ok: tuple[int, ...] = (200,),
    process: subprocess.Popen | None = None,
) -> None:
    """Until `url` answers with a status in `ok`; TimeoutError after `timeout` seconds, or at
    once when `process` (the server being waited for) has exited."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise TimeoutError(f"{url}: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status in ok:
                    return
        except Exception as exc:  # not up yet
            last = getattr(exc, "code", exc)
            if isinstance(last, int) and last in ok:
                return
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer in {timeout:.0f}s (last: {last})")


def stop(process: subprocess.Popen, timeout: float = 20, *, group: bool = False) -> None:
    """SIGTERM to the process (uvicorn's parent stops its workers), then SIGKILL if needed.
    group: to its process group instead, for a process started in its own session
    (`start_new_session=True`: the group holds only what it started)."""
    if process.poll() is not None:
        return

    def send(sig: signal.Signals) -> None:
        try:
            if group:
                os.killpg(process.pid, sig)
            else:
                process.send_signal(sig)
        except ProcessLookupError:
            pass

    send(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        process.wait(timeout=10)


class ChromaServer:
    """`chroma run --path DIR` on a port; stop() and start() again keep the same data."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        args = [str(BIN / "chroma"), "run", "--path", str(self.path), "--host", "127.0.0.1"]
        args += ["--port", str(self.port)]
        self.process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        try:
            wait_for(f"{self.url}/api/v2/heartbeat", timeout, process=self.process)
        except TimeoutError:
            self.stop()  # never left running when it did not come up
            raise

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, group=True)  # its own session: only what we started
            self.process = None


@contextmanager
def chroma_server(path: Path, timeout: float = 60) -> Iterator[ChromaServer]:
    server = ChromaServer(path)
    try:
        server.start(timeout)
        yield server
    finally:
        server.stop()


def link_caches(data_dir: Path, cache: Path) -> None:
    """Point a fresh data dir's model folder and embedding cache at a shared cache, so the
    ONNX graph is not rebuilt and known chunks are not re-embedded."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (cache / "models").mkdir(parents=True, exist_ok=True)
    (cache / "embeddings").mkdir(parents=True, exist_ok=True)
    for name, target in (("models", cache / "models"), ("embedding-cache", cache / "embeddings")):
        link = data_dir / name
        if not link.exists():
            link.symlink_to(target, target_is_directory=True)


@contextmanager
def townhall_server(
    env: dict[str, str],
    *,
    workers: int,
    port: int | None = None,
    timeout: float = 300,
    log: Path | None = None,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`townhall serve --workers N` with env added; yields (base url, process) once /readyz
    answers 200 (every part up)."""
    port = port or free_port()
    args = [str(BIN / "townhall"), "serve", "--port", str(port), "--workers", str(workers)]
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        args,
        env={**os.environ, **env},
        stdout=out,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/readyz", timeout)
        yield base, process
    finally:
        stop(process, timeout=30)
        if log:
            out.close()  # type: ignore[union-attr]
