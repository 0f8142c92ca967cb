"""Which addresses an answer may link to, and how phone numbers and email addresses become
`tel:` and `mailto:` links.

An answer links only to pages in the knowledge base or to the council's own domains (the
website in the council profile, its sub-domains, and any `domains` the profile lists). Every
other address stays as plain text, and nothing but http(s), `tel:` and `mailto:` is ever
written into an `href`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

__all__ = ["LinkPolicy", "PHONE", "EMAIL", "absolute_links", "tel_href"]

# UK numbers as councils write them: 01632 960100, 0800 111 999, 0808 2000 247, +44 1632 960100,
# and the short lines residents are told to call (999, 111, 101, 105, 116 123, 116 111).
PHONE = re.compile(
    r"(?<![\w£$€.,/:-])(?:\+44\s?\(?0?\)?\s?\d[\d ]{7,11}\d|0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}"
    r"|116 ?1(?:23|11))(?![\w£.,/-]\d|\d)"
    r"|(?<=call )(?:999|111|101|105)\b|(?<=dial )(?:999|111|101|105)\b"
    r"|(?<=ring )(?:999|111|101|105)\b|(?<=phone )(?:999|111|101|105)\b"
    r"|(?<=ffoniwch )(?:999|111|101|105)\b",
    re.I,
)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?<!\.)")


def tel_href(number: str) -> str | None:
    """`tel:` address for a UK number (E.164 for full numbers), or None if it is not one."""
    digits = re.sub(r"\D", "", number)
    if number.strip().startswith("+44"):
        digits = digits[2:].removeprefix("0")
        return f"tel:+44{digits}" if 9 <= len(digits) <= 10 else None
    if digits.startswith("0"):
        return f"tel:+44{digits[1:]}" if len(digits) in (10, 11) else None
    return f"tel:{digits}" if digits in {"999", "111", "101", "105", "116123", "116111"} else None


@dataclass(frozen=True)
class LinkPolicy:
    """The addresses an answer may link to. `site` resolves relative links (the council's
    website); `page_urls` are the knowledge base's pages; `domains` the council's own."""

    site: str | None = None
    domains: frozenset[str] = field(default_factory=frozenset)
    page_urls: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def for_council(
        cls, site: str | None, extra: Iterable[str] = (), page_urls: Iterable[str] = ()
    ) -> LinkPolicy:
        domains = {_registrable(host) for host in [_host(site), *map(_host, extra)] if host}
        domains |= {d.lower().lstrip(".") for d in extra if d and "/" not in d}
        return cls(
            site=site,
            domains=frozenset(d for d in domains if d),
            page_urls=frozenset(_bare(u) for u in page_urls if u),
        )

    def resolve(self, href: str) -> str | None:
        """The absolute http(s) address to link to, or None when the answer may not link it."""
        href = href.strip()
        if any(ord(ch) < 33 for ch in href):
            return None
        if href.startswith("/") and not href.startswith("//"):
            if not self.site:
                return None
            href = urljoin(self.site, href)
        if href.lower().startswith("www."):
            href = f"https://{href}"
        parts = urlsplit(href)
        if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
            return None
        if parts.username or parts.password:
            return None
        if _bare(href) in self.page_urls:
            return href
        host = parts.hostname.lower()
        if any(host == d or host.endswith("." + d) for d in self.domains):
            return href
        return None


# a page's own link written relative to its site, as units quote it: "benefit cap (/benefit-cap)"
_RELATIVE_LINK = re.compile(r"(?<=\s)\((/(?!/)[^\s()]*)\)")


def absolute_links(text: str, page_urls: Iterable[str | None]) -> str:
    """Relative links a quoted page wrote ("(/benefit-cap)") made absolute against that page's
    address, so a resident can follow them; left as they are when the quoted pages are on more
    than one site (whose link it is would be a guess) or have no address."""
    parts = [urlsplit(u) for u in page_urls if u]
    sites = {
        f"{p.scheme}://{p.netloc}" for p in parts if p.scheme in ("http", "https") and p.netloc
    }
    if len(sites) != 1 or "(/" not in text:
        return text
    site = sites.pop()
    return _RELATIVE_LINK.sub(lambda m: f"({site}{m.group(1)})", text)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    if "/" not in url:
        return url.lower()
    return (urlsplit(url).hostname or "").lower() or None


def _registrable(host: str) -> str:
    """www.brackenvale.gov.uk -> brackenvale.gov.uk (the council's domain and its sub-domains)."""
    return host.removeprefix("www.")


def _bare(url: str) -> str:
    return url.split("#", 1)[0].rstrip("/")
