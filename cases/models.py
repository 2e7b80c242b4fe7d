"""Lawsuits and reconsiderations involving the government: the case, its stages, its lawyer
team, its statutory deadlines and its files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisers.models import Adviser, Category, Specialty
from cases import statutes
from cases.particulars import in_wan
from consultations.models import Matter
from core.extensions import db
from core.files import StoredFile
from core.i18n import N_, today
from core.models import Audited, Department, EnumText, LabelledEnum, User, UTCDateTime, utcnow


class CaseKind(LabelledEnum):
    """The four kinds of case the register covers (the values are statutes.Kind's)."""

    ADMINISTRATIVE = statutes.Kind.ADMINISTRATIVE.value
    CIVIL = statutes.Kind.CIVIL.value
    RECONSIDERATION = statutes.Kind.RECONSIDERATION.value
    STATE_COMPENSATION = statutes.Kind.STATE_COMPENSATION.value

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.ADMINISTRATIVE: _l("Administrative litigation"),
            cls.CIVIL: _l("Civil and economic litigation"),
            cls.RECONSIDERATION: _l("Administrative reconsideration"),
            cls.STATE_COMPENSATION: _l("State compensation"),
        }

    @property
    def is_litigation(self) -> bool:
        return self in (CaseKind.ADMINISTRATIVE, CaseKind.CIVIL)


class GovernmentRole(LabelledEnum):
    """The government party's place in the case; the respondent is reconsideration's."""

    DEFENDANT = "defendant"
    PLAINTIFF = "plaintiff"
    THIRD_PARTY = "third_party"
    RESPONDENT = "respondent"
    APPLICANT = "applicant"
    #: the district government deciding an application against its own department (2023 law)
    RECONSIDERATION_BODY = "body"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.RECONSIDERATION_BODY: _l("Reconsideration body (复议机关)"),
            cls.DEFENDANT: _l("Defendant"),
            cls.PLAINTIFF: _l("Plaintiff"),
            cls.THIRD_PARTY: _l("Third party"),
            cls.RESPONDENT: _l("Respondent"),
            cls.APPLICANT: _l("Applicant"),
        }


class StageKind(LabelledEnum):
    FIRST_INSTANCE = "first_instance"
    SECOND_INSTANCE = "second_instance"
    RETRIAL = "retrial"
    ENFORCEMENT = "enforcement"
    RECONSIDERATION = "reconsideration"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.FIRST_INSTANCE: _l("First instance"),
            cls.SECOND_INSTANCE: _l("Second instance"),
            cls.RETRIAL: _l("Retrial"),
            cls.ENFORCEMENT: _l("Enforcement"),
            cls.RECONSIDERATION: _l("Reconsideration"),
        }


class Outcome(LabelledEnum):
    WON = "won"
    LOST = "lost"
    PARTLY = "partly"
    WITHDRAWN = "withdrawn"
    MEDIATED = "mediated"
    DISMISSED = "dismissed"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.WON: _l("Won"),
            cls.LOST: _l("Lost"),
            cls.PARTLY: _l("Partly won"),
            cls.WITHDRAWN: _l("Withdrawn"),
            cls.MEDIATED: _l("Mediated"),
            cls.DISMISSED: _l("Claim dismissed"),
        }


class Acceptance(LabelledEnum):
    """What the reconsideration body's review for acceptance decided (行政复议法 第三十条)."""

    ACCEPTED = "accepted"
    #: not accepted because the application does not meet the conditions: not an eligible one
    INELIGIBLE = "ineligible"
    #: not accepted for another reason: an eligible application the rate counts against
    REFUSED = "refused"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.ACCEPTED: _l("Accepted"),
            cls.INELIGIBLE: _l("Not accepted: the conditions are not met"),
            cls.REFUSED: _l("Not accepted for another reason"),
        }

    @property
    def is_eligible(self) -> bool:
        return self is not Acceptance.INELIGIBLE


class CaseStatus(LabelledEnum):
    OPEN = "open"
    CLOSED = "closed"

    @classmethod
    def labels(cls) -> dict:
        return {cls.OPEN: _l("Ongoing"), cls.CLOSED: _l("Closed")}

    @property
    def badge(self) -> str:
        """An ongoing case is the normal state, not an alarm."""
        return "text-bg-primary" if self is CaseStatus.OPEN else "text-bg-success"


class TeamStatus(LabelledEnum):
    """Where the case's lawyer team (律师团) stands."""

    NONE = "none"
    FORMED = "formed"
    INCOMPLETE = "incomplete"
    CONFIRMED = "confirmed"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.NONE: _l("No lawyer team"),
            cls.FORMED: _l("Team proposed"),
            cls.INCOMPLETE: _l("Team incomplete"),
            cls.CONFIRMED: _l("Team confirmed"),
        }

    @property
    def badge(self) -> str:
        return {
            TeamStatus.NONE: "text-bg-light",
            TeamStatus.FORMED: "text-bg-info",
            TeamStatus.INCOMPLETE: "text-bg-danger",
            TeamStatus.CONFIRMED: "text-bg-success",
        }[self]


class Case(Audited, db.Model):
    """A lawsuit or reconsideration involving the district government or a department."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the office's reference, e.g. 2026-S0001, given on registration
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[CaseKind] = mapped_column(EnumText(CaseKind, 20))
    #: the court's case number (案号), e.g. （2026）桂0105行初123号; empty until it gives one
    case_number: Mapped[str] = mapped_column(String(64), default="")
    #: the court, or the reconsideration body
    court: Mapped[str] = mapped_column(String(200))
    #: the cause of action (案由)
    cause: Mapped[str] = mapped_column(String(200))
    #: None: the district government itself
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    government_role: Mapped[GovernmentRole] = mapped_column(EnumText(GovernmentRole, 20))
    #: one per line, like Matter.parties
    opposing_parties: Mapped[str] = mapped_column(Text, default="")
    third_parties: Mapped[str] = mapped_column(Text, default="")
    #: yuan; None when no property is involved
    amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    #: the field of law, for choosing the lawyer team
    specialty_id: Mapped[int | None] = mapped_column(ForeignKey("specialty.id"))
    #: the day the complaint or application was filed
    filed_on: Mapped[date]
    registered_on: Mapped[date] = mapped_column(default=today)
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CaseStatus] = mapped_column(EnumText(CaseStatus, 10), default=CaseStatus.OPEN)
    closed_on: Mapped[date | None]
    from_matter_id: Mapped[int | None] = mapped_column(ForeignKey("matter.id"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    team_status: Mapped[TeamStatus] = mapped_column(
        EnumText(TeamStatus, 20), default=TeamStatus.NONE
    )
    #: the required categories (advisers' Category values, comma-separated) nobody could fill
    team_missing: Mapped[str] = mapped_column(String(100), default="")
    #: the day an edit took the amount below the threshold of the day, and that threshold:
    #: the team stays, and the case says so in the reader's language
    team_kept_on: Mapped[date | None]
    team_kept_below: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_case_registered_on", "registered_on"),
        Index("ix_case_kind", "kind", "registered_on"),
    )

    department: Mapped[Department | None] = relationship()
    specialty: Mapped[Specialty | None] = relationship()
    from_matter: Mapped[Matter | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    stages: Mapped[list[CaseStage]] = relationship(back_populates="case", order_by="CaseStage.id")
    members: Mapped[list[CaseMember]] = relationship(
        back_populates="case", order_by="CaseMember.id", foreign_keys="CaseMember.case_id"
    )
    deadlines: Mapped[list[CaseDeadline]] = relationship(
        back_populates="case", order_by="CaseDeadline.due_on"
    )
    files: Mapped[list[CaseFile]] = relationship(back_populates="case", order_by="CaseFile.id")
    hearings: Mapped[list[CaseHearing]] = relationship(
        back_populates="case", order_by="CaseHearing.starts_at"
    )
    performances: Mapped[list[CasePerformance]] = relationship(
        back_populates="case", order_by="CasePerformance.due_on"
    )
    serious_events: Mapped[list[SeriousEvent]] = relationship(
        back_populates="case", order_by="SeriousEvent.id"
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="case", order_by="FollowUp.received_on"
    )

    def __str__(self) -> str:
        return f"{self.reference} {self.cause}"

    @property
    def amount_in_wan(self) -> Decimal | None:
        """The amount in 万元 (ten thousand yuan), as many decimals as it needs."""
        return in_wan(self.amount)

    @property
    def opposing_names(self) -> list[str]:
        return [line.strip() for line in self.opposing_parties.splitlines() if line.strip()]

    @property
    def third_party_names(self) -> list[str]:
        return [line.strip() for line in self.third_parties.splitlines() if line.strip()]

    @property
    def party_names(self) -> list[str]:
        """Every party but the government: what the conflict check compares."""
        return self.opposing_names + self.third_party_names

    @property
    def government_party(self) -> str:
        return self.department.name if self.department else _("The district government")

    @property
    def team_note(self) -> str:
        """What changed about the team: the amount fell below the threshold and it stays."""
        if self.team_kept_on is None:
            return ""
        return _(
            "On %(day)s the amount fell below %(threshold)s; the team stays.",
            day=self.team_kept_on.isoformat(),
            threshold=f"¥{self.team_kept_below:,.2f}",
        )

    @property
    def is_open(self) -> bool:
        return self.status is CaseStatus.OPEN

    @property
    def active_members(self) -> list[CaseMember]:
        return [m for m in self.members if m.status is not MemberStatus.REPLACED]

    @property
    def open_deadlines(self) -> list[CaseDeadline]:
        return [d for d in self.deadlines if d.done_on is None]


class CaseFile(Audited, db.Model):
    """A document attached to a case."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), unique=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="files")
    file: Mapped[StoredFile] = relationship()


class CaseStage(Audited, db.Model):
    """One stage of a case: first instance, appeal, retrial, enforcement or reconsideration."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[StageKind] = mapped_column(EnumText(StageKind, 20))
    #: the stage's own case number, when the court gives one
    case_number: Mapped[str] = mapped_column(String(64), default="")
    court: Mapped[str] = mapped_column(String(200), default="")
    filed_on: Mapped[date | None]
    #: the day the complaint's (or application's) copy was served on the government
    complaint_served_on: Mapped[date | None]
    #: the day of the judgment, ruling or decision
    judgment_on: Mapped[date | None]
    judgment_served_on: Mapped[date | None]
    #: the decision served is a ruling (裁定), not a judgment (判决): a shorter appeal period
    is_ruling: Mapped[bool] = mapped_column(default=False)
    #: reconsideration: the day the review for acceptance decided; when the application was
    #: accepted, the decision period starts here
    accepted_on: Mapped[date | None]
    #: reconsideration under the simplified procedure (简易程序): shorter periods
    simplified: Mapped[bool] = mapped_column(default=False)
    #: reconsideration: what the review for acceptance decided on `accepted_on`
    acceptance: Mapped[Acceptance | None] = mapped_column(EnumText(Acceptance, 20))
    outcome: Mapped[Outcome | None] = mapped_column(EnumText(Outcome, 20))
    effective_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship(back_populates="stages")


class MemberRole(LabelledEnum):
    LEAD = "lead"
    MEMBER = "member"

    @classmethod
    def labels(cls) -> dict:
        return {cls.LEAD: _l("Team lead"), cls.MEMBER: _l("Team member")}


class MemberSource(LabelledEnum):
    AUTOMATIC = "automatic"
    MANUAL = "manual"
    FROM_MATTER = "from_matter"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.AUTOMATIC: _l("Chosen automatically"),
            cls.MANUAL: _l("Chosen by the office"),
            cls.FROM_MATTER: _l("Carried over from the dispute matter"),
        }


class MemberStatus(LabelledEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REPLACED = "replaced"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.PROPOSED: _l("Proposed"),
            cls.CONFIRMED: _l("Confirmed"),
            cls.REPLACED: _l("Replaced"),
        }


class CaseMember(Audited, db.Model):
    """An adviser on a case's lawyer team, with the one line that explains the choice.

    An adviser is on a case once among the rows not replaced (the services see to it).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("adviser.id"), index=True)
    role: Mapped[MemberRole] = mapped_column(EnumText(MemberRole, 10), default=MemberRole.MEMBER)
    #: the adviser's category when they were put on the team
    category: Mapped[Category] = mapped_column(EnumText(Category, 30))
    reason: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[MemberSource] = mapped_column(
        EnumText(MemberSource, 20), default=MemberSource.AUTOMATIC
    )
    status: Mapped[MemberStatus] = mapped_column(
        EnumText(MemberStatus, 20), default=MemberStatus.PROPOSED
    )
    replaced_reason: Mapped[str | None] = mapped_column(Text)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("case_member.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship(back_populates="members", foreign_keys=[case_id])
    adviser: Mapped[Adviser] = relationship()
    replaced_by: Mapped[CaseMember | None] = relationship(remote_side=[id])

    @property
    def is_lead(self) -> bool:
        return self.role is MemberRole.LEAD


#: the proof of a deadline a stage's date marked done (stored untranslated)
PROOF_ON_STAGE = N_("Recorded on the stage: the review or the decision was made that day.")


class CaseDeadline(Audited, db.Model):
    """A statutory deadline of a case, counted from a date on the case or one of its stages."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("case_stage.id"), index=True)
    #: a rule code of cases/statutes.py
    rule: Mapped[str] = mapped_column(String(40))
    article: Mapped[str] = mapped_column(String(120), default="")
    #: who must act: a statutes.Party code
    party: Mapped[str] = mapped_column(String(40))
    starts_on: Mapped[date]
    due_on: Mapped[date]
    #: counted across a year whose holidays are not loaded yet
    is_provisional: Mapped[bool] = mapped_column(default=False)
    #: how the due date was counted
    why: Mapped[str] = mapped_column(Text, default="")
    done_on: Mapped[date | None]
    #: a document posted before expiry counts by its postmark
    postmarked_on: Mapped[date | None]
    proof: Mapped[str] = mapped_column(Text, default="")
    proof_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    #: why the period was extended (复议决定延期), when it was; the due date is the extension's
    extension_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_case_deadline_due", "due_on", "done_on"),)

    case: Mapped[Case] = relationship(back_populates="deadlines")
    stage: Mapped[CaseStage | None] = relationship()
    proof_file: Mapped[StoredFile | None] = relationship()

    @property
    def rule_label(self) -> str:
        rule = statutes.BY_CODE.get(self.rule)
        return _(rule.label) if rule else self.rule

    @property
    def party_label(self) -> str:
        try:
            return _(statutes.PARTY_LABELS[statutes.Party(self.party)])
        except (KeyError, ValueError):
            return self.party

    @property
    def can_extend(self) -> bool:
        """The law lets this period be extended once, and it has not been yet."""
        rule = statutes.BY_CODE.get(self.rule)
        return rule is not None and rule.extension is not None and not self.extension_reason

    @property
    def proof_text(self) -> str:
        """The proof as the reader sees it: the stage's own record in their language."""
        return _(PROOF_ON_STAGE) if self.proof == PROOF_ON_STAGE else self.proof

    def days_left(self, on: date | None = None) -> int:
        """Days from `on` (today) to the due date; negative when overdue."""
        return (self.due_on - (on or today())).days


class TeamRuleVersion(Audited, db.Model):
    """One version of the lawyer team rule; a change adds a version, none is edited."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: a case of this amount or more gets a team (以上 includes the number)
    threshold: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    #: how many advisers a team has when the panel can supply them
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    created_by: Mapped[User | None] = relationship()

    @property
    def number(self) -> int:
        """The version's number; the plan's defaults, before any is stored, are version 1."""
        return self.id or 1


class CaseCounter(db.Model):
    """The last case reference issued in a year."""

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(default=0)


class Appearance(LabelledEnum):
    """Who appeared in court for the government at a hearing (负责人出庭应诉)."""

    PRINCIPAL_HEAD = "principal_head"
    DEPUTY_HEAD = "deputy_head"
    OTHER_STAFF = "other_staff"
    LAWYER_ONLY = "lawyer_only"
    NOBODY = "nobody"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.PRINCIPAL_HEAD: _l("The principal head"),
            cls.DEPUTY_HEAD: _l("The deputy head in charge"),
            cls.OTHER_STAFF: _l("Other staff (相应的工作人员)"),
            cls.LAWYER_ONLY: _l("Only a lawyer"),
            cls.NOBODY: _l("Nobody"),
        }

    @property
    def is_head(self) -> bool:
        """A head (负责人) appeared: the principal head or the deputy in charge."""
        return self in (Appearance.PRINCIPAL_HEAD, Appearance.DEPUTY_HEAD)

    @property
    def is_compliant(self) -> bool:
        """The government was there in person; a lawyer alone is never enough."""
        return self not in (Appearance.LAWYER_ONLY, Appearance.NOBODY)


class CaseHearing(Audited, db.Model):
    """A hearing of a case, and, once held, who appeared for the government."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("case_stage.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    #: the day the court's appearance notice (出庭通知书) reached the government
    notice_received_on: Mapped[date | None]
    notice_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    #: who appeared; None until the hearing is recorded
    appeared: Mapped[Appearance | None] = mapped_column(EnumText(Appearance, 20))
    appeared_name: Mapped[str] = mapped_column(String(100), default="")
    #: why the principal head did not appear, with the sealed proof (加盖公章的证明)
    absence_reason: Mapped[str] = mapped_column(Text, default="")
    absence_proof_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    #: the lawyers and advisers who appeared with them
    lawyers: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship(back_populates="hearings")
    stage: Mapped[CaseStage | None] = relationship()
    notice_file: Mapped[StoredFile | None] = relationship(foreign_keys=[notice_file_id])
    absence_proof_file: Mapped[StoredFile | None] = relationship(
        foreign_keys=[absence_proof_file_id]
    )
    recorded_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"{self.case.reference} {self.starts_at:%Y-%m-%d}"


class Obligation(LabelledEnum):
    """What an effective judgment or decision obliges the government to do."""

    PAY = "pay"
    REDO_ACT = "redo_act"
    OTHER = "other"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.PAY: _l("Pay an amount"),
            cls.REDO_ACT: _l("Make the administrative act again"),
            cls.OTHER: _l("Another act"),
        }


class PerformanceStatus(LabelledEnum):
    PENDING = "pending"
    PERFORMED = "performed"

    @classmethod
    def labels(cls) -> dict:
        return {cls.PENDING: _l("Being performed"), cls.PERFORMED: _l("Performed")}


class CasePerformance(Audited, db.Model):
    """The government's performance of an effective judgment (履行生效判决)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("case_stage.id"))
    obligation: Mapped[Obligation] = mapped_column(EnumText(Obligation, 20))
    #: what the judgment orders, in its words
    description: Mapped[str] = mapped_column(Text)
    #: yuan to pay, for a payment
    amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    due_on: Mapped[date]
    status: Mapped[PerformanceStatus] = mapped_column(
        EnumText(PerformanceStatus, 20), default=PerformanceStatus.PENDING
    )
    performed_on: Mapped[date | None]
    proof: Mapped[str] = mapped_column(Text, default="")
    proof_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_case_performance_due", "status", "due_on"),)

    case: Mapped[Case] = relationship(back_populates="performances")
    stage: Mapped[CaseStage | None] = relationship()
    proof_file: Mapped[StoredFile | None] = relationship()

    def __str__(self) -> str:
        return f"{self.case.reference} {self.obligation.label}"

    def is_overdue(self, on: date | None = None) -> bool:
        return self.status is PerformanceStatus.PENDING and self.due_on < (on or today())


class SeriousKind(LabelledEnum):
    """The four failures seed 九.2 holds the leaders accountable for."""

    #: a defence, evidence or reply deadline passed undone: 不应诉、不举证
    MISSED_DEADLINE = "missed_deadline"
    #: nobody, or only a lawyer, appeared for the government: 不出庭
    NO_APPEARANCE = "no_appearance"
    #: an effective judgment not performed in time: 不履行
    NOT_PERFORMED = "not_performed"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.MISSED_DEADLINE: _l("Did not respond or submit evidence in time (不应诉、不举证)"),
            cls.NO_APPEARANCE: _l("Did not appear in court (不出庭)"),
            cls.NOT_PERFORMED: _l("Did not perform an effective judgment (不履行)"),
        }


class SeriousEvent(Audited, db.Model):
    """A flag to the leaders that stays until the office closes it with an explanation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[SeriousKind] = mapped_column(EnumText(SeriousKind, 20))
    #: what raised it, e.g. "deadline:12", "hearing:3", "performance:5": raised once each
    source: Mapped[str] = mapped_column(String(40), unique=True)
    raised_on: Mapped[date] = mapped_column(default=today)
    closed_on: Mapped[date | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    explanation: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_serious_event_open", "closed_on", "raised_on"),)

    case: Mapped[Case] = relationship(back_populates="serious_events")
    closed_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"{self.case.reference} {self.kind.label}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def source_kind(self) -> str:
        """What raised it: "deadline", "hearing" or "performance"."""
        return self.source.partition(":")[0]

    @property
    def source_id(self) -> int:
        return int(self.source.partition(":")[2])


class FollowUpKind(LabelledEnum):
    """What the government must answer or carry out, and is reminded of until it has."""

    JUDICIAL_SUGGESTION = "judicial_suggestion"
    RECONSIDERATION_ORDER = "reconsideration_order"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.JUDICIAL_SUGGESTION: _l("Judicial suggestion (司法建议)"),
            cls.RECONSIDERATION_ORDER: _l(
                "Reconsideration decision to be performed (行政复议决定履行督查)"
            ),
        }


class FollowUp(Audited, db.Model):
    """A court's judicial suggestion, or a reconsideration decision ordering a department to
    act: what it says, who answers, by when, and the reply and measures taken."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[FollowUpKind] = mapped_column(EnumText(FollowUpKind, 30))
    #: the case it arose from, when it is in the register
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    #: the court, or the reconsideration body
    issued_by: Mapped[str] = mapped_column(String(200))
    document_number: Mapped[str] = mapped_column(String(64), default="")
    received_on: Mapped[date]
    content: Mapped[str] = mapped_column(Text)
    #: the department that must answer; None: the district government itself
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    reply_due_on: Mapped[date]
    replied_on: Mapped[date | None]
    reply: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    reply_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_follow_up_open", "replied_on", "reply_due_on"),)

    case: Mapped[Case | None] = relationship(back_populates="follow_ups")
    department: Mapped[Department | None] = relationship()
    file: Mapped[StoredFile | None] = relationship(foreign_keys=[file_id])
    reply_file: Mapped[StoredFile | None] = relationship(foreign_keys=[reply_file_id])

    def __str__(self) -> str:
        return f"{self.kind.label} {self.document_number or self.received_on}"

    @property
    def is_answered(self) -> bool:
        return self.replied_on is not None

    def is_overdue(self, on: date | None = None) -> bool:
        return not self.is_answered and self.reply_due_on < (on or today())
