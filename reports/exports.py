"""The reports' tables as they are exported: one builder per table, shared by each report's
own export, the reports page's workbook and the yearly report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from advisers.models import Category, Post
from cases.particulars import in_wan
from consultations.models import MatterKind
from core import tables
from meetings.models import mark_labels
from reports import cases as case_queries
from reports import consultations as consultation_queries
from reports import overview, panel, queries


def period_words(year: int, quarter: int | None) -> str:
    return _("%(year)d, quarter %(q)d", year=year, q=quarter) if quarter else str(year)


def attendance_table(data: queries.AttendanceReport, year: int, quarter: int | None):
    header = [
        _("Adviser"),
        *(f"{m.day.isoformat()} {m.title}" for m in data.meetings),
        _("Present"),
        _("Excused"),
        _("Absent"),
        _("Attendance rate (%)"),
    ]
    labels = mark_labels()
    rows = [
        [
            row.adviser.name,
            *(labels.get(row.marks.get(m.id, ""), "—") for m in data.meetings),
            row.present,
            row.excused,
            row.absent,
            row.rate,
        ]
        for row in data.rows
    ]
    title = _("Attendance report, %(period)s", period=period_words(year, quarter))
    return tables.Table(title, _("Attendance"), header, rows)


def advisers_table(report: consultation_queries.ConsultationReport, period: str):
    header = [
        _("Adviser"),
        *(f"{kind.number}. {kind.label}" for kind in MatterKind),
        _("Matters"),
        _("As lead"),
        _("As co-adviser"),
        _("Opinions delivered"),
        _("On time"),
        _("On-time rate (%)"),
        _("Adopted"),
        _("Partly adopted"),
        _("Not adopted"),
        _("Hours logged"),
        _("Activities given"),
    ]
    rows = [
        [
            row.name,
            *row.kind_counts(),
            row.matters,
            row.lead,
            row.co,
            row.delivered,
            row.on_time,
            row.on_time_rate,
            row.adoptions.adopted,
            row.adoptions.partly,
            row.adoptions.not_adopted,
            row.hours,
            row.activities,
        ]
        for row in report.advisers
    ]
    title = _("Consultations by adviser, %(period)s", period=period)
    return tables.Table(title, _("By adviser"), header, rows)


def departments_table(report: consultation_queries.ConsultationReport, period: str):
    header = [
        _("Department"),
        _("Requests"),
        _("Returned"),
        _("Closed"),
        _("Adopted"),
        _("Partly adopted"),
        _("Not adopted"),
        _("Adoption rate (%)"),
    ]

    def line(name, row):
        a = row.adoptions
        return [name, row.requests, row.returned, row.closed, a.adopted, a.partly,
                a.not_adopted, a.rate]  # fmt: skip

    rows = [line(row.name, row) for row in report.departments]
    rows.append(line(_("Total"), report.department_total))
    title = _("Consultations by department, %(period)s", period=period)
    return tables.Table(title, _("By department"), header, rows)


def kinds_table(report: consultation_queries.ConsultationReport, period: str):
    header = [
        _("No."),
        _("Kind of matter"),
        _("Requests"),
        _("Opinions delivered"),
        _("On time"),
        _("On-time rate (%)"),
        _("Adopted"),
        _("Partly adopted"),
        _("Not adopted"),
        _("Adoption rate (%)"),
        _("Activities held"),
        _("People attending"),
    ]

    def line(number, name, row):
        a = row.adoptions
        return [number, name, row.requests, row.delivered, row.on_time, row.on_time_rate,
                a.adopted, a.partly, a.not_adopted, a.rate, row.activities,
                row.attendance]  # fmt: skip

    rows = [line(row.kind.number, row.kind.label, row) for row in report.kinds]
    rows.append(line(None, _("Total"), report.kind_total))
    title = _("Consultations by kind, %(period)s", period=period)
    return tables.Table(title, _("By kind"), header, rows)


#: the tables the consultation report exports, by the name in `?table=`
CONSULTATION_TABLES = {
    "advisers": advisers_table,
    "departments": departments_table,
    "kinds": kinds_table,
}


def _tally_table(title: str, sheet: str, heading: str, rows, total):
    """Cases by department or kind: their outcomes, win rate and amount."""
    header = [
        heading,
        _("Cases"),
        *(case_queries.outcome_label(code) for code in case_queries.OUTCOMES),
        _("Decided (won, lost or partly won)"),
        _("Win rate (%)"),
        _("Amount involved (yuan)"),
        _("Amount involved (ten thousand yuan)"),
    ]
    lines = [
        [
            row.label,
            row.cases,
            *row.outcome_counts(),
            row.decided,
            row.win_rate,
            row.amount,
            in_wan(row.amount),
        ]
        for row in [*rows, total]
    ]
    return tables.Table(title, sheet, header, lines)


def case_departments_table(report: case_queries.CaseReport, period: str):
    title = _("Lawsuits by department, %(period)s", period=period)
    figures = report.cases
    return _tally_table(
        title, _("By department"), _("Department"), figures.departments, figures.total
    )


def case_kinds_table(report: case_queries.CaseReport, period: str):
    title = _("Lawsuits by kind, %(period)s", period=period)
    figures = report.cases
    return _tally_table(title, _("By kind"), _("Kind of case"), figures.kinds, figures.total)


def case_outcomes_table(report: case_queries.CaseReport, period: str):
    header = [
        _("Outcome"),
        _("Cases"),
        _("Amount involved (yuan)"),
        _("Amount involved (ten thousand yuan)"),
    ]
    figures = report.cases
    rows = [
        [row.label, row.cases, row.amount, in_wan(row.amount)]
        for row in [*figures.outcomes, figures.total]
    ]
    title = _("Lawsuits by outcome, %(period)s", period=period)
    return tables.Table(title, _("By outcome"), header, rows)


def appearance_table(report: case_queries.CaseReport, period: str):
    header = [
        _("Department"),
        _("Hearings recorded"),
        _("The principal head appeared"),
        _("The deputy head in charge appeared"),
        _("Non-compliant (only a lawyer, or nobody)"),
        _("Principal head rate (%)"),
        _("Any head rate (%)"),
    ]
    rows = [
        [
            row.name,
            row.recorded,
            row.principal,
            row.deputy,
            row.non_compliant,
            row.principal_rate,
            row.head_rate,
        ]
        for row in [*report.appearance, report.appearance_total]
    ]
    title = _("Appearance in court (出庭应诉率), %(period)s", period=period)
    return tables.Table(title, _("Appearance"), header, rows)


def case_deadlines_table(report: case_queries.CaseReport, period: str):
    header = [
        _("Department"),
        _("Deadlines due"),
        _("Done on time"),
        _("Done late"),
        _("Missed"),
        _("Still running"),
        _("On time (%)"),
        _("Late (%)"),
        _("Missed (%)"),
    ]
    rows = [
        [
            row.name,
            row.due,
            row.on_time,
            row.late,
            row.missed,
            row.running,
            row.on_time_rate,
            row.late_rate,
            row.missed_rate,
        ]
        for row in [*report.deadlines, report.deadline_total]
    ]
    title = _("Statutory deadlines met, %(period)s", period=period)
    return tables.Table(title, _("Deadlines"), header, rows)


def reconsideration_table(report: case_queries.CaseReport, period: str):
    figures = report.reconsideration
    header = [_("Figure"), _("Number or rate"), _("Target (%)")]
    rows = [
        [_("Applications received"), figures.received, None],
        [_("Applications accepted"), figures.accepted, None],
        [_("Not accepted for another reason"), figures.refused, None],
        [_("Not accepted: the conditions are not met"), figures.ineligible, None],
        [_("Awaiting the review for acceptance"), figures.awaiting_review, None],
        [
            _("Acceptance rate of eligible applications (%)"),
            figures.acceptance_rate,
            figures.target,
        ],
        [_("Decisions made"), figures.decided, None],
        [_("Decisions made on time"), figures.decided_on_time, None],
        [_("On-time completion rate (%)"), figures.on_time_rate, figures.target],
    ]
    title = _("Reconsideration by the district government (行政复议), %(period)s", period=period)
    return tables.Table(title, _("Reconsideration"), header, rows)


def serious_table(report: case_queries.CaseReport, period: str):
    header = [_("Serious event"), _("Raised in the year"), _("Still open")]
    total = report.serious_total
    rows = [[row.kind.label, row.raised, row.still_open] for row in report.serious]
    rows.append([_("Total"), total.raised, total.still_open])
    title = _("Serious events, %(period)s", period=period)
    return tables.Table(title, _("Serious events"), header, rows)


#: the tables the lawsuits report exports, by the name in `?table=`
CASE_TABLES = {
    "departments": case_departments_table,
    "kinds": case_kinds_table,
    "outcomes": case_outcomes_table,
    "appearance": appearance_table,
    "deadlines": case_deadlines_table,
    "reconsideration": reconsideration_table,
    "serious": serious_table,
}


# --- the reports page: the panel, attendance by adviser, the 顾而不问 lists -------------------


def panel_size_table(report: panel.PanelReport, period: str):
    header = [_("Month's last day"), _("Members serving")]
    rows = [[day, members] for day, members in report.size]
    rows.append([_("Appointed in the period"), report.joined])
    rows.append([_("Left in the period"), report.left])
    title = _("The panel's size, %(period)s", period=period)
    return tables.Table(title, _("Panel size"), header, rows)


def panel_members_table(report: panel.PanelReport, period: str):
    posts = list(Post)
    header = [_("Category"), *(post.label for post in posts), _("Total")]
    rows = [
        [category.label, *(report.count(category, post) for post in posts), report.count(category)]
        for category in Category
    ]
    rows.append([_("Total"), *(report.count(post=post) for post in posts), report.total])
    title = _("Members by category and post on %(day)s", day=report.as_of.isoformat())
    return tables.Table(title, _("Members"), header, rows)


def adviser_attendance_table(report: queries.AttendanceReport, period: str):
    """Each adviser's counts and rate, without the meeting-by-meeting marks."""
    header = [_("Adviser"), _("Present"), _("Excused"), _("Absent"), _("Attendance rate (%)")]
    rows = [
        [row.adviser.name, row.present, row.excused, row.absent, row.rate] for row in report.rows
    ]
    title = _("Attendance by adviser, %(period)s", period=period)
    return tables.Table(title, _("Attendance"), header, rows)


def meeting_attendance_table(report: queries.AttendanceReport, period: str):
    header = [_("Day"), _("Meeting"), _("Present"), _("Absent"), _("Attendance rate (%)")]
    rows = [
        [m.day, m.title, m.present_count, m.absent_count, report.meeting_rate(m)]
        for m in report.meetings
    ]
    title = _("Attendance by meeting, %(period)s", period=period)
    return tables.Table(title, _("Meetings"), header, rows)


def idle_advisers_table(advisers, days: int, as_of: date):
    header = [_("Adviser"), _("Last assigned"), _("Never assigned"), _("Days")]
    rows = [[a.name, a.since, _("Yes") if a.never_assigned else "", a.days] for a in advisers]
    title = _("Advisers with no matter for %(n)d days, on %(day)s", n=days, day=as_of.isoformat())
    return tables.Table(title, _("Advisers not consulted"), header, rows)


def idle_departments_table(departments, days: int, as_of: date):
    header = [_("Department"), _("Last request"), _("Days")]
    rows = [[d.name, d.last_request, d.days] for d in departments]
    title = _(
        "Departments with no request for %(n)d days, on %(day)s", n=days, day=as_of.isoformat()
    )
    return tables.Table(title, _("Departments not consulting"), header, rows)


def rewards_table(report: overview.Overview, period: str):
    """The year's fund and its nominations; a reward belongs to a year, not a quarter."""
    standing = report.rewards
    header = [_("Adviser"), _("Status"), _("Government approved on"),
              _("Approval document number"), _("Amount (yuan)"), _("Paid on")]  # fmt: skip
    rows = [
        [n.adviser.name, n.status.label, n.approved_on, n.approval_doc_no, n.amount, n.paid_on]
        for n in report.nominations
    ]
    rows.append([_("The year's fund"), None, None, None, standing.amount, None])
    rows.append([_("Allocated"), None, None, None, standing.allocated, None])
    rows.append([_("Paid"), None, None, None, standing.paid, None])
    rows.append([_("Remaining"), None, None, None, standing.remaining, None])
    title = _("Rewards, %(year)d", year=report.year)
    return tables.Table(title, _("Rewards"), header, rows)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    #: rates from 0 to 100, rather than counts
    percent: bool = False


@dataclass
class Section:
    """A part of the reports page and of the yearly report: its tables and charts, and the
    page with the whole report."""

    id: str
    title: str
    tables: list[tables.Table]
    charts: list[Chart] = field(default_factory=list)
    endpoint: str | None = None
    #: which of the period's parts the whole report's page takes
    period_arguments: tuple[str, ...] = ("year", "quarter")

    def link_arguments(self, year: int, quarter: int | None) -> dict:
        given = {"year": year, "quarter": quarter}
        return {name: given[name] for name in self.period_arguments if given[name]}


def sections(report: overview.Overview) -> list[Section]:
    """The reports page's parts in order, each table built as its export builds it."""
    period = period_words(report.year, report.quarter)
    consultations, cases = report.consultations, report.cases
    return [
        Section(
            "panel",
            _("The panel"),
            [panel_size_table(report.panel, period), panel_members_table(report.panel, period)],
            [
                Chart("panelSize", _("Members serving at each month's end")),
                Chart("byCategory", _("Members by category")),
            ],
            "advisers.roster",
            (),
        ),
        Section(
            "attendance",
            _("Attendance"),
            [
                meeting_attendance_table(report.attendance, period),
                adviser_attendance_table(report.attendance, period),
            ],
            [Chart("attendanceByMeeting", _("Attendance rate by meeting"), percent=True)],
            "reports.attendance",
        ),
        Section(
            "workload",
            _("Workload per adviser"),
            [advisers_table(consultations, period)],
            endpoint="reports.consultations",
        ),
        Section(
            "consultations",
            _("Consultations"),
            [departments_table(consultations, period), kinds_table(consultations, period)],
            [
                Chart("consultationsByKind", _("Requests by kind of matter")),
                Chart("adoptionByDepartment", _("Adoption by department")),
            ],
            "reports.consultations",
        ),
        Section(
            "litigation",
            _("Litigation"),
            [build(cases, period) for build in CASE_TABLES.values()],
            [
                Chart("casesByKind", _("Cases by kind and outcome")),
                Chart(
                    "principalByDepartment",
                    _("Rate of the principal head appearing, by department"),
                    percent=True,
                ),
            ],
            "reports.cases",
            ("year",),
        ),
        Section(
            "rewards",
            _("Rewards"),
            [rewards_table(report, period)],
            endpoint="rewards.rewards",
            period_arguments=("year",),
        ),
        Section(
            "idle",
            _("Retained but not consulted (顾而不问)"),
            [
                idle_advisers_table(report.idle_advisers, report.idle_days, report.as_of),
                idle_departments_table(report.idle_departments, report.idle_days, report.as_of),
            ],
            endpoint="reports.idle",
            period_arguments=("year",),
        ),
    ]


def overview_tables(report: overview.Overview) -> list[tables.Table]:
    """Every table of the reports page, in its order: the workbook's sheets."""
    return [table for section in sections(report) for table in section.tables]
