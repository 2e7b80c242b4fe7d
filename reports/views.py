"""The dashboard, the attendance report, the consultation reports and the lawsuits report, which
read more than one package."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from advisers import queries as panel_queries
from advisers.policy import POOL_MANAGE
from advisers.pool import queries as pool_queries
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
from reports import exports, queries
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
        no_legal_staff=pool_queries.count_units_without_legal_staff()
        if can(current_user, POOL_MANAGE)
        else 0,
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


def period_arguments() -> tuple[int, int | None]:
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
    year, quarter = period_arguments()
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


@bp.route("/reports/attendance.<any(csv, xlsx):fmt>")
@requires(READ)
def attendance_export(fmt: str):
    year, quarter = period_arguments()
    table = exports.attendance_table(queries.attendance_report(year, quarter), year, quarter)
    stem = f"attendance-{year}{f'-q{quarter}' if quarter else ''}"
    return tables.download(table, fmt, stem)


# --- consultations ---------------------------------------------------------------------


def series_labels() -> dict[str, str]:
    return {
        "requests": _("Requests"),
        "adopted": _("Adopted"),
        "partly": _("Partly adopted"),
        "not_adopted": _("Not adopted"),
    }


@bp.route("/reports/consultations")
@requires(REPORTS)
def consultations():
    year, quarter = period_arguments()
    report = consultation_queries.consultation_report(year, quarter)
    return render_template(
        "reports/consultations.html",
        report=report,
        charts=report.chart_data(series_labels()),
        year=year,
        quarter=quarter,
        kinds=list(MatterKind),
    )


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
    year, quarter = period_arguments()
    return _export(
        exports.CONSULTATION_TABLES,
        lambda: consultation_queries.consultation_report(year, quarter),
        exports.period_words(year, quarter),
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


@bp.route("/reports/cases.xlsx")
@requires(CASES)
def cases_export():
    """One table of the lawsuits report as a workbook, or all seven as its sheets."""
    year, department, choices = _case_filter()
    period = str(year) if department is None else f"{year}, {dict(choices)[department]}"
    scope = "" if department is None else f"-d{department}"
    return _export(
        exports.CASE_TABLES,
        lambda: case_queries.case_report(year, today(), department),
        period,
        f"cases-{{table}}-{year}{scope}",
    )
