"""A fetched HTML page -> the same `Page` the file loader produces.

trafilatura finds the main content (dropping header, navigation, cookie banner, feedback
forms and footer) and writes it as Markdown with headings, lists and tables kept; the chunker
then reads it exactly as it reads a Markdown file. It works on the string it is given and
fetches nothing itself.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from knowledge.loader import _head_metadata
from knowledge.types import Page

__all__ = ["extract_page", "page_id_for"]

# trafilatura escapes Markdown punctuation in running text ("\[", "\*"); residents never see
# a backslash, and the chunker's plain text must not either.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")


def page_id_for(url: str, root: str) -> str:
    """A page's identity within its site: its path below root ("bins/collection-days")."""
    parts = urlsplit(url)
    base = urlsplit(root).path
    path = parts.path[len(base) :] if parts.path.startswith(base) else parts.path
    page_id = path.strip("/") or "index"
    return f"{page_id}?{parts.query}" if parts.query else page_id


def extract_page(
    html: str,
    *,
    url: str,
    root: str,
    last_modified: str | None = None,
    sitemap_lastmod: str | None = None,
) -> Page | str:
    """The page, or the reason it has nothing to index."""
    import trafilatura

    body = trafilatura.extract(
        html,
        url=url,
        output_format="markdown",
        include_tables=True,
        include_formatting=True,
        include_links=True,
        include_images=False,
        include_comments=False,
        favor_recall=True,
        deduplicate=False,
    )
    if not body or not body.strip():
        return "no main content found"
    body = _ESCAPE.sub(r"\1", body).strip()
    soup = BeautifulSoup(html, "html.parser")
    head = _head_metadata(soup)
    canonical = head.get("source_url")
    page_url = canonical if canonical and _same_origin(canonical, url) else url
    title = _title(soup, body) or page_id_for(url, root)
    updated = head.get("updated") or sitemap_lastmod or _http_date(last_modified)
    service_area = head.get("service_area")
    fingerprint = "\0".join([title, page_url, updated or "", service_area or "", body])
    return Page(
        page_id=page_id_for(page_url, root),
        root=root,
        title=title,
        url=page_url,
        site_path=urlsplit(page_url).path,
        service_area=service_area,
        updated=updated,
        body=body,
        # the main content, not the raw HTML: a changed banner or token is not a changed page
        content_hash=hashlib.sha256(fingerprint.encode("utf-8")).hexdigest(),
        metadata={"fetched_from": url},
    )


def _same_origin(a: str, b: str) -> bool:
    return urlsplit(a).netloc == urlsplit(b).netloc


def _title(soup: BeautifulSoup, body: str) -> str | None:
    """The page's <h1>, else its <title> without the " | Council" suffix, else the first heading."""
    h1 = soup.find("h1")
    if h1 and h1.get_text(strip=True):
        return " ".join(h1.get_text().split())
    if soup.title and soup.title.get_text(strip=True):
        return re.split(r"\s+[|\u2013\u2014-]\s+", soup.title.get_text().strip())[0]
    match = re.search(r"^#{1,6}\s+(.+)$", body, re.M)
    return match.group(1).strip() if match else None


def _http_date(value: str | None) -> str | None:
    if not value:
        return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return None
