"""UK personal-data recognisers for resident messages (presidio `LocalRecognizer`s).

presidio's own context boost compares single lemmas, so phrases such as "date of birth" or
"sort code" never count, and it logs the words it looked at. These recognisers instead score each
match themselves from the raw characters just around it (multi-word phrases, case-insensitive,
whole words), and mark the result as already context-scored. Scores are calibrated so that a
shape that is personal on its own (a postcode, a NINO, a Luhn-valid card) clears the Redactor's
threshold without context, and a shape that is only personal in context (8 digits, a date, an
old-style number plate) scores 0 without it and is never reported.

Street names: a house number + street name + street-type word is an address and is redacted
("12 Acacia Avenue", "Flat 3, 45 Mill Lane"); a bare street name used as a place ("the tip on
Mill Lane", "pothole on the High Street") is kept, because routing and retrieval need it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from chatbot.alternation import alternation

# Never a match start/end inside a word; digits of other scripts count as digits (re's \d).
_L = r"(?<![\w])"
_R = r"(?![\w])"


def phrase_regex(phrases: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive regex for whole-word phrases; a space also matches '-' or nothing."""
    parts = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    body = alternation(parts, lambda p: r"[\s\-]*".join(re.escape(w) for w in p.split()))
    return re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])", re.IGNORECASE)


def digits_of(value: str) -> list[int]:
    """The decimal digits in a match, whatever the script (fullwidth digits included)."""
    return [unicodedata.decimal(ch) for ch in value if ch.isdecimal()]


class OneEntityRecognizer(LocalRecognizer):
    """A recogniser of one entity type, in English, with nothing to load (ours all are)."""

    ENTITY = ""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[self.ENTITY], supported_language="en", name=type(self).__name__
        )

    def load(self) -> None:
        """Nothing to load: patterns are compiled at class definition, word lists on first use."""

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=min(score, 1.0),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
            },
        )


class ContextRecognizer(OneEntityRecognizer):
    """Regex matches scored by the context words found just before (and after) them."""

    ENTITY = ""
    PATTERNS: tuple[re.Pattern[str], ...] = ()
    CONTEXT: tuple[str, ...] = ()
    BEFORE = 40  # characters of context looked at before a match
    AFTER = 20  # and after it
    # patterns (by index) that score 0 without context: not run at all when no context word
    # is anywhere in the text (most messages), which changes no result and saves the time
    NEEDS_CONTEXT: frozenset[int] = frozenset()

    def __init__(self, extra_context: Sequence[str] = ()) -> None:
        super().__init__()
        self._context = phrase_regex([*self.CONTEXT, *extra_context])

    def has_context(self, text: str, start: int, end: int) -> bool:
        before = text[max(0, start - self.BEFORE) : start]
        after = text[end : end + self.AFTER]
        return bool(self._context.search(before) or self._context.search(after))

    def score(self, value: str, context: bool, pattern: int) -> float:
        """Score of one match (0 = not this entity). `pattern` is the index in PATTERNS."""
        raise NotImplementedError

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        skip = self.NEEDS_CONTEXT if self.NEEDS_CONTEXT and not self._context.search(text) else ()
        for index, pattern in enumerate(self.PATTERNS):
            if index in skip:
                continue
            for match in pattern.finditer(text):
                group = "value" if "value" in pattern.groupindex else 0
                start, end = match.span(group)
                if start == end:
                    continue
                score = self.score(text[start:end], self.has_context(text, start, end), index)
                if score > 0:
                    results.append(self._result(start, end, score))
        return results


class UkPhoneRecognizer(ContextRecognizer):
    """UK numbers as people type them: 07700 900123, +44 (0)20 7946 0123, (01632) 960-123.

    The phonenumbers library rejects Ofcom's drama ranges as invalid and, when lenient, flags
    any digit run; so the shape is matched here and checked for a plausible UK length.
    """

    ENTITY = "PHONE_NUMBER"
    PATTERNS = (
        re.compile(
            rf"(?<![\w+])(?P<value>(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)"
            rf"[\s\-./_]?\d(?:[\s\-./_]?\)?[\s\-./_]?\d){{8,9}}){_R}"
        ),
        # another country's number, as residents' relatives abroad have: "+48 512 345 678",
        # "+353 87 123 4567" (the + and country code say phone on their own)
        re.compile(
            r"(?<![\w+])(?P<value>\+(?!44)[1-9]\d{0,2}(?:[\s\-.]?\(?\d{1,5}\)?){1,6})(?![\w])"
        ),
        # a mobile typed without its leading 0 ("my number: 7700 900123"): context only
        re.compile(rf"(?<![\w+])(?P<value>7\d{{3}}[\s\-]?\d{{3}}[\s\-]?\d{{3}}){_R}"),
    )
    CONTEXT = ("phone", "mobile", "tel", "telephone", "call", "ring", "text", "number",
               "contact", "landline", "whatsapp", "reach me")  # fmt: skip
    NEEDS_CONTEXT = frozenset({2})

    def score(self, value: str, context: bool, pattern: int) -> float:
        digits = "".join(map(str, digits_of(value)))
        if pattern == 1:
            return (0.95 if context else 0.8) if 9 <= len(digits) <= 15 else 0.0
        if pattern == 2:
            return 0.9 if context else 0.0
        if value.lstrip("(").startswith(("+", "00")):
            national = digits[4:] if digits.startswith("0044") else digits[2:]
            national = national.removeprefix("0")
        else:
            national = digits[1:]
        if len(national) not in (9, 10) or national[0] not in "1235789":
            return 0.0
        return 0.95 if context else 0.75


# Outward code (A9, A99, A9A, AA9, AA99, AA9A) + inward code (9AA), any case, space optional.
_POSTCODE = (
    r"(?:GIR\s?0AA|(?:[A-PR-UWYZ]\d[\dA-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y]\d[\dABEHMNPRVWXY]?)"
    r"(?:\s{0,2}|-)\d[ABD-HJLNP-UW-Z]{2})"
)


class UkPostcodeRecognizer(ContextRecognizer):
    """Postcodes are redacted even without context: in a resident's message one is an address."""

    ENTITY = "UK_POSTCODE"
    PATTERNS = (re.compile(rf"{_L}(?P<value>{_POSTCODE}){_R}", re.IGNORECASE),)
    CONTEXT = ("postcode", "post code", "address", "live", "living", "lives", "moved", "home",
               "house", "flat", "property", "street", "road", "area")  # fmt: skip

    def score(self, value: str, context: bool, pattern: int) -> float:
        return 0.95 if context else 0.6


_SHORT_WORDS = frozenset(
    "am an as at be by do go he if in is it me my no of on or so to up us we".split()
)


class UkNinoRecognizer(ContextRecognizer):
    """Anything shaped like a National Insurance number, valid prefix or not (QQ123456C too)."""

    ENTITY = "UK_NINO"
    PATTERNS = (
        re.compile(rf"{_L}(?P<value>[A-Z]{{2}}(?:[\s\-]?\d{{2}}){{3}}[\s\-]?[A-D]){_R}", re.I),
    )
    PATTERNS = (
        *PATTERNS,
        re.compile(rf"{_L}(?P<value>[A-Z]{{2}}(?:[\s\-]?\d{{2}}){{3}}){_R}", re.I),  # no letter
        # digits in threes: "AB 123 456 C"
        re.compile(rf"{_L}(?P<value>[A-Z]{{2}}[\s\-]?\d{{3}}[\s\-]?\d{{3}}[\s\-]?[A-D]){_R}", re.I),
        # every character apart, as a form's boxes are copied: "J T 4 8 2 1 9 5 C"
        re.compile(rf"{_L}(?P<value>[A-Z] [A-Z](?: \d){{6}}(?: [A-D])?){_R}", re.I),
    )
    CONTEXT = ("national insurance", "ni", "nino", "ni number", "nat ins")
    NEEDS_CONTEXT = frozenset({1, 3})

    def score(self, value: str, context: bool, pattern: int) -> float:
        if pattern in (1, 3):
            return 0.85 if context else 0.0  # "AB 12 34 56" only next to "NI number"
        if value[:2].islower() and value[:2] in _SHORT_WORDS and not context:
            return 0.0  # "at 10 15 30 a..." is a sentence, not a NINO
        return 1.0 if context else 0.9


def nhs_checksum_ok(value: str) -> bool:
    """NHS numbers end in a modulus-11 check digit."""
    digits = digits_of(value)
    if len(digits) != 10:
        return False
    return sum(d * w for d, w in zip(digits, range(10, 0, -1), strict=True)) % 11 == 0


class UkNhsRecognizer(ContextRecognizer):
    """NHS numbers (943 476 5919): a valid checksum, or 10 digits next to 'NHS'."""

    ENTITY = "UK_NHS"
    PATTERNS = (
        re.compile(rf"{_L}(?P<value>\d{{3}}[\s\-]?\d{{3}}[\s\-]?\d{{4}}){_R}"),
        # grouped some other way ("4857 773 457"): ten digits, an NHS word and a valid checksum
        re.compile(r"(?<![\w\-])(?P<value>\d(?:[ \-]?\d){9})(?![\w\-]|[ \-]?\d)"),
    )
    CONTEXT = ("nhs", "national health", "health number", "gp", "hospital number")
    NEEDS_CONTEXT = frozenset({1})

    def score(self, value: str, context: bool, pattern: int) -> float:
        valid = nhs_checksum_ok(value)
        if pattern == 1:
            return 1.0 if context and valid else 0.0
        if context:
            return 1.0 if valid else 0.9
        if not valid:
            return 0.0
        return 0.7 if not value.isdecimal() else 0.5


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
# a day said in words, as voice typing writes it: "twelfth", "twenty third", "thirty-first"
_DAY_WORD = (
    r"(?:(?:twenty|thirty)[\s\-]+(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
    r"|thirtieth)"
)
_UNIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
# a year said in words: "nineteen eighty", "nineteen sixty-six", "two thousand and four"
_YEAR_WORDS = (
    r"(?:nineteen\s+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    rf"(?:[\s\-]+{_UNIT_WORD})?|oh[\s\-]+{_UNIT_WORD})"
    rf"|two\s+thousand(?:\s+and)?(?:\s+{_UNIT_WORD}|\s+(?:ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s\-]+\w+)?))?)"
)


class DateOfBirthRecognizer(ContextRecognizer):
    """Dates next to 'born', 'DOB', 'date of birth', 'birthday'; a deadline alone is kept."""

    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = (
        re.compile(rf"{_L}(?P<value>\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})){_R}"),
        re.compile(rf"{_L}(?P<value>\d{{4}}(?P<ymd>[\-/.])\d{{1,2}}(?P=ymd)\d{{1,2}}){_R}"),
        re.compile(
            rf"{_L}(?P<value>\d{{1,2}}{_ORD}(?:\s+of)?\s+{_MONTH}"
            rf"(?:,?\s+(?:\d{{4}}|'?\d{{2}}(?!\s*(?:am|pm|years?|yrs?|weeks?|days?)\b)))?)"
            rf"(?![^\W\d_])",
            re.I,
        ),
        re.compile(rf"{_L}(?P<value>{_MONTH}\s+\d{{1,2}}{_ORD}(?:,?\s+\d{{4}})?){_R}", re.I),
        re.compile(
            rf"(?i:\b(?:born|dob)\b[\s:]*(?:in\s+)?)(?P<value>(?:19|20)\d{{2}}|['’]\d{{2}}){_R}"
        ),
        # a month name between separators: "15-Mar-1982", "3/mar/75", "9.Sept.2001"
        re.compile(
            rf"{_L}(?P<value>\d{{1,2}}(?P<sep>[\-/.])\s?{_MONTH}\s?(?P=sep)\s?(?:\d{{4}}|\d{{2}}))"
            rf"{_R}",
            re.I,
        ),
        # a day in words: "twelfth may 1980", "the twenty third of july 1966"
        re.compile(
            rf"(?i:{_L}(?P<value>(?:the\s+)?{_DAY_WORD}(?:\s+of)?\s+{_MONTH}"
            rf"(?:,?\s+(?:\d{{4}}|'?\d{{2}}(?!\s*(?:am|pm|years?|yrs?|weeks?|days?)\b)|{_YEAR_WORDS}))?)"
            rf"(?![^\W\d_]))"
        ),
        # the day and the month both as ordinals: "the 4th of the 9th 72", "3rd of the 11th 1990"
        re.compile(
            rf"(?i:{_L}(?P<value>(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)\s+of\s+the\s+\d{{1,2}}"
            rf"(?:st|nd|rd|th)?(?:,?\s+(?:\d{{4}}|'?\d{{2}}))?){_R})"
        ),
        # spaces around the separators: "12 . 04 . 1987", "3 / 7 / 61"
        re.compile(
            rf"{_L}(?P<value>\d{{1,2}}\s*(?P<sp>[/.\-])\s*\d{{1,2}}\s*(?P=sp)\s*(?:\d{{4}}|\d{{2}})){_R}"
        ),
        # day, month and year in figures with spaces: "DOB 03 03 1985"
        re.compile(rf"{_L}(?P<value>\d{{1,2}} \d{{1,2}} (?:19|20)\d{{2}}){_R}"),
        # a month and year right after a birth word: "born in March 1985", "dob: sept 79"
        re.compile(
            r"(?i:\b(?:born|dob|d\.o\.b\.?|date\s+of\s+birth|birthday)(?![\w])[\s:\-]*"
            rf"(?:(?:in|on)\s+)?)(?P<value>{_MONTH}\s+(?:\d{{4}}|'?\d{{2}})){_R}",
            re.I,
        ),
    )
    CONTEXT = ("born", "birth", "dob", "d.o.b", "date of birth", "birthday", "bday",
               "b'day", "birth date", "birthdate")  # fmt: skip
    NEEDS_CONTEXT = frozenset(range(len(PATTERNS)))
    BEFORE = 35

    def score(self, value: str, context: bool, pattern: int) -> float:
        return 0.9 if context else 0.0


class BankAccountRecognizer(ContextRecognizer):
    """8-digit account numbers, only near banking words (a council account number is a ref)."""

    ENTITY = "BANK_ACCOUNT"
    PATTERNS = (
        re.compile(
            rf"{_L}(?P<value>\d{{8}}|\d{{4}}[\s\-]\d{{4}}|\d{{2}}(?:[\s\-]\d{{2}}){{3}}){_R}"
        ),
    )
    CONTEXT = ("bank", "banking", "sort code", "sortcode", "direct debit", "building society",
               "bacs", "current account", "savings account", "account holder", "pay into",
               "paid into", "refund into", "bank details", "a/c")  # fmt: skip
    NEEDS_CONTEXT = frozenset({0})
    BEFORE = 50

    def score(self, value: str, context: bool, pattern: int) -> float:
        return 0.9 if context else 0.0


class SortCodeRecognizer(ContextRecognizer):
    """Sort codes (12-34-56, 12/34/56, 12.34.56, 123456) near 'sort code' or 'bank'; alone
    they look like dates (a slashed one with a 4-digit year is a date, not a sort code)."""

    ENTITY = "SORT_CODE"
    PATTERNS = (
        re.compile(
            r"(?<![\w\-/.])(?P<value>\d{2}([\s\-–./])\d{2}\2\d{2}|\d{2}[\s\-–]\d{2}[\s\-–]\d{2}"
            r"|\d{2}\s?[\-–]\s?\d{2}\s?[\-–]\s?\d{2}|\d{6})(?![\w\-]|[/.]\d)"
        ),
    )
    CONTEXT = ("sort code", "sortcode", "sort", "bank", "s/c", "sc", "branch code", "bank code",
               "banking details", "account details", "account", "acc", "acct",
               "a/c")  # fmt: skip
    BEFORE = 40

    def score(self, value: str, context: bool, pattern: int) -> float:
        if context:
            return 0.9
        pairs = [int(p) for p in re.findall(r"\d{2}", value)]
        if re.search(r"\d\s?[\-–]", value) and not _could_be_date(*pairs):
            return 0.5  # "20-45-77": two-digit groups that no date has
        return 0.0


def _could_be_date(a: int, b: int, c: int) -> bool:
    """Whether three two-digit groups read as a date (day-month-year or year-month-day)."""
    return (1 <= a <= 31 and 1 <= b <= 12) or (1 <= b <= 12 and 1 <= c <= 31)


def luhn_ok(value: str) -> bool:
    digits = digits_of(value)
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class CardNumberRecognizer(ContextRecognizer):
    """Payment card numbers: 13-19 digits in card groupings passing Luhn (or near 'card')."""

    ENTITY = "CARD_NUMBER"
    PATTERNS = (
        re.compile(
            rf"{_L}(?P<value>\d{{13,19}}|\d{{4}}(?P<s>[\s\-.])\d{{4}}(?P=s)\d{{4}}(?P=s)\d{{1,7}}"
            rf"|\d{{4}}(?P<t>[\s\-])\d{{6}}(?P=t)\d{{4,5}}){_R}"
        ),
    )
    CONTEXT = ("card", "debit", "credit", "visa", "mastercard", "amex", "long number", "pan")

    def score(self, value: str, context: bool, pattern: int) -> float:
        if not 13 <= len(digits_of(value)) <= 19:
            return 0.0
        if luhn_ok(value):
            return 0.95
        return 0.6 if context else 0.0


class CardSecurityCodeRecognizer(ContextRecognizer):
    """A card's security code, only right after its name: "cvv 123", "security code 4421"
    (typed with a card number it lets the card be used; no ordinary number is taken)."""

    ENTITY = "CARD_NUMBER"
    PATTERNS = (re.compile(rf"{_L}(?P<value>\d{{3,4}}){_R}"),)
    CONTEXT = (
        "cvv", "cvv2", "cvc", "cv2", "csc", "security code", "security number",
        "3 digits on the back", "three digits on the back", "digits on the back",
    )  # fmt: skip
    BEFORE = 22
    AFTER = 0
    NEEDS_CONTEXT = frozenset({0})

    def score(self, value: str, context: bool, pattern: int) -> float:
        return 0.85 if context else 0.0


class CardExpiryRecognizer(ContextRecognizer):
    """A card's expiry date typed with the card: "card 4929... exp 09/28", "visa expiry
    11/2027". Only after an expiry word with a card named just before, so a permit that
    "expires 09/28" keeps its date."""

    ENTITY = "CARD_NUMBER"
    PATTERNS = (re.compile(rf"{_L}(?P<value>(?:0[1-9]|1[0-2])\s?[/\-]\s?(?:20)?\d{{2}}){_R}"),)
    CONTEXT = ("exp", "expiry", "expiry date", "exp date", "expires", "expiring", "valid thru",
               "valid until", "valid to", "end date")  # fmt: skip
    BEFORE = 16
    AFTER = 0
    NEEDS_CONTEXT = frozenset({0})
    _CARD = re.compile(
        r"(?i:\b(?:card|visa|mastercard|master card|amex|maestro|debit|credit)\b|\d{4}[\s\-]?\d{4})"
    )

    def has_context(self, text: str, start: int, end: int) -> bool:
        return super().has_context(text, start, end) and bool(
            self._CARD.search(text[max(0, start - 90) : start])
        )

    def score(self, value: str, context: bool, pattern: int) -> float:
        return 0.85 if context else 0.0


# three-letter words that end an older-format shape in ordinary text ("the X5 bus", "A470 and")
_COMMON_3 = frozenset(
    "the and for are was our you his her its not but can has had bus way day now one two six ten "
    "yes old new out off all any too who why how got get may did due per via ago few own see use "
    "car van cab lot bin end pay fee tax mph kph bhp mpg".split()
)
_VEHICLE_CONTEXT = ("car", "cars", "vehicle", "van", "motorbike", "motorcycle", "lorry", "reg",
                    "registration", "number plate", "plate", "parked", "parking", "park", "permit",
                    "pcn", "penalty charge", "ticket", "fine", "clamped", "towed", "abandoned",
                    "dvla", "mot", "driveway", "drive",
                    # what residents call a vehicle: "old motor", "the camper", "my jag"
                    "motor", "motors", "motorhome", "camper", "campervan", "caravan", "trailer",
                    "scooter", "moped", "taxi", "cab", "minibus", "pickup", "4x4", "jeep",
                    "hatchback", "estate car", "number plates", "numberplate", "plates",
                    "clean air zone", "ulez", "low emission zone", "road tax", "tax disc", "v5",
                    "logbook", "registered keeper",
                    # makes and models seen on UK roads
                    "ford", "fiesta", "transit", "kuga", "vauxhall", "corsa", "astra",
                    "vw", "volkswagen", "golf", "polo", "toyota", "yaris", "aygo", "nissan",
                    "micra", "qashqai", "juke", "honda", "bmw", "audi",
                    "mercedes", "peugeot", "renault", "clio", "citroen", "citroën",
                    "kia", "hyundai", "skoda", "fabia", "octavia", "fiat", "mazda",
                    "volvo", "land rover", "range rover", "jaguar", "jag", "tesla",
                    "suzuki", "mitsubishi", "dacia", "sandero", "lexus", "subaru")  # fmt: skip


class VehicleRegRecognizer(ContextRecognizer):
    """UK number plates: the current format (AB12 CDE) alone; older formats near a car word."""

    ENTITY = "VEHICLE_REG"
    PATTERNS = (
        re.compile(rf"{_L}(?P<value>[A-Z]{{2}}\d{{2}}[\s\-]?[A-Z]{{3}}){_R}", re.I),  # current
        re.compile(rf"{_L}(?P<value>[A-Z]\d{{1,3}}\s?[A-Z]{{3}}){_R}", re.I),  # prefix (A123 BCD)
        re.compile(rf"{_L}(?P<value>[A-Z]{{3}}\s?\d{{1,3}}[A-Z]){_R}", re.I),  # suffix (ABC 123D)
        re.compile(rf"{_L}(?P<value>[A-Z]{{2}}\s\d{{2}}\s[A-Z]{{3}}){_R}", re.I),  # "wn 71 ufd"
        # Northern Ireland (ABZ 1234): a letter, then an area code holding I or Z, 1-4 digits
        re.compile(rf"{_L}(?P<value>[A-Z](?:[A-HJ-Y]Z|I[ABGJLW]|[JOUX]I)\s?\d{{1,4}}){_R}"),
        # a prefix plate with its letter apart, in capitals ("Y 742 HKP"; not "I 10 MIN")
        re.compile(rf"{_L}(?P<value>[B-HJ-Z] \d{{1,3}} ?[A-Z]{{3}}){_R}"),
    )
    CONTEXT = _VEHICLE_CONTEXT
    NEEDS_CONTEXT = frozenset({1, 2, 3, 4, 5})

    def score(self, value: str, context: bool, pattern: int) -> float:
        if pattern == 0:
            return 0.9 if context else 0.6
        words = re.sub(r"[\W\d_]", " ", value).split()
        if pattern == 3 and words[0].lower() in _SHORT_WORDS:
            return 0.0  # "at 10 and", "on 12 may": a sentence, not a spaced plate
        if not context or any(w.lower() in _COMMON_3 for w in words):
            return 0.0  # "the 12b bus": older formats need a car word and no common word
        return 0.85 if context else 0.0


_YEAR_OR_DATE = re.compile(
    r"(?:19|20)\d{2}[/\-](?:\d{2}|(?:19|20)\d{2})|\d{1,2}[/\-]\d{1,2}[/\-](?:\d{2}|\d{4})"
    r"|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"
)


# "23/01456/FUL", "2024/0412/HOU": planning application numbers, published on the register.
_PLANNING_REF = re.compile(
    r"\d{2,4}/\d{3,6}/(?:FUL|FULL|HOU|OUT|OUTL|REM|RM|LBC|ADV|TPO|TCA|DIS|DOC|VAR|CLE|CLP|"
    r"PRIOR|PA|COU|NMA|MIN|LDC|LUP|S73|DEM|AGR|TEL|PN|AOD)",
    re.I,
)


_PRODUCT_BEFORE = re.compile(
    r"(?i:\b(?:model|part|product|item|serial|version|catalogue|sku)\s*(?:no\.?|number|code|#)?"
    r"\s*[:\-]?\s*)$"
)


class CouncilReferenceRecognizer(ContextRecognizer):
    """Council tax, housing, benefit, parking and case references (CT-1234567, HB/123456,
    "claim reference 1234567890"). Context-driven; a letter-prefixed number or a long digit
    run is an identifier of some kind even without context, so it is redacted at low score."""

    ENTITY = "COUNCIL_REF"
    PATTERNS = (
        # letters + digits: CT-1234567, HB/123456, PCN AB12345678 (the AB12345678 part)
        re.compile(
            r"(?<![\w/\-])(?P<value>[A-Z]{1,5}(?:[\-/][A-Z]{1,5}){0,2}[\-/]?\d{4,12}"
            r"(?:[\-/][A-Z\d]{1,8}){0,2})(?![\w/\-])",
            re.I,
        ),
        # digits with / or - : 24/01234/FUL, 2024-000123 (dates look like this too: context only)
        re.compile(
            r"(?<![\w/\-.])(?P<value>\d{2,6}(?:[/\-]\d{2,8}){1,3}(?:[/\-][A-Z]{1,5})?)(?![\w/\-])",
            re.I,
        ),
        # CRM:0123456, PR/23/00456, 30012345X (context only)
        re.compile(
            r"(?<![\w/\-])(?P<value>[A-Z]{1,5}[:\-/]\d{2,12}(?:[\-/]\d{2,8}){0,3}|\d{5,12}[A-Z]{1,2})"
            r"(?![\w/\-])",
            re.I,
        ),
        # digit runs, possibly grouped: 1234567890, 1234 5678 90
        re.compile(
            r"(?<![\w£$€.,/\-])(?P<value>\d{3,5}(?:\s\d{2,5}){1,4}|\d{5,14})(?![\w.,/\-]\d|\w|/)"
        ),
        # letters and digits mixed ("AB12CD34", a badge or card number): context only, and
        # never a model, part or product code
        re.compile(
            r"(?<![\w/\-])(?P<value>(?=(?:[A-Z]*\d){3})(?=(?:\d*[A-Z]){2})[A-Z\d]{6,12})(?![\w/\-])",
            re.I,
        ),
        # a prefix of letters and a year or office digits, then a serial: "BB26-00871",
        # "HB25/004417" (context only)
        re.compile(r"(?<![\w/\-])(?P<value>[A-Z]{1,4}\d{1,4}[\-/]\d{3,10})(?![\w/\-])", re.I),
    )
    CONTEXT = ("ref", "refs", "reference", "account", "acc", "acct", "claim", "case",
               "customer", "tenancy", "tenant", "council tax", "business rates", "benefit",
               "application", "booking", "invoice", "permit", "pcn", "penalty charge", "ticket",
               "licence", "license", "uprn", "membership", "library card", "barcode", "number",
               "no", "crn", "ctax", "rent")  # fmt: skip
    NEEDS_CONTEXT = frozenset({4, 5})
    AFTER = 25

    def has_context(self, text: str, start: int, end: int) -> bool:
        if _PRODUCT_BEFORE.search(text[max(0, start - 25) : start]):
            return False  # "model number SMS2...", "part no 44..."
        return super().has_context(text, start, end)

    def score(self, value: str, context: bool, pattern: int) -> float:
        digits = len(digits_of(value))
        if pattern in (4, 5):
            return 0.85 if context else 0.0
        if pattern == 1 and _YEAR_OR_DATE.fullmatch(value):
            return 0.0  # "council tax 2024/25", "due 01-04-2025"
        if _PLANNING_REF.fullmatch(value):
            return 0.0  # planning applications are on the public register
        if context:
            return 0.85 if digits >= 4 else 0.0
        if pattern in (0, 2) and digits >= 5 and value[:1].isalpha():
            return 0.5
        if pattern == 3 and digits >= 7 and value.isdecimal():
            return 0.45
        return 0.0


_STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Crescent|Cres|Court|Ct|Place|Pl|"
    "Gardens|Gdns|Terrace|Tce|Grove|Gr|Walk|Row|Hill|Park|Square|Sq|View|Mews|Rise|Parade|Green|"
    "Vale|Fields|Meadow|Meadows|Chase|Wharf|Yard|Gate|Heights|Boulevard|Broadway|End|Croft|Bank|"
    "Brow|Wynd|Embankment|Approach|Mount|Passage|Quay|Circus|Villas|Cottages|Common|Hollow|Lea|"
    "Path|Ridge|Side|Wood|Drove|Nook|Fold|Close|Brae|Vennel"
)
STREET_TYPE_WORDS = frozenset(w.lower() for w in _STREET_TYPES.split("|"))
# the street types written in full
_STREET_TYPES_ALL = (
    "Road|Street|Avenue|Lane|Close|Drive|Way|Crescent|Court|Place|Gardens|Terrace|Grove|Walk|"
    "Row|Hill|Park|Square|View|Mews|Rise|Parade|Green|Vale|Fields|Meadows?|Chase|Croft|Brae|"
    "Wynd"
)
_HOUSE = r"\d{1,4}[A-Za-z]?(?:\s?[\-–/]\s?\d{1,4}[A-Za-z]?)?"
_GREETINGS = frozenset(
    "dear hi hello hiya morning afternoon evening thanks regards re to from attn subject".split()
)
# words naming a body's or a firm's premises, whose address is no one's home
_BODY_WORDS = frozenset(
    """council centre center office offices ltd limited plc llp services department team school
    academy college university library hospital surgery clinic church chapel station hotel inn
    pub bank shop store stores supermarket garage depot club trust association authority""".split()
)
# a Scottish tenement flat's position right before the house number ("2/1", "0/2", "3F1",
# "PF2", "G/R") says an address follows, as "flat 3" does
TENEMENT_BEFORE = re.compile(
    r"(?<![\w/])(?:\d{1,2}/\d{1,2}|\d{1,2}F\d{1,2}|[BGP]F\d{1,2}|G/[LRFM]),?\s+$", re.I
)
_UNIT_WORDS = frozenset({"flat", "apartment", "apt", "unit", "room"})
_UNIT = r"(?i:flat|apartment|apt|unit|room|no\.?)\s*\d{1,4}[A-Za-z]?,?\s+"
# "Flat 3, 45 Mill Lane", "Flat 3, Mill Court", "45 Mill Lane"
_NUMBERED = rf"(?:{_UNIT}(?:{_HOUSE},?\s+)?|{_HOUSE},?\s+)"
_TITLE_WORD = r"(?:[A-Z][\w'’\-]*|St\.?)"
_ANY_WORD = r"[^\W\d_][\w'’\-]*"


_NOT_STREET_WORDS = STOP_WORDS | frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday pm am""".split()
)


class StreetAddressRecognizer(ContextRecognizer):
    """House number + street name + street-type word: "12 Acacia Avenue", "14b High Street".

    Title-case streets are addresses on their own; lower-case ones ("12 acacia avenue") need an
    address cue before them ("I live at", "my address is"), so "3 bins in the park" is kept.
    Lower-case streets with no cue, whose end is found from the words, are
    `chatbot/recognizers_streets.py`'s.
    """

    ENTITY = "STREET_ADDRESS"
    PATTERNS = (
        re.compile(
            rf"{_L}(?P<value>{_NUMBERED}(?:{_TITLE_WORD}\s+){{1,4}}"
            rf"(?i:{_STREET_TYPES})\.?){_R}"
        ),
        re.compile(
            rf"{_L}(?P<value>{_NUMBERED}(?:{_ANY_WORD}\s+){{1,3}}(?:{_STREET_TYPES})\.?){_R}",
            re.I,
        ),
    )
    CONTEXT = ("live at", "living at", "lives at", "lived at", "address", "my house", "my home",
               "property", "moved to", "moved out of", "moving to", "reside", "residing", "flat",
               "house at", "at", "from", "of", "to", "visiting", "outside", "lives", "live",
               "living", "number")  # fmt: skip
    BEFORE = 30
    AFTER = 0
    # a postcode or ", town" closing it also says a lower-case street is an address
    _CLOSED = re.compile(rf"\s*,?\s*(?:[^\W\d_]+[\s,]+){{0,3}}{_POSTCODE}{_R}", re.I)

    _NOT_NAMES = frozenset(
        "the a an and or of in on at to for by my our your his her their bins bin bags "
        "days weeks times people cars kids children mile miles minute minutes min mins hour "
        "hours hr hrs day week month months year years foot feet metre metres meter meters "
        "yard yards storey story floor floors bed beds bedroom bedrooms pound pounds".split()
    )

    def has_context(self, text: str, start: int, end: int) -> bool:
        if super().has_context(text, start, end):
            return True
        if TENEMENT_BEFORE.search(text[max(0, start - 12) : start]):
            return True
        if re.search(r",\s*$", text[max(0, start - 3) : start]) and (
            re.match(r"\s*(?:[.!?\n]|$)", text[end:]) or text[end - 1] == "."
        ):
            return True  # ", 41 hawthorn drive." closing a sentence after a comma
        return self._CLOSED.match(text[end : end + 40]) is not None

    def score(self, value: str, context: bool, pattern: int) -> float:
        words = re.findall(r"[^\W\d_]{2,}", value.lower())[:-1]  # the street name, no type
        if pattern == 0:
            if value.isupper() and any(w in _NOT_STREET_WORDS for w in words[1:]):
                return 0.0  # "FROM 3 JUNE SO PLEASE STOP THE BILL" in capitals
            if value.isupper() and re.search(r"\s[AI]\s", value):
                return 0.0  # "DOB 3/4/2015 NEEDS A PLACE": no street name holds "A" or "I"
            return 0.85
        if words and words[0] in _UNIT_WORDS:
            context, words = True, words[1:]  # "flat 3b mill court" names its own address
        if words and words[0] == "the":
            words = words[1:]  # "7 the green"
            if not words and "," in value:
                return 0.0  # "from number 4, the street light is out" is no "The Street"
        if not context or any(w in self._NOT_NAMES or w in _NOT_STREET_WORDS for w in words):
            return 0.0  # "from 3 June so please stop the bill" is no address
        return 0.85


class HouseNameAddressRecognizer(ContextRecognizer):
    """A house with a name instead of a number, then its street: "Rose Cottage, Church Lane",
    "Pen y Bryn Farm, Heol y Nant" (a cottage, farm, bungalow, barn or villa is a home; a named
    office or hall is not taken, unless a flat number says someone lives in it)."""

    ENTITY = "STREET_ADDRESS"
    PATTERNS = (
        re.compile(
            r"(?<![\w'’])(?P<value>[A-Z][\w'’\-]*\s+(?:(?:[A-Z][\w'’\-]*|y|yr)\s+){0,2}"
            r"(?:Cottage|Cottages|Farm|Farmhouse|Bungalow|Barn|Barns|Villa|Forge|Granary|Stables|"
            r"Rectory|Vicarage|Schoolhouse),?\s+"
            rf"(?:(?:[A-Z][\w'’\-]*\s+){{1,3}}(?:{_STREET_TYPES_ALL})"
            r"|(?:Heol|Ffordd|Lôn|Lon|Stryd)(?:\s+(?:y|yr))?\s+[A-Z][\w'’\-]+))(?![\w'’])"
        ),
        # a flat in a named block: "Flat 12, Marlowe House", "apartment 4 Quayside Mansions",
        # "Apartment 7, The Maltings"
        re.compile(
            r"(?<![\w'’])(?P<value>(?i:flat|apartment|apt|unit)\s*\d{1,4}[A-Za-z]?(?:,?\s+"
            r"(?:[A-Z][\w'’\-]*\s+){1,3}(?:House|Mansions|Lodge|Tower|Towers|Point|Block|"
            r"Buildings|Building|Apartments|Hall|Heights|Court)|,\s+The(?:\s+[A-Z][\w'’\-]*){1,3}))"
            r"(?![\w'’])"
        ),
        # a post office box ("PO Box 4471", "p.o. box 97"); a public body's own is a public term
        re.compile(
            r"(?<![\w'’])(?P<value>(?i:p\.?\s?o\.?\s?box|post\s+office\s+box)\s*(?i:no\.?\s*)?"
            r"\d{1,6})(?![\w'’])"
        ),
        # a house's name with no number after "we live at" or "address:" (Welsh "cyfeiriad:"),
        # then a comma and the rest of the address up to a postcode on the same line: "we live
        # at Glan Aber, <village> <postcode>"
        re.compile(
            r"(?i:\b(?:live|lives|lived|living|staying)\s+at|\b(?:address|cyfeiriad)(?:\s+is)?\s*:?)"
            r"\s+"
            r"(?P<value>[A-Z][\w'’\-]*(?:\s+(?:[A-Z][\w'’\-]*|y|yr|a|an|of|the)){0,3}),[ \t]*"
            rf"(?=(?:[^\W\d_][^\n,\d]{{0,40}},[ \t]*){{0,2}}[^\W\d_][^\n,\d]{{0,40}}?,?[ \t]*"
            rf"{_POSTCODE}(?!\w))"
        ),
        # a plot or pitch on a park-home or caravan site: "plot 22, meadowbank park homes"
        # (pattern 4); then a line that opens with a house's name and runs through two more
        # parts to a postcode: "The Bungalow, <hamlet>, <town> <postcode>" (pattern 5)
        re.compile(
            r"(?<![\w'’])(?P<value>(?i:plot|pitch)\s*\d{1,4}[A-Za-z]?,?\s+(?:[\w'’\-]+\s+){0,3}"
            r"(?i:park\s+homes?|caravan\s+park|(?:mobile|residential)\s+(?:home\s+)?park|"
            r"holiday\s+park))(?![\w'’])"
        ),
        re.compile(
            r"(?m:^)[ \t]*(?P<value>[A-Z][\w'’\-]*(?:[ \t]+(?:[A-Z][\w'’\-]*|y|yr|a|an|of|the))"
            r"{0,3}),[ \t]*"
            rf"(?=(?:[^\W\d_][^\n,\d]{{0,40}},[ \t]*){{1,2}}[^\W\d_][^\n,\d]{{0,40}}?,?[ \t]*"
            rf"{_POSTCODE}(?!\w))"
        ),
        # the named block first, then the flat: "Rosewood Court, flat 19", "Marlowe House
        # apartment 4" (pii-probe19; the flat-first order is pattern 1)
        re.compile(
            r"(?<![\w'’])(?P<value>(?:[A-Z][\w'’\-]*\s+){1,3}(?:House|Mansions|Lodge|Tower|Towers|"
            r"Point|Block|Buildings|Building|Apartments|Hall|Heights|Court),?\s+"
            r"(?i:flat|apartment|apt)\s*\d{1,4}[A-Za-z]?)(?![\w'’])"
        ),
    )

    # a body's name as the part just before a PO box (only pattern 2 reads the context)
    CONTEXT = ("council", "council tax", "borough", "hmrc", "dvla", "dwp", "office", "department",
               "centre", "services", "ltd", "limited", "plc", "team", "unit")  # fmt: skip

    def has_context(self, text: str, start: int, end: int) -> bool:
        part = re.search(r"([^,\n]*),[ \t]*\Z", text[max(0, start - 60) : start])
        return part is not None and self._context.search(part.group(1)) is not None

    def score(self, value: str, context: bool, pattern: int) -> float:
        if pattern == 2 and context:
            return 0.0  # "Brackenvale Council, Council Tax, PO Box 77": a body's box
        words = re.findall(r"\w+", value.lower())
        if pattern == 5 and (words[0] in _GREETINGS or any(w in _BODY_WORDS for w in words)):
            return 0.0  # "Brackenvale Council, Civic Centre, ...": a body's address; "Dear Sir,"
        return 0.85


class EmailFallbackRecognizer(ContextRecognizer):
    """Email addresses presidio's recogniser rejects (e.g. reserved TLDs such as .example)."""

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = (re.compile(r"(?<![\w.+\-'])(?P<value>[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+)"),)

    def score(self, value: str, context: bool, pattern: int) -> float:
        return 0.7


def uk_recognizers(extra_context: dict[str, Sequence[str]] | None = None) -> list[LocalRecognizer]:
    """Every pattern recogniser a UK council needs, each with optional extra context phrases
    keyed by entity type (e.g. a council's own reference prefixes under "COUNCIL_REF")."""
    extra = extra_context or {}
    classes: list[type[ContextRecognizer]] = [
        UkPhoneRecognizer, UkPostcodeRecognizer, UkNinoRecognizer, UkNhsRecognizer,
        DateOfBirthRecognizer, BankAccountRecognizer, SortCodeRecognizer, CardNumberRecognizer,
        CardSecurityCodeRecognizer, CardExpiryRecognizer, VehicleRegRecognizer,
        CouncilReferenceRecognizer, StreetAddressRecognizer,
        HouseNameAddressRecognizer, EmailFallbackRecognizer,
    ]  # fmt: skip
    return [cls(extra.get(cls.ENTITY, ())) for cls in classes]
