"""A council website for the site-sync tests: `../shared/corpus` rendered as HTML pages.

Run as a separate process by the tests (`python tests/knowledge/council_site.py --port 0`); it
prints `READY <port>` when listening and is stopped by its process id. Every page carries the
chrome a real council site has (skip link, header, navigation, cookie banner, breadcrumbs, a
feedback form, footer), a canonical link and a last-modified date; the site has robots.txt and a
sitemap index. ETag / Last-Modified conditional requests answer 304.

Test fixtures of our own (written for these tests, not from the corpus), under /extra/:
slow-page (answers after a delay), flaky-page (503 twice, then 200), missing-page (listed, 404),
changing-page (new text after `POST /_control/phase?n=2`), leaving-page (gone from the sitemap,
and 404, in phase 2); /staff-only/rota is listed but disallowed by robots.txt.
`GET /_stats` returns the status codes served per path; `POST /_control/reset-stats` clears them.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import sys
import threading
import time
from collections import Counter, defaultdict
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml
from markdown_it import MarkdownIt

SITE_NAME = "Brackenvale Borough Council"
LAST_MODIFIED = "Mon, 06 Jan 2025 09:00:00 GMT"
SLOW_SECONDS = 1.5

EXTRA_PAGES = {
    "slow-page": (
        "Garden waste collection calendar",
        "## Collection weeks\n\nGarden waste is collected every other Wednesday from March to "
        "November. Put the brown bin out by 7am.\n\n## Missed collections\n\nReport a missed "
        "garden waste collection within two working days.",
    ),
    "flaky-page": (
        "Allotment waiting list",
        "## Join the waiting list\n\nTo join the allotment waiting list, fill in the form on "
        "this page. The current wait is about 18 months.\n\n## Plot sizes\n\n| plot | yearly "
        "rent |\n|---|---|\n| half plot | £45 |\n| full plot | £80 |",
    ),
    "changing-page": (
        "Christmas opening hours",
        "## Council offices\n\nThe council offices close at noon on 24 December and reopen on "
        "2 January.",
    ),
    "leaving-page": (
        "Consultation on the town centre car parks",
        "## Have your say\n\nThe consultation on car park charges is open until 31 March. "
        "Answer the survey online or at any library.",
    ),
}
CHANGED_TEXT = (
    "## Council offices\n\nThe council offices close at 3pm on 24 December and reopen on "
    "29 December.\n\n## Libraries\n\nLibraries keep their usual hours except on bank holidays."
)
STAFF_ONLY = ("Staff rota", "## Rota\n\nThis page is for staff only.")


def render(title: str, body_md: str, path: str, base: str, nav: list[tuple[str, str]]) -> str:
    """One page with realistic chrome around the main content."""
    md = MarkdownIt("commonmark").enable("table")
    body = md.render(body_md)
    if not body_md.lstrip().startswith("# "):
        body = f"<h1>{html.escape(title)}</h1>\n{body}"
    nav_links = "\n".join(
        f'<li class="nav__item"><a href="{base}{href}">{html.escape(name)}</a></li>'
        for name, href in nav
    )
    section = path.strip("/").split("/")[0]
    return f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} | {SITE_NAME}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="{base}{path}">
<meta name="dcterms.modified" content="2025-01-06">
<link rel="stylesheet" href="/assets/site.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{}}</script>
</head>
<body>
<a href="#main-content" class="skip-link">Skip to main content</a>
<div class="cookie-banner" role="region" aria-label="Cookies on {SITE_NAME}">
  <h2>Cookies on our website</h2>
  <p>We use some essential cookies to make this website work. We would like to set additional
  cookies to understand how you use the site and to improve our services.</p>
  <button type="button">Accept additional cookies</button>
  <button type="button">Reject additional cookies</button>
  <a href="/cookies">View cookies</a>
</div>
<header class="site-header">
  <a href="/" class="site-header__logo">{SITE_NAME}</a>
  <form class="site-search" action="/search"><label for="q">Search this site</label>
  <input id="q" name="q" type="search"><button>Search</button></form>
</header>
<nav class="site-nav" aria-label="Main menu"><ul>
{nav_links}
</ul></nav>
<div class="breadcrumbs"><ol><li><a href="/">Home</a></li>
<li><a href="/{section}/">{html.escape(section)}</a></li></ol></div>
<main id="main-content" class="page">
<article>
{body}
</article>
<div class="feedback">
  <h2>Was this page useful?</h2>
  <form action="/feedback" method="post"><button>Yes</button><button>No</button></form>
  <p><a href="/report-a-problem">Report a problem with this page</a></p>
</div>
</main>
<footer class="site-footer">
  <h2 class="visually-hidden">Support links</h2>
  <ul><li><a href="/accessibility">Accessibility statement</a></li>
  <li><a href="/privacy">Privacy notice</a></li><li><a href="/contact">Contact us</a></li></ul>
  <p>&copy; {SITE_NAME}. Town Hall, Market Square, Brackenvale. Telephone 01632 960000.</p>
</footer>
</body>
</html>
"""


def load_corpus(corpus: Path, only: int | None) -> dict[str, tuple[str, str]]:
    """URL path -> (title, Markdown body) for every corpus page (front-matter dropped)."""
    pages: dict[str, tuple[str, str]] = {}
    files = sorted(corpus.rglob("*.md"))
    if only is not None:
        files = files[:only]
    for f in files:
        text = f.read_text(encoding="utf-8")
        meta: dict = {}
        if text.startswith("---"):
            _, front, text = text.split("---", 2)
            meta = yaml.safe_load(front) or {}
        rel = f.relative_to(corpus).with_suffix("").as_posix()
        pages[f"/{rel}"] = (str(meta.get("title") or f.stem), text.strip())
    return pages


class Site:
    def __init__(self, corpus: Path | None, only: int | None) -> None:
        self.corpus_pages = load_corpus(corpus, only) if corpus else {}
        self.phase = 1
        self.stats: dict[str, Counter[int]] = defaultdict(Counter)
        self.flaky_failures = 0
        self.lock = threading.Lock()
        sections = sorted({p.strip("/").split("/")[0] for p in self.corpus_pages} | {"extra"})
        self.nav = [(s.replace("-", " ").title(), f"/{s}/") for s in sections]

    def pages(self) -> dict[str, tuple[str, str]]:
        pages = dict(self.corpus_pages)
        for slug, (title, body) in EXTRA_PAGES.items():
            if slug == "leaving-page" and self.phase >= 2:
                continue
            if slug == "changing-page" and self.phase >= 2:
                body = CHANGED_TEXT
            pages[f"/extra/{slug}"] = (title, body)
        return pages

    def sitemap_paths(self) -> list[str]:
        return sorted(self.pages()) + ["/extra/missing-page", "/staff-only/rota"]


class Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _base(self) -> str:
        return f"http://{self.headers.get('Host')}"

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html", **headers: str):
        path = urlsplit(self.path).path
        with self.site.lock:
            self.site.stats[path][status] += 1
        self.send_response(status)
        self.send_header("Content-Type", f"{ctype}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        if parts.path == "/_control/phase":
            self.site.phase = int(parse_qs(parts.query).get("n", ["2"])[0])
            self._send(200, b"ok", "text/plain")
        elif parts.path == "/_control/reset-stats":
            with self.site.lock:
                self.site.stats.clear()
            self._send(200, b"ok", "text/plain")
        else:
            self._send(404, b"not found", "text/plain")

    def do_GET(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        base = self._base()
        if path == "/_stats":
            with self.site.lock:
                data = {p: dict(c) for p, c in self.site.stats.items()}
            self._send(200, json.dumps(data).encode(), "application/json")
        elif path == "/robots.txt":
            text = f"User-agent: *\nDisallow: /staff-only/\n\nSitemap: {base}/sitemap.xml\n"
            self._send(200, text.encode(), "text/plain")
        elif path == "/sitemap.xml":
            self._send(200, self._sitemap_index(base).encode(), "application/xml")
        elif path.startswith("/sitemaps/pages-"):
            self._sitemap_part(base, path)
        elif path == "/extra/missing-page":
            self._send(404, b"<h1>Page not found</h1>")
        elif path == "/staff-only/rota":
            self._page(base, path, STAFF_ONLY)
        else:
            page = self.site.pages().get(path.rstrip("/") or "/")
            if page is None:
                self._send(404, b"<h1>Page not found</h1>")
                return
            if path == "/extra/slow-page":
                time.sleep(SLOW_SECONDS)
            if path == "/extra/flaky-page":
                with self.site.lock:
                    self.site.flaky_failures += 1
                    failing = self.site.flaky_failures <= 2
                if failing:
                    self._send(503, b"<h1>Service unavailable</h1>", Retry_After="0")
                    return
            self._page(base, path, page)

    def _page(self, base: str, path: str, page: tuple[str, str]) -> None:
        title, body_md = page
        body = render(title, body_md, path, base, self.site.nav).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        modified = LAST_MODIFIED
        if path == "/extra/changing-page" and self.site.phase >= 2:
            modified = format_datetime(parsedate_to_datetime(LAST_MODIFIED).replace(day=7), True)
        if self.headers.get("If-None-Match") == etag:
            self._send(304, ETag=etag, Last_Modified=modified)
            return
        self._send(200, body, ETag=etag, Last_Modified=modified)

    def _sitemap_index(self, base: str) -> str:
        parts = "".join(
            f"<sitemap><loc>{base}/sitemaps/pages-{n}.xml</loc></sitemap>" for n in (1, 2)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{parts}'
            "</sitemapindex>"
        )

    def _sitemap_part(self, base: str, path: str) -> None:
        paths = self.site.sitemap_paths()
        half = len(paths) // 2
        chosen = paths[:half] if path.endswith("-1.xml") else paths[half:]
        urls = "".join(
            f"<url><loc>{base}{p}</loc><lastmod>2025-01-06</lastmod></url>" for p in chosen
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        )
        self._send(200, xml.encode(), "application/xml")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--only", type=int, help="serve only the first N corpus pages")
    args = parser.parse_args()
    Handler.site = Site(args.corpus, args.only)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"READY {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
