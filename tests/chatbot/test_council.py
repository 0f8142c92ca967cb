"""The council profile: loaded from YAML, the demo council by default, nothing hard-coded."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from chatbot.council import load_council_profile


def test_demo_council_is_the_default_with_its_contacts() -> None:
    council = load_council_profile(None)
    assert council.name == "Brackenvale Borough Council"
    assert council.phone == "01632 960100"
    assert council.out_of_hours_phone == "01632 960999"
    assert council.contact_page == "https://www.brackenvale.example/contact-us"
    text = council.emergency("TH-2222-3333-4444")
    for expected in ["999", "116 123", "01632 960999", "01632 960555", "01632 960556"]:
        assert expected in text
    assert "TH-2222-3333-4444" in text and "{" not in text
    holding = council.holding("TH-2222-3333-4444")
    assert "TH-2222-3333-4444" in holding and "01632 960100" in holding


def test_a_council_can_bring_its_own_profile(tmp_path: Path) -> None:
    path = tmp_path / "council.yaml"
    path.write_text(
        "name: Otterby District Council\n"
        "phone: 0300 123 4567\n"
        "out_of_hours_phone: 0300 765 4321\n"
        "phone_hours: weekdays 8:30am to 5pm\n"
        "emergency_text: Call 999, or Samaritans on 116 123, or us on {out_of_hours_phone}. "
        "Ref {reference}.\n"
        "holding_reply: Staff will reply. Ref {reference}. "
        "Call {phone} ({phone_hours}). {unknown}\n"
        "ward_count: 12\n",
        encoding="utf-8",
    )
    council = load_council_profile(path)
    assert council.name == "Otterby District Council" and council.short_name == council.name
    assert (
        council.emergency("TH-X")
        == "Call 999, or Samaritans on 116 123, or us on 0300 765 4321. Ref TH-X."
    )
    assert "0300 123 4567 (weekdays 8:30am to 5pm)" in council.holding("TH-X")
    assert "{unknown}" in council.holding("TH-X")  # an unknown placeholder never fails a reply
    assert council.own_case("TH-X") == council.holding("TH-X")  # falls back to the holding reply
    assert council.extra == {"ward_count": 12}
    assert "Brackenvale" not in council.greeting_reply + council.out_of_scope_reply


def test_unusable_profiles_are_refused_with_the_reason(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ValueError, match="cannot read"):
        load_council_profile(missing)
    partial = tmp_path / "partial.yaml"
    partial.write_text("name: X\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing phone, emergency_text, holding_reply"):
        load_council_profile(partial)
    listy = tmp_path / "list.yaml"
    listy.write_text("- a\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapping"):
        load_council_profile(listy)


def test_pages_to_read_meanwhile_follow_a_holding_reply_as_links_or_not_at_all() -> None:
    council = load_council_profile(None)
    pages = [("Bin collection days", "https://www.brackenvale.example/bins/days")]
    reply = council.with_related_pages("Staff will reply.", pages)
    assert reply.splitlines() == [
        "Staff will reply.",
        "While you wait, these pages of ours may help:",
        "- Bin collection days (https://www.brackenvale.example/bins/days)",
    ]
    assert council.with_related_pages("Staff will reply.", []) == "Staff will reply."
    quiet = replace(council, related_pages_intro="")  # a council that offers none
    assert quiet.with_related_pages("Staff will reply.", pages) == "Staff will reply."
