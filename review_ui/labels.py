"""Names staff read instead of the codes Townhall stores: service areas, routes, urgent
categories. An unknown code still reads as words ("street-problems-reporting" ->
"Street problems reporting"), so a new service area never shows as a raw slug."""

from __future__ import annotations

import re

ROUTE_LABELS = {
    "urgent": "Urgent",
    "low_confidence": "Not sure of the answer",
    "not_covered": "Not on our pages",
    "own_case": "Resident's own case",
    "out_of_scope": "Not council business",
    "stale_answer": "Approved answer's page changed",
    "feedback": "Resident said the answer did not help",
    "search_unavailable": "Pages could not be searched",
}

SERVICE_AREA_LABELS = {
    "bins-and-recycling": "Bins and recycling",
    "council": "The council",
    "council-tax": "Council Tax",
    "environmental-health": "Environmental health",
    "environmental-health-nuisance": "Environmental health and nuisance",
    "housing": "Housing",
    "libraries": "Libraries",
    "noise-and-nuisance": "Noise and nuisance",
    "parking": "Parking",
    "parking-transport": "Parking and transport",
    "planning": "Planning",
    "registration": "Births, deaths and marriages",
    "roads-and-streets": "Roads and streets",
    "schools": "Schools",
    "schools-education": "Schools and education",
    "social-care": "Social care",
    "street-problems-reporting": "Reporting street problems",
    "benefits": "Benefits",
    "employment": "Jobs and employment",
    "other": "Other services",
}

URGENT_CATEGORY_LABELS = {
    "suicide_self_harm": "Suicide or self-harm",
    "suicide": "Suicide or self-harm",
    "self_harm": "Suicide or self-harm",
    "medical_emergency": "Medical emergency",
    "domestic_abuse": "Domestic abuse",
    "child_at_risk": "Child at risk",
    "adult_at_risk": "Adult at risk",
    "homeless_tonight": "Homeless tonight",
    "danger_in_home": "Danger to life in the home",
    "danger_at_home": "Danger to life in the home",
    "home_danger": "Danger to life in the home",
    "crime_in_progress": "Crime in progress",
}

_ACRONYMS = {"nhs": "NHS", "sen": "SEN", "send": "SEND", "dwp": "DWP", "hmo": "HMO"}


def humanise(code: str | None) -> str:
    """'street-problems_reporting' -> 'Street problems reporting'."""
    words = [w for w in re.split(r"[-_\s]+", (code or "").strip()) if w]
    if not words:
        return ""
    words = [_ACRONYMS.get(w.lower(), w.lower()) for w in words]
    first = words[0]
    words[0] = first if first.isupper() else first[:1].upper() + first[1:]
    return " ".join(words)


def route_label(route: str | None) -> str:
    return ROUTE_LABELS.get(route or "", humanise(route))


def service_area_label(area: str | None) -> str:
    if not area:
        return "Not known"
    return SERVICE_AREA_LABELS.get(area, humanise(area))


def urgent_category_label(category: str | None) -> str:
    return URGENT_CATEGORY_LABELS.get(category or "", humanise(category))


def urgent_categories(item: object) -> list[str]:
    """The urgent categories of a review item as labels (helper issue 8 adds
    `urgent_categories` to review items; older items have none)."""
    raw = getattr(item, "urgent_categories", None) or []
    if isinstance(raw, str):
        raw = [raw]
    labels: list[str] = []
    for code in raw:
        label = urgent_category_label(str(code))
        if label and label not in labels:
            labels.append(label)
    return labels
