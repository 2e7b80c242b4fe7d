"""Reads for the lawsuits report and the dashboard's lawsuits card.

Every figure of the report comes from one GROUP BY query, so the page runs the same handful of
queries however many cases there are. What the figures mean:

- A case counts in the year it was **filed** (`Case.filed_on`). Its **outcome** is that of its
  latest stage (stages in the order recorded); a case whose latest stage has no outcome, or that
  has no stage yet, is **pending**.
- **Win rate**: won ÷ (won + lost + partly won), over the cases so decided; a case partly won
  counts as not won. Withdrawn, mediated and dismissed claims are outside the basis.
- **Appearance rate** (出庭应诉率): hearings of administrative cases held in the year whose
  appearance is recorded; the principal head alone, and any head (the principal head or the
  deputy in charge). A hearing where only a lawyer, or nobody, appeared is non-compliant.
- **Deadlines met**: the deadlines the government side must meet (the government, the
  respondent department, the reconsideration body) due in the year: done on time (a posted
  document by its postmark), done late, missed (not done, due before today), still running.
  The shares are taken over those settled: on time, late or missed.
- **Reconsideration** (seed 八.4), where the district government is the reconsideration body:
  applications received in the year; of those reviewed, accepted ÷ (accepted + refused), an
  application that does not meet the conditions being no eligible one; and of their decisions
  made, those made by the due date. Both targets are 100%.
- **Serious events** raised in the year, by kind, and how many of them are still open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import case, exists, func, or_, select, true

from cases.models import (
    Acceptance,
    Appearance,
    Case,
    CaseDeadline,
    CaseHearing,
    CaseKind,
    CaseStage,
    CaseStatus,
    FollowUp,
    GovernmentRole,
    Outcome,
    SeriousEvent,
    SeriousKind,
    StageKind,
)
from cases.policy import follow_ups_visible_to, visible_to
from cases.statutes import Party
from consultations.figures import percent
from core.extensions import db
from core.models import Department
from meetings.queries import between_days

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
#: the department filter's value for the district government itself (cases of no department)
GOVERNMENT = 0
#: a case whose latest stage has no outcome yet
PENDING = "pending"
#: the outcomes in the order the report shows them, pending last
OUTCOMES = (*(outcome.value for outcome in Outcome), PENDING)
#: the outcomes the win rate is taken over
JUDGED = (Outcome.WON, Outcome.LOST, Outcome.PARTLY)
#: the parties whose deadlines are the government side's own to meet
GOVERNMENT_PARTIES = (Party.GOVERNMENT, Party.RESPONDENT, Party.RECONSIDERATION_BODY)
#: the rules of the reconsideration body's decision period
DECISION_RULES = ("reconsideration_decision", "reconsideration_decision_simplified")
#: seed 八.4: accept every eligible application, decide every one in time
TARGET_RATE = Decimal(100)
#: how each outcome's bars are coloured in the chart (app.css variables)
OUTCOME_COLOURS = {
    Outcome.WON: "--bs-success",
    Outcome.PARTLY: "--bs-warning",
    Outcome.LOST: "--bs-danger",
    Outcome.WITHDRAWN: "--bs-gray-500",
    Outcome.MEDIATED: "--bs-info",
    Outcome.DISMISSED: "--bs-teal",
    PENDING: "--bs-gray-300",
}


def _count(condition):
    """How many rows of the group meet the condition."""
    return func.count(case((condition, 1)))


def _in_department(department: int | None):
    """The condition for cases of one department (GOVERNMENT: the district government's own);
    every case when None."""
    if department is None:
        return true()
    if department == GOVERNMENT:
        return Case.department_id.is_(None)
    return Case.department_id == department


def _department_name(name: str | None) -> str:
    return name if name is not None else _("The district government")


def outcome_label(code: str) -> str:
    return _("Pending") if code == PENDING else Outcome(code).label


# --- cases, outcomes and amounts ---------------------------------------------------------


@dataclass
class CaseTally:
    """Cases counted together: how many, the amount involved, and how each came out."""

    label: str
    #: what the row is of: a department's id (None: the district government), a kind, an
    #: outcome's code; None on a total
    key: object = None
    cases: int = 0
    amount: Decimal = ZERO
    #: cases by the outcome of their latest stage (an Outcome value, or PENDING)
    outcomes: dict[str, int] = field(default_factory=dict)

    def add(self, cases: int, amount: Decimal, outcome: str) -> None:
        self.cases += cases
        self.amount += amount
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + cases

    def count(self, outcome: str) -> int:
        return self.outcomes.get(outcome, 0)

    def outcome_counts(self) -> list[int]:
        """Cases of each outcome, in the order of OUTCOMES."""
        return [self.count(code) for code in OUTCOMES]

    @property
    def won(self) -> int:
        return self.count(Outcome.WON)

    @property
    def decided(self) -> int:
        """Won, lost or partly won: the basis of the win rate."""
        return sum(self.count(outcome) for outcome in JUDGED)

    @property
    def win_rate(self) -> Decimal | None:
        """Won of the decided, partly won counting as not won; None when none is decided."""
        return percent(self.won, self.decided)


def _case_groups(first: date, last: date, department: int | None) -> list[tuple]:
    """(department id, department name, kind, outcome code, cases, amount) for the cases filed
    in the period, grouped; the outcome is the latest stage's."""
    latest = (
        select(CaseStage.case_id, func.max(CaseStage.id).label("stage_id"))
        .group_by(CaseStage.case_id)
        .subquery("latest_stage")
    )
    rows = db.session.execute(
        select(
            Case.department_id,
            Department.name,
            Case.kind,
            CaseStage.outcome,
            func.count(Case.id),
            func.sum(Case.amount),
        )
        .outerjoin(Department, Department.id == Case.department_id)
        .outerjoin(latest, latest.c.case_id == Case.id)
        .outerjoin(CaseStage, CaseStage.id == latest.c.stage_id)
        .where(Case.filed_on.between(first, last), _in_department(department))
        .group_by(Case.department_id, Department.name, Case.kind, CaseStage.outcome)
    )
    return [
        (id_, name, kind, outcome.value if outcome else PENDING, cases, _yuan(amount))
        for id_, name, kind, outcome, cases, amount in rows
    ]


def _yuan(amount) -> Decimal:
    """A sum of amounts as whole cents (SQLite sums decimals as floating point)."""
    return ZERO if amount is None else Decimal(amount).quantize(CENT)


@dataclass
class CaseFigures:
    """The cases filed in the period by department, by kind and by outcome, and their total."""

    departments: list[CaseTally]
    kinds: list[CaseTally]
    outcomes: list[CaseTally]
    total: CaseTally


def case_figures(first: date, last: date, department: int | None = None) -> CaseFigures:
    """Cases, amounts and outcomes by department, kind and outcome, in one query."""
    departments: dict[int | None, CaseTally] = {}
    kinds = {kind: CaseTally(kind.label, kind) for kind in CaseKind}
    outcomes = {code: CaseTally(outcome_label(code), code) for code in OUTCOMES}
    total = CaseTally(_("Total"))
    for id_, name, kind, outcome, cases, amount in _case_groups(first, last, department):
        row = departments.setdefault(id_, CaseTally(_department_name(name), id_))
        for tally in (row, kinds[kind], outcomes[outcome], total):
            tally.add(cases, amount, outcome)
    by_size = sorted(departments.values(), key=lambda row: (-row.cases, row.label))
    return CaseFigures(by_size, list(kinds.values()), list(outcomes.values()), total)


# --- appearance in court --------------------------------------------------------------------


@dataclass
class AppearanceRow:
    """A department's hearings of administrative cases whose appearance is recorded."""

    id: int | None
    name: str
    recorded: int = 0
    principal: int = 0
    deputy: int = 0
    #: only a lawyer, or nobody, appeared
    non_compliant: int = 0

    @property
    def principal_rate(self) -> Decimal | None:
        """The principal head appeared in person."""
        return percent(self.principal, self.recorded)

    @property
    def head_rate(self) -> Decimal | None:
        """A head appeared: the principal head, or the deputy in charge."""
        return percent(self.principal + self.deputy, self.recorded)

    def add(self, other: AppearanceRow) -> None:
        self.recorded += other.recorded
        self.principal += other.principal
        self.deputy += other.deputy
        self.non_compliant += other.non_compliant


def appearance_by_department(
    first: date, last: date, department: int | None = None
) -> list[AppearanceRow]:
    """Per department, in one GROUP BY query: the recorded hearings of administrative cases held
    in the period, those where the principal head, the deputy in charge, or no one but a lawyer
    appeared. Lowest principal-head rate first."""
    appeared = CaseHearing.appeared
    rows = db.session.execute(
        select(
            Case.department_id,
            Department.name,
            func.count(CaseHearing.id),
            _count(appeared == Appearance.PRINCIPAL_HEAD),
            _count(appeared == Appearance.DEPUTY_HEAD),
            _count(appeared.in_([Appearance.LAWYER_ONLY, Appearance.NOBODY])),
        )
        .join(Case, Case.id == CaseHearing.case_id)
        .outerjoin(Department, Department.id == Case.department_id)
        .where(
            Case.kind == CaseKind.ADMINISTRATIVE,
            appeared.is_not(None),
            between_days(CaseHearing.starts_at, first, last),
            _in_department(department),
        )
        .group_by(Case.department_id, Department.name)
    )
    found = [
        AppearanceRow(id_, _department_name(name), recorded, principal, deputy, non_compliant)
        for id_, name, recorded, principal, deputy, non_compliant in rows
    ]
    return sorted(found, key=lambda row: (row.principal_rate, row.name))


# --- deadlines ------------------------------------------------------------------------------


def _done_on_time():
    """The condition for a deadline done in time: a posted document by its postmark
    (the SQL form of cases.deadlines.on_time)."""
    done_day = func.coalesce(CaseDeadline.postmarked_on, CaseDeadline.done_on)
    return CaseDeadline.done_on.is_not(None) & (done_day <= CaseDeadline.due_on)


@dataclass
class DeadlineRow:
    """A department's own deadlines due in the period and how they were met."""

    id: int | None
    name: str
    on_time: int = 0
    late: int = 0
    missed: int = 0
    #: not done, and not due before today: nothing to say yet
    running: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missed + self.running

    @property
    def settled(self) -> int:
        """Done, or missed: the basis of the shares."""
        return self.on_time + self.late + self.missed

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.settled)

    @property
    def late_rate(self) -> Decimal | None:
        return percent(self.late, self.settled)

    @property
    def missed_rate(self) -> Decimal | None:
        return percent(self.missed, self.settled)

    def add(self, other: DeadlineRow) -> None:
        self.on_time += other.on_time
        self.late += other.late
        self.missed += other.missed
        self.running += other.running


def deadlines_by_department(
    first: date, last: date, day: date, department: int | None = None
) -> list[DeadlineRow]:
    """Per department, in one query: the deadlines of the government side due in the period,
    done on time, done late, missed (open and due before `day`), or still running."""
    done = CaseDeadline.done_on.is_not(None)
    on_time = _done_on_time()
    rows = db.session.execute(
        select(
            Case.department_id,
            Department.name,
            _count(on_time),
            _count(done & ~on_time),
            _count(~done & (CaseDeadline.due_on < day)),
            _count(~done & (CaseDeadline.due_on >= day)),
        )
        .join(Case, Case.id == CaseDeadline.case_id)
        .outerjoin(Department, Department.id == Case.department_id)
        .where(
            CaseDeadline.party.in_([party.value for party in GOVERNMENT_PARTIES]),
            CaseDeadline.due_on.between(first, last),
            _in_department(department),
        )
        .group_by(Case.department_id, Department.name)
    )
    found = [DeadlineRow(id_, _department_name(name), *counts) for id_, name, *counts in rows]
    return sorted(found, key=lambda row: (-row.missed, -row.late, row.name))


# --- reconsideration (seed 八.4) ------------------------------------------------------------


@dataclass
class ReconsiderationFigures:
    """The district government as reconsideration body: applications received in the period,
    their review for acceptance and their decisions."""

    received: int = 0
    accepted: int = 0
    #: eligible, but not accepted: counted against the acceptance rate
    refused: int = 0
    #: not meeting the conditions: no eligible application, outside the rate
    ineligible: int = 0
    decided: int = 0
    decided_on_time: int = 0

    @property
    def awaiting_review(self) -> int:
        return self.received - self.accepted - self.refused - self.ineligible

    @property
    def eligible_reviewed(self) -> int:
        return self.accepted + self.refused

    @property
    def acceptance_rate(self) -> Decimal | None:
        """Accepted of the eligible applications reviewed."""
        return percent(self.accepted, self.eligible_reviewed)

    @property
    def on_time_rate(self) -> Decimal | None:
        """Decisions made by their due date, of those made."""
        return percent(self.decided_on_time, self.decided)

    @property
    def target(self) -> Decimal:
        return TARGET_RATE


def reconsideration_figures(
    first: date, last: date, department: int | None = None
) -> ReconsiderationFigures:
    """In one query: the applications received in the period by the district government as
    reconsideration body, how their review went, and their decisions made on time."""
    stage = CaseStage.id

    def stages(acceptance: Acceptance):
        return func.count(func.distinct(case((CaseStage.acceptance == acceptance, stage))))

    row = db.session.execute(
        select(
            func.count(func.distinct(stage)),
            stages(Acceptance.ACCEPTED),
            stages(Acceptance.REFUSED),
            stages(Acceptance.INELIGIBLE),
            _count(CaseDeadline.done_on.is_not(None)),
            _count(_done_on_time()),
        )
        .select_from(CaseStage)
        .join(Case, Case.id == CaseStage.case_id)
        .outerjoin(
            CaseDeadline,
            (CaseDeadline.stage_id == CaseStage.id) & CaseDeadline.rule.in_(DECISION_RULES),
        )
        .where(
            Case.government_role == GovernmentRole.RECONSIDERATION_BODY,
            CaseStage.kind == StageKind.RECONSIDERATION,
            CaseStage.filed_on.between(first, last),
            _in_department(department),
        )
    ).one()
    return ReconsiderationFigures(*row)


# --- serious events -------------------------------------------------------------------------


@dataclass
class SeriousRow:
    """Serious events of one kind raised in the period, and those still open."""

    kind: SeriousKind | None
    raised: int = 0
    still_open: int = 0


def serious_by_kind(first: date, last: date, department: int | None = None) -> list[SeriousRow]:
    """Every kind of serious event: how many were raised in the period, how many stay open."""
    rows = db.session.execute(
        select(
            SeriousEvent.kind,
            func.count(SeriousEvent.id),
            _count(SeriousEvent.closed_on.is_(None)),
        )
        .join(Case, Case.id == SeriousEvent.case_id)
        .where(SeriousEvent.raised_on.between(first, last), _in_department(department))
        .group_by(SeriousEvent.kind)
    )
    found = {kind: SeriousRow(kind, raised, still_open) for kind, raised, still_open in rows}
    return [found.get(kind, SeriousRow(kind)) for kind in SeriousKind]


# --- the report -----------------------------------------------------------------------------


@dataclass
class CaseReport:
    """The lawsuits report of a year: every figure the page shows, each a table."""

    first: date
    last: date
    cases: CaseFigures
    appearance: list[AppearanceRow]
    deadlines: list[DeadlineRow]
    reconsideration: ReconsiderationFigures
    serious: list[SeriousRow]

    @property
    def appearance_total(self) -> AppearanceRow:
        total = AppearanceRow(None, _("Total"))
        for row in self.appearance:
            total.add(row)
        return total

    @property
    def deadline_total(self) -> DeadlineRow:
        total = DeadlineRow(None, _("Total"))
        for row in self.deadlines:
            total.add(row)
        return total

    @property
    def serious_total(self) -> SeriousRow:
        return SeriousRow(
            None,
            sum(row.raised for row in self.serious),
            sum(row.still_open for row in self.serious),
        )

    def chart_data(self) -> dict:
        """What the page's charts draw, each the same figures as a table beside it.

        app.js draws each canvas whose data-chart names one of these keys: counts (one series,
        or several stacked) or, with data-chart-kind="percent", rates from 0 to 100.
        """

        def rates(values):
            return [None if value is None else float(value) for value in values]

        kinds = self.cases.kinds
        names = [row.name for row in self.appearance]
        return {
            # cases by kind, stacked by outcome
            "byKind": {
                "labels": [row.label for row in kinds],
                "series": [
                    {
                        "label": outcome_label(code),
                        "values": [row.count(code) for row in kinds],
                        "colour": OUTCOME_COLOURS[code],
                    }
                    for code in OUTCOMES
                ],
            },
            # appearance by department: the principal head alone, and any head
            "principalByDepartment": {
                "labels": names,
                "values": rates(row.principal_rate for row in self.appearance),
            },
            "anyHeadByDepartment": {
                "labels": names,
                "values": rates(row.head_rate for row in self.appearance),
            },
        }


def case_report(year: int, day: date, department: int | None = None) -> CaseReport:
    """The lawsuits report for a year, all departments or one (GOVERNMENT: the district
    government's own cases); `day` is today, which tells a missed deadline from a running one.

    Five queries whatever the number of cases.
    """
    return case_report_between(date(year, 1, 1), date(year, 12, 31), day, department)


def case_report_between(
    first: date, last: date, day: date, department: int | None = None
) -> CaseReport:
    """The lawsuits report for any period, such as a quarter."""
    return CaseReport(
        first,
        last,
        cases=case_figures(first, last, department),
        appearance=appearance_by_department(first, last, department),
        deadlines=deadlines_by_department(first, last, day, department),
        reconsideration=reconsideration_figures(first, last, department),
        serious=serious_by_kind(first, last, department),
    )


def department_choices() -> list[tuple[int, str]]:
    """The report's department filter: the district government itself, then the departments in
    use or with cases, by name."""
    has_cases = exists(select(Case.id).where(Case.department_id == Department.id))
    rows = db.session.execute(
        select(Department.id, Department.name)
        .where(or_(Department.is_active, has_cases))
        .order_by(Department.name, Department.id)
    )
    return [(GOVERNMENT, _("The district government")), *(tuple(row) for row in rows)]


# --- the dashboard --------------------------------------------------------------------------

#: items each of the card's lists shows; the rest are counted
CARD_ITEMS = 8
#: "this week": today and the six days after
WEEK_DAYS = 7
#: hearings coming: today and the thirteen days after
HEARING_DAYS = 14


@dataclass(frozen=True)
class DueDeadline:
    """An open deadline on the card: the deadline, and the case it belongs to."""

    deadline: CaseDeadline
    case_id: int
    reference: str
    cause: str


@dataclass(frozen=True)
class OpenEvent:
    """A serious event not closed yet, and its case."""

    kind: SeriousKind
    raised_on: date
    case_id: int
    reference: str
    cause: str


@dataclass(frozen=True)
class ComingHearing:
    """A hearing coming, where it is held (the court when no room is given), and its case."""

    starts_at: datetime
    place: str
    case_id: int
    reference: str
    cause: str


@dataclass
class ShortList:
    """The first few items of a list, and how many there are in all."""

    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class FollowUpCounts:
    """Court suggestions and reconsideration orders awaiting their reply, and those overdue."""

    awaiting: int
    overdue: int


@dataclass
class LawsuitsCard:
    """What the dashboard's lawsuits card shows one user on a day."""

    day: date
    this_week: ShortList
    overdue: ShortList
    events: ShortList
    hearings: ShortList
    #: None when the user may not read the follow-ups
    follow_ups: FollowUpCounts | None = None


def _open_case():
    return Case.status == CaseStatus.OPEN


def due_deadlines(user, day: date) -> tuple[ShortList, ShortList]:
    """The open deadlines of the open cases the user may see: those due this week (today to
    six days on) and those overdue, the first few of each by due date, in one query."""
    overdue = CaseDeadline.due_on < day
    ranked = visible_to(
        user,
        select(
            CaseDeadline.id.label("deadline_id"),
            overdue.label("is_overdue"),
            func.row_number()
            .over(partition_by=overdue, order_by=(CaseDeadline.due_on, CaseDeadline.id))
            .label("place"),
            func.count().over(partition_by=overdue).label("total"),
        )
        .join(Case, Case.id == CaseDeadline.case_id)
        .where(
            CaseDeadline.done_on.is_(None),
            CaseDeadline.due_on <= day + timedelta(days=WEEK_DAYS - 1),
            _open_case(),
        ),
    ).subquery("ranked")
    rows = db.session.execute(
        select(
            CaseDeadline, Case.id, Case.reference, Case.cause, ranked.c.is_overdue, ranked.c.total
        )
        .join(ranked, ranked.c.deadline_id == CaseDeadline.id)
        .join(Case, Case.id == CaseDeadline.case_id)
        .where(ranked.c.place <= CARD_ITEMS)
        .order_by(CaseDeadline.due_on, CaseDeadline.id)
    )
    week, late = ShortList(), ShortList()
    for deadline, case_id, reference, cause, is_overdue, total in rows:
        into = late if is_overdue else week
        into.items.append(DueDeadline(deadline, case_id, reference, cause))
        into.total = total
    return week, late


def _short_list(stmt, make) -> ShortList:
    """The first CARD_ITEMS rows of an ordered statement, made into items, and the total."""
    rows = db.session.execute(
        stmt.add_columns(func.count().over().label("total")).limit(CARD_ITEMS)
    ).all()
    return ShortList([make(*row[:-1]) for row in rows], rows[0].total if rows else 0)


def open_events(user) -> ShortList:
    """The serious events not closed, on the cases the user may see, oldest first."""
    stmt = visible_to(
        user,
        select(SeriousEvent.kind, SeriousEvent.raised_on, Case.id, Case.reference, Case.cause)
        .join(Case, Case.id == SeriousEvent.case_id)
        .where(SeriousEvent.closed_on.is_(None))
        .order_by(SeriousEvent.raised_on, SeriousEvent.id),
    )
    return _short_list(stmt, OpenEvent)


def coming_hearings(user, day: date) -> ShortList:
    """Hearings of the open cases the user may see, from today to 13 days on (China time)."""
    last = day + timedelta(days=HEARING_DAYS - 1)
    stmt = visible_to(
        user,
        select(
            CaseHearing.starts_at,
            func.coalesce(func.nullif(CaseHearing.place, ""), Case.court),
            Case.id,
            Case.reference,
            Case.cause,
        )
        .join(Case, Case.id == CaseHearing.case_id)
        .where(between_days(CaseHearing.starts_at, day, last), _open_case())
        .order_by(CaseHearing.starts_at, CaseHearing.id),
    )
    return _short_list(stmt, ComingHearing)


def follow_up_counts(user, day: date) -> FollowUpCounts:
    """The follow-ups the user may see awaiting their reply, and those past the reply date, in
    one query."""
    row = db.session.execute(
        follow_ups_visible_to(
            user,
            select(func.count(FollowUp.id), _count(FollowUp.reply_due_on < day)).where(
                FollowUp.replied_on.is_(None)
            ),
        )
    ).one()
    return FollowUpCounts(*row)


def lawsuits_card(user, day: date, with_follow_ups: bool) -> LawsuitsCard:
    """The dashboard's lawsuits card for a user, in three queries; a fourth counts the
    follow-ups when the user may read them."""
    this_week, overdue = due_deadlines(user, day)
    return LawsuitsCard(
        day,
        this_week,
        overdue,
        open_events(user),
        coming_hearings(user, day),
        follow_up_counts(user, day) if with_follow_ups else None,
    )
