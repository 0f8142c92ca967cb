"""Sign in and sign out.

The sign-in form has no session yet, so its CSRF token is a double-submit pair: a random value
in a short-lived cookie and the same value in the form.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

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
    ) -> Response:
        token = secrets.token_urlsafe(32)
        response = web.render(
            request,
            "staff/sign_in.html",
            status,
            page_title="Sign in",
            sign_in_token=token,
            next_page=safe_next(next_page),
            email=email,
            errors=errors or [],
            staff=None,
        )
        response.set_cookie(
            SIGN_IN_COOKIE,
            token,
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
        if not auth.same_token(csrf_token, request.cookies.get(SIGN_IN_COOKIE)):
            raise CsrfRefused()
        errors = []
        if not email.strip():
            errors.append({"field": "email", "text": "Enter your email address"})
        if not password:
            errors.append({"field": "password", "text": "Enter your password"})
        if errors:
            return sign_in_page(request, next, email[:320], errors, 422)
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
            return sign_in_page(request, next, email[:320], errors, 401)
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
