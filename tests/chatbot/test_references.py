"""Reference codes: unguessable, readable aloud, forgiving of how residents type them."""

from __future__ import annotations

import math
import re

import pytest

from chatbot.references import ALPHABET, RANDOM_BITS, new_reference, normalise_reference


def test_alphabet_has_no_lookalikes_and_codes_carry_60_random_bits() -> None:
    assert not set("0O1I") & set(ALPHABET)
    assert len(set(ALPHABET)) == 32
    assert RANDOM_BITS >= 60
    assert math.log2(len(ALPHABET)) * 12 >= 60


def test_new_references_have_the_shape_and_do_not_repeat() -> None:
    codes = {new_reference() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert re.fullmatch(r"TH-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", code)
    # Every character of the alphabet turns up in each position (a crude uniformity check).
    bodies = [c.replace("-", "")[2:] for c in codes]
    assert all(len({b[i] for b in bodies}) == 32 for i in range(12))


@pytest.mark.parametrize(
    "typed",
    [
        "TH-7KQ2-M9XD-4RPA",
        "th-7kq2-m9xd-4rpa",
        "th 7kq2 m9xd 4rpa",
        " 7KQ2M9XD4RPA ",
        "TH7KQ2—M9XD—4RPA",
    ],
)
def test_typed_references_are_normalised(typed: str) -> None:
    assert normalise_reference(typed) == "TH-7KQ2-M9XD-4RPA"


@pytest.mark.parametrize(
    "typed",
    ["", "not-a-reference", "TH-7KQ2-M9XD", "TH-0KQ2-M9XD-4RPA", "TH-" + "Z" * 40, "<script>"],
)
def test_what_cannot_be_a_reference_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        normalise_reference(typed)
