"""Approved answers: the searchable list and one answer's page (edit, expiry, retire)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from review_ui import answers
from review_ui.auth import SignedIn
from review_ui.queue import QueueActionRefused
from review_ui.routes_queue import parse_expiry
from review_ui.sources import Posted, build_picker, chosen_sources
from review_ui.web import NotFound, StaffWeb, is_htmx


def register(staff: APIRouter, web: StaffWeb) -> None:
    cfg = web.config
    me_dep = Depends(web.require_staff)  # type: ignore[attr-defined]

    @staff.get("/staff/answers")
    def answers_page(
        request: Request, q: str = "", show: str = "active", me: SignedIn = me_dep
    ) -> Response:
        show = show if show in answers.SHOWS else "active"
        rows, checked = answers.search_answers(web.engine, cfg.page_hashes, text=q, show=show)
        return web.render(
            request,
            "staff/answers.html",
            page_title="Approved answers",
            nav="answers",
            rows=rows,
            stale_checked=checked,
            q=q[:200],
            show=show,
            shows=answers.SHOWS,
        )

    def detail_context(answer_id: int, **extra: Any) -> dict[str, Any]:
        answer = answers.get_answer(web.engine, answer_id)
        if answer is None:
            raise NotFound("There is no approved answer with that number.")
        check = answers.stale_checker(cfg.page_hashes)
        stale = check(answer.sources) if check else []
        stale_pages = {s.get("page") for s in stale}
        return {
            "page_title": "Approved answer",
            "nav": "answers",
            "answer": answer,
            "stale": stale,
            "stale_pages": stale_pages,
            "stale_checked": check is not None,
            "answer_text": extra.pop("answer_text", None),
            "expires_text": extra.pop("expires_text", None),
            "picker": extra.pop("picker", None) or build_picker(answer.sources, web.finder),
            **extra,
        }

    @staff.get("/staff/answers/{answer_id}")
    def answer_page(request: Request, answer_id: int, me: SignedIn = me_dep) -> Response:
        return web.render(request, "staff/answer.html", **detail_context(answer_id))

    def after(
        request: Request,
        answer_id: int,
        problem: str | None = None,
        field: str = "answer",
        **typed: Any,
    ) -> Response:
        errors = [{"field": field, "text": problem}] if problem else []
        saved = None if problem else "Saved"
        if not problem and "announce" not in typed:
            typed.update(announce="Changes saved", focus="saved-title")
        context = detail_context(answer_id, errors=errors, saved=saved, **typed)
        code = 422 if problem else 200
        if is_htmx(request):
            return web.render(request, "staff/_answer_detail.html", code, **context)
        if problem:
            return web.render(request, "staff/answer.html", code, **context)
        return RedirectResponse(f"/staff/answers/{answer_id}", status_code=303)

    def current_hashes() -> dict[str, str] | None:
        try:
            return cfg.page_hashes()
        except Exception:  # noqa: BLE001 - "no page" then cannot be recorded
            return None

    @staff.post("/staff/answers/{answer_id}/sources")
    def pick_sources(
        request: Request,
        answer_id: int,
        answer: str = Form(""),
        source: list[str] = Form([]),
        offered: list[str] = Form([]),
        no_page: str = Form(""),
        find: str = Form(""),
        add: str = Form(""),
        action: str = Form(""),
        me: SignedIn = me_dep,
    ) -> Response:
        """Search the pages or add a section to the answer's sources; saves nothing."""
        current = detail_context(answer_id)["answer"]
        picker = build_picker(
            current.sources,
            web.finder,
            Posted.from_form(source, offered, no_page),
            find=find,
            add=add[:400],
            searching=action == "find" or not add,
        )
        context = detail_context(
            answer_id,
            answer_text=answer,
            picker=picker,
            announce=picker.announce,
            focus=picker.focus or "sources-heading",
        )
        if is_htmx(request):
            return web.render(request, "staff/_answer_detail.html", **context)
        return web.render(request, "staff/answer.html", **context)

    @staff.post("/staff/answers/{answer_id}/edit")
    def edit(
        request: Request,
        answer_id: int,
        answer: str = Form(""),
        source: list[str] = Form([]),
        offered: list[str] = Form([]),
        no_page: str = Form(""),
        me: SignedIn = me_dep,
    ) -> Response:
        current = detail_context(answer_id)["answer"]
        posted = Posted.from_form(source, offered, no_page)
        picker = build_picker(current.sources, web.finder, posted)
        typed = {"answer_text": answer, "picker": picker}
        try:
            chosen = chosen_sources(current.sources, web.finder, posted, current_hashes)
        except QueueActionRefused as exc:
            return after(request, answer_id, str(exc), "sources", **typed)
        try:
            answers.edit_answer(web.engine, answer_id, answer, actor=me.email, sources=chosen)
        except QueueActionRefused as exc:
            return after(request, answer_id, str(exc), "answer", **typed)
        return after(request, answer_id)

    @staff.post("/staff/answers/{answer_id}/expiry")
    def expiry(
        request: Request, answer_id: int, expires_on: str = Form(""), me: SignedIn = me_dep
    ) -> Response:
        detail_context(answer_id)
        try:
            answers.set_expiry(web.engine, answer_id, parse_expiry(expires_on), actor=me.email)
        except QueueActionRefused as exc:
            return after(request, answer_id, str(exc), "expires_on", expires_text=expires_on[:20])
        return after(request, answer_id)

    @staff.post("/staff/answers/{answer_id}/retire")
    def retire(request: Request, answer_id: int, me: SignedIn = me_dep) -> Response:
        detail_context(answer_id)
        answers.retire_answer(web.engine, answer_id, actor=me.email)
        return after(
            request, answer_id, announce="Answer retired: it is no longer reused", focus="state"
        )
