"""The queue page, the item page, and claim / release / approve / reject.

Each action works as a plain form post (then redirects back to the item) and as an htmx
request (then returns the item's action panel, updated in place).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from chatbot.records import ReviewItem
from review_ui import queue
from review_ui.auth import SignedIn
from review_ui.groups import GroupDecision, group_rows, similar_open
from review_ui.labels import ROUTE_LABELS
from review_ui.queue import AGES, ROUTES, STATUSES, QueueActionRefused, QueueFilter
from review_ui.sources import Posted, build_picker, chosen_sources
from review_ui.web import NotFound, SpecialCategoryRefused, StaffWeb, is_htmx

AGE_LABELS = {"1h": "Older than 1 hour", "24h": "Older than 1 day", "72h": "Older than 3 days"}


def parse_expiry(value: str) -> datetime | None:
    """A YYYY-MM-DD date from a date input (end of that day, UTC); empty means no expiry."""
    value = value.strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise QueueActionRefused("Enter the expiry date as a real date, like 2027-03-31") from exc
    if day <= datetime.now(UTC).date():
        raise QueueActionRefused("The expiry date must be in the future")
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def register(staff: APIRouter, web: StaffWeb) -> None:
    cfg = web.config
    me_dep = Depends(web.require_staff)  # type: ignore[attr-defined]

    @staff.get("/staff/")
    def queue_page(
        request: Request,
        status: str = "open",
        route: str = "",
        service_area: str = "",
        older_than: str = "",
        me: SignedIn = me_dep,
    ) -> Response:
        flt = QueueFilter.from_query(status, route, service_area, older_than)
        page = queue.list_queue(web.engine, flt)
        try:
            rows = group_rows(page.items, web.vectors)
        except Exception:  # noqa: BLE001 - the queue still shows, ungrouped
            rows = group_rows(page.items, None)
        context: dict[str, Any] = {
            "rows": rows,
            "page_title": "Review queue",
            "nav": "queue",
            "flt": flt,
            "page": page,
            "statuses": STATUSES,
            "routes": ROUTES,
            "route_labels": ROUTE_LABELS,
            "ages": AGES,
            "age_labels": AGE_LABELS,
            "ttl_minutes": cfg.claim_ttl_minutes,
            "lapsed": lambda item: queue.claim_lapsed(item, cfg.claim_ttl_minutes),
            "may_open": lambda item: may_open(item, me),
        }
        if is_htmx(request) and request.headers.get("hx-target") == "queue-results":
            n = len(page.items)
            context["announce"] = f"{n} question{'' if n == 1 else 's'} shown"
            return web.render(request, "staff/_queue_results.html", **context)
        return web.render(request, "staff/queue.html", **context)

    def current_hashes() -> dict[str, str] | None:
        try:
            return cfg.page_hashes()
        except Exception:  # noqa: BLE001 - approve anyway; the answer may show as stale later
            return None

    def item_context(item: ReviewItem, me: SignedIn, **extra: Any) -> dict[str, Any]:
        lapsed = queue.claim_lapsed(item, cfg.claim_ttl_minutes)
        mine = item.status == "claimed" and item.claimed_by == me.email
        return {
            "page_title": f"Question {item.reference}",
            "nav": "queue",
            "item": item,
            "mine": mine,
            "claimable": item.status == "new" or (item.status == "claimed" and lapsed and not mine),
            "lapsed": lapsed,
            "route_labels": ROUTE_LABELS,
            "ttl_minutes": cfg.claim_ttl_minutes,
            "answer_text": extra.pop("answer_text", None),
            "reason_text": extra.pop("reason_text", ""),
            "reply_text": extra.pop("reply_text", ""),
            "expires_text": extra.pop("expires_text", ""),
            "picker": extra.pop("picker", None) or build_picker(item.sources, web.finder),
            "similar": similar_to(item, me) if mine else [],
            "also_checked": extra.pop("also_checked", None),
            **extra,
        }

    def similar_to(item: ReviewItem, me: SignedIn) -> list[ReviewItem]:
        try:
            return similar_open(
                web.engine, item, web.vectors, reviewer=me.email, ttl_minutes=cfg.claim_ttl_minutes
            )
        except Exception:  # noqa: BLE001 - the item still shows, without its group
            return []

    def group_for(item: ReviewItem, me: SignedIn, also: list[int]) -> GroupDecision | None:
        """The ticked near-identical questions, checked again on the server."""
        if not also:
            return None
        allowed = {o.id for o in similar_to(item, me)}
        members = [i for i in dict.fromkeys(also) if i in allowed]
        return GroupDecision(members, cfg.claim_ttl_minutes) if members else None

    def may_open(item: ReviewItem, me: SignedIn) -> bool:
        """Items with special-category data open only for the roles the council allows."""
        return not item.special_category or me.role in cfg.special_category_roles

    def load(item_id: int, me: SignedIn) -> ReviewItem:
        item = queue.get_item(web.engine, item_id)
        if item is None:
            raise NotFound("There is no question with that number.")
        if not may_open(item, me):
            raise SpecialCategoryRefused()
        return item

    @staff.get("/staff/items/{item_id}")
    def item_page(request: Request, item_id: int, me: SignedIn = me_dep) -> Response:
        return web.render(request, "staff/item.html", **item_context(load(item_id, me), me))

    def after(
        request: Request,
        item_id: int,
        me: SignedIn,
        problem: str | None = None,
        field: str = "actions",
        status: int = 409,
        **typed: Any,
    ) -> Response:
        item = load(item_id, me)
        errors = [{"field": field, "text": problem}] if problem else []
        group = typed.pop("group", None)
        if not problem and "announce" not in typed:
            focus = "actions-result" if item.status in queue.DECIDED else "actions"
            typed.update(announce=outcome(item, me, group), focus=focus)
            typed["group_decided"] = group.decided if group else []
        context = item_context(item, me, errors=errors, **typed)
        code = status if problem else 200
        if is_htmx(request):
            return web.render(request, "staff/_item_actions.html", code, **context)
        if problem:
            return web.render(request, "staff/item.html", code, **context)
        return RedirectResponse(f"/staff/items/{item_id}", status_code=303)

    def outcome(item: ReviewItem, me: SignedIn, group: GroupDecision | None = None) -> str:
        """What just happened, in words for the live region."""
        if item.status in queue.DECIDED:  # focus is on the heading that says which decision
            said = f"Decision saved. The resident with reference {item.reference} can now see it."
            if group is not None and group.member_ids:
                n, asked = len(group.decided), len(group.member_ids)
                said += f" {n} near-identical question{'' if n == 1 else 's'} decided the same way."
                if n < asked:
                    said += f" {asked - n} had been taken by someone else and were left alone."
            return said
        if item.status == "claimed" and item.claimed_by == me.email:
            return "You claimed this question. Write or check the answer, then approve or reject."
        if item.status == "claimed":
            return f"{item.claimed_by} is working on this question."
        return "Released. The question is back in the queue."

    def posted_sources(source: list[str], offered: list[str], no_page: str) -> Posted:
        return Posted.from_form(source, offered, no_page)

    @staff.post("/staff/items/{item_id}/sources")
    def pick_sources(
        request: Request,
        item_id: int,
        answer: str = Form(""),
        expires_on: str = Form(""),
        source: list[str] = Form([]),
        offered: list[str] = Form([]),
        no_page: str = Form(""),
        find: str = Form(""),
        add: str = Form(""),
        action: str = Form(""),
        also: list[int] = Form([]),
        me: SignedIn = me_dep,
    ) -> Response:
        """Search the pages or add a section to the answer's sources; saves nothing."""
        item = load(item_id, me)
        picker = build_picker(
            item.sources,
            web.finder,
            posted_sources(source, offered, no_page),
            find=find,
            add=add[:400],
            searching=action == "find" or not add,
        )
        typed = {
            "answer_text": answer,
            "expires_text": expires_on[:20],
            "picker": picker,
            "also_checked": set(also),
        }
        context = item_context(
            item, me, announce=picker.announce, focus=picker.focus or "sources-heading", **typed
        )
        if is_htmx(request):
            return web.render(request, "staff/_item_actions.html", **context)
        return web.render(request, "staff/item.html", **context)

    @staff.post("/staff/items/{item_id}/claim")
    def claim(request: Request, item_id: int, me: SignedIn = me_dep) -> Response:
        load(item_id, me)
        won = queue.claim(web.engine, item_id, me.email, ttl_minutes=cfg.claim_ttl_minutes)
        return after(
            request, item_id, me, None if won else "Someone else has claimed this question"
        )

    @staff.post("/staff/items/{item_id}/release")
    def release(request: Request, item_id: int, me: SignedIn = me_dep) -> Response:
        load(item_id, me)
        done = queue.release(web.engine, item_id, me.email)
        return after(request, item_id, me, None if done else "You are not holding this question")

    @staff.post("/staff/items/{item_id}/approve")
    def approve(
        request: Request,
        item_id: int,
        answer: str = Form(""),
        expires_on: str = Form(""),
        source: list[str] = Form([]),
        offered: list[str] = Form([]),
        no_page: str = Form(""),
        also: list[int] = Form([]),
        me: SignedIn = me_dep,
    ) -> Response:
        item = load(item_id, me)
        posted = posted_sources(source, offered, no_page)
        picker = build_picker(item.sources, web.finder, posted)
        typed = {
            "answer_text": answer,
            "expires_text": expires_on[:20],
            "picker": picker,
            "also_checked": set(also) if posted.shown else None,
        }
        try:
            expires = parse_expiry(expires_on)
        except QueueActionRefused as exc:
            return after(request, item_id, me, str(exc), "expires_on", 422, **typed)
        try:
            chosen = chosen_sources(item.sources, web.finder, posted, current_hashes)
        except QueueActionRefused as exc:
            return after(request, item_id, me, str(exc), "sources", 422, **typed)
        try:
            queue.approve(
                web.engine,
                item_id,
                me.email,
                answer,
                embedder=cfg.embedder,
                expires_at=expires,
                current_hashes=current_hashes() if item.route == "stale_answer" else None,
                sources=chosen,
                group=(group := group_for(item, me, also)),
            )
        except QueueActionRefused as exc:
            if queue.same_decision_done(web.engine, item_id, me.email, "approve", answer):
                return after(request, item_id, me)  # a browser retry: already done, once
            field, code = ("answer", 422) if "answer" in str(exc).lower() else ("actions", 409)
            return after(request, item_id, me, str(exc), field, code, **typed)
        return after(request, item_id, me, group=group)

    @staff.post("/staff/items/{item_id}/reject")
    def reject(
        request: Request,
        item_id: int,
        reason: str = Form(""),
        reply: str = Form(""),
        also: list[int] = Form([]),
        me: SignedIn = me_dep,
    ) -> Response:
        item = load(item_id, me)
        typed = {"reason_text": reason, "reply_text": reply, "also_checked": set(also)}
        try:
            group = group_for(item, me, also)
            queue.reject(web.engine, item_id, me.email, reason, reply, group=group)
        except QueueActionRefused as exc:
            if queue.same_decision_done(web.engine, item_id, me.email, "reject", reply):
                return after(request, item_id, me)  # a browser retry: already done, once
            text = str(exc)
            field = "reason" if "reason" in text else "reply" if "reply" in text else "actions"
            return after(
                request, item_id, me, text, field, 409 if field == "actions" else 422, **typed
            )
        return after(request, item_id, me, group=group)
