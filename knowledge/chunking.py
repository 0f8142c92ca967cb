"""Heading-aware chunking: pieces small enough to embed, never mixing two sections.

A section starts at a Markdown heading, or at a line that is bold on its own (the way FAQ pages
mark their questions). Each chunk keeps its page title, heading path and a link to its section.
A list stays with the sentence that introduces it; a long list is split into groups that each
repeat that lead-in, so no item loses its meaning.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from knowledge.types import Chunk, Page

__all__ = ["MAX_TOKENS", "Section", "chunk_page", "estimate_tokens", "plain_text", "split_sections"]

MAX_TOKENS = 200  # the model reads 256 word pieces; leave room for the title and headings
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*(?:\{#([^}\s]+)\})?\s*$")
BOLD_LINE = re.compile(r"^(?:\*\*|__)(?P<text>[^*_].*?)(?:\*\*|__)\s*:?\s*$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
FENCE = re.compile(r"^\s*(```|~~~)")
PSEUDO_LEVEL = 7  # bold-line "headings" sit below every real heading
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
TABLE_RULE = re.compile(r"^\|[\s:|-]+\|?\s*$")
# A table's delimiter row, with or without its outer pipes ("|---|---|" or "---|---|---")
TABLE_DELIMITER = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?$")
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=[A-Z0-9\"'(])")


@dataclass
class Section:
    heading_path: tuple[str, ...]
    section: str
    anchor: str | None
    lines: list[str] = field(default_factory=list)
    bold_line: bool = False  # started by a bold line rather than a heading


def slugify(text: str) -> str:
    """The heading id GOV.UK's and LocalGov sites' Markdown (kramdown auto ids) give a heading,
    so a source link's `#fragment` lands on the council's own section: accents folded, leading
    characters up to the first letter dropped, everything but letters, digits, spaces and
    hyphens removed, spaces to hyphens, lower case ("2. Who can apply?" -> "who-can-apply").
    An id written on the page (`{#id}`, or an HTML heading's `id`) always wins over this."""
    text = unicodedata.normalize("NFKD", plain_text(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"^[^a-zA-Z]+", "", text.strip())
    text = re.sub(r"[^a-zA-Z0-9 -]", "", text)
    return text.replace(" ", "-").lower()


def plain_text(text: str) -> str:
    """Text as a reader sees it: link targets and emphasis marks removed."""
    text = LINK.sub(r"\1", text)
    text = re.sub(r"\*\*|__|`", "", text)
    return re.sub(r"\{#[^}\s]+\}", "", text)


def estimate_tokens(text: str) -> int:
    """Roughly the MiniLM word pieces in text (words x 1.3, punctuation counted once)."""
    words = re.findall(r"\w+", plain_text(text))
    marks = re.findall(r"[^\w\s]", plain_text(text))
    return int(len(words) * 1.3) + len(marks)


def split_sections(body: str) -> list[Section]:
    """The page's sections in order; text before the first heading is a section with no path."""
    sections = [Section((), "", None)]
    stack: list[tuple[int, str, str | None]] = []  # (level, text, anchor)
    used: dict[str, int] = {}
    in_fence = False
    lines = body.splitlines()
    for i, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _heading(line, lines, i)
        if heading is None:
            sections[-1].lines.append(line)
            continue
        level, text, explicit = heading
        anchor = None
        if level < PSEUDO_LEVEL:
            anchor = explicit or _unique(slugify(text), used)
        while stack and stack[-1][0] >= level:
            stack.pop()
        if anchor is None:  # a bold-line section links to its enclosing real heading
            anchor = next((a for lvl, _, a in reversed(stack) if a), None)
        stack.append((level, text, anchor))
        sections.append(Section(tuple(t for _, t, _ in stack), text, anchor))
        sections[-1].bold_line = level == PSEUDO_LEVEL
    for section in sections:
        if section.bold_line and not "".join(section.lines).strip():
            section.lines = [f"**{section.section}**"]  # bold text standing alone stays text
    return [s for s in sections if "".join(s.lines).strip()]


def _heading(line: str, lines: list[str], i: int) -> tuple[int, str, str | None] | None:
    m = HEADING.match(line)
    if m and m.group(2).strip():
        return len(m.group(1)), _clean(plain_text(m.group(2))), m.group(3)
    m = BOLD_LINE.match(line.strip())
    if not m:
        return None
    before = lines[i - 1].strip() if i > 0 else ""
    after = lines[i + 1].strip() if i + 1 < len(lines) else ""
    text = _clean(plain_text(m.group("text")))
    if before or after.startswith(("-", "*", "|")) or not text or len(text.split()) > 25:
        return None  # bold text inside a paragraph or introducing a list is not a heading
    return PSEUDO_LEVEL, text, None


def _unique(slug: str, used: dict[str, int]) -> str | None:
    if not slug:
        return None
    count = used.get(slug, 0)
    used[slug] = count + 1
    return slug if count == 0 else f"{slug}-{count}"


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- units: paragraphs, and lists with their lead-in -----------------------------------------


@dataclass
class _Unit:
    lead: str  # paragraph text, or the sentence introducing items
    items: list[str]

    def text(self) -> str:
        return "\n".join([self.lead, *self.items] if self.lead else self.items)


def pipe_rows(lines: list[str]) -> list[str]:
    """Every row of a table starts with a pipe. Markdown lets a table leave out its outer pipes
    (pages converted from GOV.UK's HTML do: "| 2023 | 2024", "---|---|---", "Living with your
    parents | £8,400 | £8,610"); unmarked, those rows were read as one paragraph, so the whole
    table became one unit and the row a resident asked about could not be quoted alone."""
    out = list(lines)
    in_table = False
    for n, line in enumerate(out):
        text = line.strip()
        if TABLE_DELIMITER.match(text) and n > 0 and "|" in out[n - 1]:
            in_table = True
            for k in (n - 1, n):
                if not out[k].lstrip().startswith("|"):
                    out[k] = "| " + out[k].strip()
        elif in_table and "|" in text:
            if not text.startswith("|"):
                out[n] = "| " + text
        else:
            in_table = False
    return out


def _units(lines: list[str]) -> list[_Unit]:
    blocks: list[list[str]] = [[]]
    in_fence = False
    for line in pipe_rows(lines):
        if FENCE.match(line):
            in_fence = not in_fence
        if not line.strip() and not in_fence:
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line.rstrip())
    units: list[_Unit] = []
    for block in (b for b in blocks if b):
        first_item = next(
            (n for n, ln in enumerate(block) if LIST_ITEM.match(ln) or ln.startswith("|")), None
        )
        if first_item is None:
            units.append(_Unit(_clean(" ".join(block)), []))
            continue
        lead = _clean(" ".join(block[:first_item]))
        items = [i for i in _join_continuations(block[first_item:]) if not TABLE_RULE.match(i)]
        previous = units[-1] if units else None
        if not lead and previous is not None and not previous.items:
            units.pop()  # the paragraph just before a list is its lead-in
            lead = previous.lead
        elif not lead and previous is not None and previous.items:
            previous.items.extend(items)  # a list broken by a blank line is still one list
            continue
        if items and items[0].startswith("|") and len(items) > 1:
            lead, items = "\n".join(filter(None, [lead, items[0]])), items[1:]  # header row
        units.append(_Unit(lead, items))
    return units


def _join_continuations(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        if items and not LIST_ITEM.match(line) and not line.startswith("|"):
            items[-1] += " " + line.strip()
        else:
            items.append(line)
    return items


def _sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def _pieces(unit: _Unit, max_tokens: int) -> list[str]:
    """unit as one text, or split into parts of at most ~max_tokens."""
    if estimate_tokens(unit.text()) <= max_tokens:
        return [unit.text()]
    if not unit.items:
        return _pack(_split_long(_sentences(unit.lead), max_tokens), max_tokens, " ")
    lead_in = unit.lead
    if estimate_tokens(lead_in) > max_tokens // 2:
        sentences = _sentences(lead_in)
        head = _pack(_split_long(sentences[:-1], max_tokens), max_tokens, " ")
        lead_in = sentences[-1] if sentences else ""
    else:
        head = []
    budget = max(max_tokens - estimate_tokens(lead_in), max_tokens // 3)
    groups = _pack(_split_long(unit.items, budget), budget, "\n")
    return head + ["\n".join([lead_in, g]) if lead_in else g for g in groups]


def _split_long(parts: list[str], max_tokens: int) -> list[str]:
    """Parts, with any part over max_tokens cut at word boundaries."""
    out: list[str] = []
    for part in parts:
        words = part.split(" ")
        while estimate_tokens(" ".join(words)) > max_tokens and len(words) > 1:
            take = max(1, int(max_tokens / 1.6))
            out.append(" ".join(words[:take]))
            words = words[take:]
        out.append(" ".join(words))
    return out


def _pack(parts: list[str], max_tokens: int, joiner: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for part in parts:
        if current and estimate_tokens(joiner.join([*current, part])) > max_tokens:
            out.append(joiner.join(current))
            current = []
        current.append(part)
    if current:
        out.append(joiner.join(current))
    return out


def chunk_page(page: Page, max_tokens: int = MAX_TOKENS) -> list[Chunk]:
    """The page's chunks in reading order, with ids `<page key>-<content hash>-<n>`."""
    key = hashlib.sha256(f"{page.root}\0{page.page_id}".encode()).hexdigest()[:16]
    chunks: list[Chunk] = []
    for section in split_sections(page.body):
        texts = _pack(
            [p for u in _units(section.lines) for p in _pieces(u, max_tokens)], max_tokens, "\n\n"
        )
        for text in texts:
            if not plain_text(text).strip():
                continue
            chunks.append(
                Chunk(
                    chunk_id=f"{key}-{page.content_hash[:16]}-{len(chunks):04d}",
                    page_id=page.page_id,
                    title=page.title,
                    heading_path=section.heading_path,
                    section=section.section,
                    anchor=section.anchor,
                    url=page.url,
                    section_url=_section_url(page.url, section.anchor),
                    text=text,
                    service_area=page.service_area,
                    content_hash=page.content_hash,
                )
            )
    return chunks


def _section_url(url: str | None, anchor: str | None) -> str | None:
    if not url:
        return None
    base = url.split("#", 1)[0]
    return f"{base}#{anchor}" if anchor else base


def context_text(chunk: Chunk) -> str:
    """What the indexes see: title and headings (the words residents search by), then text."""
    path = [h for h in chunk.heading_path if h != chunk.title]
    head = " > ".join([chunk.title, *path]) if chunk.title else " > ".join(path)
    return f"{head}\n{plain_text(chunk.text)}" if head else plain_text(chunk.text)
