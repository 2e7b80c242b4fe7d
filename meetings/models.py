"""Meetings of the panel, invitations with attendance, and leave requests."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisers.models import Adviser
from core.extensions import db
from core.i18n import TIMEZONE
from core.models import Audited, EnumText, LabelledEnum, User, UTCDateTime, Voidable, utcnow
from meetings.rules import Mark


class MeetingKind(LabelledEnum):
    REGULAR = "regular"
    AD_HOC = "ad_hoc"

    @classmethod
    def labels(cls) -> dict:
        return {cls.REGULAR: _l("Regular meeting"), cls.AD_HOC: _l("Ad hoc meeting")}


class MeetingStatus(LabelledEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"

    @classmethod
    def labels(cls) -> dict:
        return {cls.PLANNED: _l("Planned"), cls.HELD: _l("Held"), cls.CANCELLED: _l("Cancelled")}


class MarkLabel(LabelledEnum):
    """Attendance marks with their labels (the values are rules.Mark's)."""

    PRESENT = Mark.PRESENT.value
    EXCUSED = Mark.EXCUSED.value
    ABSENT = Mark.ABSENT.value

    @classmethod
    def labels(cls) -> dict:
        return {cls.PRESENT: _l("Present"), cls.EXCUSED: _l("Excused"), cls.ABSENT: _l("Absent")}


def mark_labels() -> dict[str, str]:
    """Each attendance mark's label in the current language, to look up many times."""
    return {mark.value: str(mark.label) for mark in MarkLabel}


def mark_label(code: str | None) -> str:
    """The label of an attendance mark code, or a dash when none was recorded."""
    return MarkLabel(code).label if code else "—"


class LeaveStatus(LabelledEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.PENDING: _l("Awaiting an answer"),
            cls.APPROVED: _l("Leave approved"),
            cls.REFUSED: _l("Leave refused"),
        }


class Meeting(Voidable, Audited, db.Model):
    """A meeting of the panel, regular (定期) or ad hoc (不定期)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MeetingKind] = mapped_column(EnumText(MeetingKind, 20))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200))
    agenda: Mapped[str] = mapped_column(Text, default="")
    #: who convened the meeting (召集人)
    convened_by: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[MeetingStatus] = mapped_column(
        EnumText(MeetingStatus, 20), default=MeetingStatus.PLANNED
    )
    minutes: Mapped[str] = mapped_column(Text, default="")
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    #: counted by the services whenever invitees or marks change, so lists need not count
    invitee_count: Mapped[int] = mapped_column(default=0)
    present_count: Mapped[int] = mapped_column(default=0)
    excused_count: Mapped[int] = mapped_column(default=0)
    absent_count: Mapped[int] = mapped_column(default=0)
    #: topics added so far: each new topic takes the next number, claimed atomically
    topic_count: Mapped[int] = mapped_column(default=0, server_default="0")

    __mapper_args__ = {"version_id_col": version}
    __audit_ignore__ = (
        "invitee_count",
        "present_count",
        "excused_count",
        "absent_count",
        "topic_count",
    )

    invitations: Mapped[list[Invitation]] = relationship(back_populates="meeting")
    topics: Mapped[list[MeetingTopic]] = relationship(
        back_populates="meeting", order_by="MeetingTopic.position"
    )

    @property
    def day(self) -> date:
        """The meeting's date in China Standard Time."""
        return self.starts_at.astimezone(TIMEZONE).date()

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD


class MeetingTopic(Audited, db.Model):
    """A topic discussed at a meeting and the opinion the panel gave on it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    opinion: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="topics")

    __table_args__ = (UniqueConstraint("meeting_id", "position"),)


class Invitation(Audited, db.Model):
    """An adviser invited to a meeting, and, once it is held, how they attended."""

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("adviser.id"), index=True)
    #: present / excused / absent; None until recorded
    mark: Mapped[Mark | None] = mapped_column(EnumText(Mark, 10))
    #: why an absence was excused after the fact
    excuse_reason: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="invitations")
    adviser: Mapped[Adviser] = relationship()
    leave_requests: Mapped[list[LeaveRequest]] = relationship(
        back_populates="invitation", order_by="LeaveRequest.id"
    )

    __table_args__ = (UniqueConstraint("meeting_id", "adviser_id"),)

    @property
    def mark_label(self) -> str:
        return mark_label(self.mark) if self.mark else ""

    @property
    def approved_leave(self) -> LeaveRequest | None:
        return next((r for r in self.leave_requests if r.status == LeaveStatus.APPROVED), None)

    @property
    def open_leave(self) -> LeaveRequest | None:
        live = (LeaveStatus.PENDING, LeaveStatus.APPROVED)
        return next((r for r in self.leave_requests if r.status in live), None)


class LeaveRequest(Audited, db.Model):
    """An adviser's request for leave (请假) from a coming meeting, and the office's answer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[LeaveStatus] = mapped_column(
        EnumText(LeaveStatus, 20), default=LeaveStatus.PENDING
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answer: Mapped[str | None] = mapped_column(Text)

    invitation: Mapped[Invitation] = relationship(back_populates="leave_requests")
    decided_by: Mapped[User | None] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.status == LeaveStatus.PENDING


class AttendanceTally(db.Model):
    """An adviser's marks at the held meetings of one quarter (1–4) or a whole year (0), counted.

    The meetings services recount it whenever a meeting is held or its attendance changes, so
    a year's report at 1,500 advisers adds up a few thousand tallies, not every invitation.
    """

    adviser_id: Mapped[int] = mapped_column(
        ForeignKey("adviser.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    quarter: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    present: Mapped[int] = mapped_column(default=0)
    excused: Mapped[int] = mapped_column(default=0)
    absent: Mapped[int] = mapped_column(default=0)

    __table_args__ = (Index("ix_attendance_tally_period", "year", "quarter"),)
