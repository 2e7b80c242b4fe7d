"""Matters of the eight duties, who is assigned to them, the opinions given and their fate."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisers.models import Adviser, Specialty
from consultations.rules import Adoption as AdoptionRule
from consultations.rules import Kind
from core.extensions import db
from core.files import StoredFile
from core.models import (
    Audited,
    Department,
    EnumText,
    LabelledEnum,
    User,
    UTCDateTime,
    Voidable,
    utcnow,
)


class MatterKind(LabelledEnum):
    """The eight duties of seed 六.3, in their order (the values are rules.Kind's)."""

    DECISION = Kind.DECISION.value
    NORMATIVE = Kind.NORMATIVE.value
    CONTRACT = Kind.CONTRACT.value
    DISPUTE = Kind.DISPUTE.value
    LITIGATION = Kind.LITIGATION.value
    TRAINING = Kind.TRAINING.value
    PUBLICITY = Kind.PUBLICITY.value
    OTHER = Kind.OTHER.value

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.DECISION: _l("Major administrative decision"),
            cls.NORMATIVE: _l("Draft normative document review"),
            cls.CONTRACT: _l("Contract, project or legal instrument review"),
            cls.DISPUTE: _l("Dispute before litigation"),
            cls.LITIGATION: _l("Representation in litigation"),
            cls.TRAINING: _l("Guidance, lectures and training"),
            cls.PUBLICITY: _l("Legal publicity"),
            cls.OTHER: _l("Other entrusted legal affairs"),
        }

    @property
    def rule(self) -> Kind:
        return Kind(self.value)

    @property
    def number(self) -> int:
        return self.rule.number


class Urgency(LabelledEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    VERY_URGENT = "very_urgent"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.NORMAL: _l("Normal"),
            cls.URGENT: _l("Urgent"),
            cls.VERY_URGENT: _l("Very urgent"),
        }


class MatterStatus(LabelledEnum):
    """Where a matter stands, from the request to the department's adoption record."""

    REQUESTED = "requested"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    DELIVERED = "delivered"
    CLOSED = "closed"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.REQUESTED: _l("Awaiting acceptance"),
            cls.RETURNED: _l("Returned"),
            cls.ACCEPTED: _l("Awaiting assignment"),
            cls.IN_PROGRESS: _l("In progress"),
            cls.SUBMITTED: _l("Opinion submitted"),
            cls.DELIVERED: _l("Awaiting adoption record"),
            cls.CLOSED: _l("Closed"),
        }

    @classmethod
    def open_values(cls) -> tuple[str, ...]:
        """The states in which advisers still owe work."""
        return (cls.ACCEPTED.value, cls.IN_PROGRESS.value)

    @classmethod
    def awaiting_opinion(cls) -> tuple[MatterStatus, ...]:
        """The states in which the due date still binds: no opinion has been signed yet."""
        return (cls.REQUESTED, cls.ACCEPTED, cls.IN_PROGRESS)

    @property
    def due_binds(self) -> bool:
        return self in self.awaiting_opinion()


class Matter(Voidable, Audited, db.Model):
    """A request for the advisers' work on one of the eight duties (事项)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the office's reference, e.g. 2026-0042, given when the request is made
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[MatterKind] = mapped_column(EnumText(MatterKind, 20))
    title: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    #: the person in the department who asks, as they sign the request
    requester: Mapped[str] = mapped_column(String(50))
    requester_phone: Mapped[str | None] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    #: the parties or counterparties, one per line, for the conflict check
    parties: Mapped[str] = mapped_column(Text, default="")
    specialty_id: Mapped[int | None] = mapped_column(ForeignKey("specialty.id"))
    urgency: Mapped[Urgency] = mapped_column(EnumText(Urgency, 20), default=Urgency.NORMAL)
    received_on: Mapped[date]
    due_on: Mapped[date] = mapped_column(index=True)
    #: the due date was counted across a year whose holidays are not yet loaded
    due_provisional: Mapped[bool] = mapped_column(default=False)
    status: Mapped[MatterStatus] = mapped_column(
        EnumText(MatterStatus, 20), default=MatterStatus.REQUESTED
    )
    return_reason: Mapped[str | None] = mapped_column(Text)
    accepted_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the last time the due-date reminders looked at it: (kind of reminder, day)
    reminded: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __audit_ignore__ = ("reminded",)

    department: Mapped[Department] = relationship()
    specialty: Mapped[Specialty | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="matter", order_by="Assignment.id"
    )
    opinions: Mapped[list[Opinion]] = relationship(
        back_populates="matter", order_by="Opinion.revision"
    )
    files: Mapped[list[MatterFile]] = relationship(
        back_populates="matter", order_by="MatterFile.id"
    )

    #: The list shows the newest first, filtered by status, kind or department (a liaison's
    #: own), and counts what it shows. Each index leads with what a filter fixes, then the
    #: day received, so a page is read in order without sorting; voided_at (every query asks
    #: for the records not voided) and, for a department's, status and kind are carried so
    #: that counting a hundred thousand matters reads the index alone, never the wide rows.
    #: Without statistics SQLite takes any indexed equality for a selective one: a status or
    #: kind index of its own column would send "closed" (nearly every matter) through a sort.
    __table_args__ = (
        Index("ix_matter_received_on", "received_on", "voided_at"),
        Index("ix_matter_status", "status", "received_on", "voided_at"),
        Index("ix_matter_kind", "kind", "received_on", "voided_at"),
        Index(
            "ix_matter_department_received",
            "department_id",
            "received_on",
            "voided_at",
            "status",
            "kind",
        ),
    )

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def party_names(self) -> list[str]:
        return [line.strip() for line in self.parties.splitlines() if line.strip()]

    @property
    def lead(self) -> Assignment | None:
        return next((a for a in self.assignments if a.is_lead and a.is_active), None)

    @property
    def active_assignments(self) -> list[Assignment]:
        return [a for a in self.assignments if a.is_active]

    @property
    def current_opinion(self) -> Opinion | None:
        return self.opinions[-1] if self.opinions else None

    @property
    def gives_activity(self) -> bool:
        """Training and publicity end in an activity record rather than an opinion."""
        return self.kind.rule.is_activity


class MatterFile(Audited, db.Model):
    """A material attached to a matter."""

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matter.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), unique=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    matter: Mapped[Matter] = relationship(back_populates="files")
    file: Mapped[StoredFile] = relationship()


class AssignmentRole(LabelledEnum):
    LEAD = "lead"
    CO = "co"

    @classmethod
    def labels(cls) -> dict:
        return {cls.LEAD: _l("Lead adviser"), cls.CO: _l("Co-adviser")}


class AssignmentStatus(LabelledEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.PENDING: _l("Awaiting the adviser's answer"),
            cls.ACCEPTED: _l("Accepted"),
            cls.DECLINED: _l("Declined"),
            cls.WITHDRAWN: _l("Withdrawn"),
        }


class Assignment(Audited, db.Model):
    """An adviser put on a matter as its lead (主办) or a co-adviser (协办)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matter.id"), index=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("adviser.id"))
    role: Mapped[AssignmentRole] = mapped_column(EnumText(AssignmentRole, 10))
    #: no index of its own: nearly every assignment is accepted, and SQLite, without
    #: statistics, would read them all through one (see ix_assignment_adviser_status)
    status: Mapped[AssignmentStatus] = mapped_column(
        EnumText(AssignmentStatus, 20), default=AssignmentStatus.PENDING
    )
    assigned_on: Mapped[date] = mapped_column(index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: the suggestion's one-line reason when the office picked this adviser
    reason: Mapped[str] = mapped_column(String(300), default="")
    #: why the office assigned despite a conflict the check found
    override_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    declined_for_conflict: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        #: an adviser's assignments in force, and the matters they are on, from the index alone
        Index("ix_assignment_adviser_status", "adviser_id", "status", "matter_id"),
        #: an adviser's last assignment without reading the others (顾而不问)
        Index("ix_assignment_adviser_assigned", "adviser_id", "assigned_on"),
    )

    matter: Mapped[Matter] = relationship(back_populates="assignments")
    adviser: Mapped[Adviser] = relationship()

    @property
    def is_lead(self) -> bool:
        return self.role is AssignmentRole.LEAD

    @property
    def is_active(self) -> bool:
        return self.status in (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED)

    @property
    def is_answered(self) -> bool:
        """Accepted or declined: the adviser still sees the matter, with nothing to answer."""
        return self.status in (AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED)


class OpinionStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    DELIVERED = "delivered"
    SUPERSEDED = "superseded"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.DRAFT: _l("Draft"),
            cls.SUBMITTED: _l("Submitted"),
            cls.DELIVERED: _l("Delivered to the department"),
            cls.SUPERSEDED: _l("Corrected by a later version"),
        }


class Adoption(LabelledEnum):
    """Whether the department took the advice (the values are rules.Adoption's)."""

    ADOPTED = AdoptionRule.ADOPTED.value
    PARTLY = AdoptionRule.PARTLY.value
    NOT_ADOPTED = AdoptionRule.NOT_ADOPTED.value

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.ADOPTED: _l("Adopted"),
            cls.PARTLY: _l("Partly adopted"),
            cls.NOT_ADOPTED: _l("Not adopted"),
        }


class Opinion(Audited, db.Model):
    """A legal opinion (法律意见书); once submitted it is never edited, only corrected by a
    later revision that gives its reason."""

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matter.id"), index=True)
    #: 1 for the first opinion on the matter, 2 for its first correction, ...
    revision: Mapped[int] = mapped_column(default=1)
    status: Mapped[OpinionStatus] = mapped_column(
        EnumText(OpinionStatus, 20), default=OpinionStatus.DRAFT, index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("adviser.id"))
    facts: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    analysis: Mapped[str] = mapped_column(Text, default="")
    conclusion: Mapped[str] = mapped_column(Text, default="")
    risks: Mapped[str] = mapped_column(Text, default="")
    correction_reason: Mapped[str | None] = mapped_column(Text)
    #: the opinion number, given when it is signed and submitted; never reused
    number: Mapped[str | None] = mapped_column(String(60), unique=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_on: Mapped[date | None] = mapped_column(index=True)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    delivered_on: Mapped[date | None]
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    adoption: Mapped[Adoption | None] = mapped_column(EnumText(Adoption, 20), index=True)
    adoption_reason: Mapped[str | None] = mapped_column(Text)
    final_decision: Mapped[str | None] = mapped_column(Text)
    adoption_recorded_on: Mapped[date | None]
    adoption_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __audit_ignore__ = ("updated_at",)
    __table_args__ = (
        UniqueConstraint("matter_id", "revision"),
        #: an adviser's drafts, without reading the years of opinions they signed
        Index("ix_opinion_author_status", "author_id", "status"),
    )

    matter: Mapped[Matter] = relationship(back_populates="opinions")
    author: Mapped[Adviser] = relationship()
    comments: Mapped[list[OpinionComment]] = relationship(
        back_populates="opinion", order_by="OpinionComment.id"
    )

    SECTIONS = ("facts", "legal_basis", "analysis", "conclusion", "risks")

    @property
    def is_draft(self) -> bool:
        return self.status is OpinionStatus.DRAFT

    def text(self) -> str:
        return "\n".join(getattr(self, name) for name in self.SECTIONS)


class OpinionComment(Audited, db.Model):
    """A co-adviser's (or the lead's) comment on a draft."""

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinion.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("adviser.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    opinion: Mapped[Opinion] = relationship(back_populates="comments")
    author: Mapped[Adviser] = relationship()


class OpinionCounter(db.Model):
    """The last opinion number issued in a year; numbers are never issued twice."""

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(default=0)


class MatterCounter(db.Model):
    """The last matter reference issued in a year."""

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(default=0)


class WorkLog(Audited, db.Model):
    """Hours an adviser spent on a matter, with a short note: evidence for evaluation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matter.id"), index=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("adviser.id"), index=True)
    worked_on: Mapped[date]
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    note: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    matter: Mapped[Matter] = relationship()
    adviser: Mapped[Adviser] = relationship()


class ActivityKind(LabelledEnum):
    TRAINING = Kind.TRAINING.value
    PUBLICITY = Kind.PUBLICITY.value

    @classmethod
    def labels(cls) -> dict:
        return {cls.TRAINING: _l("Lecture or training"), cls.PUBLICITY: _l("Legal publicity")}


activity_adviser = Table(
    "activity_adviser",
    db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("adviser_id", ForeignKey("adviser.id"), primary_key=True, index=True),
)

activity_file = Table(
    "activity_file",
    db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("file_id", ForeignKey("stored_file.id"), primary_key=True),
)


class Activity(Voidable, Audited, db.Model):
    """A lecture, training session or publicity event the advisers gave (duties 6 and 7)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActivityKind] = mapped_column(EnumText(ActivityKind, 20), index=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(200))
    attendance: Mapped[int] = mapped_column(default=0)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matter.id"), unique=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    department: Mapped[Department | None] = relationship()
    matter: Mapped[Matter | None] = relationship()
    advisers: Mapped[list[Adviser]] = relationship(
        secondary=activity_adviser, order_by=Adviser.name
    )
    files: Mapped[list[StoredFile]] = relationship(secondary=activity_file)
