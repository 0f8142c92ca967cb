"""Passwords: staff change their own; an admin issues a one-time reset link; the link's page.

The reset page is public (the person cannot sign in); the token travels in the query string
and the form body, never in the path, so an access log that drops query strings never holds it.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from review_ui import passwords
from review_ui.auth import SignedIn
from review_ui.web import COOKIE_PATH, SIGN_IN_COOKIE, CsrfRefused, StaffWeb


def register(public: APIRouter, staff: APIRouter, admin: APIRouter, web: StaffWeb) -> None:
    me_dep = Depends(web.require_staff)  # type: ignore[attr-defined]
    admin_dep = Depends(web.require_admin)  # type: ignore[attr-defined]

    def change_page(request: Request, status: int = 200, **context: object) -> Response:
        context.setdefault("errors", [])
        return web.render(
            request, "staff/password.html", status, page_title="Change your password", **context
        )

    @staff.get("/staff/account/password")
    def password_form(request: Request, me: SignedIn = me_dep) -> Response:
        return change_page(request)

    @staff.post("/staff/account/password")
    def password_change(
        request: Request,
        current_password: str = Form(""),
        new_password: str = Form(""),
        confirm_password: str = Form(""),
        me: SignedIn = me_dep,
    ) -> Response:
        try:
            passwords.change_password(
                web.engine,
                me.user_id,
                current_password,
                new_password,
                confirm_password,
                keep_session=me.token_hash,
            )
        except passwords.PasswordChangeRefused as exc:
            return change_page(request, 422, errors=[{"field": exc.field, "text": str(exc)}])
        return change_page(request, changed=True)

    @admin.post("/staff/users/{user_id}/reset-link")
    def reset_link(request: Request, user_id: int, me: SignedIn = admin_dep) -> Response:
        try:
            token, email = passwords.issue_reset_link(web.engine, user_id, actor=me.email)
        except passwords.PasswordChangeRefused as exc:
            return web.render(
                request, "staff/problem.html", 404, page_title="Not found", message=str(exc)
            )
        link = str(request.base_url).rstrip("/") + f"/staff/reset?token={token}"
        return web.render(
            request,
            "staff/reset_link.html",
            page_title="Password reset link",
            nav="users",
            email=email,
            link=link,
            hours=passwords.RESET_LINK_HOURS,
        )

    def reset_page(request: Request, token: str, status: int = 200, **context: object) -> Response:
        context.setdefault("errors", [])
        email = context.pop("email", None) or passwords.reset_link_email(web.engine, token)
        # The same pre-session form token as sign-in: the link's token is the key, and the
        # form still cannot be posted from another site.
        kept = request.cookies.get(SIGN_IN_COOKIE, "")
        pre_session = kept if 20 <= len(kept) <= 100 else web.sign_in_guard.new_pre_session()
        response = web.render(
            request,
            "staff/reset.html",
            status if email or context.get("done") else 404,
            page_title="Choose a new password",
            token=token if email else "",
            email=email,
            form_token=web.sign_in_guard.form_token(pre_session),
            staff=None,
            **context,
        )
        response.set_cookie(
            SIGN_IN_COOKIE,
            pre_session,
            max_age=3600,
            path=COOKIE_PATH,
            httponly=True,
            samesite="strict",
            secure=web.config.cookie_secure,
        )
        return response

    @public.get("/staff/reset")
    def reset_form(request: Request, token: str = "") -> Response:
        return reset_page(request, token[:100])

    @public.post("/staff/reset")
    def reset_submit(
        request: Request,
        token: str = Form(""),
        new_password: str = Form(""),
        confirm_password: str = Form(""),
        csrf_token: str = Form(""),
    ) -> Response:
        if not web.sign_in_guard.token_matches(request.cookies.get(SIGN_IN_COOKIE), csrf_token):
            raise CsrfRefused()
        try:
            email = passwords.reset_with_link(
                web.engine, token[:100], new_password, confirm_password
            )
        except passwords.PasswordChangeRefused as exc:
            errors = [{"field": exc.field, "text": str(exc)}]
            return reset_page(request, token[:100], 422, errors=errors)
        return reset_page(request, "", done=True, email=email)
