"""English and Welsh for every resident-facing string: gettext catalogues (Babel) under
`chatbot/locale/`, one Jinja environment per language with the i18n extension, and the choice
of language for a request.

The language comes from, in order: the `lang` toggle (a link or a hidden form field), the
`townhall_lang` cookie the toggle sets, the browser's `Accept-Language`, and the council
profile's default. Catalogues are compiled to `.mo` files that are committed with their
`.po` sources; `make translations` extracts, updates and recompiles them.
"""

from __future__ import annotations

import functools
import gettext as gettext_module
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date
from babel.support import NullTranslations, Translations

__all__ = [
    "LANGUAGES",
    "LANG_COOKIE",
    "LOCALE_DIR",
    "choose_language",
    "long_date",
    "translations",
]

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "cy")
LANG_COOKIE = "townhall_lang"
Gettext = Callable[..., str]


@functools.cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The compiled catalogue for `language` (English is the source language: identity)."""
    if language == "en":
        return NullTranslations()
    loaded = Translations.load(str(LOCALE_DIR), [language], domain="messages")
    if not isinstance(loaded, Translations):
        raise RuntimeError(f"the {language} catalogue is missing: run `make translations`")
    return loaded


def gettext_for(language: str) -> Gettext:
    """A `_()` that translates and then fills `%(name)s` placeholders, like Jinja's newstyle."""
    catalogue = translations(language)

    def _(message: str, **values: object) -> str:
        text = catalogue.gettext(message)
        return text % values if values else text

    return _


def choose_language(
    toggle: str | None, cookie: str | None, accept_language: str | None, default: str
) -> str:
    """The page language: the toggle, then the cookie, then the browser, then the council's."""
    for value in (toggle, cookie):
        if value and value.strip().lower() in LANGUAGES:
            return value.strip().lower()
    preferred = _accept_language(accept_language or "")
    if preferred:
        return preferred
    return default if default in LANGUAGES else "en"


def _accept_language(header: str) -> str | None:
    """The supported language the browser ranks highest (`cy-GB;q=0.9, en;q=0.8`)."""
    ranked: list[tuple[float, int, str]] = []
    for n, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, n, primary))
    return min(ranked)[2] if ranked else None


def long_date(value: date | datetime | None, language: str) -> str:
    """ "16 February 2026" / "16 Chwefror 2026"."""
    if value is None:
        return ""
    return format_date(value, format="d MMMM y", locale="cy" if language == "cy" else "en_GB")
