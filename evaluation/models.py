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
from evaluation.grading import Grade, Scheme
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


# --- the yearly evaluation (年度履职评价) ---------------------------------------------------


class GradeLabel(LabelledEnum):
    """The grade of a yearly evaluation (the values are grading.Grade's)."""

    EXCELLENT = Grade.EXCELLENT.value
    COMPETENT = Grade.COMPETENT.value
    BASIC = Grade.BASIC.value
    INCOMPETENT = Grade.INCOMPETENT.value

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.EXCELLENT: _l("Excellent (优秀)"),
            cls.COMPETENT: _l("Competent (称职)"),
            cls.BASIC: _l("Basically competent (基本称职)"),
            cls.INCOMPETENT: _l("Incompetent (不称职)"),
        }


class EvaluationStatus(LabelledEnum):
    DRAFT = "draft"
    FINAL = "final"

    @classmethod
    def labels(cls) -> dict:
        return {cls.DRAFT: _l("Draft"), cls.FINAL: _l("Final")}

    @property
    def badge(self) -> str:
        return "text-bg-success" if self is EvaluationStatus.FINAL else "text-bg-warning"


class SchemeVersion(Audited, db.Model):
    """One version of the evaluation scheme: the weights of the four rates and the lowest
    score of each grade. A change adds a version; an evaluation keeps the one it used."""

    id: Mapped[int] = mapped_column(primary_key=True)
    attendance: Mapped[int]
    answered: Mapped[int]
    on_time: Mapped[int]
    adoption: Mapped[int]
    excellent: Mapped[int]
    competent: Mapped[int]
    basic: Mapped[int]
    #: days an adviser has, after the evaluation is final, to ask for a review
    review_days: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    created_by: Mapped[User | None] = relationship()

    @property
    def number(self) -> int:
        return self.id or 1

    def as_scheme(self) -> Scheme:
        return Scheme(**{name: getattr(self, name) for name in SCHEME_FIELDS})


#: the scheme's numbers, as the form, the version and the pure Scheme name them
SCHEME_FIELDS = ("attendance", "answered", "on_time", "adoption", "excellent", "competent", "basic")


class AnnualEvaluation(Audited, db.Model):
    """An adviser's evaluation for one year: the evidence, the office's grade and assessment,
    and, once final, the adviser's comment or request for a review."""

    id: Mapped[int] = mapped_column(primary_key=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("adviser.id"))
    year: Mapped[int]
    scheme_version_id: Mapped[int] = mapped_column(ForeignKey("scheme_version.id"))
    status: Mapped[EvaluationStatus] = mapped_column(
        EnumText(EvaluationStatus, 10), default=EvaluationStatus.DRAFT
    )
    #: the score the evidence earned under the scheme (None when no rate had anything under it)
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    suggested: Mapped[GradeLabel | None] = mapped_column(EnumText(GradeLabel, 20))
    grade: Mapped[GradeLabel] = mapped_column(EnumText(GradeLabel, 20))
    assessment: Mapped[str] = mapped_column(Text)
    #: the figures as they stood when it was made final
    evidence: Mapped[dict | None] = mapped_column(JSON)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: why it was made final while its year was still running
    early_reason: Mapped[str | None] = mapped_column(Text)
    #: the adviser's own comment on the final evaluation
    comment: Mapped[str | None] = mapped_column(Text)
    commented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the adviser's request for a review, within the scheme's days to ask
    review_reason: Mapped[str | None] = mapped_column(Text)
    review_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the office's answer to the review; the grade stands or changes, the old one is kept
    review_answer: Mapped[str | None] = mapped_column(Text)
    review_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    grade_before_review: Mapped[GradeLabel | None] = mapped_column(EnumText(GradeLabel, 20))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("adviser_id", "year"),
        Index("ix_annual_evaluation_year", "year", "status"),
    )

    adviser: Mapped[Adviser] = relationship()
    scheme_version: Mapped[SchemeVersion] = relationship()
    finalised_by: Mapped[User | None] = relationship(foreign_keys=[finalised_by_id])
    review_answered_by: Mapped[User | None] = relationship(foreign_keys=[review_answered_by_id])

    def __str__(self) -> str:
        return f"{self.adviser.name} {self.year}"

    @property
    def is_final(self) -> bool:
        return self.status is EvaluationStatus.FINAL

    @property
    def review_pending(self) -> bool:
        """The adviser asked for a review and the office has not answered yet."""
        return self.review_requested_at is not None and self.review_answered_at is None
