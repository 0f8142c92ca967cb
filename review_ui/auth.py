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
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, case, delete, null, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chatbot.records import utcnow
from review_ui import audit
from review_ui.password_policy import MAX_PASSWORD, MIN_PASSWORD  # noqa: F401 - re-exported
from review_ui.password_policy import password_problem as policy_problem
from review_ui.records import StaffSession, StaffUser

ROLES = ("reviewer", "admin")
EMAIL_SHAPE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,253}\.[^@\s]{2,}$")
# argon2 needs 64 MiB per hash: at most this many at once, however many requests arrive.
_ARGON2_SLOTS = threading.BoundedSemaphore(2)

_hasher = PasswordHasher()
# Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    with _ARGON2_SLOTS:
        return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        with _ARGON2_SLOTS:
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


def password_problem(password: str, email: str | None = None) -> str | None:
    """Length, not blank, not common (`review_ui/password_policy.py`)."""
    return policy_problem(password, email)


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


def sign_in_refused_message(lockout_attempts: int, lockout_minutes: int) -> str:
    """One message for a wrong password, an unknown email and a locked account alike, so the
    page never tells a stranger which accounts exist or which are locked."""
    return (
        "Email address or password is not right. After "
        f"{lockout_attempts} wrong attempts an account is locked for {lockout_minutes} minutes."
    )


def _usable_email(email: str) -> bool:
    return 0 < len(email) <= 320 and not any(ch < " " or ch == "\x7f" for ch in email)


def _reserve_attempt(
    db: Session, email: str, now: datetime, attempts: int, minutes: int
) -> tuple[int, str, int] | None:
    """Count this attempt before the password is checked, in one conditional UPDATE.

    The row is only touched when the account is active and not locked; the attempt that reaches
    the limit sets the lock in the same statement. So however many sign-ins arrive at once, at
    most `attempts` passwords are ever checked per lock-out period (the probe got 70 through a
    read-check-write version). Returns (id, password hash, attempts so far) or None.
    """
    expired = and_(col(StaffUser.locked_until).is_not(None), col(StaffUser.locked_until) <= now)
    count = case((expired, 1), else_=col(StaffUser.failed_logins) + 1)
    statement = (
        update(StaffUser)
        .where(
            col(StaffUser.email) == email,
            col(StaffUser.active).is_(True),
            or_(col(StaffUser.locked_until).is_(None), col(StaffUser.locked_until) <= now),
        )
        .values(
            failed_logins=count,
            locked_until=case(
                (count >= attempts, now + timedelta(minutes=minutes)),
                (expired, null()),
                else_=col(StaffUser.locked_until),
            ),
        )
        .returning(col(StaffUser.id), col(StaffUser.password_hash), col(StaffUser.failed_logins))
        .execution_options(synchronize_session=False)
    )
    row = db.execute(statement).first()
    return None if row is None else (int(row[0]), str(row[1]), int(row[2]))


def _why_refused(db: Session, email: str) -> tuple[str, int | None]:
    """For the audit log only (never shown): unknown, inactive or locked."""
    user = db.exec(select(StaffUser).where(StaffUser.email == email)).first()
    if user is None:
        return "unknown email", None
    return ("inactive" if not user.active else "locked"), user.id


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
    """Check the password; count attempts atomically and lock the account after too many.

    Every refusal gives the same message after the same work (one argon2 verification, against
    a dummy hash when there is no password to check); a password over the cap is refused
    before any hashing, whatever the account.
    """
    now = now or utcnow()
    refused = SignInResult(False, sign_in_refused_message(lockout_attempts, lockout_minutes))
    email = normalise_email(email)
    if not _usable_email(email) or not 0 < len(password) <= MAX_PASSWORD:
        password_matches(_DUMMY_HASH, password[:MAX_PASSWORD])
        return refused
    with Session(engine) as db:
        reserved = _reserve_attempt(db, email, now, lockout_attempts, lockout_minutes)
        db.commit()
    if reserved is None:
        password_matches(_DUMMY_HASH, password)
        with Session(engine) as db:
            why, user_id = _why_refused(db, email)
            audit.record(
                db,
                actor=email if user_id is not None else "unknown",
                action="sign_in_failed",
                target_type="staff_user" if user_id is not None else None,
                target_id=user_id,
                detail={"why": why},
            )
            db.commit()
        return refused
    user_id, password_hash, attempt = reserved
    if not password_matches(password_hash, password):
        with Session(engine) as db:
            audit.record(
                db,
                actor=email,
                action="sign_in_failed",
                target_type="staff_user",
                target_id=user_id,
                detail={"why": "password", "locked": attempt >= lockout_attempts},
            )
            db.commit()
        return refused
    with Session(engine) as db:
        user = db.get(StaffUser, user_id)
        if user is None or not user.active:
            return refused
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        token = secrets.token_urlsafe(32)
        db.add(
            StaffSession(
                token_hash=token_hash(token),
                user_id=user_id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + timedelta(hours=session_hours),
            )
        )
        db.execute(delete(StaffSession).where(col(StaffSession.expires_at) < now))
        audit.record(
            db, actor=user.email, action="sign_in", target_type="staff_user", target_id=user_id
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
