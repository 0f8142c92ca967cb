"""Staff sign-in: argon2 password hashes, server-side sessions, CSRF tokens and lock-out.

The browser holds only a random session token; the database keeps its SHA-256, so a copy of
the database cannot be used to sign in. Each session has its own CSRF token, which every form
and htmx request must send back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chatbot.records import utcnow
from review_ui import audit
from review_ui.records import StaffSession, StaffUser

ROLES = ("reviewer", "admin")
EMAIL_SHAPE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,253}\.[^@\s]{2,}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024

_hasher = PasswordHasher()
# Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password (about 96 bits), shown once to whoever creates the account."""
    return secrets.token_urlsafe(12)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same_token(a: str | None, b: str | None) -> bool:
    """Constant-time comparison that is False when either side is missing."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    if not EMAIL_SHAPE.match(normalise_email(email)):
        return "Enter an email address in the correct format, like name@council.gov.uk"
    return None


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"The password must be at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"The password must be at most {MAX_PASSWORD} characters"
    return None


@dataclass
class SignInResult:
    ok: bool
    message: str = ""
    token: str | None = None
    user: StaffUser | None = None


@dataclass
class SignedIn:
    """The staff member behind a request, and their session's CSRF token."""

    user_id: int
    email: str
    role: str
    csrf_token: str
    token_hash: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


WRONG = "Email address or password is not right"


def sign_in(
    engine: Engine,
    email: str,
    password: str,
    *,
    session_hours: int,
    lockout_attempts: int,
    lockout_minutes: int,
    now: datetime | None = None,
) -> SignInResult:
    """Check the password; count failures and lock the account for a while after too many."""
    now = now or utcnow()
    email = normalise_email(email)[:320]
    password = password[:MAX_PASSWORD]
    with Session(engine) as db:
        user = db.exec(select(StaffUser).where(StaffUser.email == email)).first()
        if user is None or not user.active:
            password_matches(_DUMMY_HASH, password)
            audit.record(
                db,
                actor=user.email if user else "unknown",
                action="sign_in_failed",
                detail={"why": "inactive" if user else "unknown email"},
            )
            db.commit()
            return SignInResult(False, WRONG)
        if user.locked_until is not None and user.locked_until > now:
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            audit.record(
                db,
                actor=user.email,
                action="sign_in_failed",
                target_type="staff_user",
                target_id=user.id,
                detail={"why": "locked"},
            )
            db.commit()
            return SignInResult(
                False,
                "Too many wrong attempts: this account is locked. "
                f"Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
            )
        if not password_matches(user.password_hash, password):
            failures = user.failed_logins + 1
            values: dict[str, object] = {"failed_logins": failures}
            locked = failures >= lockout_attempts
            if locked:
                values = {
                    "failed_logins": 0,
                    "locked_until": now + timedelta(minutes=lockout_minutes),
                }
            db.execute(update(StaffUser).where(col(StaffUser.id) == user.id).values(**values))
            audit.record(
                db,
                actor=user.email,
                action="sign_in_failed",
                target_type="staff_user",
                target_id=user.id,
                detail={"why": "password", "locked": locked},
            )
            db.commit()
            if locked:
                return SignInResult(
                    False,
                    "Too many wrong attempts: this account is locked for "
                    f"{lockout_minutes} minutes.",
                )
            return SignInResult(False, WRONG)
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        token = secrets.token_urlsafe(32)
        db.add(
            StaffSession(
                token_hash=token_hash(token),
                user_id=user.id,  # type: ignore[arg-type]
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + timedelta(hours=session_hours),
            )
        )
        db.execute(delete(StaffSession).where(col(StaffSession.expires_at) < now))
        audit.record(
            db, actor=user.email, action="sign_in", target_type="staff_user", target_id=user.id
        )
        db.commit()
        db.refresh(user)
        return SignInResult(True, token=token, user=user)


def signed_in(engine: Engine, token: str | None, now: datetime | None = None) -> SignedIn | None:
    """The active staff member for a session token, or None (unknown, expired, deactivated)."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    hashed = token_hash(token)
    with Session(engine) as db:
        row = db.exec(
            select(StaffSession, StaffUser)
            .join(StaffUser, col(StaffUser.id) == StaffSession.user_id)
            .where(StaffSession.token_hash == hashed)
        ).first()
        if row is None:
            return None
        session, user = row
        if session.expires_at <= now or not user.active or user.role not in ROLES:
            return None
        return SignedIn(
            user_id=user.id,  # type: ignore[arg-type]
            email=user.email,
            role=user.role,
            csrf_token=session.csrf_token,
            token_hash=hashed,
        )


def sign_out(engine: Engine, staff: SignedIn) -> None:
    """End this session (the row goes; the sign-out stays in the audit log)."""
    with Session(engine) as db:
        db.execute(delete(StaffSession).where(col(StaffSession.token_hash) == staff.token_hash))
        audit.record(
            db,
            actor=staff.email,
            action="sign_out",
            target_type="staff_user",
            target_id=staff.user_id,
        )
        db.commit()


def end_sessions_of(db: Session, user_id: int) -> None:
    """Sign a person out everywhere (when deactivated or their role changes)."""
    db.execute(delete(StaffSession).where(col(StaffSession.user_id) == user_id))
