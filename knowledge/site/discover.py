"""Finding a site's pages: its sitemap (a `urlset` or a sitemap index, plain or gzipped), or
failing that the same-site links of a start page followed to a depth.
"""

from __future__ import annotations

import gzip
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

from knowledge.site.fetch import PoliteFetcher

__all__ = ["Discovery", "SiteUrl", "discover", "same_site"]

log = logging.getLogger(__name__)

MAX_SITEMAPS = 200
SKIP_SUFFIXES = re.compile(
    r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|csv|zip|jpe?g|png|gif|svg|webp|mp[34]|ics|xml|json)$", re.I
)


@dataclass(frozen=True)
class SiteUrl:
    url: str
    lastmod: str | None = None


@dataclass
class Discovery:
    """The pages found, where they came from, and problems on the way (url, reason)."""

    urls: list[SiteUrl] = field(default_factory=list)
    source: str = ""  # "sitemap" or "links"
    problems: list[tuple[str, str]] = field(default_factory=list)
    complete: bool = True  # False when part of the site could not be listed: never prune then


def same_site(url: str, root: str) -> bool:
    a, b = urlsplit(url), urlsplit(root)
    return a.scheme in ("http", "https") and a.netloc == b.netloc and a.path.startswith(b.path)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_sitemap(data: bytes) -> tuple[list[SiteUrl], list[str]]:
    """(page urls, child sitemap urls) from sitemap XML; raises ValueError if not a sitemap."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"not a sitemap ({exc})") from None
    pages: list[SiteUrl] = []
    children: list[str] = []
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap (root element <{kind}>)")
    for entry in root:
        fields = {_local(child.tag): (child.text or "").strip() for child in entry}
        loc = fields.get("loc")
        if not loc:
            continue
        if kind == "sitemapindex":
            children.append(loc)
        else:
            pages.append(SiteUrl(loc, fields.get("lastmod") or None))
    return pages, children


async def discover(
    fetcher: PoliteFetcher, url: str, *, max_pages: int | None = None, depth: int = 2
) -> Discovery:
    """Pages of the site at url: from the sitemap it names (or robots.txt names, or
    /sitemap.xml), else by following same-site links from url to `depth` clicks."""
    found = Discovery()
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    await fetcher.allowed(url)  # reads robots.txt (and its Sitemap: lines)
    if url.endswith((".xml", ".xml.gz")):
        candidates = [url]
    else:
        candidates = fetcher.sitemaps_from_robots(origin) or [urljoin(origin, "/sitemap.xml")]
    for sitemap in candidates:
        await _read_sitemaps(fetcher, sitemap, found, max_pages)
    if found.urls or url.endswith((".xml", ".xml.gz")):
        found.source = "sitemap"
        return found
    found.problems.clear()  # no sitemap is normal for a small site: follow links instead
    found.complete = True
    found.source = "links"
    await _crawl(fetcher, url, found, max_pages, depth)
    return found


async def _read_sitemaps(
    fetcher: PoliteFetcher, url: str, found: Discovery, max_pages: int | None
) -> None:
    queue, seen = [url], set()
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
    urls = {u.url for u in found.urls}
    while queue and len(seen) < MAX_SITEMAPS:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        result = await fetcher.get(current, check_robots=False)
        if not result.ok:
            found.problems.append((current, result.error or f"HTTP {result.status}"))
            found.complete = False
            continue
        try:
            pages, children = parse_sitemap(result.text.encode("utf-8"))
        except ValueError as exc:
            found.problems.append((current, str(exc)))
            found.complete = False
            continue
        queue += [c for c in children if same_site(c, origin)]
        for page in pages:
            if not same_site(page.url, origin) or page.url in urls:
                continue
            if max_pages is not None and len(found.urls) >= max_pages:
                found.complete = False  # the rest was not looked at: never prune it
                return
            urls.add(page.url)
            found.urls.append(page)


async def _crawl(
    fetcher: PoliteFetcher, start: str, found: Discovery, max_pages: int | None, depth: int
) -> None:
    """Breadth-first over same-site links (the pages are fetched again later, conditionally)."""
    seen = {start}
    level = [start]
    for _ in range(depth + 1):
        next_level: list[str] = []
        for url in level:
            if max_pages is not None and len(found.urls) >= max_pages:
                found.complete = False
                return
            found.urls.append(SiteUrl(url))
            if _ == depth:
                continue
            result = await fetcher.get(url)
            if not result.ok:
                found.complete = False  # links behind it are unknown: never prune
                continue
            if "html" not in result.content_type:
                continue
            soup = BeautifulSoup(result.text, "html.parser")
            for a in soup.find_all("a", href=True):
                link = urldefrag(urljoin(result.final_url or url, a["href"]))[0]
                if same_site(link, start) and link not in seen and not SKIP_SUFFIXES.search(link):
                    seen.add(link)
                    next_level.append(link)
        level = next_level
        if not level:
            return
