"""Welsh and English: every resident-facing string has a Welsh translation, the committed .mo
files match their .po sources, and the page language is chosen as documented."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from chatbot.i18n import LOCALE_DIR, choose_language, gettext_for, long_date, translations

ROOT = Path(__file__).resolve().parents[2]
METHODS = [
    ("chatbot/**.py", "python"),
    ("chatbot/templates/resident/**.html", "jinja2"),
    ("chatbot/templates/govuk/**.html", "jinja2"),
]


def welsh_catalogue():  # type: ignore[no-untyped-def]
    with open(LOCALE_DIR / "cy" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale="cy")


def test_every_resident_string_has_a_welsh_translation() -> None:
    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT),
            METHODS,
            keywords={"_": None, "N_": None},
            options_map={"chatbot/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        )
        if isinstance(message, str)
    }
    assert len(found) > 150
    catalogue = welsh_catalogue()
    missing = sorted(m for m in found if not (catalogue.get(m) and catalogue.get(m).string))
    assert not missing, f"run `make translations` and translate: {missing[:5]}"


def test_compiled_catalogue_matches_its_source() -> None:
    compiled = translations("cy")
    for message in welsh_catalogue():
        if message.id and message.string:
            assert compiled.gettext(message.id) == message.string, message.id


def test_welsh_strings_keep_their_placeholders() -> None:
    import re

    for message in welsh_catalogue():
        if message.id and message.string:
            wanted = sorted(re.findall(r"%\(\w+\)s|%\{\w+\}|%%", message.id))
            assert sorted(re.findall(r"%\(\w+\)s|%\{\w+\}|%%", message.string)) == wanted


def test_language_choice_order() -> None:
    assert choose_language("cy", "en", "en-GB", "en") == "cy"  # the toggle
    assert choose_language(None, "cy", "en-GB", "en") == "cy"  # then the cookie
    assert choose_language(None, None, "cy-GB,en;q=0.8", "en") == "cy"  # then the browser
    assert choose_language(None, None, "en;q=0.5, cy;q=0.9", "en") == "cy"
    assert choose_language(None, None, "fr-FR", "cy") == "cy"  # then the council's default
    assert choose_language("de", "xx", "", "en") == "en"


def test_welsh_text_and_dates() -> None:
    _ = gettext_for("cy")
    assert _("Enter your question") == "Rhowch eich cwestiwn"
    assert _("Answered by %(council)s staff", council="Cyngor Brackenvale") == (
        "Ateb gan staff Cyngor Brackenvale"
    )
    from datetime import date

    assert long_date(date(2026, 2, 16), "cy") == "16 Chwefror 2026"
    assert long_date(date(2026, 2, 16), "en") == "16 February 2026"
