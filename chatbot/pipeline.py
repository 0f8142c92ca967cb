"""The resident pipeline: one message in, one reply out, in this order:

checks -> redact -> conversation (follow-up rewrite) -> route (urgent, greeting, own case)
-> approved answers -> hybrid retrieval -> out of scope? -> answer (per question in the message:
fact type asked -> candidate units -> unit ranker -> assembly or chat model -> grounding guard
-> confidence of the answer) -> answer, or escalate with a reference code and a review item.

The raw message exists only inside `handle`: every step after redaction sees redacted text,
and only redacted text is stored or logged. Every message gets a transcript row.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np

from chatbot.answering.assembly import Composition
from chatbot.answering.candidates import candidate_units
from chatbot.answering.confidence import AnswerConfidence, ConfidenceModel, confidence_parts
from chatbot.answering.fact_types import asked_fact_types, asked_now
from chatbot.answering.grounding import GroundingGuard, GuardedAnswer, guard_answer
from chatbot.answering.method import RESERVE, promote_method_section
from chatbot.answering.model import load_fitted
from chatbot.answering.ranker import UnitRanker
from chatbot.approved import best_approved_match, stale_sources
from chatbot.checks import MessageRejected, clean_message
from chatbot.composer import ExtractiveComposer, sources_of
from chatbot.conversation import EarlierTurn, search_text, standalone_question
from chatbot.conversation_tokens import new_conversation as new_conversation_token
from chatbot.council import CouncilProfile
from chatbot.escalation import Escalation, question_parts, review_item
from chatbot.language import LanguageIdentifier, welsh_greeting
from chatbot.links import absolute_links
from chatbot.redaction import Redactor
from chatbot.references import new_reference
from chatbot.routing import Router
from chatbot.safety import safety_net
from chatbot.safety.welsh_gloss import gloss
from chatbot.store import ChatStore, Exchange, public_sources
from chatbot.unavailable import search_unavailable
from chatbot.wording import content_terms
from knowledge.types import RetrievedChunk

__all__ = ["ChatResult", "MessageRejected", "ResidentPipeline"]

log = logging.getLogger(__name__)

# Below this dense score the pages hold nothing on the subject: "not covered" rather than
# "low confidence" (it only changes the review item's route, not what the resident sees).
NOT_COVERED_DENSE = 0.40


class Knowledge(Protocol):
    def retrieve(
        self,
        query: str,
        k: int = 5,
        *,
        service_area: str | None = None,
        mode: Literal["hybrid", "bm25", "dense"] = "hybrid",
        query_embedding: np.ndarray | None = None,
    ) -> list[RetrievedChunk]: ...

    def page_hashes(self) -> dict[str, str]: ...


class Composer(Protocol):
    name: str

    def compose(
        self,
        question: str,
        retrieved: list[RetrievedChunk],
        max_words: int,
        question_embedding: np.ndarray | None = None,
        **steps: Any,
    ) -> Any: ...


@dataclass
class ChatResult:
    """Everything the pipeline decided; `to_api()` is the POST /api/chat body."""

    conversation_id: str
    status: str  # answered | escalated | urgent | greeting | out_of_scope
    reply: str
    sources: list[dict[str, Any]]
    confidence: float | None
    reference: str | None
    route: str
    redacted_message: str
    standalone_question: str
    retrieved: list[RetrievedChunk] = field(default_factory=list)
    draft_answer: str | None = None
    redacted_types: list[str] = field(default_factory=list)
    special_category: list[str] = field(default_factory=list)  # Art. 9, flagged not blanked
    timings_ms: dict[str, float] = field(default_factory=dict)
    signals: dict[str, float] = field(default_factory=dict)  # what the confidence came from
    # the kind of fact asked and the kinds the answer holds (for staff and the eval report)
    facts: dict[str, Any] = field(default_factory=dict)
    answer_report: dict[str, Any] = field(default_factory=dict)  # chat model and guard
    message_id: int | None = None  # the stored reply (residents' feedback points at it)
    language: str = "en"  # the language the resident wrote in ("cy": replied to in Welsh)
    approved_answer_id: int | None = None  # set when a staff-approved answer was reused
    urgent_categories: list[str] = field(default_factory=list)  # status urgent: what was found

    def to_api(self) -> dict[str, Any]:
        return {
            "conversation_id": self.conversation_id,
            "reply": self.reply,
            "status": self.status,
            "sources": public_sources(self.sources),
            "confidence": None if self.confidence is None else round(self.confidence, 3),
            "reference": self.reference,
        }


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = self._start = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.timings[step] = round((now - self._last) * 1000, 2)
        self._last = now

    def total(self) -> dict[str, float]:
        self.timings["total"] = round((time.perf_counter() - self._start) * 1000, 2)
        return self.timings


class ResidentPipeline:
    """Answers residents from the council's pages, or hands them to staff. Build once."""

    def __init__(
        self,
        *,
        knowledge: Knowledge,
        redactor: Redactor,
        store: ChatStore,
        council: CouncilProfile,
        embedder: Any,
        router: Router | None = None,
        composer: Composer | None = None,
        ranker: UnitRanker | None = None,
        answer_confidence: ConfidenceModel | None = None,
        confidence_threshold: float | Callable[[], float] | None = None,
        approved_match_threshold: float = 0.86,
        conversation_ttl_minutes: int = 60,
        retrieval_k: int = 5,
        answer_max_words: int = 150,
        max_message_chars: int = 1000,
        retrieval_mode: Literal["hybrid", "bm25", "dense"] = "hybrid",
        guard: GroundingGuard | None = None,
        language_identifier: LanguageIdentifier | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.language = language_identifier or LanguageIdentifier()
        self.redactor = redactor
        self.store = store
        self.council = council
        self.embedder = embedder
        self.router = router or Router(embedder)
        self.ranker = ranker or UnitRanker()
        self.composer = composer or ExtractiveComposer(embedder, ranker=self.ranker)
        self.answer_confidence = answer_confidence or ConfidenceModel()
        # None: the threshold fitted with the answer confidence (chatbot/answering/fitted.json)
        self._threshold = (
            load_fitted().threshold if confidence_threshold is None else confidence_threshold
        )
        self.approved_match_threshold = approved_match_threshold
        self.conversation_ttl_minutes = conversation_ttl_minutes
        self.retrieval_k = retrieval_k
        self.answer_max_words = answer_max_words
        self.max_message_chars = max_message_chars
        self.retrieval_mode = retrieval_mode
        self.guard = guard or GroundingGuard(embedder)

    def _welsh_clause(self, clause: str) -> bool:
        return self.language.detect(clause) == "cy"

    @property
    def confidence_threshold(self) -> float:
        """The live threshold (a callable lets staff change it without a restart)."""
        value = self._threshold() if callable(self._threshold) else self._threshold
        return float(value)

    def handle(self, message: str, conversation_id: str | None = None) -> ChatResult:
        """One resident message through every step; always stores a redacted transcript row."""
        clock = _Clock()
        text = clean_message(message, self.max_message_chars)
        try:
            redaction = self.redactor.redact(text)
        except Exception:  # never let the raw text travel in a traceback
            log.error("redaction failed; message refused")
            raise RuntimeError("redaction failed") from None
        # the clearest risk words, read before redaction: a word taken for a name must not hide
        # them; only the category (no personal data) is kept
        clear_risk = safety_net(text)
        del text, message
        redacted = redaction.text
        clock.lap("redact")

        ttl = self.conversation_ttl_minutes
        opened = self.store.open_conversation(conversation_id, ttl)  # needs the secret token
        earlier = self.store.recent_messages(opened, ttl) if opened else None
        new_conversation = earlier is None
        started = new_conversation_token() if new_conversation else None
        conv_id = started.id if started else str(opened)
        token = started.token if started else str(conversation_id)
        turns, context = _earlier_turns(earlier or [])
        standalone = standalone_question(redacted, turns)
        query = search_text(standalone)
        # the English gloss of any Welsh in it, for the urgent model (chatbot.safety)
        glossed = gloss(redacted, self._welsh_clause)
        texts = [redacted] if query == redacted else [redacted, query]
        vectors = np.asarray(
            self.embedder.embed(texts if glossed == redacted else [*texts, glossed]),
            dtype=np.float32,
        )
        message_vec, question_vec = vectors[0], vectors[len(texts) - 1]
        welsh = (glossed, vectors[-1]) if glossed != redacted else None
        clock.lap("conversation")

        state = _Turn(
            conversation_id=conv_id,
            new_conversation=new_conversation,
            redacted=redacted,
            standalone=standalone,
            redacted_types=sorted(redaction.types),
            context=context,
            token=token,
            secret_hash=started.secret_hash if started else None,
            special_category=list(getattr(redaction, "special_category", []) or []),
        )
        # A follow-up rewritten with the earlier topic is judged with it too (chatbot.safety)
        follow_up = (query, question_vec) if standalone != redacted else None
        decision = self.router.classify(
            redacted, message_vec, follow_up, clear_risk=clear_risk, gloss=welsh
        )
        clock.lap("route")
        log.debug("route %s for %r", decision.label, redacted)

        # Welsh: replies in Welsh; the pages are English, so anything but urgent signposting and
        # a greeting goes to a Welsh-speaking member of staff (never an English paragraph).
        # written in Welsh, or opened in Welsh and went on in English (`mixed`: urgent
        # signposting in both); `LanguageIdentifier.message_language` in one pass
        whole = self.language.detect(redacted)
        mixed = whole == "en" and self.language.opens_in_welsh(redacted)
        state.language = "cy" if whole == "cy" or mixed else "en"
        council = self.council.in_language(state.language)
        if decision.label == "urgent":
            reference = new_reference()
            categories = list(decision.urgent_categories)
            state.urgent_categories = categories
            item = Escalation("urgent", reference, priority=0, urgent_categories=categories)
            # The model learnt English: its category for Welsh words is a guess, so a Welsh
            # reply leads with the categories only when the model read them in the English
            # gloss (or a clear Welsh risk word named one); otherwise every contact.
            shown = categories
            if state.language == "cy" and not decision.glossed:
                shown = [decision.matched_pattern] if decision.matched_pattern else []
            reply = council.emergency(reference, shown)
            if mixed:
                reply = f"{reply}\n\n{self.council.emergency(reference, categories)}"
            return self._finish(state, clock, "urgent", reply, item)
        kind = welsh_greeting(redacted) if state.language == "cy" else None
        if state.language == "cy" and kind is None and decision.label == "greeting":
            # a short English thanks the language model reads as Welsh ("cheers mate")
            state.language = "en"
        if state.language == "cy":
            if kind is not None:
                reply = council.render(
                    council.thanks_reply if kind == "thanks" else council.greeting_reply
                )
                return self._finish(state, clock, "greeting", reply, route="greeting")
            reference = new_reference()
            item = Escalation("welsh", reference)
            return self._finish(state, clock, "escalated", council.holding(reference), item)
        if decision.label == "greeting":
            council = self.council
            reply = council.render(
                council.thanks_reply
                if decision.greeting_kind == "thanks"
                else council.greeting_reply
            )
            return self._finish(state, clock, "greeting", reply, route="greeting")

        try:
            retrieved = self._retrieve(query, question_vec)
        except Exception as exc:  # noqa: BLE001 - a store down: staff answer it (SECURITY.md)
            log.warning("retrieval failed (%s): escalating", type(exc).__name__)
            reference = new_reference()
            reply = search_unavailable(self.council, reference)
            item = Escalation("search_unavailable", reference)
            return self._finish(state, clock, "escalated", reply, item)
        state.retrieved = retrieved
        clock.lap("retrieve")

        if decision.label == "own_case":
            draft, _, _, _ = self._answer(query, retrieved, question_vec, self.answer_max_words)
            reference = new_reference()
            item = Escalation("own_case", reference, draft=draft.text, chunks=retrieved[:3])
            return self._finish(state, clock, "escalated", self.council.own_case(reference), item)

        approved = self._approved(question_vec)
        clock.lap("approved")
        if approved is not None:
            return self._from_approved(state, clock, *approved)

        top_dense = _top_dense(retrieved)
        if self.router.out_of_scope(redacted, decision, top_dense):
            reply = self.council.render(self.council.out_of_scope_reply)
            return self._finish(state, clock, "out_of_scope", reply, route="out_of_scope")

        answer, confidence, chunks, parts_ok, measured, guarded = self._compose(
            query, retrieved, question_vec
        )
        answer = absolute_links(answer, [rc.chunk.url for rc in chunks])
        state.signals = {k: v for k, v in measured.items() if isinstance(v, float)}
        state.facts = {k: v for k, v in measured.items() if not isinstance(v, float)}
        state.answer_report, state.notes = guarded.report, guarded.notes
        state.draft = answer
        state.confidence = confidence
        clock.lap("compose")
        if answer and parts_ok and confidence >= self.confidence_threshold:
            state.sources = sources_of(chunks)
            return self._finish(state, clock, "answered", answer, route="answer")

        route = "not_covered" if top_dense < NOT_COVERED_DENSE else "low_confidence"
        reference = new_reference()
        item = Escalation(route, reference, draft=answer, chunks=chunks or retrieved[:3])
        item.notes = state.notes
        reply = self.council.holding(reference)
        if route == "low_confidence":
            reply = self.council.with_related_pages(reply, related_pages(retrieved))
        return self._finish(state, clock, "escalated", reply, item)

    # --- steps -----------------------------------------------------------------------------

    def _retrieve(self, question: str, vector: np.ndarray) -> list[RetrievedChunk]:
        found = self.knowledge.retrieve(
            question, k=self.retrieval_k + RESERVE, mode=self.retrieval_mode, query_embedding=vector
        )
        return promote_method_section(question, found, self.retrieval_k)

    def _approved(self, vector: np.ndarray) -> tuple[Any, float] | None:
        match = best_approved_match(
            vector, self.store.approved_answers(), self.approved_match_threshold
        )
        return None if match is None else (match.candidate, match.similarity)

    def _from_approved(self, state: _Turn, clock: _Clock, candidate: Any, similarity: float):
        stale = stale_sources(candidate.sources, self.knowledge.page_hashes())
        if stale:
            reference = new_reference()
            item = Escalation(
                "stale_answer",
                reference,
                draft=candidate.answer,
                sources=[dict(s) for s in candidate.sources],
                service_area=candidate.service_area,
                confidence=similarity,
            )
            return self._finish(state, clock, "escalated", self.council.stale(reference), item)
        self.store.record_approved_hit(candidate.id)
        state.approved_answer_id = candidate.id
        state.sources = public_sources(candidate.sources)
        state.confidence = similarity
        state.draft = candidate.answer
        return self._finish(state, clock, "answered", candidate.answer, route="approved")

    def _compose(
        self,
        question: str,
        retrieved: list[RetrievedChunk],
        vector: np.ndarray,
    ) -> tuple[str, float, list[RetrievedChunk], bool, dict[str, Any], GuardedAnswer]:
        """The answer, its confidence, the sections quoted, whether every part of a
        several-question message was answered confidently, what the confidence saw, and what
        the grounding guard did (its confidence caps the answer's: the same threshold decides)."""
        max_words = self.answer_max_words
        parts = question_parts(question)
        if len(parts) > 1:
            per_part = max(30, max_words // len(parts))
            vectors = np.asarray(self.embedder.embed(parts), dtype=np.float32)
            lines: list[str] = []
            scored: list[tuple[float, dict[str, Any], GuardedAnswer]] = []
            chunks: list[RetrievedChunk] = []
            for part, part_vec in zip(parts, vectors, strict=True):
                found = self._retrieve(part, part_vec)
                _, guarded, value, measured = self._answer(part, found, part_vec, per_part)
                scored.append((value, measured, guarded))
                lines = join_part_lines(lines, guarded.text.splitlines())
                chunks += [c for c in guarded.chunks if c not in chunks]
            # Every part must be answered confidently, or the whole message goes to staff.
            weakest, measured, guarded = min(scored, key=lambda item: item[0])
            ok = weakest >= self.confidence_threshold
            return "\n".join(lines), weakest, chunks, ok, measured, guarded
        _, guarded, value, measured = self._answer(
            question, retrieved, vector, max_words, now=asked_now(question)
        )
        return guarded.text, value, guarded.chunks, True, measured, guarded

    def _answer(
        self,
        question: str,
        retrieved: list[RetrievedChunk],
        vector: np.ndarray,
        max_words: int,
        now: str | None = None,
    ) -> tuple[Composition, GuardedAnswer, float, dict[str, Any]]:
        """The answering steps for one question, in order (chatbot/answering/): the draft, the
        guarded answer, its confidence, and what the confidence saw. `now`: the words that say
        what is asked (`asked_now`: a follow-up "how do i apply? (how much is a permit)" asks
        for the steps, not the price); the parts of a several-question message pass none."""
        now = now or question
        asked = asked_fact_types(now)
        candidates = candidate_units(retrieved, vector)
        # the units are ranked by the follow-up's own words when they name something ("how do
        # i apply"), by the whole text when they do not ("how much is it")
        ranked = self.ranker.rank(
            now if content_terms(now) else question, asked, candidates, retrieved
        )
        draft = self.composer.compose(question, retrieved, max_words, vector, ranked=ranked)
        guarded = guard_answer(self.guard, draft)
        parts = confidence_parts(question, asked, retrieved, ranked, draft)
        scored: AnswerConfidence = self.answer_confidence.score(parts)
        held = sorted({kind for c in getattr(draft, "quoted", []) for kind in c.facts})
        measured: dict[str, Any] = {
            **scored.parts,
            "fact_asked": asked[0],
            "facts_asked": list(asked),
            "facts_found": held,
        }
        return draft, guarded, min(scored.value, guarded.confidence), measured

    def _finish(
        self,
        state: _Turn,
        clock: _Clock,
        status: str,
        reply: str,
        escalation: Escalation | None = None,
        *,
        route: str | None = None,
    ) -> ChatResult:
        item = None
        if escalation is not None:
            route = escalation.route
            item = review_item(escalation, state, self.council)
        result = ChatResult(
            conversation_id=state.token,
            status=status,
            reply=reply,
            sources=state.sources if status == "answered" else [],
            confidence=state.confidence if status in ("answered", "escalated") else None,
            reference=escalation.reference if escalation else None,
            route=route or status,
            redacted_message=state.redacted,
            standalone_question=state.standalone,
            retrieved=state.retrieved,
            draft_answer=(escalation.draft if escalation else state.draft) or None,
            redacted_types=state.redacted_types,
            signals=state.signals,
            facts=state.facts,
            answer_report=state.answer_report,
            approved_answer_id=state.approved_answer_id if status == "answered" else None,
            urgent_categories=list(state.urgent_categories),
            language=state.language,
            special_category=state.special_category,
        )
        if escalation is not None and escalation.confidence is not None:
            result.confidence = escalation.confidence
        result.message_id = self.store.record(
            Exchange(
                conversation_id=state.conversation_id,
                new_conversation=state.new_conversation,
                question=state.redacted,
                reply=reply,
                status=status,
                route=result.route,
                confidence=result.confidence,
                sources=result.sources,
                reference=result.reference,
                review_item=item,
                approved_answer_id=result.approved_answer_id,
                secret_hash=state.secret_hash,
                special_category=state.special_category,
            )
        )
        clock.lap("store")
        result.timings_ms = clock.total()
        log.info(
            "chat status=%s route=%s confidence=%s ms=%.0f",
            status,
            result.route,
            "-" if result.confidence is None else f"{result.confidence:.2f}",
            result.timings_ms["total"],
        )
        return result


@dataclass
class _Turn:
    """What the pipeline knows about the message so far (all redacted)."""

    conversation_id: str
    new_conversation: bool
    redacted: str
    standalone: str
    redacted_types: list[str]
    context: list[dict[str, Any]]
    retrieved: list[RetrievedChunk] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    draft: str | None = None
    confidence: float | None = None
    signals: dict[str, float] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    answer_report: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    approved_answer_id: int | None = None
    language: str = "en"  # the language the resident wrote in ("cy" or "en")
    token: str = ""  # what the resident's browser holds: "<id>.<secret>"
    secret_hash: str | None = None  # of a new conversation's secret
    special_category: list[str] = field(default_factory=list)
    urgent_categories: list[str] = field(default_factory=list)


def _earlier_turns(messages: list[Any]) -> tuple[list[EarlierTurn], list[dict[str, Any]]]:
    """Earlier questions rewritten in turn (so a follow-up of a follow-up keeps its topic),
    and the redacted context staff see with a review item."""
    turns: list[EarlierTurn] = []
    context: list[dict[str, Any]] = []
    pending: str | None = None
    for m in messages:
        context.append({"role": m.role, "text": m.text})
        if m.role == "resident":
            pending = m.text
        elif pending is not None:
            if m.status not in ("greeting", "out_of_scope", "urgent"):
                turns.append(EarlierTurn(standalone_question(pending, turns), m.status))
            pending = None
    return turns, context


def join_part_lines(lines: list[str], more: list[str]) -> list[str]:
    """One part's answer lines added to the earlier parts': a sentence already said is not
    said again (also when an earlier line holds it within more words), and what is added stays
    under its own heading or lead-in, so no sentence lands under another section's heading."""
    said = "\n".join(lines)
    out = list(lines)
    last_lead: list[str] = []
    for line in reversed(lines):  # the lead lines the earlier answer ends under
        if line.rstrip().endswith(":"):
            last_lead.insert(0, line)
        elif last_lead:
            break
    lead: list[str] = []
    pending_lead = False
    for line in more:
        if line.rstrip().endswith(":"):
            lead = [*lead, line] if pending_lead else [line]
            pending_lead = True
            continue
        pending_lead = False
        core = line.strip().removeprefix("- ").strip()
        if not core or line in out or (len(core.split()) >= 5 and core in said):
            continue  # a short line ("- Tuesday") is only a repeat when the whole line is
        sentences = _sentences(core)
        if all(len(x.split()) >= 5 and x in said for x in sentences):
            continue  # every sentence of it is said already, in other lines
        fuller = [
            k
            for k, earlier in enumerate(out)
            if not earlier.rstrip().endswith(":")
            and len(earlier.split()) >= 5
            and set(_sentences(earlier.strip().removeprefix("- ").strip())) < set(sentences)
        ]
        if fuller:  # the same paragraph with more of its sentences: said where it was
            out[fuller[0]] = line
            said += "\n" + line
            continue
        if lead and lead != last_lead:
            out += lead
            last_lead = lead
        out.append(line)
        said += "\n" + line
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£(])")


def _sentences(text: str) -> list[str]:
    return [x for x in _SENTENCE_END.split(text) if x]


def related_pages(retrieved: list[RetrievedChunk], limit: int = 2) -> list[tuple[str, str]]:
    """(title, address) of the best retrieved pages that have an address and are about the
    question at all (dense similarity as for "not covered"): offered beside a holding reply as
    pages to read while staff answer, never as the answer."""
    seen: set[str] = set()
    pages: list[tuple[str, str]] = []
    for rc in retrieved:
        chunk = rc.chunk
        if chunk.page_id in seen:
            continue
        seen.add(chunk.page_id)
        if chunk.url and (rc.dense_score or 0.0) >= NOT_COVERED_DENSE:
            pages.append((chunk.title, chunk.url))
        if len(pages) >= limit:
            break
    return pages


def _top_dense(retrieved: list[RetrievedChunk]) -> float:
    scores = [rc.dense_score for rc in retrieved[:3] if rc.dense_score is not None]
    return max(scores, default=0.0)
