"""One renderer for every answer a resident reads (the chat page, the widget and the answers
page): an answer's plain text as HTML, and its sources grouped by page.

The plain text is what the API's `reply` holds: paragraphs one per line, list items as "- "
lines under their lead-in, table rows as "a | b" items, links as "words (address)". The HTML
keeps that structure: real lists and tables, links (only where `LinkPolicy` allows), phone
numbers as `tel:` and email addresses as `mailto:` links. Everything else is escaped text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from chatbot.links import EMAIL, PHONE, LinkPolicy, tel_href

if TYPE_CHECKING:
    from knowledge.catalogue import PageCatalogue

__all__ = ["AnswerRenderer", "PageSources", "SectionLink", "group_sources", "page_date"]

LIST_ITEM = re.compile(r"^\s*(?:(?P<bullet>[-*•])|(?P<number>\d{1,3})[.)])\s+")
PAREN_URL = re.compile(r"\((?P<url>(?:https?://|/)[^\s()<>]*[^\s()<>.,;:!?])\)")
BARE_URL = re.compile(r"(?<![\w/(])(?:https?://|www\.)[^\s<>()\"']*[^\s<>()\"'.,;:!?]")


class AnswerRenderer:
    """Turns answer text into safe HTML; `link_labels` (address -> the words pages link from
    it) lets "apply online (https://...)" become a link on "apply online"."""

    def __init__(
        self,
        policy: LinkPolicy,
        link_labels: dict[str, frozenset[str]] | None = None,
        *,
        new_tab: bool = False,
    ) -> None:
        self.policy = policy
        self.link_labels = link_labels or {}
        self.new_tab = new_tab

    def html(self, text: str | None) -> Markup:
        """The answer as HTML blocks: paragraphs, lists, tables."""
        if not text:
            return Markup("")
        out: list[str] = []
        for kind, lines in _blocks(text):
            if kind == "p":
                out.append(f'<p class="govuk-body">{self.inline(lines[0])}</p>')
            else:
                out.append(self._list(lines, ordered=kind == "ol"))
        return Markup("\n".join(out))

    def _list(self, items: list[str], ordered: bool) -> str:
        rows = [[c.strip() for c in item.split(" | ")] for item in items]
        if len(rows) >= 2 and len(rows[0]) >= 2 and all(len(r) == len(rows[0]) for r in rows):
            return self._table(rows)
        tag, style = ("ol", "govuk-list--number") if ordered else ("ul", "govuk-list--bullet")
        lis = "".join(f"<li>{self.inline(item)}</li>" for item in items)
        return f'<{tag} class="govuk-list {style}">{lis}</{tag}>'

    def _table(self, rows: list[list[str]]) -> str:
        head = "".join(
            f'<th scope="col" class="govuk-table__header">{self.inline(c)}</th>' for c in rows[0]
        )
        body = "".join(
            '<tr class="govuk-table__row">'
            + "".join(
                f'<th scope="row" class="govuk-table__header">{self.inline(c)}</th>'
                if n == 0
                else f'<td class="govuk-table__cell">{self.inline(c)}</td>'
                for n, c in enumerate(row)
            )
            + "</tr>"
            for row in rows[1:]
        )
        return (
            '<table class="govuk-table th-answer-table">'
            f'<thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>'
            f'<tbody class="govuk-table__body">{body}</tbody></table>'
        )

    def inline(self, text: str) -> Markup:
        """One line: escaped text with links, `tel:` and `mailto:` links."""
        spans = self._spans(text)
        out: list[str] = []
        at = 0
        for start, end, html in spans:
            out.append(str(escape(text[at:start])))
            out.append(html)
            at = end
        out.append(str(escape(text[at:])))
        return Markup("".join(out))

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e, _ in spans)

        for m in PAREN_URL.finditer(text):
            url = m.group("url")
            target = self.policy.resolve(url)
            label = self._label_before(text[: m.start()], url)
            if target is None:
                if label is not None:  # a link we may not make: keep the words, drop the address
                    spans.append((m.start() - 1, m.end(), ""))
                continue
            if label is not None:
                start = m.start() - len(label) - 1
                spans.append((start, m.end(), self._a(target, label)))
            else:
                spans.append((m.start() + 1, m.end() - 1, self._a(target, url)))
        for m in BARE_URL.finditer(text):
            target = self.policy.resolve(m.group())
            if target is not None and free(m.start(), m.end()):
                spans.append((m.start(), m.end(), self._a(target, m.group())))
        for m in EMAIL.finditer(text):
            if free(m.start(), m.end()):
                spans.append((m.start(), m.end(), self._a(f"mailto:{m.group()}", m.group())))
        for m in PHONE.finditer(text):
            href = tel_href(m.group())
            if href and free(m.start(), m.end()):
                spans.append((m.start(), m.end(), self._a(href, m.group(), tel=True)))
        return sorted(spans)

    def _label_before(self, before: str, url: str) -> str | None:
        """The linked words just before "(url)", when a page links those words to url."""
        stripped = before.rstrip()
        if len(before) - len(stripped) != 1:
            return None
        candidates = sorted(self.link_labels.get(url, ()), key=len, reverse=True)
        for label in candidates:
            if stripped.endswith(label) and (
                len(stripped) == len(label) or not stripped[-len(label) - 1].isalnum()
            ):
                return label
        return None

    def _a(self, href: str, text: str, *, tel: bool = False) -> str:
        extra = ""
        if self.new_tab and not tel and not href.startswith("mailto:"):
            extra = ' target="_blank" rel="noopener noreferrer"'
        cls = "govuk-link th-phone" if tel else "govuk-link"
        return f'<a class="{cls}" href="{escape(href)}"{extra}>{escape(text)}</a>'


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """("p", [line]) paragraphs and ("ul"|"ol", [items]) lists, in order."""
    blocks: list[tuple[str, list[str]]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = LIST_ITEM.match(line)
        if m:
            kind = "ol" if m.group("number") else "ul"
            item = line[m.end() :].strip()
            if blocks and blocks[-1][0] == kind:
                blocks[-1][1].append(item)
            else:
                blocks.append((kind, [item]))
        else:
            blocks.append(("p", [line]))
    return blocks


# --- sources ---------------------------------------------------------------------------------


@dataclass
class SectionLink:
    label: str
    href: str | None


@dataclass
class PageSources:
    """One page an answer used, with the sections quoted and when the page was last updated."""

    title: str
    href: str | None
    updated: date | None = None
    sections: list[SectionLink] = field(default_factory=list)

    @property
    def single_section(self) -> SectionLink | None:
        return self.sections[0] if len(self.sections) == 1 else None


def group_sources(
    sources: Iterable[dict[str, Any]],
    catalogue: PageCatalogue | None,
    policy: LinkPolicy | None = None,
) -> list[PageSources]:
    """Sources de-duplicated by page, in first-use order; each section links to its heading
    (`#id`, as the page's own site builds it) when the id is known, else to the page."""
    pages: dict[str, PageSources] = {}
    for source in sources:
        page_id = str(source.get("page") or source.get("url") or source.get("title") or "")
        entry = catalogue.get(source.get("page")) if catalogue is not None else None
        url = source.get("url") or (entry.url if entry else None)
        if url and policy is not None and policy.resolve(url) is None and entry is None:
            url = None  # an address that is neither an ingested page nor the council's
        if url and not str(url).lower().startswith(("http://", "https://")):
            url = None
        title = str(source.get("title") or (entry.title if entry else "") or "")
        group = pages.get(page_id)
        if group is None:
            group = pages[page_id] = PageSources(
                title=title, href=url, updated=page_date(entry.updated if entry else None)
            )
        section = str(source.get("section") or "")
        if not section or section == title or any(s.label == section for s in group.sections):
            continue
        anchor = entry.anchors.get(section) if entry else None
        href = f"{url.split('#', 1)[0]}#{anchor}" if url and anchor else url
        group.sections.append(SectionLink(section, href))
    return list(pages.values())


def page_date(value: str | None) -> date | None:
    """The date part of a page's `updated` value (ISO date or timestamp), or None."""
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


Renderer = Callable[[str | None], Markup]
