"""Content gaps: which questions the council's pages fail to answer, grouped by topic.

The questions come from the queue: escalated because the pages did not cover them or Townhall
was not confident (`not_covered`, `low_confidence`), answers residents said did not help
(`feedback`), and drafts staff rejected. Their (redacted) questions are embedded with the same
MiniLM model the knowledge base uses and grouped with scikit-learn's agglomerative clustering
(cosine distance, average linkage, a distance threshold fitted on our own labelled questions:
`gaps_fit.json`, refit with `scripts/fit_gap_clusters.py`). Each group shows how many asked,
examples, the pages that came closest (the sections retrieved for them) and the service area.
This is how the queue improves the pages, not only how it answers one resident.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import and_, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chatbot.escalation import question_parts
from chatbot.records import ReviewItem
from knowledge.indexes import STOPWORDS
from review_ui.labels import route_label, service_area_label

FIT_FILE = Path(__file__).with_name("gaps_fit.json")
GAP_ROUTES = ("not_covered", "low_confidence", "feedback")
NOT_GAPS = ("urgent", "own_case", "out_of_scope")  # a person's case, or not council business
WHY = {
    "not_covered": "Not on our pages",
    "low_confidence": "Not sure of the answer",
    "feedback": "Resident said the answer did not help",
    "rejected": "Staff rejected the draft",
}
MAX_QUESTIONS = 5_000
EXAMPLES = 5
EXTRA_STOPWORDS = frozenset(
    """also anyone anything ask asked back bit can council could day days does dont else
    even find get getting give go going got hi hello im ive just know let like lot make many
    may much need needs new one please really right say still sure tell thanks thank there
    theyre thing things think time want way week weeks well whats would yes year years""".split()
)


def fitted_threshold() -> float:
    """The cosine distance under which questions join one topic (see module doc)."""
    try:
        return float(json.loads(FIT_FILE.read_text())["distance_threshold"])
    except (OSError, ValueError, KeyError):
        return 0.6


@dataclass
class GapQuestion:
    reference: str
    question: str
    why: str  # a key of WHY
    service_area: str | None
    pages: list[dict[str, Any]]  # the sections retrieved for it: title, page, url
    created_at: datetime


@dataclass
class ClosePage:
    title: str
    page: str
    url: str | None
    questions: int  # how many of the group's questions it came up for


@dataclass
class GapCluster:
    size: int
    key_words: list[str]
    service_area: str  # a label
    examples: list[str]
    references: list[str]
    closest_pages: list[ClosePage]
    why: dict[str, int]  # label -> count
    newest: datetime | None = None


@dataclass
class GapReport:
    since: datetime | None
    questions: int
    clusters: list[GapCluster] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["since"] = self.since.isoformat() if self.since else None
        for cluster in out["clusters"]:
            cluster["newest"] = cluster["newest"].isoformat() if cluster["newest"] else None
        return out

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            ["topic", "questions", "service area", "key words", "why", "example questions"]
            + ["closest pages", "references"]
        )
        for n, c in enumerate(self.clusters, 1):
            writer.writerow(
                [
                    n,
                    c.size,
                    c.service_area,
                    ", ".join(c.key_words),
                    "; ".join(f"{why}: {count}" for why, count in c.why.items()),
                    " | ".join(c.examples),
                    " | ".join(f"{p.title} ({p.page}, {p.questions})" for p in c.closest_pages),
                    " ".join(c.references),
                ]
            )
        return buffer.getvalue()


def gap_questions(
    engine: Engine, since: datetime | None = None, limit: int = MAX_QUESTIONS
) -> list[GapQuestion]:
    """Every question in the period the pages failed: routed to staff as not covered or not
    confident, a "no" from a resident, or a draft staff rejected (not urgent messages, not a
    resident's own case, not out-of-scope chatter)."""
    query = select(ReviewItem).where(
        or_(
            col(ReviewItem.route).in_(GAP_ROUTES),
            and_(ReviewItem.status == "rejected", col(ReviewItem.route).not_in(NOT_GAPS)),
        ),
        ReviewItem.priority != 0,
    )
    if since is not None:
        query = query.where(col(ReviewItem.created_at) >= since)
    query = query.order_by(col(ReviewItem.created_at).desc()).limit(limit)
    with Session(engine) as db:
        items = list(db.exec(query).all())
    return [
        GapQuestion(
            reference=i.reference,
            question=part,
            why="rejected" if i.status == "rejected" and i.route not in GAP_ROUTES else i.route,
            service_area=i.service_area,
            pages=_pages(i.sources),
            created_at=i.created_at,
        )
        for i in items
        # A message with several questions counts once per question, each under its topic
        # (the same split the pipeline answers them by).
        for part in question_parts(i.question)
    ]


def _pages(sources: Any) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for s in sources or []:
        if isinstance(s, dict) and s.get("page") and s["page"] not in seen:
            seen[s["page"]] = {
                "title": s.get("title") or s["page"],
                "page": s["page"],
                "url": s.get("url"),
            }
    return list(seen.values())


def cluster_questions(vectors: np.ndarray, threshold: float) -> list[int]:
    """A topic label per question: agglomerative clustering, cosine distance, average
    linkage, cut at `threshold`."""
    if len(vectors) == 0:
        return []
    if len(vectors) == 1:
        return [0]
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    return [int(x) for x in model.fit_predict(np.asarray(vectors, dtype=np.float32))]


def build_report(
    questions: Sequence[GapQuestion],
    embedder: Any,
    *,
    since: datetime | None = None,
    threshold: float | None = None,
) -> GapReport:
    """Group the questions by topic, biggest group first."""
    report = GapReport(since=since, questions=len({q.reference for q in questions}))
    if not questions:
        return report
    vectors = np.asarray(embedder.embed([q.question for q in questions]), dtype=np.float32)
    labels = cluster_questions(vectors, fitted_threshold() if threshold is None else threshold)
    groups: dict[int, list[GapQuestion]] = {}
    for label, question in zip(labels, questions, strict=True):
        groups.setdefault(label, []).append(question)
    document_frequency = Counter(w for q in questions for w in set(_words(q.question)))
    clusters = [_cluster(g, document_frequency, len(questions)) for g in groups.values()]
    clusters.sort(key=lambda c: (-c.size, -(c.newest.timestamp() if c.newest else 0)))
    report.clusters = clusters
    return report


def _cluster(group: list[GapQuestion], df: Counter[str], total: int) -> GapCluster:
    group = sorted(group, key=lambda q: q.created_at, reverse=True)
    counts = Counter(w for q in group for w in set(_words(q.question)))
    scored = sorted(
        counts.items(), key=lambda kv: (-kv[1] * math.log(1 + total / df[kv[0]]), kv[0])
    )
    key_words = [w for w, n in scored if n > 1 or len(group) == 1][:4]
    messages = list({q.reference: q for q in reversed(group)}.values())  # one per message
    pages: dict[str, ClosePage] = {}
    for q in messages:
        for p in q.pages:
            close = pages.setdefault(p["page"], ClosePage(p["title"], p["page"], p.get("url"), 0))
            close.questions += 1
    closest = sorted(pages.values(), key=lambda p: (-p.questions, p.title))[:3]
    areas = Counter(q.service_area for q in messages if q.service_area)
    examples = list(dict.fromkeys(" ".join(q.question.split()) for q in group))[:EXAMPLES]
    references = list(dict.fromkeys(q.reference for q in group))
    return GapCluster(
        size=len(references),  # residents' messages (two parts of one count once)
        key_words=key_words,
        service_area=service_area_label(areas.most_common(1)[0][0] if areas else None),
        examples=examples,
        references=references,
        closest_pages=closest,
        why={
            WHY.get(k, route_label(k)): n for k, n in Counter(q.why for q in messages).most_common()
        },
        newest=group[0].created_at,
    )


def _words(text: str) -> list[str]:
    words = re.findall(r"[a-z][a-z'-]+", re.sub(r"<[A-Z_]+>", " ", text).lower())
    return [
        w.strip("'-")
        for w in words
        if len(w) > 2 and w not in STOPWORDS and w.strip("'-") not in EXTRA_STOPWORDS
    ]


_SINCE = re.compile(r"^(\d{1,4})([hdw])$")


def parse_since(value: str) -> int | None:
    """'30d', '12h', '2w' -> hours; 'all' -> None. ValueError for anything else."""
    value = value.strip().lower()
    if value == "all":
        return None
    match = _SINCE.match(value)
    if not match or int(match.group(1)) == 0:
        raise ValueError("--since takes a number and a unit, like 30d, 12h or 2w (or all)")
    return int(match.group(1)) * {"h": 1, "d": 24, "w": 24 * 7}[match.group(2)]
