"""Who is asking: the real client address behind the council's own proxies, and a keyed
pseudonym of it for rate limits and logs.

uvicorn is run with its own proxy-header handling off (`townhall.serving`), so the socket peer
reaches the app untouched. `ClientAddressMiddleware` then decides, once per request: the peer is
the client, unless the peer is a trusted proxy (`TOWNHALL_TRUSTED_PROXIES`); then
`X-Forwarded-For` is read from the right, skipping trusted hops, and the first address that is
not a trusted proxy is the client. Entries to the left of it were written by the client itself
and are never believed, so rotating the header gets an attacker nothing.

Every layer reads the result the same way: `request.client.host` is the real address (only the
edge and the access log see it), and `client_id(request)` is its keyed hash (HMAC-SHA256 with
the server's secret key), which is what rate limits and any log line that follows one client
use. A raw address is never a storage key.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

SCOPE_CLIENT_ID = "townhall.client_id"
SCOPE_PEER = "townhall.peer"
UNKNOWN = "unknown"


def parse_networks(value: str | Iterable[str] | None) -> tuple[Network, ...]:
    """`"10.0.0.5, 10.1.0.0/16"` -> networks. Raises ValueError naming a bad entry."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    networks: list[Network] = []
    for raw in items:
        entry = raw.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"{entry!r} is not an IP address or network (like 10.0.0.5 or 10.0.0.0/24)"
            ) from None
    return tuple(networks)


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":", 1)[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def _trusted(address: Address | None, trusted: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in trusted)


def real_client(
    peer: str | None, forwarded_for: Sequence[str] | str | None, trusted: Sequence[Network]
) -> str:
    """The client's address: the peer, or (when the peer is a trusted proxy) the rightmost
    `X-Forwarded-For` entry that is not itself a trusted proxy."""
    peer_address = _address(peer or "")
    if peer_address is None:
        return peer or UNKNOWN
    if not _trusted(peer_address, trusted) or not forwarded_for:
        return str(peer_address)
    headers = [forwarded_for] if isinstance(forwarded_for, str) else list(forwarded_for)
    hops = [hop for header in headers for hop in header.split(",") if hop.strip()]
    client = peer_address
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage from beyond our proxies: the last hop we could read stands
        client = address
        if not _trusted(address, trusted):
            break
    return str(client)


def pseudonym(address: str, key: bytes) -> str:
    """A keyed hash of a client address: stable while the key is, useless without it."""
    return hmac.new(key, address.encode("utf-8"), hashlib.sha256).hexdigest()[:24]


def client_id(request: Any) -> str:
    """The requester's pseudonym, as `ClientAddressMiddleware` set it. Routers mounted without
    the middleware (bare test apps) fall back to an unkeyed hash of the peer address."""
    scope = request.scope
    found = scope.get(SCOPE_CLIENT_ID)
    if found:
        return str(found)
    client = scope.get("client")
    host = client[0] if client else UNKNOWN
    return hashlib.sha256(str(host).encode("utf-8")).hexdigest()[:24]


class ClientAddressMiddleware:
    """Sets `scope["client"]` to the real client and `scope[SCOPE_CLIENT_ID]` to its pseudonym.

    The original peer is kept as `scope[SCOPE_PEER]`. From a trusted proxy, its
    `X-Forwarded-Proto` (http or https) also sets the scheme.
    """

    def __init__(self, app: ASGIApp, *, trusted_proxies: Sequence[Network], key: bytes) -> None:
        self.app = app
        self.trusted = tuple(trusted_proxies)
        self.key = key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            peer = scope.get("client")
            peer_host = peer[0] if peer else None
            forwarded: list[str] = []
            proto: str | None = None
            for name, value in scope.get("headers", []):
                if name == b"x-forwarded-for":
                    forwarded.append(value.decode("latin-1"))
                elif name == b"x-forwarded-proto":
                    proto = value.decode("latin-1").split(",")[-1].strip().lower()
            host = real_client(peer_host, forwarded, self.trusted)
            from_proxy = _trusted(_address(peer_host or ""), self.trusted)
            scope[SCOPE_PEER] = peer
            if host != peer_host:
                scope["client"] = (host, 0)
            if from_proxy and proto in ("http", "https") and scope["type"] == "http":
                scope["scheme"] = proto
            scope[SCOPE_CLIENT_ID] = pseudonym(host, self.key)
        await self.app(scope, receive, send)
