"""Reads for the kernel's pages: notifications, users, departments and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, distinct, func, or_, select

from core.audit import RECORD_ACTIONS
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


#: what the trail can be narrowed to besides records: account events, or changes to records
AUDIT_KINDS = ("signin", "changes")


@dataclass
class AuditFilters:
    """What the audit trail is narrowed to: who acted, which records (a type, one record of
    it with what belongs to it, or a name), what kind of event, and local dates."""

    user: int | None = None
    type: str = ""
    record: str = ""
    name: str = ""
    kind: str = ""
    start: date | None = None
    end: date | None = None

    def _record_condition(self):
        own = and_(AuditEvent.record_type == self.type, AuditEvent.record_id == self.record)
        belonging = and_(AuditEvent.parent_type == self.type, AuditEvent.parent_id == self.record)
        return or_(own, belonging)

    def apply(self, stmt):
        if self.user:
            stmt = stmt.where(AuditEvent.actor_id == self.user)
        if self.type and self.record:
            stmt = stmt.where(self._record_condition())
        elif self.type:
            stmt = stmt.where(AuditEvent.record_type == self.type)
        if self.name:
            stmt = stmt.where(AuditEvent.record_label.contains(self.name, autoescape=True))
        if self.kind == "signin":
            stmt = stmt.where(AuditEvent.action.not_in(RECORD_ACTIONS))
        elif self.kind == "changes":
            stmt = stmt.where(AuditEvent.action.in_(RECORD_ACTIONS))
        if self.start:
            stmt = stmt.where(AuditEvent.at >= local_day_start(self.start))
        if self.end:
            stmt = stmt.where(AuditEvent.at < local_day_start(self.end + timedelta(days=1)))
        return stmt


def audit_change_sets(filters: AuditFilters):
    """The actions (change sets) with an event matching the filters, newest first."""
    last = func.max(AuditEvent.id).label("last_id")
    stmt = select(AuditEvent.change_set, last).group_by(AuditEvent.change_set)
    return filters.apply(stmt).order_by(last.desc())


def audit_change_set_count(filters: AuditFilters):
    """How many actions match the filters."""
    return filters.apply(select(func.count(distinct(AuditEvent.change_set))))


def latest_change_sets(filters: AuditFilters, limit: int) -> list[str]:
    """The latest actions matching the filters."""
    return list(db.session.scalars(audit_change_sets(filters).limit(limit)))


def audit_actors() -> list:
    return db.session.execute(select(User.id, User.display_name).order_by(User.username)).all()


def outbox_statement(status: str = ""):
    """Outgoing mail, newest first, of one status when given."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in MailStatus.values():
        stmt = stmt.where(OutboxMessage.status == status)
    return stmt
