"""Routing: what kind of message is this? urgent, greeting/thanks, the resident's own case,
out of scope, or a question for the council's pages.

Urgent (a risk to life or a safeguarding concern) is decided first, by the fitted detector in
`chatbot.safety` (meaning, not a list of phrasings). For the other labels, several kinds of
evidence, so that unseen phrasings (typos, other words) still route well:
- regular expressions for the unmistakable phrasings (`routing_exemplars.yaml`);
- the embedding similarity of the message to short written exemplars of each label;
- for the resident's own case, a model fitted on examples (`chatbot.own_case`).
Out of scope is decided last, with retrieval strength too: a message that looks like chit-chat
but matches the council's pages well is a question (see `Router.out_of_scope`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import yaml

from chatbot.own_case import OwnCaseModel
from chatbot.safety import UrgentDetector

EXEMPLARS_FILE = Path(__file__).resolve().parent / "routing_exemplars.yaml"
LABELS = ("own_case", "out_of_scope", "council")

# Similarity thresholds (cosine, all-MiniLM-L6-v2), set on the team's own exemplars and the
# demo and dev sets (docs/calibration.md): an exemplar match must be close AND closer than
# the best council-service exemplar.
OWN_CASE_SIMILARITY = 0.74
OUT_OF_SCOPE_SIMILARITY = 0.50
SIMILARITY_MARGIN = 0.05
# Retrieval strength below which an out-of-scope-looking message is not rescued by the pages.
OUT_OF_SCOPE_MAX_DENSE = 0.50

_GREETING_WORDS = set(
    """hi hello hey hiya heya howdy morning afternoon evening good day there all
    thanks thank you ta cheers thx ty many much so very lots a lot great brilliant
    lovely perfect ok okay okey fine cool nice that's thats that is was it helpful
    bye goodbye see later cya night have nice and again folks team council bot
    <person> person yes no please""".split()
)
# Words a closing thanks is made of ("thanks for your help", "much appreciated x"): a greeting
# only beside a thanks word, so "help me" is never answered with a hello
_THANKS_WORDS = set(
    """for your the my help info information answer answers answered reply response quick
    this i me really super awesome amazing fab fabulous fantastic excellent wonderful superb
    appreciated appreciate useful kind sorted got understood understand alright brill
    ace legend bless mate pal love hun guys everyone x xx xxx now will do""".split()
)
_THANKS = re.compile(
    r"\b(thanks|thank|cheers|ta|thx|ty|helpful|brilliant|perfect|appreciated?|useful|sorted"
    r"|got it|understood|brill|legend|ace|will do)\b"
)
_WORD = re.compile(r"<[A-Z_]+>|[a-z']+")


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class RouteDecision:
    """What routing found before retrieval. `label`: urgent | greeting | own_case | question."""

    label: str
    greeting_kind: str | None = None  # "hello" | "thanks"
    similarity: dict[str, float] = field(default_factory=dict)
    matched_pattern: str | None = None
    # urgent only: the categories detected (most likely first) and 1 - P(not urgent)
    urgent_categories: list[str] = field(default_factory=list)
    urgent_probability: float = 0.0
    glossed: bool = False  # the model read the English gloss of a Welsh message


@dataclass
class RoutingRules:
    patterns: dict[str, list[re.Pattern[str]]]
    exemplars: dict[str, list[str]]

    @classmethod
    def load(cls, path: Path | None = None) -> RoutingRules:
        data: dict[str, Any] = yaml.safe_load((path or EXEMPLARS_FILE).read_text("utf-8"))
        patterns = {
            label: [
                re.compile(p, re.IGNORECASE) for p in (data.get(label) or {}).get("patterns", [])
            ]
            for label in LABELS
        }
        exemplars = {label: list((data.get(label) or {}).get("exemplars", [])) for label in LABELS}
        return cls(patterns, exemplars)


class Router:
    """Decides the route of a (redacted) message. Build once: embeds the exemplars."""

    def __init__(
        self,
        embedder: Embedder,
        rules: RoutingRules | None = None,
        detector: UrgentDetector | None = None,
        own_case: OwnCaseModel | None = None,
    ) -> None:
        self.rules = rules or RoutingRules.load()
        self.detector = detector or UrgentDetector()
        self.own_case = own_case or OwnCaseModel.shipped()
        self._matrices: dict[str, np.ndarray] = {}
        for label, texts in self.rules.exemplars.items():
            if texts:
                self._matrices[label] = np.asarray(embedder.embed(list(texts)), dtype=np.float32)

    def similarities(self, embedding: np.ndarray | None) -> dict[str, float]:
        """Highest cosine similarity of the message to each label's exemplars."""
        if embedding is None:
            return {}
        query = np.asarray(embedding, dtype=np.float32).ravel()
        return {label: float(np.max(m @ query)) for label, m in self._matrices.items()}

    def matching_pattern(self, label: str, text: str) -> str | None:
        for pattern in self.rules.patterns.get(label, []):
            if pattern.search(text):
                return pattern.pattern
        return None

    def classify(
        self,
        text: str,
        embedding: np.ndarray | None,
        follow_up: tuple[str, np.ndarray | None] | None = None,
        clear_risk: str | None = None,
        gloss: tuple[str, np.ndarray | None] | None = None,
    ) -> RouteDecision:
        """A bare greeting first (nothing in it can be urgent), then urgent (safety wins over
        everything else), then own case. `clear_risk`: see `UrgentDetector.detect` ("gyda
        chyllell", with a knife, taken for a name); `gloss`: the English gloss of a Welsh
        message (`UrgentDetector.detect`)."""
        sims = self.similarities(embedding)
        council = sims.get("council", 0.0)
        # A message made only of greeting words holds nothing to be urgent about.
        kind = greeting_kind(text)
        if kind:
            return RouteDecision("greeting", greeting_kind=kind, similarity=sims)
        urgent = self.detector.detect(
            text, embedding, follow_up, clear_risk=clear_risk, gloss=gloss
        )
        # A prompt attack ("ignore your instructions...") is not a resident at risk: the model's
        # score on it is noise. Clear risk words (the safety net) still make it urgent.
        attack = not urgent.safety_net and self.matching_pattern("out_of_scope", text)
        if urgent.urgent and not attack:
            return RouteDecision(
                "urgent",
                similarity=sims,
                matched_pattern=urgent.safety_net,
                urgent_categories=urgent.categories,
                urgent_probability=urgent.probability,
                glossed=gloss is not None,
            )
        hit = self.matching_pattern("own_case", text)
        own = sims.get("own_case", 0.0)
        if (
            hit
            or (own >= OWN_CASE_SIMILARITY and own >= council + SIMILARITY_MARGIN)
            or self.own_case.is_own_case(text, embedding)
        ):
            return RouteDecision("own_case", similarity=sims, matched_pattern=hit)
        return RouteDecision("question", similarity=sims)

    def out_of_scope(self, text: str, decision: RouteDecision, top_dense: float | None) -> bool:
        """Clearly not council business: a hard pattern (prompt attacks, poems, jokes), or close
        to the out-of-scope exemplars, not to council services, and weak on the pages."""
        if self.matching_pattern("out_of_scope", text):
            return True
        sims = decision.similarity
        oos, council = sims.get("out_of_scope", 0.0), sims.get("council", 0.0)
        weak = top_dense is None or top_dense < OUT_OF_SCOPE_MAX_DENSE
        return weak and oos >= OUT_OF_SCOPE_SIMILARITY and oos >= council + SIMILARITY_MARGIN


def greeting_kind(text: str) -> str | None:
    """ "hello" or "thanks" when the message is only a greeting or thanks (no question in it)."""
    words = _WORD.findall(text.lower())
    if not words or len(words) > 10:
        return None
    if any(w not in _GREETING_WORDS and w not in _THANKS_WORDS for w in words):
        return None
    thanks = _THANKS.search(text.lower()) is not None
    if not thanks and any(w not in _GREETING_WORDS for w in words):
        return None
    return "thanks" if thanks else "hello"
