"""Staff accounts: add, change role, deactivate. Every change is audited.

Used by the admin page and by `townhall staff add` (the first admin comes from the terminal).
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from review_ui import audit
from review_ui.auth import (
    ROLES,
    email_problem,
    end_sessions_of,
    hash_password,
    normalise_email,
    password_problem,
)
from review_ui.records import StaffUser


class StaffChangeRefused(ValueError):
    """A plain-English reason the change was not made."""


def list_users(engine: Engine) -> list[StaffUser]:
    with Session(engine) as db:
        return list(db.exec(select(StaffUser).order_by(StaffUser.email)).all())


def add_user(engine: Engine, *, email: str, role: str, password: str, actor: str) -> StaffUser:
    """Create an account; refuses a bad email, an unknown role, a short password or a duplicate."""
    problem = email_problem(email) or password_problem(password, normalise_email(email))
    if role not in ROLES:
        problem = problem or "Choose a role: reviewer or admin"
    if problem:
        raise StaffChangeRefused(problem)
    email = normalise_email(email)
    with Session(engine) as db:
        if db.exec(select(StaffUser).where(StaffUser.email == email)).first() is not None:
            raise StaffChangeRefused(f"There is already an account for {email}")
        user = StaffUser(email=email, role=role, password_hash=hash_password(password))
        db.add(user)
        db.flush()
        audit.record(
            db,
            actor=actor,
            action="user_add",
            target_type="staff_user",
            target_id=user.id,
            after=f"{email} ({role})",
        )
        db.commit()
        db.refresh(user)
        return user


def _active_admins(db: Session) -> int:
    query = (
        select(func.count())
        .select_from(StaffUser)
        .where(StaffUser.role == "admin", col(StaffUser.active).is_(True))
    )
    return int(db.exec(query).one())


def _get(db: Session, user_id: int) -> StaffUser:
    user = db.get(StaffUser, user_id)
    if user is None:
        raise StaffChangeRefused("There is no such account")
    return user


def change_role(engine: Engine, user_id: int, role: str, *, actor: str) -> StaffUser:
    if role not in ROLES:
        raise StaffChangeRefused("Choose a role: reviewer or admin")
    with Session(engine) as db:
        user = _get(db, user_id)
        if user.role == role:
            return user
        if user.role == "admin" and user.active and _active_admins(db) <= 1:
            raise StaffChangeRefused("There must always be at least one active admin")
        before = user.role
        user.role = role
        db.add(user)
        end_sessions_of(db, user_id)
        audit.record(
            db,
            actor=actor,
            action="user_change",
            target_type="staff_user",
            target_id=user_id,
            before=f"{user.email} ({before})",
            after=f"{user.email} ({role})",
            detail={"change": "role"},
        )
        db.commit()
        db.refresh(user)
        return user


def set_active(engine: Engine, user_id: int, active: bool, *, actor: str) -> StaffUser:
    with Session(engine) as db:
        user = _get(db, user_id)
        if user.active == active:
            return user
        if not active and user.role == "admin" and _active_admins(db) <= 1:
            raise StaffChangeRefused("There must always be at least one active admin")
        user.active = active
        user.failed_logins = 0
        user.locked_until = None
        db.add(user)
        if not active:
            end_sessions_of(db, user_id)
        state = "active" if active else "deactivated"
        audit.record(
            db,
            actor=actor,
            action="user_change",
            target_type="staff_user",
            target_id=user_id,
            before=f"{user.email} ({'deactivated' if active else 'active'})",
            after=f"{user.email} ({state})",
            detail={"change": "active"},
        )
        db.commit()
        db.refresh(user)
        return user
