"""Reads for the kernel's pages: notifications, users, departments and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.i18n import TIMEZONE
from core.models import (
    AuditEvent,
    Department,
    DepartmentKind,
    MailStatus,
    Notification,
    OutboxMessage,
    User,
)


def notifications_of(user: User):
    """The user's notifications, newest first."""
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def users_statement():
    return select(User)


def department_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Department.id, Department.name).order_by(Department.name))
    return [(row.id, row.name) for row in rows]


def departments_statement(query: str = "", kind: str = ""):
    """Departments whose name contains the query, of one kind when given."""
    stmt = select(Department)
    if query:
        stmt = stmt.where(Department.name.contains(query))
    if kind in DepartmentKind.values():
        stmt = stmt.where(Department.kind == kind)
    return stmt


def local_day_start(day: date) -> datetime:
    """The first moment of a day in China Standard Time."""
    return datetime.combine(day, time.min, tzinfo=TIMEZONE)


@dataclass
class AuditFilters:
    """What the audit trail is narrowed to: a user, a record type or record, a date range."""

    user: int | None = None
    type: str = ""
    record: str = ""
    start: date | None = None
    end: date | None = None

    def apply(self, stmt):
        if self.user:
            stmt = stmt.where(AuditEvent.actor_id == self.user)
        if self.type:
            stmt = stmt.where(AuditEvent.record_type == self.type)
        if self.record:
            stmt = stmt.where(AuditEvent.record_id == self.record)
        if self.start:
            stmt = stmt.where(AuditEvent.at >= local_day_start(self.start))
        if self.end:
            stmt = stmt.where(AuditEvent.at < local_day_start(self.end + timedelta(days=1)))
        return stmt


def audit_statement(filters: AuditFilters):
    """Audit events matching the filters, newest first, with their actors."""
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return filters.apply(stmt).options(selectinload(AuditEvent.actor))


def audit_actors() -> list:
    return db.session.execute(select(User.id, User.display_name).order_by(User.username)).all()


def audit_record_types() -> list[str]:
    stmt = select(AuditEvent.record_type).distinct().order_by(AuditEvent.record_type)
    return list(db.session.scalars(stmt))


def outbox_statement(status: str = ""):
    """Outgoing mail, newest first, of one status when given."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in MailStatus.values():
        stmt = stmt.where(OutboxMessage.status == status)
    return stmt
