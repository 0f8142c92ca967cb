"""The grounding guard: nothing reaches a resident that the cited sections do not say.

Every sentence (or list item) of an answer, from a chat model or the extractive composer, is
checked against the sections the answer cites (all the sections the model was given, when it
cites none):

1. **Figures verbatim.** Amounts (and "free", "no charge": a price of nothing), numbers,
   times, dates (day and month names too), phone numbers and email addresses must appear in
   those sections as written (whitespace aside; a number must not be part of a longer one:
   "£5" is not supported by "£52"), and near the same words (`_same_context`).
2. **Links only as link tokens.** A web address the model wrote itself, or a `[LINK-n]` token
   it was not given, makes the sentence unsupported (`llm_composer` maps the real tokens back).
3. **Citations only to retrieved sections.** A `[n]` citation must name a section it was given.
   A sentence (or list item) that repeats an earlier one under the same heading or lead-in is
   unsupported too (a small model stuck in a loop).
4. **Close to a cited sentence.** The sentence's support is a logistic function of two
   measures against the cited sections' sentences: content-word recall (the share of the
   sentence's content words, lightly stemmed, found in the best single source sentence) and
   the best embedding cosine (MiniLM). Its three weights and the cut-off `keep_at_least` are
   fitted on the `split:tune` part of the dev sets only (`scripts/fit_grounding.py`, which
   writes `grounding_params.json`); a sentence found verbatim in a section has support 1.

Unsupported sentences are dropped when the answer still stands without them (see
`_stands`), else the answer is rejected and the caller uses the extractive answer or
escalates. The guard's confidence is the weakest kept sentence's support; the pipeline takes
the lower of it and the answer confidence, so it meets the same threshold.
"""

from __future__ import annotations

import json
import math
import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from chatbot.answering.grounding_checks import (
    _CITATION,
    _TOKEN,
    _URL,
    citation_problems,
    figure_problems,
    link_problems,
)
from chatbot.composer import split_units
from chatbot.wording import content_terms, split_sentences
from knowledge.types import RetrievedChunk

PARAMS_FILE = Path(__file__).with_name("grounding_params.json")

_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_SPACE = re.compile(r"\s+")


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class GroundingParams:
    """support = 1 / (1 + exp(-(intercept + recall * r + cosine * c))); kept when >= cut."""

    intercept: float
    recall: float
    cosine: float
    keep_at_least: float

    @classmethod
    def load(cls, path: Path = PARAMS_FILE) -> GroundingParams:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            float(data["intercept"]),
            float(data["recall"]),
            float(data["cosine"]),
            float(data["keep_at_least"]),
        )

    def support(self, recall: float, cosine: float) -> float:
        z = self.intercept + self.recall * recall + self.cosine * cosine
        return 1.0 / (1.0 + math.exp(-z))


@dataclass
class SentenceCheck:
    """One sentence of the answer and what the guard found."""

    text: str
    support: float = 0.0
    recall: float = 0.0
    cosine: float = 0.0
    section: int | None = None  # index (into the sections given) of the best source sentence
    problems: list[str] = field(default_factory=list)
    kept: bool = False
    is_item: bool = False
    line: int = 0
    pool: list[int] = field(default_factory=list)  # the sections it may draw on

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "support": round(self.support, 3),
            "recall": round(self.recall, 3),
            "cosine": round(self.cosine, 3),
            "kept": self.kept,
            "problems": list(self.problems),
        }


@dataclass
class GroundingResult:
    """The answer as the guard lets it out (`text`, empty when it does not stand)."""

    text: str
    stands: bool
    confidence: float
    sentences: list[SentenceCheck]
    sections_used: list[int]

    @property
    def dropped(self) -> list[SentenceCheck]:
        return [s for s in self.sentences if not s.kept]

    def reasons(self) -> list[str]:
        """Why sentences were dropped, in words staff can read (redacted text only)."""
        out = []
        for s in self.dropped:
            why = "; ".join(s.problems) or f"not close enough to the pages ({s.support:.2f})"
            out.append(f"dropped “{_clip(s.text)}”: {why}")
        if not self.stands and self.sentences:
            out.append("the answer did not stand without the dropped sentences")
        return out

    def summary(self) -> dict[str, Any]:
        return {
            "stands": self.stands,
            "confidence": round(self.confidence, 3),
            "sentences": len(self.sentences),
            "dropped": len(self.dropped),
            "reasons": self.reasons(),
        }


class GroundingGuard:
    """Checks answers against their sections. Build once (it caches sentence embeddings)."""

    def __init__(
        self,
        embedder: Embedder | None = None,
        params: GroundingParams | None = None,
        cache_size: int = 2048,
    ) -> None:
        self.embedder = embedder
        self.params = params or GroundingParams.load()
        self._cache: OrderedDict[str, tuple[list[str], np.ndarray | None]] = OrderedDict()
        self._cache_size = cache_size

    def check(
        self,
        answer: str,
        sections: Sequence[RetrievedChunk],
        links: Mapping[str, str] | None = None,
    ) -> GroundingResult:
        """Check every sentence of `answer` against `sections` (the ones the composer was
        given, numbered from 1 for citations). `links` are the link tokens handed out."""
        links = links or {}
        checks = _sentences(answer)
        if not checks or not sections:
            return GroundingResult("", False, 0.0, checks, [])
        texts = [_normal(rc.chunk.text) for rc in sections]
        # a section's headings count as what it says (an answer names a block by its heading:
        # "Hollins Cross Library:", and a heading can carry a figure: "until you're 21")
        headings = [_normal("\n".join(rc.chunk.heading_path)) for rc in sections]
        claims = [_claim(f"{h} {t}") for h, t in zip(headings, texts, strict=True)]
        needs_measure: list[SentenceCheck] = []
        said: set[str] = set()
        for s in checks:
            claim = _claim(s.text)
            if not s.is_item and s.text.rstrip().endswith(":"):
                said = set()  # a new heading or lead-in: the same line may follow it again
            elif content_terms(claim) and claim.rstrip(".") in said:
                # a model stuck in a loop says the same thing again: it adds nothing, and
                # counts against the answer standing (see `_stands`)
                s.problems.append("repeats an earlier sentence")
            said.add(claim.rstrip("."))
            cited = citation_problems(s.text, len(sections), s.problems)
            pool = [i - 1 for i in cited] or list(range(len(sections)))
            source = " ".join(texts[i] for i in pool)
            found = next((i for i in pool if claim and claim in claims[i]), None)
            if not (found is not None and _quoted(claim, claims[found])):
                # a whole sentence quoted word for word keeps its figures in their own words
                # (a heading's "6 April 2024", the "1" of "form SSP1")
                heads = " | ".join(headings[i] for i in pool)
                s.problems += figure_problems(s.text, source, heads)
            s.problems += link_problems(s.text, links, source)
            if not content_terms(claim):
                s.support, s.section = 1.0, pool[0]  # nothing claimed ("See [LINK-1].")
            elif found is not None:
                s.support, s.recall, s.cosine, s.section = 1.0, 1.0, 1.0, found
            else:
                needs_measure.append(s)
                s.pool = pool
        if needs_measure:
            self._measure(needs_measure, sections)
        for s in checks:
            s.kept = not s.problems and s.support >= self.params.keep_at_least
        stands = _stands(checks)
        kept = [s for s in checks if s.kept] if stands else []
        return GroundingResult(
            text=_render(kept),
            stands=stands,
            confidence=min((s.support for s in kept), default=0.0),
            sentences=checks,
            sections_used=sorted({s.section for s in kept if s.section is not None}),
        )

    def _measure(self, checks: list[SentenceCheck], sections: Sequence[RetrievedChunk]) -> None:
        """Recall against the best single source sentence, and the best cosine."""
        units = [self._units(rc) for rc in sections]
        vectors = None
        if self.embedder is not None:
            vectors = _normalised(self.embedder.embed([_claim(s.text) for s in checks]))
        for n, s in enumerate(checks):
            terms = set(content_terms(_claim(s.text)))
            best_recall, best_cos, best_section, best_score = 0.0, 0.0, None, -1.0
            for i in s.pool:
                texts, unit_vecs = units[i]
                cos = (
                    (unit_vecs @ vectors[n])
                    if vectors is not None and unit_vecs is not None
                    else np.zeros(len(texts))
                )
                for j, text in enumerate(texts):
                    recall = len(terms & set(content_terms(text))) / max(1, len(terms))
                    c = float(cos[j]) if len(cos) else 0.0
                    best_recall = max(best_recall, recall)
                    best_cos = max(best_cos, c)
                    if recall + c > best_score:
                        best_score, best_section = recall + c, i
            s.recall, s.cosine, s.section = best_recall, max(0.0, best_cos), best_section
            s.support = self.params.support(s.recall, s.cosine)

    def _units(self, rc: RetrievedChunk) -> tuple[list[str], np.ndarray | None]:
        key = f"{rc.chunk.chunk_id}:{rc.chunk.content_hash}"
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        texts = [u.text for u in split_units(rc.chunk.text, 0)] or [rc.chunk.text]
        stored = rc.unit_vectors  # embedded at ingestion: no page text embedded per question
        if stored is not None and len(stored) == len(texts) and len(texts):
            vecs: np.ndarray | None = _normalised(stored)
        else:
            vecs = _normalised(self.embedder.embed(texts)) if self.embedder is not None else None
        self._cache[key] = (texts, vecs)
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return texts, vecs


def measure_sentence(
    guard: GroundingGuard, sentence: str, sections: Sequence[RetrievedChunk]
) -> tuple[float, float]:
    """(recall, cosine) of one sentence against sections, as the guard measures them (used by
    the fitting script, so fitting and checking cannot drift apart)."""
    s = SentenceCheck(sentence, pool=list(range(len(sections))))
    guard._measure([s], sections)
    return s.recall, s.cosine


def _sentences(answer: str) -> list[SentenceCheck]:
    out: list[SentenceCheck] = []
    for n, line in enumerate(answer.splitlines()):
        line = line.strip()
        if not line:
            continue
        item = bool(_BULLET.match(line))
        body = _BULLET.sub("", line)
        parts = [body] if item else split_sentences(body)
        out += [SentenceCheck(p, is_item=item, line=n) for p in parts if p.strip()]
    return out


def _normal(text: str) -> str:
    """Lower case, one space, markdown link syntax and emphasis as the composer shows them."""
    from chatbot.composer import plain

    lines = [plain(line.strip()) for line in text.splitlines()]
    return _SPACE.sub(" ", " ".join(lines).replace("\u00a0", " ")).lower()


def _claim(sentence: str) -> str:
    """What the sentence says, without citations, link tokens, addresses or an ellipsis."""
    text = _CITATION.sub("", _TOKEN.sub("", _URL.sub("", sentence)))
    text = text.replace("…", "").strip().rstrip(":").strip()
    return _SPACE.sub(" ", text).lower()


def _quoted(claim: str, source: str) -> bool:
    """The claim is in the source as a whole run of words (not "fee is £5" in "fee is £50")."""
    return re.search(rf"(?<![\w£$€]){re.escape(claim)}(?![\w])", source) is not None


def _stands(checks: list[SentenceCheck]) -> bool:
    """The answer stands without its dropped sentences when something is kept, the kept part
    holds at least three quarters of the answer's words (a model that had to be corrected
    more than that is not trusted with the rest), and no kept lead-in ("You can pay by:") has
    lost every item of its list."""
    kept = [s for s in checks if s.kept]
    if not kept:
        return False
    words = sum(len(s.text.split()) for s in checks)
    if sum(len(s.text.split()) for s in kept) * 4 < words * 3:
        return False
    for n, s in enumerate(checks):
        if s.kept and not s.is_item and s.text.rstrip().endswith(":"):
            items = []
            for later in checks[n + 1 :]:
                if not later.is_item:
                    break
                items.append(later)
            if items and not any(i.kept for i in items):
                return False
    return True


def _render(kept: list[SentenceCheck]) -> str:
    lines: list[str] = []
    last_line = None
    for s in kept:
        if s.is_item:
            lines.append(f"- {s.text}")
        elif last_line == s.line and lines and not lines[-1].startswith("- "):
            lines[-1] = f"{lines[-1]} {s.text}"
        else:
            lines.append(s.text)
        last_line = s.line
    return "\n".join(lines)


def _normalised(vectors: Any) -> np.ndarray:
    m = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)


def _clip(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class GuardedAnswer:
    """What the pipeline shows after the guard: the text, the sections it rests on, the
    guard's confidence (the pipeline takes the lower of it and the answer confidence), notes
    for the review item, and a report for the evaluation."""

    text: str
    chunks: list[RetrievedChunk]
    confidence: float
    notes: list[str]
    report: dict[str, Any]


def guard_answer(guard: GroundingGuard, draft: Any) -> GuardedAnswer:
    """The guard step for any composition: a model composition carries its own check (done
    on the link-token form it wrote); an extractive one is checked here."""
    report = dict(getattr(draft, "model", None) or {})
    notes = list(getattr(draft, "notes", None) or [])
    checked = getattr(draft, "grounding", None)
    if checked is not None or not draft.text:
        confidence = checked.confidence if checked is not None else 1.0
        return GuardedAnswer(draft.text, list(draft.chunks), confidence, notes, report)
    verdict = guard.check(draft.text, draft.chunks)
    # when the model's answer was not used (rejected, timed out, ...) the report keeps the
    # model's own check under "guard"; this is the check of the extractive answer in its place
    report["extractive_guard" if report.get("outcome") else "guard"] = verdict.summary()
    notes += verdict.reasons()
    if not verdict.stands:
        return GuardedAnswer("", list(draft.chunks), 0.0, notes, report)
    text = verdict.text if verdict.dropped else draft.text
    return GuardedAnswer(text, list(draft.chunks), verdict.confidence, notes, report)
