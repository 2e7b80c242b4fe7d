"""Reads for the meetings pages: lists, a meeting with its invitees, an adviser's own meetings,
and each adviser's attendance records for the packages above.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from advisers.models import Adviser, Post, Term
from advisers.queries import serving_on
from core.extensions import db
from core.i18n import TIMEZONE
from core.models import utcnow
from meetings import rules
from meetings.models import Invitation, LeaveRequest, LeaveStatus, Meeting, MeetingStatus

MEETING_SORTS = {
    "when": Meeting.starts_at,
    "title": Meeting.title,
    "kind": Meeting.kind,
    "status": Meeting.status,
}


def local_midnight(day: date) -> datetime:
    """The first moment of a day in China Standard Time."""
    return datetime.combine(day, time.min, tzinfo=TIMEZONE)


def between_days(column, first: date, last: date):
    """The condition for a timestamp falling on a day from first to last, China time."""
    return (column >= local_midnight(first)) & (
        column < local_midnight(date.fromordinal(last.toordinal() + 1))
    )


def _meeting_filters(stmt, status: str, year: int | None):
    if status in MeetingStatus.values():
        stmt = stmt.where(Meeting.status == status)
    if year:
        stmt = stmt.where(between_days(Meeting.starts_at, date(year, 1, 1), date(year, 12, 31)))
    return stmt


def meetings_statement(status: str = "", year: int | None = None):
    """Meetings filtered by status and year, as plain rows with what the list shows (each
    row carries its own invitee count)."""
    columns = (Meeting.id, Meeting.title, Meeting.starts_at, Meeting.kind, Meeting.status)
    return _meeting_filters(select(*columns, Meeting.invitee_count), status, year)


def meetings_count(status: str = "", year: int | None = None):
    return _meeting_filters(select(func.count(Meeting.id)), status, year)


def meeting_detail(meeting_id: int) -> Meeting | None:
    stmt = (
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.invitations).selectinload(Invitation.adviser),
            selectinload(Meeting.invitations).selectinload(Invitation.leave_requests),
            selectinload(Meeting.topics),
        )
    )
    return db.session.scalar(stmt)


def pending_leave() -> list[LeaveRequest]:
    stmt = (
        select(LeaveRequest)
        .where(LeaveRequest.status == LeaveStatus.PENDING)
        .options(
            selectinload(LeaveRequest.invitation).selectinload(Invitation.meeting),
            selectinload(LeaveRequest.invitation).selectinload(Invitation.adviser),
        )
        .order_by(LeaveRequest.requested_at)
    )
    return list(db.session.scalars(stmt))


def adviser_names(ids) -> dict[int, str]:
    """The names of these advisers, by id; unknown ids are left out."""
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Adviser.id, Adviser.name).where(Adviser.id.in_(ids)))
    return dict(rows.all())


@dataclass
class OwnMeetings:
    """An adviser's coming meetings and the held meetings they were invited to."""

    upcoming: list[Invitation]
    past: list[Invitation]


def own_meetings(adviser: Adviser) -> OwnMeetings:
    invitations = list(
        db.session.scalars(
            select(Invitation)
            .join(Invitation.meeting)
            .where(Invitation.adviser_id == adviser.id)
            .options(selectinload(Invitation.meeting), selectinload(Invitation.leave_requests))
            .order_by(Meeting.starts_at.desc())
        )
    )
    now = utcnow()
    upcoming = [
        i for i in reversed(invitations) if i.meeting.is_planned and i.meeting.starts_at > now
    ]
    past = [i for i in invitations if i.meeting.is_held]
    return OwnMeetings(upcoming, past)


def attendance_records(adviser_ids: Iterable[int]) -> dict[int, list[rules.Attendance]]:
    """Each adviser's held meetings with their marks, in one query."""
    ids = list(set(adviser_ids))
    records: dict[int, list[rules.Attendance]] = defaultdict(list)
    if not ids:
        return records
    rows = db.session.execute(
        select(Invitation.adviser_id, Meeting.id, Meeting.starts_at, Invitation.mark)
        .join(Meeting, Invitation.meeting_id == Meeting.id)
        .where(Invitation.adviser_id.in_(ids), Meeting.status == MeetingStatus.HELD)
    )
    for adviser_id, meeting_id, starts_at, mark in rows:
        day = starts_at.astimezone(TIMEZONE).date()
        records[adviser_id].append(rules.Attendance(meeting_id, day, mark, starts_at))
    return records


@dataclass(frozen=True)
class PendingLeave:
    """A leave request awaiting the office's answer, as the to-do list shows it."""

    leave_id: int
    adviser: str
    meeting: str
    starts_at: datetime
    requested_at: datetime


def leave_to_answer(limit: int = 10) -> tuple[list[PendingLeave], int]:
    """The oldest requests awaiting an answer, soonest meeting first, and how many there are."""
    waiting = LeaveRequest.status == LeaveStatus.PENDING
    rows = db.session.execute(
        select(
            LeaveRequest.id,
            Adviser.name,
            Meeting.title,
            Meeting.starts_at,
            LeaveRequest.requested_at,
        )
        .join(Invitation, LeaveRequest.invitation_id == Invitation.id)
        .join(Adviser, Invitation.adviser_id == Adviser.id)
        .join(Meeting, Invitation.meeting_id == Meeting.id)
        .where(waiting)
        .order_by(Meeting.starts_at, LeaveRequest.id)
        .limit(limit)
    )
    listed = [PendingLeave(*row) for row in rows]
    total = len(listed)
    if total == limit:
        total = db.session.scalar(select(func.count(LeaveRequest.id)).where(waiting))
    return listed, total


@dataclass(frozen=True)
class Attendee:
    """An invitee as printed documents list them: by post, then by name."""

    name: str
    post: Post | None
    organisation: str | None


#: precedence on printed lists: 主任, 副主任, then members (and anyone no longer in a post)
POST_ORDER = {Post.DIRECTOR: 0, Post.DEPUTY_DIRECTOR: 1, Post.MEMBER: 2, None: 3}


def attendees_by_post(meeting: Meeting) -> list[Attendee]:
    """The meeting's invitees with the post each holds on the meeting's day, in one query."""
    day = meeting.day
    rows = db.session.execute(
        select(Adviser.name, Term.post, Adviser.organisation)
        .select_from(Invitation)
        .join(Adviser, Invitation.adviser_id == Adviser.id)
        .outerjoin(Term, (Term.adviser_id == Adviser.id) & serving_on(day))
        .where(Invitation.meeting_id == meeting.id)
    )
    attendees = [Attendee(name, post, organisation) for name, post, organisation in rows]
    return sorted(attendees, key=lambda a: (POST_ORDER[a.post], a.name))


def by_post(attendees: list[Attendee]) -> list[tuple[Post | None, list[Attendee]]]:
    """The attendees in groups of one post each, in order of precedence."""
    groups: dict[Post | None, list[Attendee]] = {}
    for attendee in attendees:
        groups.setdefault(attendee.post, []).append(attendee)
    return list(groups.items())


def names_by_mark(meeting: Meeting) -> dict[str, list[str]]:
    """The names of the invitees with each attendance mark, for the printed minutes."""
    rows = db.session.execute(
        select(Invitation.mark, Adviser.name)
        .join(Adviser, Invitation.adviser_id == Adviser.id)
        .where(Invitation.meeting_id == meeting.id, Invitation.mark.is_not(None))
        .order_by(Adviser.name)
    )
    names: dict[str, list[str]] = defaultdict(list)
    for mark, name in rows:
        names[rules.Mark(mark).value].append(name)
    return names


def approved_leave(adviser_ids: list[int], first_day: date, last_day: date) -> dict[int, list]:
    """Approved leave from meetings between two days, by adviser: an absence the office
    weighs before giving an adviser a matter due in that time."""
    start = datetime.combine(first_day, time.min, TIMEZONE)
    end = datetime.combine(last_day, time.max, TIMEZONE)
    rows = db.session.execute(
        select(Invitation.adviser_id, Meeting.starts_at)
        .join(LeaveRequest, LeaveRequest.invitation_id == Invitation.id)
        .join(Meeting, Meeting.id == Invitation.meeting_id)
        .where(
            Invitation.adviser_id.in_(adviser_ids),
            LeaveRequest.status == LeaveStatus.APPROVED,
            Meeting.starts_at.between(start, end),
        )
        .order_by(Meeting.starts_at)
    )
    found: dict[int, list] = {}
    for adviser_id, starts_at in rows:
        day = starts_at.astimezone(TIMEZONE).date()
        found.setdefault(adviser_id, []).append(_("On leave %(day)s", day=day.strftime("%m-%d")))
    return found
