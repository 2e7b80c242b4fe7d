"""The dashboard and the attendance report, which read more than one package."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from markupsafe import Markup

from advisers import queries as panel_queries
from core import tables
from core.i18n import today
from core.listing import choice_arg, int_arg, page_number
from core.policy import requires
from evaluation import queries as evaluation_queries
from meetings import queries as meeting_queries
from meetings.models import mark_labels
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
    period = _("%(year)d, quarter %(q)d", year=year, q=quarter) if quarter else str(year)
    title = _("Attendance report, %(period)s", period=period)
    return tables.Table(title, _("Attendance"), header, rows)


@bp.route("/reports/attendance.<any(csv, xlsx):fmt>")
@requires(READ)
def attendance_export(fmt: str):
    year, quarter = _report_period()
    table = _attendance_table(queries.attendance_report(year, quarter), year, quarter)
    stem = f"attendance-{year}{f'-q{quarter}' if quarter else ''}"
    return tables.download(table, fmt, stem)
