"""Recounting what lists and reports read instead of counting invitations each time: each
meeting's invitees and marks, and each adviser's marks per quarter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import case, delete, func, insert, literal, select, update

from core.extensions import db
from meetings.models import AttendanceTally, Invitation, Meeting, MeetingStatus
from meetings.queries import between_days
from meetings.rules import Mark, quarter_bounds, quarter_of


def _counted(mark: Mark):
    return func.coalesce(func.sum(case((Invitation.mark == mark, 1), else_=0)), 0)


def _count_of(meeting_id: int, mark: Mark | None = None):
    stmt = select(func.count(Invitation.id)).where(Invitation.meeting_id == meeting_id)
    if mark is not None:
        stmt = stmt.where(Invitation.mark == mark)
    return stmt.scalar_subquery()


COUNTS = ("invitee_count", "present_count", "excused_count", "absent_count")


def recount_meeting(meeting: Meeting) -> None:
    """Count the meeting's invitees and marks into its own row (not an edit: no new version)."""
    db.session.flush()
    db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id)
        .values(
            invitee_count=_count_of(meeting.id),
            present_count=_count_of(meeting.id, Mark.PRESENT),
            excused_count=_count_of(meeting.id, Mark.EXCUSED),
            absent_count=_count_of(meeting.id, Mark.ABSENT),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(meeting, list(COUNTS))


#: the quarter number of a tally that covers the whole year
WHOLE_YEAR = 0


def recount(adviser_ids: Iterable[int] | None, day: date) -> None:
    """Recount the quarter of `day`, and its year, for these advisers (None: everyone)."""
    year, quarter = quarter_of(day)
    ids = None if adviser_ids is None else list(set(adviser_ids))
    if ids == []:
        return
    _recount_period(ids, year, quarter, *quarter_bounds(year, quarter))
    _recount_period(ids, year, WHOLE_YEAR, date(year, 1, 1), date(year, 12, 31))


def _recount_period(ids: list[int] | None, year: int, quarter: int, first: date, last: date):
    stale = delete(AttendanceTally).where(
        AttendanceTally.year == year, AttendanceTally.quarter == quarter
    )
    counts = (
        select(
            Invitation.adviser_id,
            literal(year),
            literal(quarter),
            _counted(Mark.PRESENT),
            _counted(Mark.EXCUSED),
            _counted(Mark.ABSENT),
        )
        .join(Meeting, Meeting.id == Invitation.meeting_id)
        .where(
            Meeting.status == MeetingStatus.HELD,
            Meeting.voided_at.is_(None),  # an INSERT … SELECT is not filtered for us
            between_days(Meeting.starts_at, first, last),
        )
        .group_by(Invitation.adviser_id)
    )
    if ids is not None:
        stale = stale.where(AttendanceTally.adviser_id.in_(ids))
        counts = counts.where(Invitation.adviser_id.in_(ids))
    db.session.execute(stale)
    columns = ["adviser_id", "year", "quarter", "present", "excused", "absent"]
    db.session.execute(insert(AttendanceTally).from_select(columns, counts))


def recount_all() -> None:
    """Recount every quarter that has a held meeting (after bulk loads)."""
    days = {
        m.day
        for m in db.session.scalars(select(Meeting).where(Meeting.status == MeetingStatus.HELD))
    }
    for year, quarter in sorted({quarter_of(day) for day in days}):
        recount(None, quarter_bounds(year, quarter)[0])
