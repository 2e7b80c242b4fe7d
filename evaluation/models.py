"""The dismissal rule's versions and the candidates it raises, awaiting a person's decision."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisers.models import Adviser, Term
from core.extensions import db
from core.models import Audited, EnumText, LabelledEnum, User, UTCDateTime, utcnow
from evaluation.rules import DismissalRule


class CandidateStatus(LabelledEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    WAIVED = "waived"
    LAPSED = "lapsed"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.OPEN: _l("Awaiting a decision"),
            cls.DISMISSED: _l("Dismissed"),
            cls.WAIVED: _l("Kept (waived)"),
            cls.LAPSED: _l("No longer applies"),
        }


class DismissalRuleVersion(Audited, db.Model):
    """One version of the dismissal thresholds; a change adds a version, none is edited."""

    id: Mapped[int] = mapped_column(primary_key=True)
    consecutive_absences: Mapped[int]
    min_rate: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    window_months: Mapped[int]
    min_meetings: Mapped[int]
    ignored_matters: Mapped[int] = mapped_column(server_default="3")
    answer_days: Mapped[int] = mapped_column(server_default="10")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    created_by: Mapped[User | None] = relationship()

    @property
    def number(self) -> int:
        """The version's number; the plan's defaults, before any is stored, are version 1."""
        return self.id or 1

    def as_rule(self) -> DismissalRule:
        return DismissalRule(
            consecutive_absences=self.consecutive_absences,
            min_rate=Decimal(self.min_rate),
            window_months=self.window_months,
            min_meetings=self.min_meetings,
            ignored_matters=self.ignored_matters,
            answer_days=self.answer_days,
        )


class DismissalCandidate(Audited, db.Model):
    """An adviser who met the dismissal rule, with the evidence, awaiting a person's decision."""

    id: Mapped[int] = mapped_column(primary_key=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("adviser.id"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("term.id"))
    rule_version_id: Mapped[int] = mapped_column(ForeignKey("dismissal_rule_version.id"))
    #: identifies the evidence; a waived adviser is not raised again on the same evidence
    evidence_key: Mapped[str] = mapped_column(String(64))
    reasons: Mapped[str] = mapped_column(String(100))
    #: the meetings, dates and rate behind the finding, as shown to the office
    evidence: Mapped[dict] = mapped_column(JSON)
    status: Mapped[CandidateStatus] = mapped_column(
        EnumText(CandidateStatus, 20), default=CandidateStatus.OPEN
    )
    raised_on: Mapped[date]
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decision_note: Mapped[str | None] = mapped_column(Text)

    adviser: Mapped[Adviser] = relationship()
    term: Mapped[Term] = relationship()
    rule_version: Mapped[DismissalRuleVersion] = relationship()
    decided_by: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("adviser_id", "evidence_key"),
        #: the candidates list: one status, newest first
        Index("ix_dismissal_candidate_listing", "status", "raised_on", "id"),
    )

    @property
    def is_open(self) -> bool:
        return self.status == CandidateStatus.OPEN
