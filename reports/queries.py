"""Reads for the dashboard and the attendance report; every cross-package report lands here.

The attendance report aggregates in SQL: per adviser and per meeting counts come from GROUP BY
queries, and the adviser × meeting marks are loaded only for the advisers on the page shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import String, bindparam, case, func, select, type_coerce

from advisers.models import Adviser
from core.extensions import db
from core.i18n import TIMEZONE
from core.listing import paginate_rows
from meetings.models import AttendanceTally, Invitation, Meeting, MeetingStatus
from meetings.queries import between_days
from meetings.rules import quarter_bounds, rate_of
from meetings.tallies import WHOLE_YEAR


def period_bounds(year: int, quarter: int | None) -> tuple[date, date]:
    """First and last day of a year or of one of its quarters."""
    if quarter:
        return quarter_bounds(year, quarter)
    return date(year, 1, 1), date(year, 12, 31)


@dataclass
class AdviserName:
    id: int
    name: str


@dataclass
class ReportRow:
    """One adviser's line: their marks by meeting and their counts."""

    adviser: AdviserName
    present: int = 0
    excused: int = 0
    absent: int = 0
    marks: dict[int, str] = field(default_factory=dict)
    #: the mark at each meeting of the report in order; None where not invited
    codes: list[str | None] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        return rate_of(self.present, self.absent)

    def count(self, mark: str) -> int:
        return getattr(self, str(mark))


@dataclass
class AttendanceReport:
    first: date
    last: date
    meetings: list[ReportMeeting]
    rows: list[ReportRow]
    #: the page of advisers shown, when the report is paged
    page: object = None

    def meeting_rate(self, meeting: ReportMeeting) -> Decimal | None:
        return rate_of(meeting.present_count, meeting.absent_count)

    def chart_data(self) -> dict:
        """Rates by meeting (all advisers) and by adviser (those shown), for the charts."""

        def numbers(values):
            return [None if v is None else float(v) for v in values]

        return {
            "byMeeting": {
                "labels": [m.day.isoformat() for m in self.meetings],
                "values": numbers(self.meeting_rate(m) for m in self.meetings),
            },
            "byAdviser": {
                "labels": [r.adviser.name for r in self.rows],
                "values": numbers(r.rate for r in self.rows),
            },
        }


@dataclass(frozen=True)
class ReportMeeting:
    """A held meeting as the report shows it: a column of marks."""

    id: int
    title: str
    day: date
    present_count: int
    absent_count: int


def _held_meetings(first: date, last: date) -> list[ReportMeeting]:
    rows = db.session.execute(
        select(
            Meeting.id,
            Meeting.title,
            Meeting.starts_at,
            Meeting.present_count,
            Meeting.absent_count,
        )
        .where(Meeting.status == MeetingStatus.HELD, between_days(Meeting.starts_at, first, last))
        .order_by(Meeting.starts_at)
    )
    return [
        ReportMeeting(id_, title, starts_at.astimezone(TIMEZONE).date(), present, absent)
        for id_, title, starts_at, present, absent in rows
    ]


def _in_period(year: int, quarter: int | None):
    return (AttendanceTally.year == year) & (AttendanceTally.quarter == (quarter or WHOLE_YEAR))


#: the orders the report can be sorted in; a leading "-" reverses
REPORT_SORTS = ("name", "-name", "rate", "-rate", "absent", "-absent")


def _rows_statement(year: int, quarter: int | None, sort: str):
    counts = AttendanceTally
    judged = counts.present + counts.absent
    rate = case((judged == 0, None), else_=counts.present * 1.0 / judged)
    orders = {
        "name": (Adviser.name,),
        "rate": (judged == 0, rate),
        "absent": (counts.absent,),
    }
    key = sort.lstrip("-") if sort.lstrip("-") in orders else "name"
    columns = orders[key]
    if sort.startswith("-"):
        columns = tuple(c.desc() for c in columns)
    return (
        select(Adviser.id, Adviser.name, counts.present, counts.excused, counts.absent)
        .join(counts, counts.adviser_id == Adviser.id)
        .where(_in_period(year, quarter))
        .order_by(*columns, Adviser.id)
    )


def _advisers_counted(year: int, quarter: int | None):
    return select(func.count()).select_from(AttendanceTally).where(_in_period(year, quarter))


#: the marks of some advisers at some meetings, as their stored text (the cells show codes);
#: built once, with the ids bound at each run
_MARKS = select(
    Invitation.adviser_id, Invitation.meeting_id, type_coerce(Invitation.mark, String)
).where(
    Invitation.meeting_id.in_(bindparam("meeting_ids", expanding=True)),
    Invitation.adviser_id.in_(bindparam("adviser_ids", expanding=True)),
)


def _fill_marks(rows: list[ReportRow], meeting_ids: list[int]) -> None:
    if not rows:
        return
    by_adviser = {row.adviser.id: row for row in rows}
    marks = db.session.execute(
        _MARKS, {"meeting_ids": meeting_ids, "adviser_ids": list(by_adviser)}
    )
    for adviser_id, meeting_id, code in marks:
        by_adviser[adviser_id].marks[meeting_id] = code or ""


def _report_rows(result) -> list[ReportRow]:
    return [
        ReportRow(AdviserName(adviser_id, name), present or 0, excused or 0, absent or 0)
        for adviser_id, name, present, excused, absent in result
    ]


def attendance_report(
    year: int,
    quarter: int | None = None,
    sort: str = "name",
    page: int | None = None,
    per_page: int = 50,
) -> AttendanceReport:
    """Advisers × held meetings in a year or quarter; one page of advisers, or all for export.

    A constant number of queries whatever the size of the panel or the period: the counts come
    from the quarterly tallies, the marks only for the advisers shown.
    """
    first, last = period_bounds(year, quarter)
    meetings = _held_meetings(first, last)
    if not meetings:
        return AttendanceReport(first, last, [], [])
    ids = [m.id for m in meetings]
    stmt = _rows_statement(year, quarter, sort)
    pagination = None
    if page is None:
        rows = _report_rows(db.session.execute(stmt))
    else:
        counted = _advisers_counted(year, quarter)
        pagination = paginate_rows(stmt, page, per_page, count=counted)
        rows = _report_rows(pagination.items)
    _fill_marks(rows, ids)
    for row in rows:
        row.codes = [row.marks.get(meeting_id) for meeting_id in ids]
    return AttendanceReport(first, last, meetings, rows, pagination)
