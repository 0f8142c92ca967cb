"""Street addresses typed in lower case with no address cue ("7 pen y bryn road", "bins at
9 bryn gwyn", "57 whitecross lane broken window").

`StreetAddressRecognizer` (`chatbot/recognizers.py`) takes a lower-case street only after a cue
("I live at", "my address is") or before a postcode, because in lower case nothing marks where
a street name ends. This recogniser finds the end from the words themselves:

- a house number, then one to three street-name words, then a street-type word ("road",
  "close", "wynd", "brae"...), and the type word must end the street: what follows is the end
  of the clause, a stop word, a flat number, a town, or a word that is no noun (a noun after it
  makes a compound: "4 broken street lights" is no address);
- a house number, then a Welsh, Scottish or Irish street word that comes first ("heol",
  "ffordd", "bryn", "plas", "maes", "tŷ", "pen-y-", "tan-y-"...), an optional particle
  ("y", "yr") and one or two name words. After a particle any word is the name ("maes y coed");
  otherwise a name word must be no English word, so "parking at 4 plas newydd costs" stops
  before "costs";
- after a strong address cue ("im at", "we live at", "my address is"), a house number and a
  street with no type word that closes the clause: "im at 88 the paddock, ...", or, even in
  English words, that a postcode follows: "address: 5 riverside, bv2 1qa".

Never taken: a number after an article, possessive or quantifier ("the 12 bus", "my 3 year
old", "a 5 minute walk"), a number followed by a unit or an ordinary noun ("2 bins", "3
children", "6 potholes on mill road": stop words end a street name), street-name words that
are verbs or adverbs ("the number 4 bus still running to park lane"), and plural nouns before
a type word that is also an everyday word ("4 houses close by"). spaCy's tags are read (through
`tag_of`, so the tagger runs only when a candidate needs it) for English words only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from chatbot.deferred_tags import tag_of
from chatbot.recognizers import (
    _NOT_STREET_WORDS,
    _POSTCODE,
    STREET_TYPE_WORDS,
    TENEMENT_BEFORE,
    OneEntityRecognizer,
    StreetAddressRecognizer,
)
from chatbot.recognizers_ids import STREET_FIRST

# Type words that are hardly ever anything but a street's: no extra evidence needed.
_STRONG_TYPES = frozenset(
    "road rd street avenue ave lane crescent cres terrace tce gardens gdns grove mews "
    "boulevard wynd vennel brae".split()
)
# Abbreviations too short to trust in lower case ("pl" is also "please")
_WEAK_ABBREVIATIONS = frozenset("cl ct pl gr ln dr sq".split())
_TYPES = (STREET_TYPE_WORDS | _STRONG_TYPES) - _WEAK_ABBREVIATIONS
# An ambiguous type word followed by one of these is an adjective or a noun of a phrase:
# "close to the shop", "way too long", "view of the park".
_NOT_AFTER_TYPE = frozenset("to by of up down out enough too together from more back".split())
# Words a house number never follows: articles, possessives, quantifiers, comparisons.
_NOT_BEFORE = frozenset(
    """a an the my our your his her their its every each another these those this that first
    next last only just about around approx approximately over under than per all some any
    few several many more less least most same other extra additional""".split()
)
# Units and counted things: "2 bins", "5 minute walk", "30 mph road".
_UNITS = StreetAddressRecognizer._NOT_NAMES | frozenset(
    """mph kph km kms kg kgs lb lbs ft yds mm cm m x p pence quid pound percent times time
    secs sec second seconds weeks week days months years yr yrs bags sacks boxes kids
    children adults people houses homes flats doors dogs cats cars vans""".split()
)
_STOP_END = STOP_WORDS | _NOT_STREET_WORDS | _UNITS

# Welsh, Scottish Gaelic and Irish street words that come first. Unmistakable ones may be
# followed by any name word; the others ("bryn" hill, "plas" hall, "maes" field, "tŷ" house)
# only by words that are no English word, or by a particle.
_FIRST_SURE = frozenset(
    "heol ffordd lon lôn stryd rhodfa cilgant sràid sraid rathad bóthar bothar sráid".split()
)
_FIRST_OTHER = frozenset(STREET_FIRST.split("|")) - _FIRST_SURE  # the title-case recogniser's
_FIRST_NEEDS_PARTICLE = frozenset("pen tan cefn ger".split())  # "pen y graig", "tan yr allt"
_PARTICLES = frozenset("y yr ar dan tan uwch na nan".split())
_WELSH_WORDS = _FIRST_SURE | _FIRST_OTHER | _FIRST_NEEDS_PARTICLE | _PARTICLES
_HYPHENATED = re.compile(
    r"(?:pen|tan|bryn|cefn|ger|pant|nant|coed|maes|plas|ty|tŷ|bro|glan|heol|ffordd|lon|lôn|"
    r"cwm|blaen|pont|aber|llan)-(?:y|yr|r|ar)-[^\W\d_]{2,}",
    re.IGNORECASE,
)
_UNIT_WORDS = frozenset("flat apartment apt unit room".split())
_TIME_WORDS = frozenset("moment latest earliest weekend morning evening night end start".split())
# a cue that a house number and street follow: "we live at", "my address is", "moved to"
_ADDRESS_CUE = re.compile(
    r"(?i:\b(?:(?:live|lives|living|lived|i['’]?m|im|we['’]?re|we\s+are|resid(?:e|es|ing))\s+at"
    r"|address\s*(?:is\s*|:\s*|-\s*)?|(?:moved|moving)\s+(?:to|into))\s+"
    r"(?:(?:flat|apartment|unit)\s+\w+,?\s+)?)$"
    # a flat number, maybe its block, then the house number: "flat 12, Marlowe House, 40 ..."
    r"|(?i:\b(?:flat|apartment|apt|unit)\s*\d{1,4}[a-z]?,\s+(?:[a-z'’\-]+\s+){0,3}?"
    r"(?:[a-z'’\-]+,\s+)?)$"
)

# adjectives that end a Welsh street's name ("heol y felin fach"), not a town before a postcode
_WELSH_ADJECTIVES = frozenset(
    "fach fawr bach mawr uchaf isaf newydd hen hir las lwyd wen wyn gwyn goch ddu deg teg".split()
)
_TOKENS = re.compile(r"\n|[^\W_]+(?:['’\-][^\W_]+)*|[^\w\s]")
_HOUSE = re.compile(r"\d{1,4}[a-z]?(?:-\d{1,4}[a-z]?)?", re.IGNORECASE)
_POSTCODE_AT = re.compile(rf"\s*,?\s*{_POSTCODE}(?![\w])", re.IGNORECASE)
_NAME_TAGS = frozenset({"NN", "NNP", "NNPS", "JJ", "NNS", "FW", "VBN", "ADD", "XX"})
_NOUN_TAGS = frozenset({"NN", "NNS"})
_OBJECT_TAGS = frozenset({"DT", "PRP", "PRP$", "TO", "VBG", "RB", "CD"})


class LowerStreetRecognizer(OneEntityRecognizer):
    """House number + a lower-case street, its end found from the words (module docstring)."""

    ENTITY = "STREET_ADDRESS"

    def __init__(
        self, is_english: Callable[[str], bool], is_place: Callable[[str], bool] | None = None
    ) -> None:
        super().__init__()
        self._is_english = is_english
        self._is_place = is_place or (lambda _: False)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if not any(ch.isdigit() for ch in text):
            return []
        tokens = list(_TOKENS.finditer(text))
        doc = getattr(nlp_artifacts, "tokens", None)
        results: list[RecognizerResult] = []
        for i, tok in enumerate(tokens):
            if not _HOUSE.fullmatch(tok.group()) or not self._may_start(tokens, i):
                continue
            ends = [
                self._street_first(tokens, i, doc),
                self._type_last(text, tokens, i, doc),
                self._after_cue(text, tokens, i),
            ]
            found = [e for e in ends if e]
            if found:
                end, score = max(found)  # "7 pen y bryn road" runs to its type word
                results.append(self._result(tok.start(), end, score))
        return results

    @staticmethod
    def _may_start(tokens: list[re.Match[str]], i: int) -> bool:
        """A house number: not after an article or quantifier ("the 12 bus"), a currency sign,
        another number or a time ("10:30", "3.5")."""
        if i == 0:
            return True
        prev = tokens[i - 1].group()
        before = tokens[i].string[max(0, tokens[i].start() - 12) : tokens[i].start()]
        if TENEMENT_BEFORE.search(before):
            return True  # "2/1 18 onslow drive", "3f1 22 comely bank row": a tenement flat
        if prev.lower() in _NOT_BEFORE or prev in "£$€#%+" or prev[:1].isdigit():
            return False
        return not (prev in ":./" and i >= 2 and tokens[i - 2].group()[:1].isdigit())

    def _street_first(
        self, tokens: list[re.Match[str]], i: int, doc: Doc | None
    ) -> tuple[int, float] | None:
        """ "9 bryn gwyn", "5 heol y felin", "3 tan-y-fron", "8 ffordd las"."""
        words = _words_after(tokens, i + 1, 4)
        if not words:
            return None
        first = words[0].group()
        low = first.lower()
        if _HYPHENATED.fullmatch(first):
            end = words[0].end()
            if len(words) > 1 and self._welsh_word(words[1]):
                end = words[1].end()
            return end, 0.85
        low = re.sub(r"['’]r$", "", low)  # "rhodfa'r"
        particle = first.lower() != low  # "rhodfa'r gorllewin" has its particle
        if low not in _FIRST_SURE | _FIRST_OTHER | _FIRST_NEEDS_PARTICLE:
            return None
        rest = words[1:]
        if rest and rest[0].group().lower() in _PARTICLES:
            particle, rest = True, rest[1:]
        if not rest or (low in _FIRST_NEEDS_PARTICLE and not particle):
            return None
        name = rest[0]
        bare = name.group().lower()
        if bare in _STOP_END or bare in _TYPES:
            return None  # "5 bryn road" is the type-last form's
        if not particle and low not in _FIRST_SURE and not self._welsh_word(name):
            return None  # "3 coed trees"
        if not particle and self._is_english(bare) and self._verb_like(name, doc):
            return None
        end = name.end()
        if len(rest) > 1 and self._welsh_word(rest[1]) and not self._post_town(rest[1]):
            end = rest[1].end()  # "heol y felin fach", "bryn hafod uchaf"
        return end, 0.85

    @staticmethod
    def _post_town(word: re.Match[str]) -> bool:
        """A word right before a postcode that is no street adjective is the post town:
        "5 lon y wennol llangefni ll77 7qd"."""
        return word.group().lower() not in _WELSH_ADJECTIVES and bool(
            _POSTCODE_AT.match(word.string[word.end() :])
        )

    def _after_cue(
        self, text: str, tokens: list[re.Match[str]], i: int
    ) -> tuple[int, float] | None:
        """A street with no type word, after a strong address cue and closing the clause:
        "im at 88 the paddock, ...", "we live at 4 glanrafon." ("the" + one word, or one or two
        words of which one is no English word)."""
        if not _ADDRESS_CUE.search(text[max(0, tokens[i].start() - 40) : tokens[i].start()]):
            return None
        words = _words_after(tokens, i + 1, 3)
        the = bool(words) and words[0].group().lower() == "the"
        name = words[1:2] if the else words[:2]
        while name:
            if any(
                w.group().lower() in _STOP_END | _TIME_WORDS or w.group()[:1].isdigit()
                for w in name
            ):
                return None
            closes = re.match(r"\s*(?:[,.;!?)\n]|$)", text[name[-1].end() :])
            postcode = _POSTCODE_AT.match(text[name[-1].end() :])
            if closes or postcode:
                # English words too when a postcode closes it ("address: 5 riverside, bv2 1qa")
                # or when written as a proper noun ("lives at 17 Woodside.")
                if (
                    the
                    or postcode
                    or not all(self._is_english(w.group().lower()) for w in name)
                    or (all(_proper(w.group()) for w in name) and not _all_capitals(text))
                ):
                    return name[-1].end(), 0.7
                return None
            if the:
                return None
            name = name[:-1]
        return None

    def _welsh_word(self, word: re.Match[str]) -> bool:
        """A name word of a street that comes first: no English or stop word ("gwyn", not
        "costs")."""
        w = word.group().lower()
        return w not in _STOP_END and not self._is_english(w) and not w[:1].isdigit()

    def _type_last(
        self, text: str, tokens: list[re.Match[str]], i: int, doc: Doc | None
    ) -> tuple[int, float] | None:
        """ "14 pen y graig road", "41 kirkgate wynd", "5 st helens terrace"."""
        words = _words_after(tokens, i + 1, 5)
        # the street-name words: up to the first stop word, unit, number or month
        run: list[re.Match[str]] = []
        for k, w in enumerate(words):
            low = w.group().lower().rstrip(".")
            if k == 0 and low in ("st", "saint", "the"):
                run.append(w)
                continue
            if low in _STOP_END and low not in ("y", "yr"):
                break
            if k == 0 and low == "way":
                break  # "1 way street"
            run.append(w)
        # the street ends at its last type word that passes; try the furthest first
        for j in range(len(run) - 1, 0, -1):
            kind = run[j].group().lower().rstrip(".")
            if kind not in _TYPES:
                continue
            names = [w for w in run[:j] if w.group().lower() not in ("the", "st", "saint")]
            strong = kind in _STRONG_TYPES
            bare_the = strong and run[0].group().lower() == "the"  # "16 the vennel"
            if len(names) > 3 or (not names and not bare_the):
                continue  # at most three name words: "30 gorse hill road"
            saint = run[0].group().lower() in ("st", "saint")
            if not self._names_ok(names[1:] if saint else names, strong, doc):
                continue
            if not self._ends_street(text, tokens, run[j], kind, strong, doc):
                continue
            return run[j].end(), 0.85 if strong else 0.7
        return None

    def _names_ok(self, names: list[re.Match[str]], strong: bool, doc: Doc | None) -> bool:
        """Street-name words are nouns or adjectives, never verbs or adverbs; a plural noun
        only first and before an unmistakable type word ("kings road", not "4 houses close"
        nor "3 big potholes road")."""
        for k, n in enumerate(names):
            w = n.group().lower()
            if not self._is_english(w) or w in _WELSH_WORDS:
                continue  # the tagger reads "coed" (wood) as a verb
            tag = _tag_at(doc, n.start())
            if tag is None:
                continue
            if tag not in _NAME_TAGS or (tag == "NNS" and (not strong or k > 0)):
                return False  # "3 big potholes road" is a noun phrase, "12 kings road" a street
        return True

    def _ends_street(
        self,
        text: str,
        tokens: list[re.Match[str]],
        kind_word: re.Match[str],
        kind: str,
        strong: bool,
        doc: Doc | None,
    ) -> bool:
        """What follows a type word ends the street: the clause ends, a stop word, a number, a
        flat, a postcode or a town; never a noun it would make a compound with."""
        after = text[kind_word.end() :]
        if _POSTCODE_AT.match(after):
            return True
        index = next(k for k, t in enumerate(tokens) if t.start() == kind_word.start())
        if index + 1 >= len(tokens):
            return True
        nxt = tokens[index + 1]
        word = nxt.group()
        low = word.lower()
        if not word[:1].isalnum() or word[:1].isdigit():
            return True  # punctuation, a line break, a number
        if low in STOP_WORDS:
            return strong or low not in _NOT_AFTER_TYPE
        if low in _UNIT_WORDS or self._is_place(low) or not self._is_english(low):
            return True  # "12 mill road flat 2", "45 long view wrexham"
        tag = _tag_at(doc, nxt.start())
        if tag is None or tag not in _NOUN_TAGS:
            return True
        if tag == "NNS" and low.endswith("s") and index + 2 < len(tokens):
            # a verb in -s the tagger took for a plural: "brae needs gritting", "close needs a
            # new bin" (a plural noun has no object: "street lights on our estate")
            then = tokens[index + 2]
            return _tag_at(doc, then.start()) in _OBJECT_TAGS
        return False

    @staticmethod
    def _verb_like(word: re.Match[str], doc: Doc | None) -> bool:
        tag = _tag_at(doc, word.start())
        return tag is not None and tag not in _NAME_TAGS


def _proper(word: str) -> bool:
    """A word written as a proper noun: a capital, then lower case ("Woodside", not "ASAP")."""
    return word[:1].isupper() and word[1:].islower()


def _all_capitals(text: str) -> bool:
    """A message whose every word starts with a capital says nothing by its capitals."""
    words = re.findall(r"[^\W\d_]+", text)
    return len(words) > 2 and all(w[:1].isupper() for w in words)


def _words_after(tokens: list[re.Match[str]], start: int, limit: int) -> list[re.Match[str]]:
    """Up to `limit` word tokens from `start`, stopping at punctuation or a line break ("st."
    keeps its dot)."""
    words: list[re.Match[str]] = []
    k = start
    while k < len(tokens) and len(words) < limit:
        t = tokens[k].group()
        if t == "." and words and words[-1].group().lower() == "st":
            k += 1
            continue
        if not t[:1].isalnum():
            break
        words.append(tokens[k])
        k += 1
    return words


def _tag_at(doc: Doc | None, start: int) -> str | None:
    """spaCy's fine-grained tag of the token starting at `start` (None without a doc)."""
    if doc is None:
        return None
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return tag_of(span[0])
