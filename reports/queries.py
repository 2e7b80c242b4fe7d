"""Reads for the dashboard and the attendance report; every cross-package report lands here.

The attendance report aggregates in SQL: per adviser and per meeting counts come from GROUP BY
queries, and the adviser × meeting marks are loaded only for the advisers on the page shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select

from advisers.models import Adviser
from core.extensions import db
from core.listing import paginate_rows
from meetings.models import Invitation, Meeting, MeetingStatus
from meetings.queries import between_days
from meetings.rules import Mark, rate_of


def period_bounds(year: int, quarter: int | None) -> tuple[date, date]:
    """First and last day of a year or of one of its quarters."""
    if quarter:
        first = date(year, 3 * quarter - 2, 1)
        last = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    else:
        first, last = date(year, 1, 1), date(year + 1, 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


@dataclass
class ReportRow:
    """One adviser's line: their marks by meeting and their counts."""

    adviser: Adviser
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
    meetings: list[Meeting]
    rows: list[ReportRow]
    #: the counts of present and absent advisers at each meeting
    by_meeting: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: the page of advisers shown, when the report is paged
    page: object = None

    def meeting_rate(self, meeting: Meeting) -> Decimal | None:
        return rate_of(*self.by_meeting.get(meeting.id, (0, 0)))

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


def _held_meetings(first: date, last: date) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.status == MeetingStatus.HELD, between_days(Meeting.starts_at, first, last)
            )
            .order_by(Meeting.starts_at)
        )
    )


def _counted(mark: Mark):
    return func.sum(case((Invitation.mark == mark, 1), else_=0))


def _adviser_counts(meeting_ids: list[int]):
    """Per adviser: present, excused and absent at these meetings, as a subquery."""
    return (
        select(
            Invitation.adviser_id.label("adviser_id"),
            _counted(Mark.PRESENT).label("present"),
            _counted(Mark.EXCUSED).label("excused"),
            _counted(Mark.ABSENT).label("absent"),
        )
        .where(Invitation.meeting_id.in_(meeting_ids))
        .group_by(Invitation.adviser_id)
        .subquery()
    )


def _rows_statement(meeting_ids: list[int], sort: str):
    counts = _adviser_counts(meeting_ids)
    judged = counts.c.present + counts.c.absent
    rate = case((judged == 0, None), else_=counts.c.present * 1.0 / judged)
    orders = {
        "name": (Adviser.name,),
        "rate": (judged == 0, rate),
        "absent": (counts.c.absent,),
    }
    key = sort.lstrip("-") if sort.lstrip("-") in orders else "name"
    columns = orders[key]
    if sort.startswith("-"):
        columns = tuple(c.desc() for c in columns)
    return (
        select(Adviser, counts.c.present, counts.c.excused, counts.c.absent)
        .join(counts, counts.c.adviser_id == Adviser.id)
        .order_by(*columns, Adviser.id)
    )


def _by_meeting(meeting_ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = db.session.execute(
        select(Invitation.meeting_id, _counted(Mark.PRESENT), _counted(Mark.ABSENT))
        .where(Invitation.meeting_id.in_(meeting_ids))
        .group_by(Invitation.meeting_id)
    )
    return {meeting_id: (present, absent) for meeting_id, present, absent in rows}


def _fill_marks(rows: list[ReportRow], meeting_ids: list[int]) -> None:
    if not rows:
        return
    by_adviser = {row.adviser.id: row for row in rows}
    marks = db.session.execute(
        select(Invitation.adviser_id, Invitation.meeting_id, Invitation.mark).where(
            Invitation.meeting_id.in_(meeting_ids), Invitation.adviser_id.in_(list(by_adviser))
        )
    )
    for adviser_id, meeting_id, mark in marks:
        by_adviser[adviser_id].marks[meeting_id] = mark.value if mark else ""


def _report_rows(result) -> list[ReportRow]:
    return [
        ReportRow(adviser, present or 0, excused or 0, absent or 0)
        for adviser, present, excused, absent in result
    ]


def attendance_report(
    first: date, last: date, sort: str = "name", page: int | None = None, per_page: int = 50
) -> AttendanceReport:
    """Advisers × held meetings in the period; one page of advisers, or all of them for export.

    A constant number of queries whatever the size of the panel or the period.
    """
    meetings = _held_meetings(first, last)
    if not meetings:
        return AttendanceReport(first, last, [], [])
    ids = [m.id for m in meetings]
    stmt = _rows_statement(ids, sort)
    pagination = None
    if page is None:
        rows = _report_rows(db.session.execute(stmt))
    else:
        invited = select(func.count(func.distinct(Invitation.adviser_id))).where(
            Invitation.meeting_id.in_(ids)
        )
        pagination = paginate_rows(stmt, page, per_page, count=invited)
        rows = _report_rows(pagination.items)
    _fill_marks(rows, ids)
    for row in rows:
        row.codes = [row.marks.get(meeting_id) for meeting_id in ids]
    return AttendanceReport(first, last, meetings, rows, _by_meeting(ids), pagination)
