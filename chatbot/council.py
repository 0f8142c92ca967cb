"""The council profile: who the council is and how residents reach it, from one YAML file.

Holding replies, emergency signposting and the page footer all read it, so nothing
council-specific lives in code. The demo council (Brackenvale) is the default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PROFILE = Path(__file__).resolve().parent / "council_default.yaml"
REQUIRED = ("name", "phone", "emergency_text", "holding_reply")


@dataclass(frozen=True)
class CouncilProfile:
    """Contact details and reply texts. Texts may use `{field}` placeholders from this profile
    and `{reference}` for the resident's reference code."""

    name: str
    phone: str
    emergency_text: str
    holding_reply: str
    short_name: str = ""
    website: str | None = None
    contact_page: str | None = None
    phone_hours: str = ""
    email: str | None = None
    out_of_hours_phone: str | None = None
    safeguarding_adults_phone: str | None = None
    safeguarding_children_phone: str | None = None
    homelessness_phone: str | None = None
    emergency_repairs_phone: str | None = None
    own_case_reply: str = ""
    stale_reply: str = ""
    greeting_reply: str = "Hello. What would you like to know about {name} services?"
    thanks_reply: str = "You're welcome. Is there anything else I can help with?"
    out_of_scope_reply: str = "Sorry, I can only help with questions about {name} services."
    # Urgent replies by category (chatbot.safety.CATEGORIES): the contacts that fit the risk,
    # first; `emergency_text` (every contact) is the reply when none of these is given.
    urgent_replies: dict[str, str] = field(default_factory=dict)
    urgent_closing: str = (
        "We have also passed your message to our staff. Your reference is {reference}."
    )
    urgent_danger_line: str = "If anyone is in immediate danger, call 999 now."
    # Before links to the best retrieved pages under a holding reply ("" offers none)
    related_pages_intro: str = "While you wait, these pages of ours may help:"
    extra: dict[str, Any] = field(default_factory=dict)

    def render(self, template: str, **values: str) -> str:
        """A reply text with the profile's fields (and `values`) filled in; unknown
        placeholders stay as written rather than failing a resident's request."""
        known = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("extra", "urgent_replies")
        }
        known = {k: ("" if v is None else str(v)) for k, v in known.items()}
        known.update({k: str(v) for k, v in self.extra.items()})
        known.update(values)
        known.setdefault("short_name", self.name)
        return template.format_map(_Keep(known)).strip()

    def emergency(self, reference: str, categories: list[str] | tuple[str, ...] = ()) -> str:
        """Signposting for an urgent message: the contacts for each category detected, most
        likely first, then 999 for danger now (unless already said), then the reference once.
        With no category text for what was detected, every contact (`emergency_text`)."""
        lines: list[str] = []
        for category in categories:
            text = self.urgent_replies.get(category)
            if text and text not in lines:
                lines.append(text)
        if not lines:
            return self.render(self.emergency_text, reference=reference)
        if "999" not in " ".join(lines):
            lines.append(self.urgent_danger_line)
        lines.append(self.urgent_closing)
        return self.render("\n".join(lines), reference=reference)

    def holding(self, reference: str) -> str:
        return self.render(self.holding_reply, reference=reference)

    def with_related_pages(self, reply: str, pages: list[tuple[str, str]]) -> str:
        """A holding reply with the pages a resident may read meanwhile, one "- title
        (address)" line each (links in the chat), or the reply alone."""
        intro = self.render(self.related_pages_intro)
        if not pages or not intro:
            return reply
        lines = [f"- {title} ({url})" for title, url in pages]
        return "\n".join([reply, intro, *lines])

    def in_language(self, language: str) -> CouncilProfile:
        """The profile with its texts in `language` ("cy": the `welsh:` section, where given;
        anything it leaves out stays as written in English)."""
        if language != "cy":
            return self
        welsh = self.extra.get("welsh")
        if not isinstance(welsh, dict) or not welsh:
            return self
        names = {f.name for f in fields(self)} - {"extra"}
        changes = {k: _as_text(v) for k, v in welsh.items() if k in names and v}
        # Never English category texts in a Welsh reply: without Welsh ones, every contact in
        # the Welsh `emergency_text`.
        changes.setdefault("urgent_replies", {})
        return replace(self, **changes)

    def own_case(self, reference: str) -> str:
        return self.render(self.own_case_reply or self.holding_reply, reference=reference)

    def stale(self, reference: str) -> str:
        return self.render(self.stale_reply or self.holding_reply, reference=reference)

    @property
    def public_terms(self) -> list[str]:
        """The council's own name and numbers: public, never personal data in a question."""
        values = [self.name, self.short_name, self.phone, self.out_of_hours_phone]
        values += [self.safeguarding_adults_phone, self.safeguarding_children_phone]
        values += [self.homelessness_phone, self.emergency_repairs_phone]
        return [v for v in values if v]


class _Keep(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def load_council_profile(path: Path | None) -> CouncilProfile:
    """The profile at `path`, or the demo council's when `path` is None.

    Raises ValueError (with the file and the problem) when the file is unusable."""
    source = path or DEFAULT_PROFILE
    try:
        data = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read council profile {source}: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"council profile {source} must be a YAML mapping")
    missing = [key for key in REQUIRED if not data.get(key)]
    if missing:
        raise ValueError(f"council profile {source} is missing {', '.join(missing)}")
    names = {f.name for f in fields(CouncilProfile)} - {"extra"}
    known = {k: _as_text(v) for k, v in data.items() if k in names}
    extra = {k: v for k, v in data.items() if k not in names}
    known.setdefault("short_name", known["name"])
    return CouncilProfile(**known, extra=extra)


def _as_text(value: Any) -> Any:
    # YAML reads "01632 960100" as text, but a bare 999 or 116123 as a number.
    if isinstance(value, dict):
        return {str(k): _as_text(v) for k, v in value.items()}
    return str(value) if isinstance(value, int | float) else value
