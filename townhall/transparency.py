"""`townhall transparency-record`: an Algorithmic Transparency Recording Standard (ATRS) record
of this deployment, tier 1 (for the public) and tier 2 (owner and responsibility, description
and rationale, decision-making process, tool specification with model and data specification,
risks and impact assessments), built from the settings, the council profile (its
`transparency:` section) and the latest evaluation run. Printed as Markdown or JSON.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from townhall.wiring import confidence_threshold

if TYPE_CHECKING:
    from townhall.services import Services

STANDARD_VERSION = "3.0"
TIERS = {
    "tier_1": ["name", "description", "website", "contact_email"],
    "tier_2_owner_and_responsibility": [
        "organisation",
        "team",
        "senior_responsible_owner",
        "third_party_involvement",
    ],
    "tier_2_description_and_rationale": [
        "detailed_description",
        "scope",
        "benefit",
        "previous_process",
        "alternatives_considered",
    ],
    "tier_2_decision_making_process": [
        "process_integration",
        "provided_information",
        "frequency_and_scale_of_usage",
        "human_decisions_and_review",
        "required_training",
        "appeals_and_review",
    ],
    "tier_2_tool_specification": [
        "system_architecture",
        "phase",
        "maintenance",
        "models",
        "data_specification",
    ],
    "tier_2_risks_mitigations_and_impact_assessments": ["impact_assessments", "risks"],
}
KEY_METRICS = (
    "answers.confident_wrong_rate",
    "answers.answered_rate",
    "answers.source_correct",
    "retrieval.hit_at_5",
    "escalation.recall",
    "escalation.precision",
    "redaction.leak_rate",
    "redaction.over_redaction_rate",
    "latency_ms.p95",
)


def transparency_record(services: Services) -> dict[str, Any]:
    """The record as a dict of sections (the field names of ATRS v3.0, snake_case)."""
    settings = services.settings
    council = services.council
    extra = council.extra.get("transparency")
    given: dict[str, Any] = extra if isinstance(extra, dict) else {}
    run = _latest_run(services)
    threshold = confidence_threshold(settings)
    model = (
        f"chat model {settings.llm_provider}:{settings.llm_model} through LangChain, "
        "told to answer only from the retrieved sections, with the extractive answer as fallback"
        if settings.llm_provider
        else "no generative model: answers are sentences and list items quoted from the pages"
    )
    record: dict[str, Any] = {
        "metadata": {
            "standard_version": STANDARD_VERSION,
            "title": f"{council.name}: Townhall automated question service",
            "organisation": council.name,
            "function": "Public services: answering residents' questions",
            "phase": given.get("phase", "Pilot"),
            "geographic_region": given.get("region", "England and Wales"),
        },
        "tier_1": {
            "name": given.get("name", "Townhall (Ask a question)"),
            "description": (
                f"A chat on {council.name}'s website that answers residents' questions from "
                "the council's own web pages, with links to them. When it is not sure, or the "
                "question is about the resident's own case, it gives a reference code and a "
                "member of staff answers. Messages about risk to life get emergency numbers."
            ),
            "website": council.website,
            "contact_email": given.get("contact_email", council.email),
        },
        "tier_2_owner_and_responsibility": {
            "organisation": council.name,
            "team": given.get("team", "Customer services and digital team"),
            "senior_responsible_owner": given.get(
                "senior_responsible_owner",
                "Not yet named (set transparency.senior_responsible_owner)",
            ),
            "third_party_involvement": given.get(
                "third_party_involvement", "None: open-source software run by the council"
            ),
        },
        "tier_2_description_and_rationale": {
            "detailed_description": (
                "Each message is checked, personal details are removed (presidio with UK "
                "recognisers), urgent and own-case messages are routed to staff, similar "
                "staff-approved answers are reused, the council's pages are searched (BM25 and "
                "MiniLM embeddings), an answer is composed from the best sections and scored; "
                f"below a confidence of {threshold:.2f} the question goes to "
                "staff. Welsh messages go to a Welsh-speaking member of staff."
            ),
            "scope": "General questions about council services answered on the council's pages. "
            "It does not make or change decisions about anyone, and cannot see accounts or cases.",
            "benefit": "Answers at any time with links to the source pages; staff time goes to "
            "the questions that need a person; unanswered questions show gaps in the pages.",
            "previous_process": "Residents searched the website, phoned or emailed the council.",
            "alternatives_considered": "A general chat model answering freely (rejected: it "
            "invents facts and links); search only (kept as the sources beside every answer).",
        },
        "tier_2_decision_making_process": {
            "process_integration": "Answers information questions only; anything uncertain, "
            "personal or urgent goes to staff through a review queue.",
            "provided_information": "An answer with its source pages and sections, a label "
            "saying whether staff or the automated service wrote it, or a holding reply with a "
            "reference code.",
            "frequency_and_scale_of_usage": given.get(
                "frequency_and_scale_of_usage", "Every question asked on the chat page or widget."
            ),
            "human_decisions_and_review": "Staff approve, edit or reject every escalated "
            "question; approved answers are reused only while their source pages are unchanged; "
            "residents can say an answer was not helpful, which puts it in front of staff.",
            "required_training": given.get(
                "required_training",
                "Reviewers are trained on the review queue and the style guide.",
            ),
            "appeals_and_review": "Residents can always phone or email the council, and "
            "complain through the council's complaints procedure.",
        },
        "tier_2_tool_specification": {
            "system_architecture": "FastAPI web app, SQLite or PostgreSQL, ChromaDB and BM25 "
            "indexes of the council's pages, all run by the council; nothing is sent elsewhere.",
            "phase": given.get("phase", "Pilot"),
            "maintenance": "Pages are re-ingested when they change; every change is measured with "
            "`townhall eval run` against the council's question sets before release.",
            "models": {
                "embeddings": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), run offline",
                "answering": model,
                "personal_data": "presidio with spaCy en_core_web_sm and UK recognisers",
                "confidence_threshold": threshold,
                "latest_evaluation": run,
            },
            "data_specification": {
                "source_data": "The council's own published web pages.",
                "personal_data": "Residents' questions, stored only after personal details are "
                "removed; an email address only when a resident asks to be told a reply is ready "
                "(deleted once used).",
                "data_access_and_storage": "Held by the council; staff sign in to see questions.",
            },
        },
        "tier_2_risks_mitigations_and_impact_assessments": {
            "impact_assessments": given.get(
                "impact_assessments",
                ["Data protection impact assessment (DPIA): to be published by the council"],
            ),
            "risks": [
                {
                    "risk": "A wrong answer given with confidence",
                    "mitigation": "Answers only quote the council's pages, with links; a "
                    "confidence threshold sends uncertain questions to staff; measured before "
                    "every release (answers.confident_wrong_rate).",
                },
                {
                    "risk": "Personal data stored or shared",
                    "mitigation": "Removed before anything is stored, logged or searched; "
                    "measured (redaction.leak_rate).",
                },
                {
                    "risk": "A resident at risk gets an ordinary answer",
                    "mitigation": "Urgent messages get emergency numbers first and a priority "
                    "review item that alerts staff.",
                },
                {
                    "risk": "Residents writing in Welsh get an English answer",
                    "mitigation": "Welsh messages are recognised, answered with a Welsh holding "
                    "reply and sent to a Welsh-speaking member of staff.",
                },
            ],
        },
    }
    return record


def _latest_run(services: Services) -> dict[str, Any] | None:
    """The newest evaluation run's headline numbers (None when there is none)."""
    try:
        from sqlmodel import Session, col, select

        from evals.records import EvalRun

        with Session(services.engine) as db:
            run = db.exec(select(EvalRun).order_by(col(EvalRun.created_at).desc())).first()
    except Exception:  # noqa: BLE001 - a record without numbers is still a record
        return None
    if run is None:
        return None
    metrics = {key: _dotted(run.summary, key) for key in KEY_METRICS}
    return {
        "run_id": run.id,
        "date": run.created_at.date().isoformat(),
        "datasets": [str(d).rsplit("/", 1)[-1] for d in run.datasets],
        "gates_passed": run.gates_passed,
        "metrics": {k: v for k, v in metrics.items() if v is not None},
    }


def _dotted(summary: dict[str, Any], key: str) -> Any:
    value: Any = summary
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return value.get(key) if isinstance(summary, dict) and key in summary else None
        value = value[part]
    return value


def as_markdown(record: dict[str, Any]) -> str:
    """The record as Markdown: one heading per section, one bold field per line."""
    lines = [f"# Algorithmic transparency record: {record['metadata']['title']}", ""]
    for section, fields in record.items():
        lines += [f"## {section.replace('_', ' ').capitalize()}", ""]
        for name, value in fields.items():
            lines.append(f"**{name.replace('_', ' ').capitalize()}**: {_text(value)}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return "None recorded"
    return json.dumps(value, indent=None, ensure_ascii=False, default=str)
