"""The dashboard, the attendance report, the consultation reports and the lawsuits report, which
read more than one package."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from advisers import queries as panel_queries
from cases.particulars import in_wan
from cases.policy import FOLLOW_UPS
from cases.policy import READ as READ_CASES
from consultations.models import MatterKind
from consultations.policy import REPORTS
from consultations.settings import idle_days
from core import tables
from core.errors import BadArgument
from core.i18n import today
from core.listing import choice_arg, int_arg, page_number
from core.policy import can, requires
from core.workdays import missing_next_year
from core.workdays.policy import READ_HOLIDAYS
from evaluation import annual_queries as evaluation_annual
from evaluation import queries as evaluation_queries
from evaluation.policy import EVALUATE
from meetings import queries as meeting_queries
from meetings.models import mark_labels
from meetings.policy import MANAGE as MANAGE_MEETINGS
from reports import cases as case_queries
from reports import consultations as consultation_queries
from reports import queries
from reports.policy import CASES, READ

bp = Blueprint("reports", __name__)

#: a term ending within this many days is on the office's to-do list
TODO_DAYS = 30
#: advisers on one page of the attendance report: each row holds a cell per meeting
REPORT_PAGE_SIZE = 25


@bp.route("/dashboard")
@requires(READ)
def dashboard():
    day = today()
    ending = panel_queries.terms_ending(day, 90)
    return render_template(
        "reports/dashboard.html",
        summary=panel_queries.panel_summary(day),
        ending=ending,
        soon=[term for term in ending if (term.end_on - day).days <= TODO_DAYS],
        pending=panel_queries.pending_nominations(),
        open_candidates=evaluation_queries.open_candidate_count(),
        reviews=evaluation_annual.reviews_to_answer() if can(current_user, EVALUATE) else (0, None),
        leave=meeting_queries.leave_to_answer(),
        missing=missing_next_year(day) if can(current_user, READ_HOLIDAYS) else None,
        matters=consultation_queries.matter_counts(day)
        if can(current_user, REPORTS) or can(current_user, MANAGE_MEETINGS)
        else None,
        lawsuits=case_queries.lawsuits_card(current_user, day, can(current_user, FOLLOW_UPS))
        if can(current_user, READ_CASES)
        else None,
    )


def _report_year() -> int:
    return int_arg("year", 2000, 2100) or today().year


def _report_period() -> tuple[int, int | None]:
    return _report_year(), int_arg("quarter", 1, 4)


#: how each mark shows in the matrix: (CSS class, symbol); "" is a mark not yet recorded
MARK_CELLS = {
    "present": ("", "✓"),
    "excused": ("table-info", "○"),
    "absent": ("table-danger", "✗"),
    "": ("", "·"),
}


def matrix_cells(labels: dict[str, str]):
    """A function giving one row's cells for its marks, each cell's markup built once.

    The matrix holds a cell per adviser and meeting: hundreds a page.
    """
    cells = {None: Markup("<td></td>")}
    for code, (css, symbol) in MARK_CELLS.items():
        cells[code] = Markup('<td class="{}" title="{}">{}</td>').format(
            css, labels.get(code, ""), symbol
        )
    # the cells are markup already: joined as plain text, not escaped one by one again
    return lambda codes: Markup("".join([cells[code] for code in codes]))


@bp.route("/reports/attendance")
@requires(READ)
def attendance():
    year, quarter = _report_period()
    sort = choice_arg("sort", queries.REPORT_SORTS, "name")
    data = queries.attendance_report(year, quarter, sort, page_number(), REPORT_PAGE_SIZE)
    return render_template(
        "reports/attendance.html",
        report=data,
        year=year,
        quarter=quarter,
        sort=sort,
        row_cells=matrix_cells(mark_labels()),
    )


def _period_words(year: int, quarter: int | None) -> str:
    return _("%(year)d, quarter %(q)d", year=year, q=quarter) if quarter else str(year)


def _attendance_table(data: queries.AttendanceReport, year: int, quarter: int | None):
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
    title = _("Attendance report, %(period)s", period=_period_words(year, quarter))
    return tables.Table(title, _("Attendance"), header, rows)


@bp.route("/reports/attendance.<any(csv, xlsx):fmt>")
@requires(READ)
def attendance_export(fmt: str):
    year, quarter = _report_period()
    table = _attendance_table(queries.attendance_report(year, quarter), year, quarter)
    stem = f"attendance-{year}{f'-q{quarter}' if quarter else ''}"
    return tables.download(table, fmt, stem)


# --- consultations ---------------------------------------------------------------------


def _series_labels() -> dict[str, str]:
    return {
        "requests": _("Requests"),
        "adopted": _("Adopted"),
        "partly": _("Partly adopted"),
        "not_adopted": _("Not adopted"),
    }


@bp.route("/reports/consultations")
@requires(REPORTS)
def consultations():
    year, quarter = _report_period()
    report = consultation_queries.consultation_report(year, quarter)
    return render_template(
        "reports/consultations.html",
        report=report,
        charts=report.chart_data(_series_labels()),
        year=year,
        quarter=quarter,
        kinds=list(MatterKind),
    )


def _advisers_table(report: consultation_queries.ConsultationReport, period: str):
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


def _departments_table(report: consultation_queries.ConsultationReport, period: str):
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


def _kinds_table(report: consultation_queries.ConsultationReport, period: str):
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
    "advisers": _advisers_table,
    "departments": _departments_table,
    "kinds": _kinds_table,
}


def _export(builders: dict, read_report, period: str, stem: str):
    """One table of a report as a workbook (`?table=` names it), or all of them as its sheets;
    `stem` holds `{table}`, the name of the one or "all"."""
    name = choice_arg("table", builders)
    report = read_report()
    chosen = [name] if name else list(builders)
    workbook = tables.to_xlsx(*(builders[n](report, period) for n in chosen))
    return tables.xlsx_response(workbook, stem.format(table=name or "all"))


@bp.route("/reports/consultations.xlsx")
@requires(REPORTS)
def consultations_export():
    """One table of the report as a workbook, or all three as its sheets."""
    year, quarter = _report_period()
    return _export(
        CONSULTATION_TABLES,
        lambda: consultation_queries.consultation_report(year, quarter),
        _period_words(year, quarter),
        f"consultations-{{table}}-{year}{f'-q{quarter}' if quarter else ''}",
    )


@bp.route("/reports/idle")
@requires(REPORTS)
def idle():
    """Advisers retained but not consulted, departments that do not consult (顾而不问)."""
    day, days = today(), idle_days()
    year = int_arg("year", 2000, 2100) or day.year
    by_quarter = consultation_queries.requests_by_quarter(year)
    return render_template(
        "reports/idle.html",
        day=day,
        days=days,
        year=year,
        advisers=consultation_queries.idle_advisers(day, days),
        departments=consultation_queries.idle_departments(day, days),
        by_quarter=by_quarter,
        quarter_totals=consultation_queries.quarter_totals(by_quarter),
    )


# --- lawsuits --------------------------------------------------------------------------


def _case_filter() -> tuple[int, int | None, list[tuple[int, str]]]:
    """The lawsuits report's year and department (`?department=0`: the district government's
    own cases), and the departments to choose from; an unknown department is a 400."""
    year = _report_year()
    choices = case_queries.department_choices()
    department = int_arg("department", case_queries.GOVERNMENT)
    if department is not None and department not in dict(choices):
        raise BadArgument("department", str(department))
    return year, department, choices


@bp.route("/reports/cases")
@requires(CASES)
def cases():
    year, department, choices = _case_filter()
    report = case_queries.case_report(year, today(), department)
    return render_template(
        "reports/cases.html",
        report=report,
        charts=report.chart_data(),
        year=year,
        department=department,
        departments=choices,
        outcomes=[(code, case_queries.outcome_label(code)) for code in case_queries.OUTCOMES],
    )


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


def _case_departments_table(report: case_queries.CaseReport, period: str):
    title = _("Lawsuits by department, %(period)s", period=period)
    figures = report.cases
    return _tally_table(
        title, _("By department"), _("Department"), figures.departments, figures.total
    )


def _case_kinds_table(report: case_queries.CaseReport, period: str):
    title = _("Lawsuits by kind, %(period)s", period=period)
    figures = report.cases
    return _tally_table(title, _("By kind"), _("Kind of case"), figures.kinds, figures.total)


def _case_outcomes_table(report: case_queries.CaseReport, period: str):
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


def _appearance_table(report: case_queries.CaseReport, period: str):
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


def _case_deadlines_table(report: case_queries.CaseReport, period: str):
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


def _reconsideration_table(report: case_queries.CaseReport, period: str):
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


def _serious_table(report: case_queries.CaseReport, period: str):
    header = [_("Serious event"), _("Raised in the year"), _("Still open")]
    total = report.serious_total
    rows = [[row.kind.label, row.raised, row.still_open] for row in report.serious]
    rows.append([_("Total"), total.raised, total.still_open])
    title = _("Serious events, %(period)s", period=period)
    return tables.Table(title, _("Serious events"), header, rows)


#: the tables the lawsuits report exports, by the name in `?table=`
CASE_TABLES = {
    "departments": _case_departments_table,
    "kinds": _case_kinds_table,
    "outcomes": _case_outcomes_table,
    "appearance": _appearance_table,
    "deadlines": _case_deadlines_table,
    "reconsideration": _reconsideration_table,
    "serious": _serious_table,
}


@bp.route("/reports/cases.xlsx")
@requires(CASES)
def cases_export():
    """One table of the lawsuits report as a workbook, or all seven as its sheets."""
    year, department, choices = _case_filter()
    period = str(year) if department is None else f"{year}, {dict(choices)[department]}"
    scope = "" if department is None else f"-d{department}"
    return _export(
        CASE_TABLES,
        lambda: case_queries.case_report(year, today(), department),
        period,
        f"cases-{{table}}-{year}{scope}",
    )
