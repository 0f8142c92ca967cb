"""The urgent-message detector: a risk to life or a safeguarding concern, by meaning.

A multinomial logistic model over two views of the (redacted) message, fitted on the team's own
examples (`examples.yaml`, see `fit.py`):
- the all-MiniLM-L6-v2 embedding the pipeline computes anyway (meaning, paraphrase);
- hashed word and word-pair counts plus character n-grams inside words (so "overdoesd",
  "stabbed" and "stab" share evidence), which catch what a short embedding blurs.
Classes are the urgent categories and `none`; the model's urgent probability is 1 - P(none).
It is blended (`VOTE_WEIGHT`) with a nearest-neighbour vote among the examples' embeddings (the
ten closest, weighted by similarity, classes balanced), which keeps an everyday question near the
everyday examples that share its words ("carers", "alley", "boiler"); the blend is compared with a
threshold chosen in cross-validation for recall (a false alarm costs a resident a few
seconds of reading; a miss can cost a life). A few lexical rules for the clearest signals
(`SAFETY_NET`) make a message urgent whatever the model says.

Scoring is a sparse dot product on top of the embedding the router already has: well under a
millisecond, so the router adds nothing measurable to `POST /api/chat` (see `make bench`).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from chatbot.safety.categories import CATEGORIES, SAFETY_NET

__all__ = [
    "MODEL_FILE",
    "UrgentDetector",
    "UrgentModel",
    "UrgentResult",
    "lexical_dot",
    "lexical_features",
]

MODEL_FILE = Path(__file__).resolve().parent / "urgent_model.npz"
EXAMPLES_FILE = Path(__file__).resolve().parent / "examples.yaml"
HASH_DIM = 1 << 14
NEIGHBOURS = 10
# The vote's share of the urgent score; the model has the rest. Chosen out of fold on the
# examples and the dev sets' tuning-split everyday questions (`fit.py`): 0.1 gave the fewest
# false alarms on both at the target recall (0: 5.4% / 19.6%, 0.1: 3.8% / 13.5%, 0.5: 12.7% /
# 20.8% of dev everyday questions / everyday examples).
VOTE_WEIGHT = 0.1
NEIGHBOUR_SHARPNESS = 20.0  # weight exp(sharpness x cosine): the closest examples count most
CLASSES = (*CATEGORIES, "none")
# A category is named in the reply when it holds at least this share of the urgent probability
# (several can apply at once: a partner's violence and nowhere to stay tonight).
CATEGORY_SHARE = 0.25

_TOKEN = re.compile(r"<[A-Z_]+>|[a-z0-9]+")


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % HASH_DIM


def lexical_features(text: str) -> dict[int, float]:
    """Hashed bag of words, word pairs and in-word character 3-5-grams (sublinear counts,
    L2-normalised), so typos and word forms still share evidence."""
    words = _TOKEN.findall(text.lower().replace("'", "").replace("\u2019", ""))
    counts: dict[int, float] = {}
    grams: list[str] = [f"w:{w}" for w in words]
    grams += [f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    for w in words:
        if w.startswith("<") or len(w) < 4:
            continue
        padded = f"^{w}$"
        for n in (3, 4, 5):
            grams += [f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1)]
    for g in grams:
        k = _bucket(g)
        counts[k] = counts.get(k, 0.0) + 1.0
    if not counts:
        return {}
    values = {k: 1.0 + np.log(v) for k, v in counts.items()}
    norm = float(np.sqrt(sum(v * v for v in values.values())))
    return {k: v / norm for k, v in values.items()}


def lexical_dot(lexical: dict[int, float], weights: np.ndarray) -> Any:
    """The hashed features' weighted sum: a float for a weight vector, a row for a matrix."""
    idx = np.fromiter(lexical.keys(), dtype=np.int64)
    val = np.fromiter(lexical.values(), dtype=np.float64)
    return val @ weights[idx]


@dataclass(frozen=True)
class UrgentModel:
    """Weights: `dense` (384 x classes) for the embedding, `sparse` (HASH_DIM x classes) for
    the lexical view, `bias` (classes); `threshold` on 1 - P(none)."""

    dense: np.ndarray
    sparse: np.ndarray
    bias: np.ndarray
    threshold: float
    examples_sha256: str
    lexical_weight: float = 1.0
    # the examples' embeddings and whether each is urgent, for the neighbour vote
    neighbours: np.ndarray | None = None
    neighbour_urgent: np.ndarray | None = None

    def neighbour_vote(self, embedding: np.ndarray | None) -> float | None:
        """Share of urgent examples among the nearest ones (classes balanced), or None."""
        if embedding is None or self.neighbours is None or self.neighbour_urgent is None:
            return None
        return float(
            neighbour_vote(
                self.neighbours,
                self.neighbour_urgent,
                np.asarray(embedding, dtype=np.float32).reshape(1, -1),
            )[0]
        )

    def urgent_probability(self, probs: np.ndarray, embedding: np.ndarray | None) -> float:
        model = float(1.0 - probs[-1])
        vote = self.neighbour_vote(embedding)
        return model if vote is None else float(blend(model, vote))

    def probabilities(self, embedding: np.ndarray | None, lexical: dict[int, float]) -> np.ndarray:
        z = self.bias.astype(np.float64).copy()
        if embedding is not None:
            z += np.asarray(embedding, dtype=np.float64).ravel() @ self.dense
        if lexical:
            z += self.lexical_weight * lexical_dot(lexical, self.sparse)
        z -= z.max()
        e = np.exp(z)
        return e / e.sum()

    def save(self, path: Path = MODEL_FILE) -> None:
        np.savez_compressed(
            path,
            dense=self.dense.astype(np.float32),
            sparse=self.sparse.astype(np.float32),
            bias=self.bias.astype(np.float32),
            threshold=np.float64(self.threshold),
            examples_sha256=np.str_(self.examples_sha256),
            lexical_weight=np.float64(self.lexical_weight),
            classes=np.array(CLASSES),
            neighbours=(
                self.neighbours if self.neighbours is not None else np.zeros((0, 0))
            ).astype(np.float16),
            neighbour_urgent=(
                self.neighbour_urgent if self.neighbour_urgent is not None else np.zeros(0)
            ).astype(bool),
        )

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> UrgentModel:
        with np.load(path, allow_pickle=False) as data:
            if tuple(str(c) for c in data["classes"]) != CLASSES:
                raise ValueError(f"{path} was fitted for other categories: run `make fit-urgent`")
            return cls(
                dense=data["dense"].astype(np.float64),
                sparse=data["sparse"].astype(np.float64),
                bias=data["bias"].astype(np.float64),
                threshold=float(data["threshold"]),
                examples_sha256=str(data["examples_sha256"]),
                lexical_weight=float(data["lexical_weight"]),
                neighbours=data["neighbours"].astype(np.float32)
                if data["neighbours"].size
                else None,
                neighbour_urgent=data["neighbour_urgent"]
                if data["neighbour_urgent"].size
                else None,
            )


def blend(model: Any, vote: Any) -> Any:
    """The urgent score: the model's 1 - P(none) with the neighbour vote's share (scalars or
    arrays alike, so fitting scores out-of-fold rows exactly as the detector scores one)."""
    return (1 - VOTE_WEIGHT) * model + VOTE_WEIGHT * vote


def neighbour_vote(examples: np.ndarray, urgent: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """For each query row: the similarity-weighted share of urgent examples among its
    NEIGHBOURS nearest (cosine), not-urgent examples weighted up so the classes count alike."""
    sims = np.asarray(queries, dtype=np.float32) @ np.asarray(examples, dtype=np.float32).T
    k = min(NEIGHBOURS, sims.shape[1])
    idx = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    near = np.take_along_axis(sims, idx, axis=1).astype(np.float64)
    weights = np.exp(NEIGHBOUR_SHARPNESS * (near - near.max(axis=1, keepdims=True)))
    is_urgent = np.asarray(urgent, dtype=bool)
    balance = is_urgent.sum() / max(1, (~is_urgent).sum())
    weights = weights * np.where(is_urgent[idx], 1.0, balance)
    return (weights * is_urgent[idx]).sum(axis=1) / weights.sum(axis=1)


def examples_sha256(path: Path = EXAMPLES_FILE) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass
class UrgentResult:
    """`urgent`: signpost now. `categories`: most likely first. `probability`: 1 - P(none)."""

    urgent: bool
    probability: float
    categories: list[str] = field(default_factory=list)
    safety_net: str | None = None  # the category of the lexical rule that fired, if any


class UrgentDetector:
    """Scores one redacted message (and the embedding the pipeline already computed)."""

    def __init__(self, model: UrgentModel | None = None) -> None:
        self.model = model or _shipped_model()

    def detect(
        self,
        text: str,
        embedding: np.ndarray | None,
        context: tuple[str, np.ndarray | None] | None = None,
        clear_risk: str | None = None,
        gloss: tuple[str, np.ndarray | None] | None = None,
    ) -> UrgentResult:
        """`context`: a follow-up rewritten with the earlier question's topic (text and its
        embedding). A short follow-up ("and for my mum?") says little on its own, so its score
        is the mean of the message's and the rewritten question's; the safety net reads the
        message itself. `clear_risk`: the safety net's category read on the message before
        redaction (the caller's), so a word the redactor took for a name cannot hide it.
        `gloss`: the English gloss of a Welsh message and its embedding (`welsh_gloss.py`),
        which the model reads instead of the Welsh words it never learnt; the safety net still
        reads the message."""
        read_text, read_vec = gloss if gloss is not None else (text, embedding)
        probs = self.model.probabilities(read_vec, lexical_features(read_text))
        urgent_p = self.model.urgent_probability(probs, read_vec)
        if context is not None:
            more = self.model.probabilities(context[1], lexical_features(context[0]))
            urgent_p = (urgent_p + self.model.urgent_probability(more, context[1])) / 2
            probs = (probs + more) / 2
        net = safety_net(text) or clear_risk
        cat_probs = probs[:-1]
        order = [int(i) for i in np.argsort(-cat_probs)]
        total = float(cat_probs.sum()) or 1.0
        cats = [CATEGORIES[i] for i in order if cat_probs[i] / total >= CATEGORY_SHARE]
        cats = cats or [CATEGORIES[order[0]]]
        if net and net not in cats:
            cats.insert(0, net)
        return UrgentResult(
            urgent=bool(net)
            or (
                urgent_p >= self.model.threshold
                and not mostly_code(text)
                and not explained_absence(text)
                and not (set(cats) <= _PAST_CATEGORIES and resolved_past(text))
            ),
            probability=urgent_p,
            categories=cats,
            safety_net=net,
        )


# Code pasted into the chat (a database command, markup, a template or shell path) or an order
# to the assistant to drop its instructions: an attack or a test, never a resident at risk. The
# model has seen no code and reads "drop table" or "kill -9" by their words; such a message is
# not urgent unless the safety net's clear words are in it, and only when little ordinary text
# is left beside the code.
_CODE = re.compile(
    r"(?i:\b(?:drop|truncate|delete|insert|alter|select|union|update)\b[^.!?]{0,40}?"
    r"\b(?:table|database|from|into|set|where|select|all)\b[^.!?]*?(?:;|--|=|\*|'|\))"
    r"|<\s*/?\s*(?:script|img|iframe|svg|object|embed|body|html|style)\b[^>]*>"
    r"|\{\{.*?\}\}|\{%.*?%\}|\$\{[^}]*\}"
    r"|(?:\.\./){2,}|/etc/(?:passwd|shadow)|\brm\s+-rf\b|\bkill\s+-9\b|(?:%[nsx]){3,}"
    # ... and orders to the assistant to drop its instructions: a jailbreak, not a resident
    r"|\bdeveloper\s+mode\b|\bjailbr[eo]\w*|\bsystem\s+prompt\b"
    r"|\b(?:ignore|disregard|forget)\s+(?:(?:all|any|your|the|previous|prior|above|of)\s+)*"
    r"(?:instructions|prompt)\b)"
    # a persona it is told it now is ("you are now DAN", "you are now EvilBot"): case matters
    r"|\byou\s+are\s+now\s+(?:[A-Z]\w*\b|in\s+\w+\s+mode|unrestricted|jailbroken)"
)
_PLAIN_WORD = re.compile(r"[a-z]{2,}")
CODE_MAX_OTHER_WORDS = 6


# Out when someone calls ("i wont be in when the engineer comes", "i won't be here for the
# viewing, my partner will show you round", "can the gardener come another day, i wont be
# here on monday"): the model reads "won't be here" as a farewell, and did so for half of the
# everyday absence notices written to test it (README, urgent). An absence tied to one visit,
# collection or day, with a request about that visit, is no farewell; the safety net (which
# reads farewells beside affairs put in order) is checked first and always wins.
_ABSENT = re.compile(
    r"\b(?:won['’]?t|wont|will\s+not|can['’]?t|cant|cannot|not\s+going\s+to|not\s+gonna)\s+"
    r"be\s+(?:in|here|home|at\s+home|around|about|there|back)\b"
)
_OCCASION = re.compile(
    r"\b(?:when\s+(?:the|your|he|she|they)\b[^.!?,]{0,30}\b(?:comes?|calls?|visits?|arrives?|is\s+due)"
    r"|for\s+(?:the|my|our|his|her)\s+(?:\w+\s+)?(?:appointment|visit|inspection|collection|"
    r"delivery|viewing|survey|service|assessment|reading|check|swap|repair|meeting|interview|"
    r"hearing|call)"
    r"|on\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day|on\s+the\s+\d{1,2}(?:st|nd|rd|th)?\b"
    r"|(?:this|next)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
)
# ... a request about that visit itself, never a bare "can you" (a farewell asks things too)
_REARRANGE = re.compile(
    r"\b(?:another\s+(?:day|time|slot|date)|rearrang\w*|re-?book\w*|reschedul\w*|move\s+(?:it|the\s+"
    r"(?:visit|appointment|date))|later\s+(?:slot|time|date|on)|(?:come|call|deliver|visit)\s+"
    r"later|ring\s+(?:me|first|before)|call\s+(?:me|first|before)|phone\s+(?:me|first|before)|"
    r"leave\s+(?:it|the)|(?:be\s+)?left\s+(?:out|by|in\s+the|with|at)|let\s+(?:you|them|him|her)"
    r"\s+in|show\s+you\s+round|has\s+a\s+key|key\s+from|post\s+(?:it|the)|through\s+the\s+door|"
    r"is\s+(?:that|saturday|monday|tuesday|wednesday|thursday|friday|sunday)\s+(?:ok|possible)|"
    r"(?:a|another|any\s+other)\s+slot)\b"
)
_RISK_WORDS = re.compile(
    r"\b(?:pills?|tablets?|overdose|goodbye|note|letters?|end\s+it|last\s+(?:message|time)|"
    r"tonight|anymore|any\s+more|much\s+longer|peace|sorry\s+for|forgive|kill|die|dead|hurt|"
    r"hit|scared|afraid|danger|bleeding|blood|police|999|help\s+me|for\s+good|forever|gone|"
    r"never\s+(?:be\s+)?(?:back|coming\s+back)|someone\s+who\s+needs\s+it)\b"
)


# An event weeks or years ago with nothing said to be happening now ("my mum fell last winter
# and broke her hip, is there a pendant alarm", "we were flooded in 2020, can we get a grant"):
# the model reads the event, not its tense.
# Only for a danger, a medical emergency or a crime, whose risk is over when the event is:
# abuse or neglect disclosed from the past is still a safeguarding concern and stays urgent.
_PAST_CATEGORIES = frozenset({"danger_to_life", "medical_emergency", "crime_in_progress"})
_LONG_AGO = re.compile(
    r"\b(?:last\s+(?:week|month|year|winter|summer|spring|autumn|christmas)|(?:\d+|a\s+few|two|"
    r"three|four|five|six|several|many)\s+(?:weeks?|months?|years?)\s+ago|a\s+(?:week|month|"
    r"year)\s+ago|years\s+ago|in\s+(?:19|20)\d\d|when\s+(?:he|she|i|they|we)\s+(?:was|were)\s+"
    r"(?:younger|little|a\s+(?:child|kid|baby|teenager)))\b"
)
_NOW = re.compile(
    r"\b(?:now|tonight|today|this\s+(?:morning|afternoon|evening)|again|still|keeps?|"
    r"currently|at\s+the\s+moment|just|can['’]?t|cant|cannot|won['’]?t|wont|isn['’]?t|is\s+not|"
    r"help\s+me|scared|afraid|frightened|urgent|emergency|asap|right\s+away|immediately|"
    # something going on as the resident writes: "the same gang is outside", "they're banging"
    # (not a question put to the council: "are you putting more cctv up")
    r"outside|here|back|on\s+(?:his|her|their|my|the)\s+way|coming\s+(?:back|round|for)|"
    r"(?:is|are)\s+(?:in|at|on|by)\s+(?:the|my|our|his|her|their)|"
    r"(?:i['’]?m|i\s+am|he['’]?s|she['’]?s|they['’]?re|we['’]?re|it['’]?s|someone['’]s|"
    r"(?:is|are)(?!\s+(?:you|there)\b))\s+(?:\w+\s+)?\w+ing)\b"
)


def resolved_past(text: str) -> bool:
    """An event weeks or years ago, and no word that anything is happening now."""
    low = text.lower()
    return bool(_LONG_AGO.search(low)) and not _NOW.search(low)


def explained_absence(text: str) -> bool:
    """Out for one visit, collection or day, and asking about it: everyday business."""
    low = text.lower()
    return bool(
        _ABSENT.search(low)
        and _OCCASION.search(low)
        and _REARRANGE.search(low)
        and not _RISK_WORDS.search(low)
    )


def mostly_code(text: str) -> bool:
    """Code is there, and at most a few ordinary words beside it."""
    rest, found = _CODE.subn(" ", text)
    return found > 0 and len(_PLAIN_WORD.findall(rest.lower())) <= CODE_MAX_OTHER_WORDS


def safety_net(text: str) -> str | None:
    """The category of the first clear-signal rule the text matches, or None."""
    lowered = text.lower()
    for category, patterns in SAFETY_NET.items():
        if any(p.search(lowered) for p in patterns):
            return category
    return None


@lru_cache(maxsize=1)
def _shipped_model() -> UrgentModel:
    return UrgentModel.load(MODEL_FILE)
