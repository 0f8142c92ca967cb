"""The server's secret key: signs the sign-in form's token and keys client pseudonyms.

`TOWNHALL_SECRET_KEY` when set (several machines must share it); otherwise a random key is
created once in the data dir (`secret.key`, mode 0600) and every worker on the machine reads
the same file. Creating it is race-free: the first worker to open it exclusively writes it.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

KEY_FILE = "secret.key"


def load_secret_key(data_dir: Path, configured: str | None = None) -> bytes:
    """The configured key, or the data dir's key file (created on first use)."""
    if configured:
        return configured.encode("utf-8")
    path = Path(data_dir) / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_when_written(path)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(32))
    return _read_when_written(path)


def _read_when_written(path: Path, wait_seconds: float = 5.0) -> bytes:
    """Another worker may have created the file a moment ago and not written it yet."""
    deadline = time.monotonic() + wait_seconds
    while True:
        key = path.read_text(encoding="utf-8").strip()
        if key or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable key: delete it and start again")
    return key.encode("utf-8")
