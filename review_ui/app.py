"""The staff review app: `create_staff_router(...)` gives every `/staff` route, ready to mount.

Three groups of routes, each with its guard applied to the whole group so no route can forget
it: public (sign in), staff (any signed-in reviewer or admin) and admin. Every non-GET request
in the staff and admin groups must carry the session's CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.engine import Engine

from review_ui import (
    routes_account,
    routes_admin,
    routes_answers,
    routes_auth,
    routes_gaps,
    routes_queue,
)
from review_ui.auth import SignedIn
from review_ui.web import NotAllowed, StaffConfig, StaffWeb


def create_staff_router(
    *,
    engine: Engine | Callable[[], Engine],
    embedder: Any,
    page_hashes: Callable[[], dict[str, str]],
    session_hours: int = 8,
    claim_ttl_minutes: int = 30,
    lockout_attempts: int = 5,
    lockout_minutes: int = 15,
    cookie_secure: bool = False,
    confidence_threshold: float | None = None,
    approved_match_threshold: float | None = None,
    council: Any = None,
    templates_dir: Path | None = None,
    special_category_roles: tuple[str, ...] = ("reviewer", "admin"),
    knowledge: Any = None,
    **guard: Any,
) -> APIRouter:
    """All staff pages. `engine` may be a callable so mounting loads nothing; `embedder` is
    used only when an answer is approved; `page_hashes` gives the knowledge base's current
    page hashes, for the stale flag; `knowledge` (optional, may be a callable) lets reviewers
    search page sections to add as sources. `guard` takes the sign-in guard's settings
    (`secret_key`, `sign_in_rate_per_minute`, `sign_in_account_rate_per_hour`, `redis_url`)."""
    web = StaffWeb(
        StaffConfig(
            engine=engine,
            embedder=embedder,
            page_hashes=page_hashes,
            session_hours=session_hours,
            claim_ttl_minutes=claim_ttl_minutes,
            lockout_attempts=lockout_attempts,
            lockout_minutes=lockout_minutes,
            cookie_secure=cookie_secure,
            special_category_roles=tuple(special_category_roles),
            confidence_threshold=confidence_threshold,
            approved_match_threshold=approved_match_threshold,
            council=council,
            templates_dir=templates_dir,
            knowledge=knowledge,
            **guard,
        )
    )

    async def require_staff(
        request: Request, staff: SignedIn = Depends(web.current_staff)
    ) -> SignedIn:
        await web.check_csrf(request, staff.csrf_token)
        return staff

    async def require_admin(staff: SignedIn = Depends(require_staff)) -> SignedIn:
        if not staff.is_admin:
            raise NotAllowed()
        return staff

    web.require_staff = require_staff  # type: ignore[attr-defined]
    web.require_admin = require_admin  # type: ignore[attr-defined]

    route_class = web.route_class()
    public = APIRouter(route_class=route_class, include_in_schema=False)
    staff = APIRouter(
        route_class=route_class, include_in_schema=False, dependencies=[Depends(require_staff)]
    )
    admin = APIRouter(
        route_class=route_class, include_in_schema=False, dependencies=[Depends(require_admin)]
    )
    routes_auth.register(public, staff, web)
    routes_queue.register(staff, web)
    routes_answers.register(staff, web)
    routes_gaps.register(staff, web)
    routes_admin.register(staff, admin, web)
    routes_account.register(public, staff, admin, web)

    router = APIRouter(route_class=route_class, include_in_schema=False)
    for group in (public, staff, admin):
        router.include_router(group)
    return router
