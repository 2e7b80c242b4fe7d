"""Models every domain shares: users, departments, audit, jobs, notifications, settings."""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import has_app_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from core.extensions import db
from core.sealing import Sealed, digest


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC timestamp")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EnumText(TypeDecorator):
    """An enum stored as its text value and loaded back as the enum member.

    Unknown text in the database is an error, never silently passed through as a string.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[enum.Enum], length: int = 20):
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)


#: translated labels by (language, enum class, value): translations never change while running.
#: The class is part of the key: members of different enums with the same text are equal.
_LABEL_CACHE: dict[tuple[object, type, str], str] = {}


class LabelledEnum(enum.StrEnum):
    """A string enum whose members carry a translated label for the screen."""

    @property
    def label(self) -> str:
        if not has_app_context():
            return str(self.labels()[self])
        key = (get_locale(), type(self), self.value)
        cached = _LABEL_CACHE.get(key)
        if cached is None:
            cached = _LABEL_CACHE[key] = str(self.labels()[self])
        return cached

    @classmethod
    def labels(cls) -> dict:
        raise NotImplementedError

    @classmethod
    def values(cls) -> set[str]:
        return {member.value for member in cls}

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        """(value, lazy label) pairs, for form fields defined before any request."""
        return [(member.value, cls.labels()[member]) for member in cls]

    @classmethod
    def labelled(cls) -> list[tuple[str, str]]:
        """(value, label) pairs in the current language, for pages."""
        return [(member.value, member.label) for member in cls]


class Role(LabelledEnum):
    """What a user may do; see the access rules on each view."""

    ADMIN = "admin"
    OFFICE = "office"
    ADVISER = "adviser"
    LIAISON = "liaison"
    VIEWER = "viewer"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.ADMIN: _l("Administrator"),
            cls.OFFICE: _l("Office staff"),
            cls.ADVISER: _l("Adviser"),
            cls.LIAISON: _l("Department liaison"),
            cls.VIEWER: _l("Leadership viewer"),
        }


class Audited:
    """Marker: every insert, update and delete of this model writes an AuditEvent."""

    __audited__ = True
    #: column names whose values never go into the audit trail
    __audit_secret__: tuple[str, ...] = ()
    #: column names left out of the audit trail (bookkeeping, not decisions)
    __audit_ignore__: tuple[str, ...] = ()


def new_calendar_token() -> str:
    """A random secret for a calendar feed's address (192 bits)."""
    return secrets.token_urlsafe(24)


class User(Audited, UserMixin, db.Model):
    """A person who logs in."""

    __audit_secret__ = ("password_hash", "calendar_token", "totp_secret")
    #: calendar_digest follows calendar_token, whose change the trail tells already
    __audit_ignore__ = (
        "last_login_at",
        "totp_last_step",
        "totp_failures",
        "totp_failed_at",
        "calendar_digest",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    #: preferred interface language; None follows the browser
    locale: Mapped[str | None] = mapped_column(String(16))
    #: secret in the user's calendar feed URL, stored sealed (core.sealing); None when the
    #: secret key it was sealed with is gone. Set it, never its digest: see _set_calendar_digest
    calendar_token: Mapped[str | None] = mapped_column(Sealed(), nullable=False)
    #: SHA-256 of calendar_token, by which the feed finds its user (a seal cannot be compared)
    calendar_digest: Mapped[str] = mapped_column(String(64), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the authenticator app's shared secret (base32), kept once the user turned it on; stored
    #: sealed (core.sealing), None also when the secret key it was sealed with is gone
    totp_secret: Mapped[str | None] = mapped_column(Sealed())
    #: when the second factor was turned on; None: the password alone signs in
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the last time step whose code was accepted: a code is good once, never again
    totp_last_step: Mapped[int | None] = mapped_column()
    #: wrong second-factor answers in a row, and when the last one came (see core.twofactor)
    totp_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    totp_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: checked on every save; raised only by what an administrator edits (update_user), so a
    #: login or a password change does not make an open user form stale
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    #: the login session this request runs in, set by core.auth.load_user (not a column)
    current_session = None

    department: Mapped[Department | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def __init__(self, **fields):
        fields.setdefault("calendar_token", new_calendar_token())
        super().__init__(**fields)

    @validates("calendar_token")
    def _set_calendar_digest(self, _key, token: str) -> str:
        self.calendar_digest = digest(token)
        return token

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the user holds; a small office's clerk may be office staff and admin."""
        return frozenset(row.role for row in self.role_rows)

    @roles.setter
    def roles(self, wanted) -> None:
        wanted = {Role(role) for role in wanted}
        self.role_rows = [row for row in self.role_rows if row.role in wanted] + [
            UserRole(role=role) for role in Role if role in wanted and role not in self.roles
        ]

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    def has_role(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def role_label(self) -> str:
        return "、".join(str(role.label) for role in Role if role in self.roles)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserRole(Audited, db.Model):
    """One role a user holds."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(EnumText(Role, 20), primary_key=True, index=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator app; only its SHA-256 is kept.

    The codes are random (50 bits each), so a fast hash is enough; a used code keeps its row
    with the time it was used, and a new set replaces the old one whole.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)


class LoginOutcome(enum.StrEnum):
    """How a password try ended; a try counts as failed until it is known to have succeeded."""

    FAILED = "failed"
    SUCCEEDED = "succeeded"


class LoginAttempt(db.Model):
    """A password try (the login form, or the current password when changing it).

    Kept in the database so throttling holds across worker processes, and kept for
    LOGIN_RECORDS_RETENTION_DAYS whatever came after, so failed tries stay on record.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[LoginOutcome] = mapped_column(
        EnumText(LoginOutcome, 20), default=LoginOutcome.FAILED, server_default="failed"
    )

    __table_args__ = (
        Index("ix_login_attempt_key", "username", "ip", "attempted_at"),
        Index("ix_login_attempt_address", "ip", "attempted_at"),
    )


class SessionEnd(enum.StrEnum):
    """Why a login session was ended before it ran out."""

    LOGOUT = "logout"
    ENDED_BY_USER = "ended_by_user"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    ROLES_CHANGED = "roles_changed"
    DEACTIVATED = "deactivated"
    SECOND_FACTOR_RESET = "second_factor_reset"


class UserSession(db.Model):
    """A login session kept on the server; the browser's cookie holds only its random key.

    Ending a session takes effect at the browser's next request. A session that has been idle
    too long or began too long ago is refused as it stands, without a write (core.sessions).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the cookie's key: a copy of this table opens no session
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: written at most once per SESSION_TOUCH_SECONDS, not on every request
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the client's address (through the trusted proxies) and browser when it logged in
    ip: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[SessionEnd | None] = mapped_column(EnumText(SessionEnd, 20))

    user: Mapped[User] = relationship()


class DepartmentKind(LabelledEnum):
    """What sort of unit a department is."""

    BUREAU = "bureau"
    TOWN = "town"
    SUBDISTRICT = "subdistrict"
    OTHER = "other"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.BUREAU: _l("Government department"),
            cls.TOWN: _l("Town"),
            cls.SUBDISTRICT: _l("Sub-district"),
            cls.OTHER: _l("Other unit"),
        }


class Department(Audited, db.Model):
    """A department, town or sub-district of the district government."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[DepartmentKind] = mapped_column(EnumText(DepartmentKind, 20))
    #: the principal head, who must appear in court for administrative suits
    principal_head: Mapped[str | None] = mapped_column(String(50))
    #: the deputy head in charge, who appears when the principal truly cannot
    deputy_head: Mapped[str | None] = mapped_column(String(50))
    is_active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


def new_change_set() -> str:
    return uuid.uuid4().hex


class AuditEvent(db.Model):
    """Who changed which record, or signed in, when, from where, from what to what."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: create, update, delete, or an account event (login, password_reset, ...)
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(50))
    #: "" for an account event with no account (a login under a username nobody has)
    record_id: Mapped[str] = mapped_column(String(64))
    #: the record's name when the event was written, so a deleted record still reads well
    record_label: Mapped[str | None] = mapped_column(String(200))
    #: the record this one belongs to (a meeting for an invitation), for the parent's history
    parent_type: Mapped[str | None] = mapped_column(String(50))
    parent_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    #: shared by every event one request, job run or command wrote: one action
    change_set: Mapped[str] = mapped_column(String(32), default=new_change_set, index=True)
    #: the client's address (through the trusted proxies) when written during a request
    client_ip: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()

    __table_args__ = (
        Index("ix_audit_event_record", "record_type", "record_id"),
        Index("ix_audit_event_parent", "parent_type", "parent_id"),
    )

    def changes(self) -> list[tuple[str, Any, Any]]:
        """List (field, before, after) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class JobRun(db.Model):
    """A claimed run of a scheduled job; the unique key makes each slot run once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    #: the period the run covers, e.g. the date for a nightly job
    slot: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("job", "slot"),)


class JobStatus(db.Model):
    """The last run of each scheduled job, for the system page and /healthz: when the
    scheduler last ran, and whether each job's last run succeeded."""

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: "ok" or "failed"
    outcome: Mapped[str] = mapped_column(String(16))
    duration_ms: Mapped[int] = mapped_column(default=0)
    #: what the job said it did, or why it failed
    summary: Mapped[str | None] = mapped_column(Text)
    #: when this job last succeeded
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BackupRun(db.Model):
    """One backup, made by the nightly job or by `flask backup create`, and its outcome."""

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ok: Mapped[bool] = mapped_column(default=False)
    #: "nightly" or "command"
    trigger: Mapped[str] = mapped_column(String(16))
    #: the archive's file name in the backup folder
    file_name: Mapped[str | None] = mapped_column(String(200))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)


class Notification(db.Model):
    """An in-app message for one user; `key` keeps a reminder from being sent twice."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    key: Mapped[str | None] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("user_id", "key"),)


class MailStatus(LabelledEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.PENDING: _l("Waiting to be sent"),
            cls.SENT: _l("Sent"),
            cls.FAILED: _l("Failed"),
        }


class OutboxMessage(db.Model):
    """An e-mail written in a transaction and sent by the scheduler after it commits.

    A rolled-back action leaves no message, so nothing is mailed for it. Sending is retried
    with growing pauses; after the last try the message is marked failed for an administrator.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: the Message-ID header, fixed when written so a retried message is recognised
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[MailStatus] = mapped_column(
        EnumText(MailStatus, 10), default=MailStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Setting(Audited, db.Model):
    """A rule setting an administrator may change; defaults live in core.settings."""

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __audit_ignore__ = ("updated_at",)

    @property
    def id(self) -> str:
        return self.key


class FormSubmission(db.Model):
    """A form that was sent once, by its one-time token: the same form sent again (the
    browser's "confirm resubmission", a double click) is recognised and not acted on twice."""

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    #: where the first submission led; a repeat is sent there too
    target: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Voidable:
    """A record the office may void (作废) when it was entered by mistake.

    A voided record is hidden from every list, count and rule (`core.voiding` filters every
    query), kept in the database and the audit trail, and can be restored. Nothing is deleted.
    """

    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    void_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None
