"""Optional: answers written by a chat model from the retrieved sections, checked by the
grounding guard before a resident sees them.

- The model sees only the retrieved sections, numbered, each web address replaced by a token
  (`[LINK-1]`) it cannot alter; tokens in its answer are mapped back afterwards.
- The grounding guard (`chatbot/answering/grounding.py`) checks every sentence: unsupported
  ones are dropped when the answer stands without them, else the extractive answer is used.
  An answer that leaves out a figure, or more than a quarter of the content words, of the
  extractive draft's lead unit (the sentence the answer confidence is scored on) is not used:
  the extractive answer stands in. The model answer's confidence is capped by the extractive
  draft's guard confidence, and when the guard rejects that draft the model is not asked at
  all (the question goes to staff).
- If the call fails (after the client's retries of 429 and 5xx), times out (the whole answer
  has `timeout_seconds`, retries included), returns something unreadable, or the model says
  the sections do not answer, the extractive answer (or an escalation) stands in. Every such
  decision is recorded in `ModelComposition.notes` for the review item and the evaluation.
- Token counts and time come from the server's response (`usage`), never from tiktoken.
"""

from __future__ import annotations

import concurrent.futures
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from chatbot.answering.grounding import GroundingGuard, GroundingResult
from chatbot.answering.grounding_checks import figures_left_out
from chatbot.answering.streaming import DraftSink, current_sink
from chatbot.composer import Composition, ExtractiveComposer, plain, truncate_words
from chatbot.llm_provider import (  # re-exported: older imports keep working
    FAKE_LABEL,
    LLMSettings,
    LLMUnavailable,
    create_chat_model,
)
from chatbot.wording import content_terms
from knowledge.types import RetrievedChunk

__all__ = [
    "FAKE_LABEL",
    "LLMComposer",
    "LLMSettings",
    "LLMUnavailable",
    "ModelComposition",
    "create_chat_model",
    "restore_links",
    "tokenise_links",
]

log = logging.getLogger(__name__)

NO_ANSWER = "NO_ANSWER"
LEAD_WORDS_KEPT = 0.75  # share of the extractive lead sentence's content words an answer keeps
SYSTEM_PROMPT = (
    "You answer residents' questions for {council}. Use ONLY the sections below; never add "
    "facts, numbers or advice that are not in them. Answer in plain English, in at most "
    "{max_words} words. Web addresses appear as tokens like [LINK-1]: copy a token exactly "
    "where a link helps, never write a web address yourself. If the sections do not answer "
    f"the question, reply with exactly {NO_ANSWER}.\n\n{{sections}}"
)
_URL = re.compile(r"https?://[^\s)\]>\"']+")
_TOKEN = re.compile(r"\[LINK-(\d+)\]")
_CITATION = re.compile(r"\s?\[\d{1,2}\]")  # "[2]": the sources are listed under the answer


@dataclass
class ModelComposition(Composition):
    """A composition with what the model and the guard did (for confidence, staff, evals)."""

    grounding: GroundingResult | None = None
    model: dict[str, Any] = field(default_factory=dict)  # outcome, ms, tokens_in, tokens_out
    notes: list[str] = field(default_factory=list)  # why the model's answer was changed


class LLMComposer:
    """Writes the answer with a chat model, behind the grounding guard; falls back to the
    extractive composer."""

    name = "llm"

    def __init__(
        self,
        settings: LLMSettings,
        fallback: ExtractiveComposer,
        model: Any | None = None,
        guard: GroundingGuard | None = None,
    ) -> None:
        self.settings = settings
        self.fallback = fallback
        self.guard = guard or GroundingGuard(fallback.embedder)
        # Created now, not on the first question: importing the client takes seconds, which
        # would eat that question's timeout (and a missing package is reported at start-up).
        self.model = model if model is not None else create_chat_model(settings)
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)

    def compose(
        self,
        question: str,
        retrieved: list[RetrievedChunk],
        max_words: int,
        question_embedding: np.ndarray | None = None,
        **steps: Any,
    ) -> Composition:
        extractive = self.fallback.compose(
            question, retrieved, max_words, question_embedding, **steps
        )
        if not retrieved or not extractive.text:
            return extractive
        # A model answer is never surer than the extractive answer it is scored by: when the
        # guard does not let that one out, the question goes to staff without asking the model.
        base = self.guard.check(extractive.text, extractive.chunks)
        if not base.stands:
            note = "the extractive draft did not pass the grounding check; the model was not asked"
            return _as_model(extractive, {"outcome": "not_asked"}, [note])
        sections = _sections_for_model(extractive.chunks, retrieved, self.settings.sections)
        context, links = tokenise_links(sections)
        council, words = self.settings.council_name, max_words
        system = SYSTEM_PROMPT.format(council=council, max_words=words, sections=context)
        messages = [("system", system), ("human", question)]
        started = time.perf_counter()
        stop = threading.Event()
        report: dict[str, Any] = {"outcome": "used", "tokens_in": None, "tokens_out": None}
        try:
            future = self._pool.submit(self._ask, messages, links, current_sink(), stop, report)
            text = future.result(timeout=self.settings.timeout_seconds)
        except concurrent.futures.TimeoutError:
            stop.set()
            seconds = self.settings.timeout_seconds
            log.warning("chat model timed out after %.0fs; extractive answer used", seconds)
            why = f"timed out after {seconds:g}s"
            return _fallback(extractive, report, started, "timeout", why)
        except Exception as exc:  # provider errors vary; the extractive answer stands in
            log.warning("chat model failed (%s); extractive answer used", type(exc).__name__)
            return _fallback(extractive, report, started, "error", f"failed ({_describe(exc)})")
        report["ms"] = round((time.perf_counter() - started) * 1000, 1)
        if not text.strip() or NO_ANSWER in text:
            report["outcome"] = "no_answer"
            note = "the chat model said the sections do not answer the question"
            return _as_model(extractive, report, [note], text="")
        verdict = self.guard.check(text, sections, links)
        if not verdict.stands:
            report["outcome"] = "rejected_by_guard"
            notes = ["the chat model's answer was rejected by the grounding check"]
            notes += verdict.reasons()
            return _as_model(extractive, report, notes, grounding=None, verdict=verdict)
        # The answer confidence is scored on the extractive draft's lead unit (the sentence
        # the ranker found the asked-for fact in): a model answer without that unit's figures
        # would be sent on a confidence it has not earned.
        # The same goes for its words (those the question did not already say: "it costs"
        # may stand for "garden waste costs"): an answer keeping under three quarters of them
        # (the share `_stands` asks of a trimmed answer) says something else.
        lead = extractive.best.text if extractive.best is not None else ""
        left_out = figures_left_out(verdict.text, lead)
        lead_terms = set(content_terms(restore_links(lead, {}))) - set(content_terms(question))
        kept = len(lead_terms & set(content_terms(verdict.text))) / max(1, len(lead_terms))
        if left_out or kept < LEAD_WORDS_KEPT:
            report["outcome"] = "rejected_by_guard"
            figures = ", ".join(f"“{f}”" for f in left_out)
            why = f"left out {figures}" if left_out else f"kept {kept:.0%} of the words"
            notes = [
                f"the chat model's answer {why} of the best-matching sentence of the pages; "
                "the extractive answer was used",
                *verdict.reasons(),
            ]
            report["left_out"] = left_out or [f"{kept:.0%} of the lead sentence's words"]
            return _as_model(extractive, report, notes, verdict=verdict)
        verdict.confidence = min(verdict.confidence, base.confidence)
        if verdict.dropped:
            report["outcome"] = "trimmed_by_guard"
        chunks = [sections[i] for i in verdict.sections_used] or extractive.chunks
        return ModelComposition(
            text=truncate_words(restore_links(_CITATION.sub("", verdict.text), links), max_words),
            chunks=chunks,
            coverage=_coverage(question, chunks),
            # the units the answer's evidence rests on: the answer confidence scores them
            quoted=extractive.quoted,
            best=extractive.best,
            best_unit_score=extractive.best_unit_score,
            grounding=verdict,
            model=report | {"guard": verdict.summary()},
            notes=verdict.reasons(),
        )

    def _ask(
        self,
        messages: list[tuple[str, str]],
        links: dict[str, str],
        sink: DraftSink | None,
        stop: threading.Event,
        report: dict[str, Any],
    ) -> str:
        """The model's whole answer (streamed to `sink` as it comes when there is one)."""
        if sink is None:
            reply = self.model.invoke(messages)
            _usage(reply, report)
            return str(getattr(reply, "content", reply) or "")
        text = ""
        for chunk in self.model.stream(messages):
            if stop.is_set():
                break
            _usage(chunk, report)
            piece = getattr(chunk, "content", chunk)
            if isinstance(piece, str) and piece:
                text += piece
                if NO_ANSWER not in text:
                    sink(restore_links(_complete_tokens(text), links))
        return text


def _sections_for_model(
    quoted: list[RetrievedChunk], retrieved: list[RetrievedChunk], limit: int
) -> list[RetrievedChunk]:
    """The sections the extractive step quoted first, then the next best retrieved ones."""
    out: list[RetrievedChunk] = []
    for rc in [*quoted, *retrieved]:
        if rc not in out and len(out) < max(1, limit):
            out.append(rc)
    return out


def _usage(message: Any, report: dict[str, Any]) -> None:
    usage = getattr(message, "usage_metadata", None) or {}
    if usage.get("input_tokens") is not None:
        report["tokens_in"] = int(usage["input_tokens"])
    if usage.get("output_tokens") is not None:
        report["tokens_out"] = int(usage["output_tokens"])


def _describe(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    return f"{type(exc).__name__} {status}" if status else type(exc).__name__


def _fallback(
    extractive: Composition, report: dict[str, Any], started: float, outcome: str, why: str
) -> ModelComposition:
    report["outcome"] = outcome
    report["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return _as_model(extractive, report, [f"the chat model {why}; the extractive answer was used"])


def _as_model(
    extractive: Composition,
    report: dict[str, Any],
    notes: list[str],
    *,
    text: str | None = None,
    grounding: GroundingResult | None = None,
    verdict: GroundingResult | None = None,
) -> ModelComposition:
    if verdict is not None:
        report["guard"] = verdict.summary()
    return ModelComposition(
        text=extractive.text if text is None else text,
        chunks=extractive.chunks,
        coverage=extractive.coverage,
        quoted=extractive.quoted,
        best=extractive.best,
        best_unit_score=extractive.best_unit_score,
        grounding=grounding,
        model=report,
        notes=notes,
    )


def _coverage(question: str, chunks: list[RetrievedChunk]) -> float:
    terms = set(content_terms(question))
    if not terms:
        return 0.0
    found = set(content_terms(" ".join(f"{rc.chunk.title} {rc.chunk.text}" for rc in chunks)))
    return len(terms & found) / len(terms)


def _complete_tokens(text: str) -> str:
    """A draft without a half-written link token at its end."""
    cut = text.rfind("[")
    return text[:cut] if cut != -1 and "]" not in text[cut:] else text


def tokenise_links(chunks: list[RetrievedChunk]) -> tuple[str, dict[str, str]]:
    """The sections as the model sees them, with every web address replaced by a token."""
    links: dict[str, str] = {}
    by_url: dict[str, str] = {}

    def token_for(url: str) -> str:
        if url not in by_url:
            by_url[url] = f"[LINK-{len(by_url) + 1}]"
            links[by_url[url]] = url
        return by_url[url]

    blocks = []
    for n, rc in enumerate(chunks, 1):
        c = rc.chunk
        body = "\n".join(plain(line) for line in c.text.splitlines())
        body = _URL.sub(lambda m: token_for(m.group(0)), body)
        page_link = f" (page {token_for(c.url)})" if c.url else ""
        heading = f"{c.title} - {c.section}" if c.section and c.section != c.title else c.title
        blocks.append(f"Section {n}: {heading}{page_link}\n{body}")
    return "\n\n".join(blocks), links


def restore_links(text: str, links: dict[str, str]) -> str:
    """Tokens back to addresses; invented tokens and addresses the model wrote are removed."""
    text = _URL.sub("", text)
    text = _TOKEN.sub(lambda m: links.get(m.group(0), ""), text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
