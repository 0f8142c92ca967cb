"""Sign in and sign out.

The sign-in form has no session yet, so its CSRF token is bound to a pre-session cookie: a
random value in a short-lived cookie, and in the form an HMAC of it under the server's key
(`review_ui/sign_in_guard.py`). Each attempt is counted per client and per account first.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from chatbot.client_identity import client_id
from review_ui import auth
from review_ui.web import (
    COOKIE_PATH,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    CsrfRefused,
    StaffWeb,
    safe_next,
)


def register(public: APIRouter, staff: APIRouter, web: StaffWeb) -> None:
    cfg = web.config

    def sign_in_page(
        request: Request,
        next_page: str,
        email: str = "",
        errors: list | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> Response:
        guard = web.sign_in_guard
        pre_session = guard.new_pre_session()
        response = web.render(
            request,
            "staff/sign_in.html",
            status,
            headers,
            page_title="Sign in",
            sign_in_token=guard.form_token(pre_session),
            next_page=safe_next(next_page),
            email="".join(ch for ch in email[:320] if ch >= " "),
            errors=errors or [],
            staff=None,
        )
        response.set_cookie(
            SIGN_IN_COOKIE,
            pre_session,
            max_age=3600,
            path=COOKIE_PATH,
            httponly=True,
            samesite="strict",
            secure=cfg.cookie_secure,
        )
        return response

    @public.get("/staff/sign-in")
    def sign_in_form(request: Request, next: str = "/staff/") -> Response:  # noqa: A002
        if auth.signed_in(web.engine, request.cookies.get(SESSION_COOKIE)):
            return RedirectResponse(safe_next(next), status_code=303)
        return sign_in_page(request, next)

    @public.post("/staff/sign-in")
    def sign_in(
        request: Request,
        email: str = Form(""),
        password: str = Form(""),
        csrf_token: str = Form(""),
        next: str = Form("/staff/"),  # noqa: A002
    ) -> Response:
        if not web.sign_in_guard.token_matches(request.cookies.get(SIGN_IN_COOKIE), csrf_token):
            raise CsrfRefused()
        errors = []
        if not email.strip():
            errors.append({"field": "email", "text": "Enter your email address"})
        if not password:
            errors.append({"field": "password", "text": "Enter your password"})
        if errors:
            return sign_in_page(request, next, email, errors, 422)
        decision = web.sign_in_guard.admit(client_id(request), email)
        if not decision.allowed:
            wait = decision.retry_after_seconds
            text = f"Too many sign-in attempts. Wait {wait} seconds and try again."
            errors = [{"field": "email", "text": text}]
            return sign_in_page(request, next, email, errors, 429, {"Retry-After": str(wait)})
        result = auth.sign_in(
            web.engine,
            email,
            password,
            session_hours=cfg.session_hours,
            lockout_attempts=cfg.lockout_attempts,
            lockout_minutes=cfg.lockout_minutes,
        )
        if not result.ok or result.token is None:
            errors = [{"field": "email", "text": result.message}]
            return sign_in_page(request, next, email, errors, 401)
        response = RedirectResponse(safe_next(next), status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            result.token,
            max_age=cfg.session_hours * 3600,
            path=COOKIE_PATH,
            httponly=True,
            samesite="lax",
            secure=cfg.cookie_secure,
        )
        response.delete_cookie(SIGN_IN_COOKIE, path=COOKIE_PATH)
        return response

    @staff.post("/staff/sign-out")
    def sign_out(signed: auth.SignedIn = Depends(web.current_staff)) -> Response:
        auth.sign_out(web.engine, signed)
        response = RedirectResponse("/staff/sign-in", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
        return response
