"""`townhall ask`: one question through the resident pipeline, for pilot teams."""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

import typer


def register(app: typer.Typer) -> None:
    """Add the `ask` command to the main app."""
    app.command()(ask)


def ask(
    question: Annotated[str, typer.Argument(help="The resident's question, in quotes.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the same object as POST /api/chat.")
    ] = False,
    conversation_id: Annotated[
        str | None,
        typer.Option("--conversation-id", help="Continue a conversation (follow-up question)."),
    ] = None,
) -> None:
    """Answer one question through the same pipeline residents use (and store it, redacted)."""
    from chatbot.api import message_problem
    from townhall.services import Services
    from townhall.settings import Settings

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings()
    problem = message_problem(question, settings.max_message_chars)
    if problem:
        typer.echo(problem, err=True)
        raise typer.Exit(2)

    from chatbot.pipeline import MessageRejected

    try:
        result = Services(settings).pipeline.handle(question, conversation_id)
    except MessageRejected as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    answer = result.to_api()
    if as_json:
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    typer.echo(_as_text(answer))


def _as_text(answer: dict[str, Any]) -> str:
    """The reply as a pilot team reads it: status and confidence first, then reply and sources."""
    confidence = answer.get("confidence")
    lines = [
        f"status:     {answer['status']}",
        "confidence: " + ("-" if confidence is None else f"{confidence:.2f}"),
    ]
    if answer.get("reference"):
        lines.append(f"reference:  {answer['reference']}")
    lines.append(f"conversation: {answer['conversation_id']}")
    lines += ["", answer["reply"], ""]
    sources = answer.get("sources") or []
    if sources:
        lines.append("sources:")
        for n, source in enumerate(sources, 1):
            title = source["title"]
            if source.get("section") and source["section"] != title:
                title += f" > {source['section']}"
            lines.append(f"  {n}. {title}")
            lines.append(f"     {source.get('url') or '(no web address)'}  [{source.get('page')}]")
    else:
        lines.append("sources: none")
    return "\n".join(lines)
