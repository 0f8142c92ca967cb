"""How uvicorn is run: the options every way of serving Townhall shares.

uvicorn's own proxy-header handling is off: by default it believes `X-Forwarded-For` from
127.0.0.1, so anyone on the machine (or a local proxy that passes the header through) could
pick their own client address. Townhall decides the client itself, from the socket peer and
`TOWNHALL_TRUSTED_PROXIES` (`chatbot.client_identity`).
"""

from __future__ import annotations

from typing import Any

UVICORN_OPTIONS: dict[str, Any] = {
    "proxy_headers": False,
    "forwarded_allow_ips": "",
    "server_header": False,
}


def uvicorn_options(**extra: Any) -> dict[str, Any]:
    """Keyword arguments for `uvicorn.run` / `uvicorn.Config`, with `extra` on top."""
    return {**UVICORN_OPTIONS, **extra}
