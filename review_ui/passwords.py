"""Changing a password, and the one-time reset link an admin can issue. Every step is audited.

A reset link carries a random token (256 bits); the database keeps only its SHA-256, with an
expiry, and `used_at` is set by one conditional UPDATE (`used_at IS NULL AND expires_at > now`),
so a link works once even if two browsers submit it together. Issuing a new link cancels older
unused ones; using one ends every session of the account and lifts any lock-out.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chatbot.records import utcnow
from review_ui import audit
from review_ui.auth import (
    end_sessions_of,
    hash_password,
    password_matches,
    password_problem,
    token_hash,
)
from review_ui.records import PasswordReset, StaffSession, StaffUser

RESET_LINK_HOURS = 24


class PasswordChangeRefused(ValueError):
    """A plain-English reason, and the form field it is about."""

    def __init__(self, message: str, field: str = "new_password") -> None:
        super().__init__(message)
        self.field = field


def _check_new(new: str, confirm: str, email: str) -> None:
    problem = password_problem(new, email)
    if problem:
        raise PasswordChangeRefused(problem)
    if new != confirm:
        raise PasswordChangeRefused("The passwords do not match", "confirm_password")


def change_password(
    engine: Engine, user_id: int, current: str, new: str, confirm: str, *, keep_session: str
) -> None:
    """Set a new password after checking the current one; other sessions are signed out."""
    with Session(engine) as db:
        user = db.get(StaffUser, user_id)
        if user is None or not user.active:
            raise PasswordChangeRefused("There is no such account", "current_password")
        if not password_matches(user.password_hash, current[:256]):
            raise PasswordChangeRefused("Your current password is not right", "current_password")
        _check_new(new, confirm, user.email)
        if new == current:
            raise PasswordChangeRefused("The new password must be different from the current one")
        user.password_hash = hash_password(new)
        db.add(user)
        db.execute(
            StaffSession.__table__.delete().where(  # type: ignore[attr-defined]
                col(StaffSession.user_id) == user_id, col(StaffSession.token_hash) != keep_session
            )
        )
        audit.record(
            db,
            actor=user.email,
            action="password_change",
            target_type="staff_user",
            target_id=user_id,
        )
        db.commit()


def issue_reset_link(engine: Engine, user_id: int, *, actor: str) -> tuple[str, str]:
    """A new one-time token for this account (returned once, never stored) and its email."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with Session(engine) as db:
        user = db.get(StaffUser, user_id)
        if user is None:
            raise PasswordChangeRefused("There is no such account", "actions")
        db.execute(
            update(PasswordReset)
            .where(col(PasswordReset.user_id) == user_id, col(PasswordReset.used_at).is_(None))
            .values(expires_at=now)
        )
        db.add(
            PasswordReset(
                token_hash=token_hash(token),
                user_id=user_id,
                created_by=actor,
                created_at=now,
                expires_at=now + timedelta(hours=RESET_LINK_HOURS),
            )
        )
        audit.record(
            db,
            actor=actor,
            action="reset_link_issued",
            target_type="staff_user",
            target_id=user_id,
            detail={"expires_in_hours": RESET_LINK_HOURS},
        )
        db.commit()
        return token, user.email


def reset_link_email(engine: Engine, token: str, now: datetime | None = None) -> str | None:
    """The account a live link is for, or None (unknown, used or expired look the same)."""
    if not token or len(token) > 100:
        return None
    now = now or utcnow()
    with Session(engine) as db:
        row = db.exec(
            select(PasswordReset, StaffUser)
            .join(StaffUser, col(StaffUser.id) == PasswordReset.user_id)
            .where(
                PasswordReset.token_hash == token_hash(token),
                col(PasswordReset.used_at).is_(None),
                col(PasswordReset.expires_at) > now,
                col(StaffUser.active).is_(True),
            )
        ).first()
        return None if row is None else row[1].email


def reset_with_link(
    engine: Engine, token: str, new: str, confirm: str, now: datetime | None = None
) -> str:
    """Use the link once: set the password, lift any lock-out, sign the account out everywhere."""
    now = now or utcnow()
    email = reset_link_email(engine, token, now)
    if email is None:
        raise PasswordChangeRefused("This link has expired or has been used", "actions")
    _check_new(new, confirm, email)
    new_hash = hash_password(new)
    with Session(engine) as db:
        used = db.execute(
            update(PasswordReset)
            .where(
                col(PasswordReset.token_hash) == token_hash(token),
                col(PasswordReset.used_at).is_(None),
                col(PasswordReset.expires_at) > now,
            )
            .values(used_at=now)
            .returning(col(PasswordReset.user_id))
        ).first()
        if used is None:  # another browser used it a moment ago
            db.rollback()
            raise PasswordChangeRefused("This link has expired or has been used", "actions")
        user_id = int(used[0])
        db.execute(
            update(StaffUser)
            .where(col(StaffUser.id) == user_id)
            .values(password_hash=new_hash, failed_logins=0, locked_until=None)
        )
        end_sessions_of(db, user_id)
        audit.record(
            db, actor=email, action="password_reset", target_type="staff_user", target_id=user_id
        )
        db.commit()
    return email
