"""Is this message written in Welsh? A small naive Bayes identifier over letter trigrams and
words, learned from the team's own example messages (`language_examples.yaml`) when it is
built (a few milliseconds: nothing to download, nothing fitted to ship).

Letter trigrams carry Welsh spelling ("dd", "ll", "wy", "ae", "ch" in their places, "ŵ", "ŷ")
and words carry its function words ("mae", "yn", "y", "fy", "sut", "i'n"), so place and street
names inside an English message ("the tip on Heol y Felin") do not tip it into Welsh: the rest
of the sentence outweighs them. A message is Welsh only when the evidence is clear.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = [
    "WELSH_GREETING_WORDS",
    "WELSH_THANKS_WORDS",
    "LanguageGuess",
    "LanguageIdentifier",
    "welsh_greeting",
]

EXAMPLES = Path(__file__).resolve().parent / "language_examples.yaml"
WORD = re.compile(r"[a-zâêîôûŵŷäëïöüẅÿáéíóúẃýàèìòùẁỳ']+")
PLACEHOLDER = re.compile(r"<[A-Z_]+>")
WELSH_MARGIN = 3.0  # log-odds needed to call a message Welsh (nats)
OPENING_MARGIN = 12.0  # ... to call an English message Welsh by its opening sentence


@dataclass(frozen=True)
class LanguageGuess:
    language: str  # "cy" or "en"
    log_odds: float  # log P(cy | text) - log P(en | text)


class LanguageIdentifier:
    """Welsh or English, from letter trigrams and words (multinomial naive Bayes)."""

    def __init__(self, examples: dict[str, list[str]] | None = None) -> None:
        if examples is None:
            examples = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
        self._counts: dict[str, Counter[str]] = {}
        self._totals: dict[str, int] = {}
        for language in ("cy", "en"):
            counts: Counter[str] = Counter()
            for text in examples.get(language, []):
                counts.update(features(text))
            self._counts[language] = counts
            self._totals[language] = sum(counts.values())
        self._vocabulary = len(set(self._counts["cy"]) | set(self._counts["en"])) + 1

    def guess(self, text: str) -> LanguageGuess:
        found = features(text)
        if not found:
            return LanguageGuess("en", 0.0)
        score = 0.0
        for feature in found:
            score += self._log_p(feature, "cy") - self._log_p(feature, "en")
        # Long messages pile up evidence; judge the evidence per word, scaled to ~6 words.
        words = max(1, len(WORD.findall(_clean(text))))
        odds = score * min(1.0, 6.0 / words)
        return LanguageGuess("cy" if odds >= WELSH_MARGIN else "en", odds)

    def detect(self, text: str) -> str:
        return self.guess(text).language

    def message_language(self, text: str) -> str:
        """The language to reply in: the message's, or Welsh when it opens with a Welsh
        sentence of four words or more and goes on in English ("dwi angen help, mae ... . i
        need to get out"): a resident who writes to the council in Welsh is answered in Welsh."""
        return "cy" if self.detect(text) == "cy" or self.opens_in_welsh(text) else "en"

    def opens_in_welsh(self, text: str) -> bool:
        """The message's first sentence, with more after it, is clearly Welsh."""
        first = re.split(r"[.!?\n]", text.strip(), maxsplit=1)[0]
        if first == text.strip():
            return False
        # its lower-case words only: place and street names ("Pen Rhiw, Cwm Gwaun") are
        # capitalised, a sentence's function words are not; and far clearer evidence than a
        # whole message needs (a letter's "Dear Sir or Madam" scores 7, a Welsh sentence 20+)
        lower = [w for w in re.findall(r"[^\W\d_][\w'’]*", first) if w[:1].islower()]
        return len(lower) >= 4 and self.guess(" ".join(lower)).log_odds >= OPENING_MARGIN

    def _log_p(self, feature: str, language: str) -> float:
        count = self._counts[language][feature]
        return math.log((count + 0.5) / (self._totals[language] + 0.5 * self._vocabulary))


def _clean(text: str) -> str:
    text = PLACEHOLDER.sub(" ", text).lower().replace("’", "'")
    return text


def features(text: str) -> list[str]:
    """Words (as "w:word") and letter trigrams inside words padded with spaces."""
    out: list[str] = []
    for word in WORD.findall(_clean(text)):
        word = word.strip("'")
        if not word:
            continue
        out.append(f"w:{word}")
        padded = f" {word} "
        out.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return out


# A Welsh greeting or thanks, word by word ("shwmae", "bore da", "diolch yn fawr iawn")
WELSH_GREETING_WORDS = frozenset(
    "helo hylo shwmae shwmai sumae su'mae s'mae bore prynhawn noswaith da diolch yn fawr iawn "
    "hwyl ta-ta tata pawb chi sut mae".split()
)
# ... and a thanks for help ("diolch yn fawr iawn am eich help"): only beside "diolch"
WELSH_THANKS_WORDS = frozenset("am eich dy help cymorth".split())


def welsh_greeting(text: str) -> str | None:
    """ "thanks" or "hello" for a Welsh message that is only a greeting or thanks, else None."""
    words = [w.strip(".,!?'\"") for w in text.lower().replace("’", "'").split()]
    words = [w for w in words if w]
    known = WELSH_GREETING_WORDS | (WELSH_THANKS_WORDS if "diolch" in words else frozenset())
    if not words or len(words) > 8 or any(w not in known for w in words):
        return None
    return "thanks" if "diolch" in words else "hello"
