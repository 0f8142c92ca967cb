"""Judging one case: did the reply cite the right page, hold the key facts, escalate when it should.

Pure functions over plain values, so every rule can be checked by hand (tests/evals). The
definitions follow EVAL_FORMAT.md and CONTRACTS.md; `metrics.py` turns these per-case scores into
the rates of `summary.json`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from evals.datasets import QuestionCase, RedactionCase

# Routes whose outcome the confidence threshold decides: moving the threshold turns one into the
# other. Urgent, out-of-scope, own-case and greeting routes are decided before confidence.
CONFIDENCE_ROUTES = frozenset({"answer", "low_confidence", "not_covered"})

_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    may might must shall us get got yes let lets",
    """.split()
)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_URL = re.compile(r"https?://\S+|www\.\S+")
_WORD = re.compile(r"[0-9a-z£]+")


@dataclass
class QuestionOutcome:
    """What the pipeline did with one question (plain values, copied from a ChatResult)."""

    status: str
    reply: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    confidence: float | None = None
    route: str = ""
    draft_answer: str | None = None
    draft_sources: list[dict[str, Any]] = field(default_factory=list)  # the escalated draft's
    retrieved_pages: list[dict[str, Any]] = field(default_factory=list)  # distinct, best first
    latency_ms: float | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)  # per pipeline step
    answer_report: dict[str, Any] = field(default_factory=dict)  # chat model and guard
    facts: dict[str, Any] = field(default_factory=dict)  # fact type asked and found
    signals: dict[str, float] = field(default_factory=dict)  # the confidence's parts
    urgent_categories: list[str] = field(default_factory=list)  # status urgent: risks found


@dataclass
class QuestionScore:
    id: str
    tags: tuple[str, ...]
    expect: str
    answered: bool
    retrieval_rank: int | None = None  # 1-based rank of the first expected page; None: not found
    retrieval_judged: bool = False  # an `answer` case with expected sources
    source_correct: bool | None = None
    key_facts_found: list[bool] | None = None
    reference_recall: float | None = None
    must_not_hits: list[str] = field(default_factory=list)
    must_not_judged: bool = False
    confident_wrong: bool = False
    confidence: float | None = None
    confidence_governed: bool = False  # the threshold decides answered vs escalated
    candidate_correct: bool | None = None  # would its (draft) answer be right, if answered
    latency_ms: float | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    dataset: str = ""  # the file the case came from
    urgent: bool = False  # the pipeline routed it urgent (status `urgent`)
    urgent_categories: list[str] = field(default_factory=list)  # what the detector found

    @property
    def key_fact_recall(self) -> float | None:
        if not self.key_facts_found:
            return None
        return sum(self.key_facts_found) / len(self.key_facts_found)

    @property
    def passed(self) -> bool:
        return not self.reasons


@dataclass
class RedactionScore:
    id: str
    tags: tuple[str, ...]
    leaked: list[str] = field(default_factory=list)  # pii types that survived
    lost: list[str] = field(default_factory=list)  # must_keep strings lost
    pii_count: int = 0
    pii_types: list[str] = field(default_factory=list)
    judged_leak: bool = False
    judged_keep: bool = False
    reasons: list[str] = field(default_factory=list)
    special_expected: bool = False  # the case has special-category values
    flagged: bool = False  # the redactor flagged the message as special category

    @property
    def passed(self) -> bool:
        return not self.reasons


def fold(text: str) -> str:
    """Case-insensitive, whitespace-folded form used for key facts, must_not and pii checks."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _norm_url(url: str) -> str:
    url = url.strip().split("#", 1)[0].rstrip("/").casefold()
    return re.sub(r"^https?://(www\.)?", "", url)


def _is_url(expected: str) -> bool:
    return "://" in expected or expected.startswith("www.")


def source_matches(expected: str, source: dict[str, Any]) -> bool:
    """A file name matches the page's file name (or whole page id); a URL matches its source_url."""
    if _is_url(expected):
        url = source.get("url")
        return bool(url) and _norm_url(url) == _norm_url(expected)
    page = str(source.get("page") or "").casefold()
    want = expected.strip().casefold()
    return bool(page) and (page == want or page.rsplit("/", 1)[-1] == want)


def cites_expected(expected: Sequence[str], sources: Iterable[dict[str, Any]]) -> bool:
    sources = list(sources)
    return any(source_matches(e, s) for e in expected for s in sources)


def distinct_pages(sources: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pages in first-seen order, one entry per page identity (chunks of a page collapse)."""
    seen: set[str] = set()
    out = []
    for s in sources:
        key = str(s.get("page"))
        if key not in seen:
            seen.add(key)
            out.append({"page": s.get("page"), "url": s.get("url"), "title": s.get("title")})
    return out


def first_hit_rank(expected: Sequence[str], pages: Sequence[dict[str, Any]]) -> int | None:
    for rank, page in enumerate(pages, 1):
        if any(source_matches(e, page) for e in expected):
            return rank
    return None


def key_facts_found(facts: Sequence[str], reply: str) -> list[bool]:
    text = fold(reply)
    return [fold(f) in text for f in facts]


def content_words(text: str) -> set[str]:
    """Lower-case words minus stop words, links and plural -s: what a reference answer says."""
    text = _URL.sub(" ", _LINK_TARGET.sub("]", unicodedata.normalize("NFKC", text).casefold()))
    words = set()
    for w in _WORD.findall(text.replace("’", "'").replace("'", "")):
        if w in _STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        words.add(w)
    return words


def reference_recall(reference: str, reply: str) -> float | None:
    """Share of the reference answer's content words that the reply contains."""
    wanted = content_words(reference)
    if not wanted:
        return None
    return len(wanted & content_words(reply)) / len(wanted)


def _judge_answer(case: QuestionCase, text: str, sources: list[dict[str, Any]]) -> list[str]:
    """Why an answer (given or drafted) would be wrong: no expected source, a key fact missing."""
    problems = []
    if case.expected_sources and not cites_expected(case.expected_sources, sources):
        problems.append(
            "cited none of the expected sources (" + ", ".join(case.expected_sources) + ")"
        )
    missing = [
        f
        for f, ok in zip(case.key_facts, key_facts_found(case.key_facts, text), strict=True)
        if not ok
    ]
    if missing:
        problems.append("missing key facts: " + "; ".join(missing))
    return problems


def score_question(case: QuestionCase, outcome: QuestionOutcome) -> QuestionScore:
    answered = outcome.status == "answered"
    score = QuestionScore(
        id=case.id,
        tags=case.tags,
        expect=case.expect,
        answered=answered,
        confidence=outcome.confidence,
        latency_ms=outcome.latency_ms,
        timings_ms=outcome.timings_ms,
        dataset=case.source_file,
        confidence_governed=outcome.confidence is not None
        and (answered or outcome.route in CONFIDENCE_ROUTES),
        urgent=outcome.status == "urgent",
        urgent_categories=list(outcome.urgent_categories),
    )
    if case.must_not:
        score.must_not_judged = True
        reply = fold(outcome.reply)
        score.must_not_hits = [m for m in case.must_not if fold(m) in reply]
        if score.must_not_hits:
            score.reasons.append("reply contains forbidden text: " + "; ".join(score.must_not_hits))
    if case.expect == "not_urgent":  # an everyday message that only sounds alarming
        if score.urgent:
            score.reasons.insert(0, "false alarm: routed urgent")
        return score
    if case.expect == "urgent":  # emergency signposting now; a place in the queue is a miss
        if not score.urgent:
            score.reasons.insert(0, f"urgent case not routed urgent (status {outcome.status})")
    if case.expect in ("escalate", "urgent"):
        score.candidate_correct = False
        if answered:
            score.confident_wrong = True
            score.reasons.insert(0, "answered confidently but should have escalated")
        return score

    if case.expected_sources:
        score.retrieval_judged = True
        score.retrieval_rank = first_hit_rank(case.expected_sources, outcome.retrieved_pages)
        if score.retrieval_rank is None:
            score.reasons.append("retrieval: no expected page among the retrieved pages")
        score.source_correct = answered and cites_expected(case.expected_sources, outcome.sources)
    if case.key_facts:
        score.key_facts_found = key_facts_found(case.key_facts, outcome.reply)
    if case.reference_answer:
        score.reference_recall = reference_recall(case.reference_answer, outcome.reply)
    candidate = outcome.reply if answered else (outcome.draft_answer or "")
    judgeable = bool(case.expected_sources or case.key_facts)
    cited = outcome.sources if answered else outcome.draft_sources
    problems = _judge_answer(case, candidate, cited) if judgeable else []
    if judgeable:
        score.candidate_correct = bool(candidate) and not problems
    if answered:
        score.confident_wrong = bool(problems)
        score.reasons.extend("answered but " + p for p in problems)
    else:
        route = f", route {outcome.route}" if outcome.route else ""
        score.reasons.insert(0, f"not answered (status {outcome.status}{route})")
    return score


def _survives(value: str, text: str) -> bool:
    """The value appears as a whole (not inside a longer word: the name "Jo" is not in "job")."""
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text) is not None


def score_redaction(
    case: RedactionCase, redacted: str, flagged: bool | None = None
) -> RedactionScore:
    """Leaks and over-redaction; with `flagged` (None: the redactor does not flag), whether
    the special-category flag matches the case."""
    text = fold(redacted)
    score = RedactionScore(
        id=case.id,
        tags=case.tags,
        pii_count=len(case.pii),
        pii_types=[p.type for p in case.pii],
        judged_leak=bool(case.pii),
        judged_keep=bool(case.must_keep),
        special_expected=bool(case.special_category),
        flagged=bool(flagged),
    )
    score.leaked = [p.type for p in case.pii if _survives(fold(p.value), text)]
    score.lost = [k for k in case.must_keep if fold(k) not in text]
    if score.leaked:
        score.reasons.append("leaked: " + ", ".join(score.leaked))
    if score.lost:
        score.reasons.append("over-redacted: " + "; ".join(score.lost))
    if flagged is not None and score.special_expected and not score.flagged:
        score.reasons.append("special category not flagged")
    if flagged is not None and score.flagged and not score.special_expected:
        score.reasons.append("flagged as special category without any")
    return score


def mask_leaks(case: RedactionCase, redacted: str) -> str:
    """The redacted text with any surviving pii value replaced, so reports never hold it."""
    for p in sorted(case.pii, key=lambda p: -len(p.value)):
        redacted = re.sub(re.escape(p.value), f"[LEAKED {p.type}]", redacted, flags=re.IGNORECASE)
    return redacted
