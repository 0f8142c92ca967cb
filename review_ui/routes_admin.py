"""The dashboard (all staff) and the admin pages: evaluation runs, staff accounts, the audit
log (read only: there is no route that changes it) and the thresholds."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlmodel import Session

from review_ui import audit, dashboard, eval_runs, users
from review_ui.auth import ROLES, SignedIn, generate_password
from review_ui.web import NotFound, StaffWeb

AUDIT_PAGE = 50


def register(staff: APIRouter, admin: APIRouter, web: StaffWeb) -> None:
    cfg = web.config
    me_dep = Depends(web.require_staff)  # type: ignore[attr-defined]
    admin_dep = Depends(web.require_admin)  # type: ignore[attr-defined]

    @staff.get("/staff/dashboard")
    def dashboard_page(request: Request, days: int = 14, me: SignedIn = me_dep) -> Response:
        days = days if days in (7, 14, 30, 90) else 14
        return web.render(
            request,
            "staff/dashboard.html",
            page_title="Dashboard",
            nav="dashboard",
            board=dashboard.build_dashboard(web.engine, days=days),
            duration=dashboard.duration_label,
            percent=dashboard.percent,
        )

    @admin.get("/staff/evals")
    def evals_page(request: Request, me: SignedIn = admin_dep) -> Response:
        return web.render(
            request,
            "staff/evals.html",
            page_title="Evaluation runs",
            nav="evals",
            rows=eval_runs.list_runs(web.engine),
        )

    @admin.get("/staff/evals/{run_id}/files/{name}")
    def eval_file(run_id: str, name: str, me: SignedIn = admin_dep) -> Response:
        path = eval_runs.run_file(web.engine, run_id, name)
        if path is None:
            raise NotFound("There is no such report file.")
        media = "text/html" if path.suffix == ".html" else "text/plain"
        headers = {
            "Cache-Control": "no-store",
            # A report is our own output, but treat it as untrusted: no scripts, no forms.
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:; sandbox; frame-ancestors 'none'",
        }
        return FileResponse(path, media_type=f"{media}; charset=utf-8", headers=headers)

    def users_page(
        request: Request,
        status: int = 200,
        errors: list | None = None,
        created: tuple[str, str] | None = None,
        typed_email: str = "",
        typed_role: str = "",
    ) -> Response:
        return web.render(
            request,
            "staff/users.html",
            status,
            page_title="Staff accounts",
            nav="users",
            users=users.list_users(web.engine),
            roles=ROLES,
            errors=errors or [],
            created=created,
            typed_email=typed_email,
            typed_role=typed_role,
        )

    @admin.get("/staff/users")
    def users_list(request: Request, me: SignedIn = admin_dep) -> Response:
        return users_page(request)

    @admin.post("/staff/users")
    def users_add(
        request: Request, email: str = Form(""), role: str = Form(""), me: SignedIn = admin_dep
    ) -> Response:
        password = generate_password()
        try:
            user = users.add_user(
                web.engine, email=email, role=role, password=password, actor=me.email
            )
        except users.StaffChangeRefused as exc:
            field = "role" if "role" in str(exc) else "email"
            return users_page(
                request,
                422,
                [{"field": field, "text": str(exc)}],
                typed_email=email[:320],
                typed_role=role,
            )
        # The password is shown once, here, and stored only as an argon2 hash.
        return users_page(request, created=(user.email, password))

    @admin.post("/staff/users/{user_id}/role")
    def users_role(
        request: Request, user_id: int, role: str = Form(""), me: SignedIn = admin_dep
    ) -> Response:
        try:
            users.change_role(web.engine, user_id, role, actor=me.email)
        except users.StaffChangeRefused as exc:
            return users_page(request, 409, [{"field": f"role-{user_id}", "text": str(exc)}])
        return RedirectResponse("/staff/users", status_code=303)

    @admin.post("/staff/users/{user_id}/active")
    def users_active(
        request: Request, user_id: int, active: str = Form(""), me: SignedIn = admin_dep
    ) -> Response:
        try:
            users.set_active(web.engine, user_id, active == "yes", actor=me.email)
        except users.StaffChangeRefused as exc:
            return users_page(request, 409, [{"field": f"active-{user_id}", "text": str(exc)}])
        return RedirectResponse("/staff/users", status_code=303)

    @admin.get("/staff/audit")
    def audit_page(
        request: Request,
        action: str = "",
        actor: str = "",
        page: int = 1,
        me: SignedIn = admin_dep,
    ) -> Response:
        page = max(1, min(page, 10_000))
        with Session(web.engine) as db:
            events = audit.recent_events(
                db,
                action=action[:40] or None,
                actor=actor[:320] or None,
                limit=AUDIT_PAGE + 1,
                offset=(page - 1) * AUDIT_PAGE,
            )
            actions = audit.actions_seen(db)
        return web.render(
            request,
            "staff/audit.html",
            page_title="Audit log",
            nav="audit",
            events=events[:AUDIT_PAGE],
            more=len(events) > AUDIT_PAGE,
            page=page,
            action=action[:40],
            actor=actor[:320],
            actions=actions,
        )

    @admin.get("/staff/settings")
    def settings_page(request: Request, me: SignedIn = admin_dep) -> Response:
        return web.render(
            request,
            "staff/settings.html",
            page_title="Thresholds and settings",
            nav="settings",
            settings=[
                (
                    "Confidence threshold",
                    cfg.confidence_threshold,
                    "Answers scoring below this go to the review queue instead of the resident.",
                ),
                (
                    "Approved answer match",
                    cfg.approved_match_threshold,
                    "How similar a new question must be to reuse a staff-approved answer.",
                ),
                (
                    "Claim expiry (minutes)",
                    cfg.claim_ttl_minutes,
                    "After this, another reviewer may take over a claimed question.",
                ),
                ("Session length (hours)", cfg.session_hours, "Staff are signed out after this."),
                (
                    "Lock-out",
                    f"{cfg.lockout_attempts} wrong passwords, {cfg.lockout_minutes} minutes",
                    "Protects accounts from password guessing.",
                ),
            ],
        )
