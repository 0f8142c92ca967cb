"""Read a council's pages (Markdown and HTML, recursively) into `Page`s.

Front-matter is optional. HTML is reduced to Markdown-ish text that keeps what a resident reads
(headings, paragraphs, lists, links, tables) and drops what they skip (navigation, header, footer,
scripts, cookie banners). A page that cannot be read is reported, never fatal for the rest.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from knowledge.links import safe_link
from knowledge.types import Page

__all__ = ["PAGE_SUFFIXES", "LoadFailure", "PageSource", "find_pages", "load_page", "parse_page"]

MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
PAGE_SUFFIXES = MARKDOWN_SUFFIXES + HTML_SUFFIXES

FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)
KNOWN_KEYS = {"title", "source_url", "url", "site_path", "service_area", "updated"}
KNOWN_KEYS |= {"public_updated_at"}

# HTML elements whose text a resident never reads as page content.
DROP_TAGS = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "input", "select", "textarea", "svg", "iframe", "canvas", "object", "head",
}  # fmt: skip
DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog"}
NOISE_MARKERS = re.compile(r"cookie|consent|gdpr|skip-?link|breadcrumb|visually-hidden", re.I)
BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "figure", "figcaption"}


@dataclass(frozen=True)
class PageSource:
    """A file found under an ingested root."""

    root: Path
    path: Path

    @property
    def page_id(self) -> str:
        return self.path.relative_to(self.root).as_posix()


@dataclass(frozen=True)
class LoadFailure:
    path: str
    reason: str


def find_pages(path: Path) -> tuple[Path, list[PageSource]]:
    """(root, pages) for a folder (recursive) or a single file (root = its folder)."""
    path = Path(path).resolve()
    if path.is_file():
        return path.parent, [PageSource(path.parent, path)]
    found = [
        PageSource(path, p)
        for p in sorted(path.rglob("*"))
        if p.is_file()
        and p.suffix.lower() in PAGE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
    ]
    return path, found


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def load_page(source: PageSource, raw: bytes | None = None) -> Page | LoadFailure:
    """A `Page` for source, or a `LoadFailure` saying why it was skipped."""
    try:
        if raw is None:
            raw = source.path.read_bytes()
        fields = parse_page(raw, source.path.suffix.lower())
    except (OSError, ValueError) as exc:
        return LoadFailure(str(source.path), str(exc) or type(exc).__name__)
    title = fields.pop("title") or source.path.stem.replace("-", " ").replace("_", " ")
    return Page(
        page_id=source.page_id,
        root=str(source.root),
        title=title,
        content_hash=content_hash(raw),
        **fields,
    )


def parse_page(raw: bytes, suffix: str) -> dict[str, Any]:
    """Fields for a Page (title, url, site_path, service_area, updated, body, metadata).

    Raises ValueError when the bytes are not a readable page.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if "\x00" in text:
        raise ValueError("binary file, not a text page")
    meta, text = split_front_matter(text)
    if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and _looks_like_html(text)):
        html_meta, body, html_title = html_to_markdown(text)
        meta = {**html_meta, **meta}
        heading_title = _first_heading(body)
        title = meta.get("title") or heading_title or html_title
    else:
        body = text.strip()
        title = meta.get("title") or _first_heading(body)
    if not body.strip():
        raise ValueError("no readable text")
    url = meta.get("source_url") or meta.get("url")
    updated = meta.get("updated") or meta.get("public_updated_at")
    extra = {k: v for k, v in meta.items() if k not in KNOWN_KEYS}
    return {
        "title": _clean(str(title)) if title else None,
        "url": safe_link(url),  # never a javascript: (or any non-http) link
        "site_path": _str_or_none(meta.get("site_path")),
        "service_area": _str_or_none(meta.get("service_area")),
        "updated": _str_or_none(updated),
        "body": body,
        "metadata": _json_safe(extra),
    }


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise ValueError(f"front-matter is not valid YAML{where}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ValueError("front-matter is not a mapping of keys to values")
    return {str(k): v for k, v in meta.items()}, text[match.end() :]


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _first_heading(body: str) -> str | None:
    for line in body.splitlines():
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*(?:\{#[^}]*\})?\s*$", line)
        if m and m.group(1).strip():
            return _clean(m.group(1))
    return None


def _looks_like_html(text: str) -> bool:
    return bool(re.match(r"\s*(<!doctype html|<html|<head|<body)", text, re.I))


# --- HTML -> Markdown-ish -----------------------------------------------------------------------


def html_to_markdown(html: str) -> tuple[dict[str, Any], str, str | None]:
    """(metadata from <head>, body text, <title>) with page chrome removed."""
    soup = BeautifulSoup(html, "html.parser")
    meta = _head_metadata(soup)
    title_tag = soup.find("title")
    html_title = _clean(title_tag.get_text()) if title_tag else None
    if html_title and " | " in html_title:  # "Page | Council name"
        html_title = html_title.split(" | ")[0].strip()
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    root = soup.find("main") or soup.find(attrs={"role": "main"}) or soup.find("article")
    root = root or soup.body or soup
    for tag in list(root.find_all(True)):
        if tag.decomposed:
            continue
        if tag.name == "header" and tag.find("h1") and root.name in ("main", "article"):
            continue  # an article's own header holds its title
        if _is_noise(tag):
            tag.decompose()
    lines = _render_blocks(root)
    body = "\n".join(lines)
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    return meta, body, html_title


def _head_metadata(soup: BeautifulSoup) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    canonical = soup.find("link", rel=lambda r: r and "canonical" in r)
    if canonical and canonical.get("href", "").startswith(("http://", "https://")):
        meta["source_url"] = canonical["href"].strip()
    names = {
        "service_area": ("service_area", "service-area", "townhall:service_area"),
        "updated": ("dcterms.modified", "article:modified_time", "last-modified", "updated"),
    }
    for tag in soup.find_all("meta"):
        name = (tag.get("name") or tag.get("property") or "").lower()
        content = (tag.get("content") or "").strip()
        for key, accepted in names.items():
            if name in accepted and content and key not in meta:
                meta[key] = content
    return meta


def _is_noise(tag: Tag) -> bool:
    if tag.name in DROP_TAGS:
        return True
    attrs = tag.attrs or {}
    if attrs.get("hidden") is not None or attrs.get("aria-hidden") == "true":
        return True
    if (attrs.get("role") or "").lower() in DROP_ROLES:
        return True
    marker = " ".join([attrs.get("id") or "", " ".join(attrs.get("class") or [])])
    marker += " " + (attrs.get("aria-label") or "")
    return bool(NOISE_MARKERS.search(marker))


def _inline(node: Any) -> str:
    """Inline text of node with links as [text](href) and bold kept."""
    if isinstance(node, NavigableString):
        return str(node)
    if not isinstance(node, Tag):
        return ""
    if node.name == "br":
        return "\n"
    inner = "".join(_inline(c) for c in node.children)
    if node.name == "a" and node.get("href"):
        text = _clean(inner)
        href = node["href"].strip()
        if text and not href.startswith(("#", "javascript:")):
            return f"[{text}]({href})"
        return text
    if node.name in ("strong", "b") and _clean(inner):
        return f"**{_clean(inner)}**"
    return inner


def _render_blocks(node: Tag, depth: int = 0) -> list[str]:
    """Block-level rendering: headings, paragraphs, lists, definition lists, tables."""
    out: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = _clean("".join(buffer))
        buffer.clear()
        if text:
            out.extend([text, ""])

    for child in node.children:
        if isinstance(child, NavigableString):
            buffer.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if re.fullmatch(r"h[1-6]", name or ""):
            flush()
            text = _clean(_inline(child))
            if text:
                anchor = child.get("id")
                suffix = f" {{#{anchor}}}" if anchor else ""
                out.extend([f"{'#' * int(name[1])} {text}{suffix}", ""])
        elif name in ("ul", "ol"):
            flush()
            out.extend(_render_list(child, depth))
            out.append("")
        elif name == "dl":
            flush()
            for item in child.find_all(["dt", "dd"], recursive=False):
                text = _clean(_inline(item))
                if text:
                    out.extend([f"**{text}**" if item.name == "dt" else text, ""])
        elif name == "table":
            flush()
            for row in child.find_all("tr"):
                cells = [_clean(_inline(c)) for c in row.find_all(["th", "td"])]
                if any(cells):
                    out.append("| " + " | ".join(cells) + " |")
            out.append("")
        elif name == "p":
            flush()
            text = _clean(_inline(child))
            if text:
                out.extend([text, ""])
        elif name in BLOCK_TAGS or child.find(["p", "ul", "ol", "h1", "h2", "h3", "table", "dl"]):
            flush()
            out.extend(_render_blocks(child, depth))
        else:
            buffer.append(_inline(child))
    flush()
    return out


def _render_list(node: Tag, depth: int) -> list[str]:
    lines = []
    ordered = node.name == "ol"
    for number, item in enumerate(node.find_all("li", recursive=False), start=1):
        nested = item.find_all(["ul", "ol"], recursive=False)
        for sub in nested:
            sub.extract()
        text = _clean(_inline(item))
        marker = f"{number}." if ordered else "-"
        if text:
            lines.append(f"{'  ' * depth}{marker} {text}")
        for sub in nested:
            lines.extend(_render_list(sub, depth + 1))
    return lines


def iter_pages(path: Path) -> Iterator[Page | LoadFailure]:
    """Pages or LoadFailures for everything under path (convenience for scripts)."""
    _root, sources = find_pages(path)
    for source in sources:
        yield load_page(source)
