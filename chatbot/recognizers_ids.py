"""Identity and banking numbers that carry their own structure: IBANs (ISO 7064 mod-97 check),
UK driving licence numbers (surname, birth date and initials encoded in 16 characters),
passport numbers (near the word "passport"), IP addresses (validated by `ipaddress`), sort code
and account number written together ("40-22-18 55013742", "20-45-77/63849205"), and full dates
of birth with no birth word ("Tom (14/06/1991)") when nothing says they are an event date.

Each recogniser reasons about the shape itself (a checksum, a valid month, octets under 256)
so that it needs no list of examples and keeps look-alikes (planning references, prices,
version numbers, deadlines) out.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import UTC, datetime

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from chatbot.recognizers import _L, _MONTH, _ORD, _R, ContextRecognizer

# --- IBAN ----------------------------------------------------------------------------------------


def iban_checksum_ok(value: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    compact = re.sub(r"[\s\-]", "", value).upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


_IBAN_GAP = r"(?:[ \-]|[ \t]*\r?\n[ \t]*)"  # a space, a dash or a line break


class IbanRecognizer(ContextRecognizer):
    """IBANs written compact or in groups of four, any case: GB61 TEST 4050 6187 6543 21."""

    ENTITY = "IBAN"
    PATTERNS = (
        re.compile(
            rf"{_L}(?P<value>[A-Z]{{2}}\d{{2}}(?:[ \-]?[A-Z0-9]{{4}}){{2,7}}"
            rf"(?:[ \-]?[A-Z0-9]{{1,3}})?){_R}",
            re.I,
        ),
    )
    CONTEXT = ("iban", "bank", "account", "refund", "transfer", "swift", "bic")
    # grouped as the bank prints it, not in fours: "GB61 TEST 405061 87654321"; taken only when
    # the checksum holds for the groups up to some point (words after it are not part of it)
    # (or broken over lines as a form or an email wraps it)
    _LOOSE = re.compile(
        rf"{_L}(?P<value>[A-Z]{{2}}\d{{2}}(?:{_IBAN_GAP}[A-Z0-9]{{1,8}}){{2,9}}){_R}", re.I
    )
    _GROUP = re.compile(r"[A-Z0-9]+", re.I)

    def score(self, value: str, context: bool, pattern: int) -> float:
        if iban_checksum_ok(value):
            return 1.0
        digits = sum(ch.isdigit() for ch in value)
        return 0.85 if context and digits >= 10 else 0.0

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts)
        for match in self._LOOSE.finditer(text):
            start = match.start("value")
            groups = list(self._GROUP.finditer(text, start, match.end("value")))
            for k in range(len(groups), 2, -1):
                end = groups[k - 1].end()
                if iban_checksum_ok(text[start:end]):
                    if not any(r.start <= start and end <= r.end for r in results):
                        results.append(self._result(start, end, 1.0))
                    break
        return results


# --- driving licence -----------------------------------------------------------------------------

_LICENCE = re.compile(
    rf"{_L}(?P<value>[A-Z][A-Z9]{{4}}[ \-]?\d{{6}}[ \-]?[A-Z9]{{2}}[ \-]?\d[ \-]?[A-Z0-9]{{2}})"
    rf"{_R}",
    re.I,
)


class DrivingLicenceRecognizer(ContextRecognizer):
    """GB licence numbers: 5 surname letters (9-padded), 6 digits holding the birth decade,
    month (+50 for women), day and year, 2 initials (9-padded), a digit and 2 check characters.
    Northern Ireland's 8-digit numbers only next to "licence"."""

    ENTITY = "DRIVING_LICENCE"
    PATTERNS = (_LICENCE, re.compile(rf"{_L}(?P<value>\d{{8}}){_R}"))
    CONTEXT = ("driving licence", "driving license", "licence", "license", "dvla", "dvlni")
    NEEDS_CONTEXT = frozenset({1})

    def score(self, value: str, context: bool, pattern: int) -> float:
        if pattern == 1:
            return 0.9 if context else 0.0
        digits = re.sub(r"\D", "", value[5:])[:6]
        month, day = int(digits[1:3]), int(digits[3:5])
        plausible = (1 <= month <= 12 or 51 <= month <= 62) and 1 <= day <= 31
        if plausible:
            return 0.95
        return 0.85 if context else 0.0


# --- passport ------------------------------------------------------------------------------------


class PassportRecognizer(ContextRecognizer):
    """Passport numbers of any country next to "passport": 9 digits (UK), letters + digits
    (C71204583, GX550917), or digits typed in groups ("55 21 90 318")."""

    ENTITY = "PASSPORT"
    PATTERNS = (
        re.compile(rf"{_L}(?P<value>[A-Z]{{0,3}}\d{{6,10}}[A-Z]?){_R}", re.I),
        re.compile(rf"{_L}(?P<value>\d{{2,4}}(?:[ \-]\d{{2,4}}){{1,3}}){_R}"),
        re.compile(rf"{_L}(?P<value>\d(?: \d){{5,9}}){_R}"),  # read out: "5 3 3 4 0 1 3 7 2"
    )
    CONTEXT = ("passport", "passports", "travel document", "passport no", "passport number")
    NEEDS_CONTEXT = frozenset(range(len(PATTERNS)))
    BEFORE = 45
    AFTER = 0

    def score(self, value: str, context: bool, pattern: int) -> float:
        digits = sum(ch.isdigit() for ch in value)
        if not context or not 6 <= digits <= 10:
            return 0.0
        return 0.95


# --- IP addresses --------------------------------------------------------------------------------


class IpAddressRecognizer(ContextRecognizer):
    """IPv4 (four octets under 256) and IPv6 addresses, validated by the standard library."""

    ENTITY = "IP_ADDRESS"
    PATTERNS = (
        re.compile(r"(?<![\w.])(?P<value>\d{1,3}(?:\.\d{1,3}){3})(?![\w]|\.\d)"),
        re.compile(r"(?<![\w:])(?P<value>[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w:])"),
    )
    CONTEXT = ("ip", "ip address", "address", "login", "logged in", "blocked", "request from")

    def score(self, value: str, context: bool, pattern: int) -> float:
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return 0.0
        if pattern == 1 and value.count(":") < 3 and not context:
            return 0.0  # "12:30:45" is a time
        if address.version == 4 and value.startswith("0."):
            return 0.0
        return 0.9 if context else 0.7


# --- sort code + account together ----------------------------------------------------------------


class SortCodeAndAccountRecognizer(ContextRecognizer):
    """A sort code immediately followed by an 8-digit account number is bank details on its
    own, whatever words are around it: "40-22-18 55013742", "20-45-77/63849205",
    "40/22/18 55013742"."""

    ENTITY = "BANK_ACCOUNT"
    PATTERNS = (
        re.compile(
            r"(?<![\w\-/.])(?P<value>\d{2}([\-–\s/.])\d{2}\2\d{2}\s*[/,;:]?\s*\d{8})(?![\w\-/])"
        ),
        re.compile(r"(?<![\w\-/.])(?P<value>\d{6}\s*[/,;:]\s*\d{8})(?![\w\-/])"),
    )

    def score(self, value: str, context: bool, pattern: int) -> float:
        return 0.9


# --- dates of birth without a birth word ---------------------------------------------------------

_NUMERIC_DATE = r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)\d{2}"
_WORDY_DATE = rf"\d{{1,2}}{_ORD}(?:\s+of)?\s+{_MONTH},?\s+(?:19|20)\d{{2}}"
_EVENT_WORDS = re.compile(
    r"(?i:\b(?:since|from|until|till|moved|move|paid|pay|payment|dated|letter|started|start|"
    r"began|bought|sold|married|wedding|died|death|passed|tenancy|lived|ago|due|deadline|by|"
    r"before|after|between|appointment|booked|booking|visit|collection|hearing|court|"
    r"inspection|on)\b)"
)
_PERSON_BEFORE = re.compile(r"[^\W\d_]+['’]?\s*[\(\[,:\-–]\s*$")


class OldDateRecognizer(ContextRecognizer):
    """A full date at least 12 years back that no event word introduces ("moved in on",
    "since", "letter dated") is far more often a date of birth in a resident's message than
    anything else; right after a name in brackets ("Tom (14/06/1991)") it certainly is."""

    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = (
        re.compile(rf"{_L}(?P<value>{_NUMERIC_DATE}){_R}"),
        re.compile(rf"{_L}(?P<value>{_WORDY_DATE}){_R}", re.I),
    )
    BEFORE = 25
    AFTER = 0

    def has_context(self, text: str, start: int, end: int) -> bool:
        return bool(_EVENT_WORDS.search(text[max(0, start - self.BEFORE) : start]))

    def score(self, value: str, context: bool, pattern: int) -> float:
        year = int(re.findall(r"(?:19|20)\d{2}", value)[-1])
        if year > datetime.now(UTC).year - 12 or context:
            return 0.0
        return 0.55


# --- Welsh, Scottish Gaelic and Irish street names, where the street word comes first ------------

STREET_FIRST = (
    "heol|ffordd|lôn|lon|stryd|rhodfa|cilgant|teras|llwyn|maes|clos|cae|parc|pant|bryn|allt|"
    "rhiw|glan|nant|coed|cwrt|plas|sgwâr|sgwar|tŷ|ty|bro|dôl|dol|ystad|sràid|sraid|rathad|"
    "ceum|cnoc|bóthar|bothar|sráid|ascaill|lána|lana"
)
_PARTICLE = r"(?:y|yr|'r|ar|a|an|na|nan|ap|o|dan|tan|uwch|is|mhor|mor|fach|fawr)"


class StreetFirstAddressRecognizer(ContextRecognizer):
    """House number + a street whose type word comes first, as in Welsh ("19 Heol y
    Felin", "3 Lôn Uchaf", "11 Ffordd yr Eglwys", "number 7 Cae Glas") and Gaelic, in
    title case. In lower case ("19 heol y felin", "9 bryn gwyn") the end of the name is
    found from its words: `chatbot/recognizers_streets.py`."""

    ENTITY = "STREET_ADDRESS"
    PATTERNS = (
        re.compile(
            rf"{_L}(?P<value>(?:(?i:number|no\.?|rhif)\s+)?\d{{1,4}}[A-Za-z]?,?\s+"
            rf"(?i:{STREET_FIRST})(?:\s+(?:{_PARTICLE}\s+)?[A-ZÀ-ÖØ-Þ][\w'’\-]*){{1,2}}){_R}"
        ),
    )

    def score(self, value: str, context: bool, pattern: int) -> float:
        return 0.85


def id_recognizers() -> list[ContextRecognizer]:
    return [
        IbanRecognizer(),
        DrivingLicenceRecognizer(),
        PassportRecognizer(),
        IpAddressRecognizer(),
        SortCodeAndAccountRecognizer(),
        OldDateRecognizer(),
        StreetFirstAddressRecognizer(),
    ]
