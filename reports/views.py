"""The dashboard, the attendance report and the consultation reports, which read more than one
package."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from advisers import queries as panel_queries
from consultations.models import MatterKind
from consultations.policy import REPORTS
from consultations.settings import idle_days
from core import tables
from core.i18n import today
from core.listing import choice_arg, int_arg, page_number
from core.policy import can, requires
from core.workdays import missing_next_year
from core.workdays.policy import READ_HOLIDAYS
from evaluation import queries as evaluation_queries
from meetings import queries as meeting_queries
from meetings.models import mark_labels
from meetings.policy import MANAGE as MANAGE_MEETINGS
from reports import consultations as consultation_queries
from reports import queries
from reports.policy import READ

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
        leave=meeting_queries.leave_to_answer(),
        missing=missing_next_year(day) if can(current_user, READ_HOLIDAYS) else None,
        matters=consultation_queries.matter_counts(day)
        if can(current_user, REPORTS) or can(current_user, MANAGE_MEETINGS)
        else None,
    )


def _report_period() -> tuple[int, int | None]:
    return int_arg("year", 2000, 2100) or today().year, int_arg("quarter", 1, 4)


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


@bp.route("/reports/consultations.xlsx")
@requires(REPORTS)
def consultations_export():
    """One table of the report as a workbook, or all three as its sheets."""
    year, quarter = _report_period()
    name = choice_arg("table", CONSULTATION_TABLES)
    report = consultation_queries.consultation_report(year, quarter)
    period = _period_words(year, quarter)
    chosen = [name] if name else list(CONSULTATION_TABLES)
    workbook = tables.to_xlsx(*(CONSULTATION_TABLES[n](report, period) for n in chosen))
    stem = f"consultations-{name or 'all'}-{year}{f'-q{quarter}' if quarter else ''}"
    return tables.xlsx_response(workbook, stem)


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
