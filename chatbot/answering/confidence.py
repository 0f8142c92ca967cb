"""The answer's confidence: how likely the *composed* answer is right, in [0, 1].

It scores what the resident will read, not the retrieved section: does the answer hold the kind
of fact asked for, do the quoted sentences cover the question's specific words, how clearly the
best page beats a rival page (and whether the rival says the same thing, as copies of one FAQ
by several councils do), how clearly the ranker singled out the units that answer (the
spread of its scores) and how much the answer says (a one-line answer rarely holds every part
of what was asked). Own-case messages never reach it: routing sends them to staff first. A
logistic model fitted with cross-validation grouped by page (`make fit-answers`); the parts
are kept so staff and the evaluation report can see why.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np

from chatbot.answering.assembly import Composition
from chatbot.answering.candidates import Candidate
from chatbot.answering.fact_types import OTHER, asked_shapes, unit_shapes
from chatbot.answering.features import QuestionTerms, question_terms
from chatbot.answering.model import LogisticModel, load_fitted
from chatbot.conversation import own_words
from chatbot.wording import content_terms
from knowledge.types import RetrievedChunk

__all__ = [
    "CONFIDENCE_FEATURES",
    "RULE_PARTS",
    "AnswerConfidence",
    "ConfidenceModel",
    "confidence_parts",
    "points_on",
]

CONFIDENCE_FEATURES = (
    "best_score",  # the ranker's probability for the unit the answer leads with
    "best_logit",
    "best_similarity",  # the lead unit's own similarity to the question
    "best_section",  # 1 / (1 + retrieval rank of the lead unit's section)
    "top_page",  # the answer's page is the page of the best retrieved section
    "lead_fact",  # the lead unit holds the kind of fact asked for first
    "fact_found",  # some quoted unit holds it
    "asked_other",  # the question asks for no recognisable kind of fact
    "coverage",  # IDF-weighted share of the question's words in the quoted units
    "coverage_sections",  # ... in the quoted sections
    "uncovered",  # ... in none of the retrieved sections (a subject the pages lack)
    "page_margin",  # best unit's score minus the best unit's score on another page
    "rival_same",  # another site or service says (nearly) the same: whose page is meant?
    "dense_top",  # the best section's similarity to the question
    "lead_dense",  # the similarity of the section the answer leads with (not always the best)
    "dense_margin",  # ... minus the best section of another page
    "agreement",  # keyword and dense rankings agree on the best page
    "question_words",  # log(1 + content words): short questions are ambiguous
    "figure_missing",  # a figure was asked for (amount, time, contact) and no quoted unit has one
    "figure_lead",  # ... and the lead unit has one
    "unit_entropy",  # how evenly the ranker spreads its belief over the units (0: one stands out)
    "answer_words",  # log(1 + words the resident reads): a one-line answer rarely holds it all
)


# Parts measured for the rules below (and shown to staff), with no fitted weight.
RULE_PARTS = (
    "shape_missing",  # the value of the one shape asked for is in no quoted unit
    "pointer_only",  # every quoted sentence only sends the reader to another page
)


# When another retrieved page carries (nearly) the same text as the unit the answer leads with
# (one FAQ copied by several councils, one paragraph on two services' pages), the pages cannot
# say whose answer the resident needs: the answer is never confident, whatever else it has.
# The same words on several pages of one service on one site (the parking team's number at
# the foot of every parking page) are agreement, not ambiguity: whichever page is meant, the
# answer is the same.
# Only a figure that was asked for (a price, a time, a number to call) agrees that way: the
# same instructions on two pages of a service (the council-tax contact block answering "how can
# I pay") do not say which page's process the resident is in, so they stay rivals.
AMBIGUOUS_CAP = 0.5
FIGURE_FACTS = frozenset({"amount", "time", "contact"})  # facts that are figures, not steps
NEAR_SAME = 0.8  # share of words in common (of all words of the two units) for "the same"


# An answer that holds no value of the one shape the question can only be answered by (no
# weekday for "what day", no phone number for "what is the number") has not answered it,
# however well its words match: never confident.
SHAPE_MISSING_CAP = 0.5

# An answer whose every sentence only sends the reader to another page ("If you want your child
# to change school during the year, see in-year admissions (link)") says no fact of its own:
# the page it points to holds the answer, and this one has not read it. Never confident.
POINTER_ONLY_CAP = 0.5
_POINTS_ON = re.compile(
    r"(?i:^(?:see|read|visit|go\s+to|find\s+out\s+(?:more|about|how|what|if|whether)|for\s+more\s+"
    r"(?:information|details|help|advice)|more\s+information)\b|[,;:]\s*(?:see|read|visit|go\s+to)"
    r"\s+[^.]*\(https?://)"
)


def points_on(text: str) -> bool:
    """A sentence that only sends the reader elsewhere."""
    return _POINTS_ON.search(text.strip()) is not None


def capped(value: float, parts: dict[str, float]) -> float:
    """The confidence after the rules no weight can overrule (AMBIGUOUS_CAP, SHAPE_MISSING_CAP,
    POINTER_ONLY_CAP)."""
    if parts.get("rival_same"):
        value = min(value, AMBIGUOUS_CAP)
    if parts.get("shape_missing"):
        value = min(value, SHAPE_MISSING_CAP)
    if parts.get("pointer_only"):
        value = min(value, POINTER_ONLY_CAP)
    return value


@dataclass
class AnswerConfidence:
    value: float
    parts: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, float]:
        return {
            "confidence": round(self.value, 4),
            **{k: round(v, 4) for k, v in self.parts.items()},
        }


def _near_same(wa: frozenset[str], wb: frozenset[str]) -> float:
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def _service(rc: RetrievedChunk) -> tuple[str, str, str] | None:
    """The site, the site's folder (/parking/ on a council site) and the service area of a
    section's page; None when the page has no address or sits at the site's top level (where
    nothing says which pages belong to one service)."""
    parts = urlsplit(rc.chunk.url or "")
    folder = parts.path.strip("/").rpartition("/")[0]
    if not parts.netloc or not folder:
        return None
    return parts.netloc.lower(), folder.lower(), (rc.chunk.service_area or "").lower()


def _agrees(a: RetrievedChunk, b: RetrievedChunk) -> bool:
    """Two pages of one service on one site: same site and folder, and no different service
    area (a page without one takes its folder's)."""
    sa, sb = _service(a), _service(b)
    if sa is None or sb is None or sa[:2] != sb[:2]:
        return False
    return not (sa[2] and sb[2] and sa[2] != sb[2])


def _agreeing(best: Candidate, c: Candidate, retrieved: list[RetrievedChunk], figure: bool) -> bool:
    """c is the same words as the lead unit on a page of the same service on the same site,
    and the lead unit holds the figure asked for (see AMBIGUOUS_CAP)."""
    return (
        figure
        and _near_same(best.terms, c.terms) >= NEAR_SAME
        and _read(best.text) == _read(c.text)
        and _agrees(retrieved[best.section], retrieved[c.section])
    )


def _rival_same(rivals: list[Candidate], best: Candidate) -> bool:
    """Another page (not agreeing) says (nearly) what the lead unit says."""
    return any(_near_same(best.terms, c.terms) >= NEAR_SAME for c in rivals)


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ADDRESS = re.compile(r"\s*\((?:https?://|mailto:|tel:)[^)]*\)")


def _read(text: str) -> frozenset[str]:
    """The words a resident reads: a link's text, not its address ("[text](address)", or
    "text (address)" as pages converted from HTML write it)."""
    return frozenset(content_terms(_ADDRESS.sub("", _MD_LINK.sub(r"\1", text))))


def _entropy(scores: list[float]) -> float:
    """Normalised entropy of the ranker's scores: low when one or two units clearly hold the
    fact asked for, high when many units look alike (the ranker is guessing)."""
    total = sum(scores)
    if total <= 1e-9:
        return 0.0
    p = np.asarray(scores, dtype=np.float64) / total
    return float(-(p * np.log(p + 1e-12)).sum() / math.log(len(p) + 1))


def confidence_parts(
    question: str,
    asked: tuple[str, ...],
    retrieved: list[RetrievedChunk],
    ranked: list[Candidate],
    answer: Composition,
    terms: QuestionTerms | None = None,
) -> dict[str, float]:
    """The measured parts, in CONFIDENCE_FEATURES order."""
    parts = dict.fromkeys(CONFIDENCE_FEATURES, 0.0)
    parts["shape_missing"] = 0.0  # a rule's input (SHAPE_MISSING_CAP), not a fitted weight
    parts["pointer_only"] = 0.0  # a rule's input (POINTER_ONLY_CAP)
    question = own_words(question)
    words = content_terms(question)
    parts["question_words"] = math.log1p(len(set(words)))
    parts["asked_other"] = 1.0 if asked[0] == OTHER else 0.0
    if not ranked or not answer.quoted or answer.best is None:
        return parts
    terms = terms or question_terms(question, ranked)
    best = answer.best
    p = min(max(best.score, 1e-6), 1 - 1e-6)
    parts["best_score"] = best.score
    parts["unit_entropy"] = _entropy([c.score for c in ranked])
    parts["answer_words"] = math.log1p(len(answer.text.split()))
    parts["best_logit"] = math.log(p / (1 - p))
    parts["best_similarity"] = best.similarity or 0.0
    parts["best_section"] = 1.0 / (1 + best.section)
    parts["top_page"] = 1.0 if best.page_rank == 0 else 0.0
    primary = asked[0]
    parts["lead_fact"] = 1.0 if primary in best.facts else 0.0
    parts["fact_found"] = 1.0 if any(primary in c.facts for c in answer.quoted) else 0.0
    quoted_words: set[str] = set().union(*(c.terms for c in answer.quoted))
    parts["coverage"] = terms.share(quoted_words)
    sections = {c.section for c in answer.quoted}
    section_words: set[str] = set()
    every_word: set[str] = set()
    for c, w in zip(ranked, terms.unit_terms, strict=True):
        every_word |= w
        if c.section in sections:
            section_words |= w
    for i in sections:
        section_words |= set(content_terms(" ".join(retrieved[i].chunk.heading_path)))
    for rc in retrieved:
        every_word |= set(content_terms(" ".join((rc.chunk.title, *rc.chunk.heading_path))))
    parts["coverage_sections"] = terms.share(section_words)
    parts["uncovered"] = 1.0 - terms.share(every_word) if terms.total else 0.0
    figure = primary in FIGURE_FACTS and primary in best.facts
    # a page of the same service agreeing with the lead unit is no rival, for the margin either
    rivals = [
        c for c in ranked if c.page != best.page and not _agreeing(best, c, retrieved, figure)
    ]
    parts["page_margin"] = best.score - (rivals[0].score if rivals else 0.0)
    parts["rival_same"] = 1.0 if _rival_same(rivals, best) else 0.0
    if primary in FIGURE_FACTS:
        parts["figure_missing"] = 1.0 - parts["fact_found"]
        parts["figure_lead"] = parts["lead_fact"]
    shapes = asked_shapes(question)
    if shapes and not any(shapes & unit_shapes(c.text) for c in answer.quoted):
        parts["shape_missing"] = 1.0
    if all(c.unit.kind == "sentence" and points_on(c.text) for c in answer.quoted):
        parts["pointer_only"] = 1.0
    dense = [(rc.dense_score or 0.0, rc.chunk.page_id) for rc in retrieved]
    top_dense = max((d for d, _ in dense), default=0.0)
    page_dense = max((d for d, pg in dense if pg == best.page), default=0.0)
    other_dense = max((d for d, pg in dense if pg != best.page), default=0.0)
    parts["dense_top"] = top_dense
    parts["lead_dense"] = retrieved[best.section].dense_score or 0.0
    parts["dense_margin"] = page_dense - other_dense
    page = retrieved[0].chunk.page_id if retrieved else ""
    bm25_top = {rc.chunk.page_id for rc in retrieved if rc.bm25_rank and rc.bm25_rank <= 3}
    dense_top = {rc.chunk.page_id for rc in retrieved if rc.dense_rank and rc.dense_rank <= 3}
    parts["agreement"] = ((page in bm25_top) + (page in dense_top)) / 2
    return parts


class ConfidenceModel:
    """The fitted logistic combination of the parts."""

    def __init__(self, model: LogisticModel | None = None) -> None:
        self.model = model or LogisticModel.from_dict(load_fitted().confidence, CONFIDENCE_FEATURES)

    def score(self, parts: dict[str, float]) -> AnswerConfidence:
        row = np.array([[parts[k] for k in CONFIDENCE_FEATURES]], dtype=np.float64)
        value = capped(float(self.model.probability(row)[0]), parts)
        return AnswerConfidence(value, dict(parts))
