"""Reads for the meetings pages: lists, an adviser's own record, candidates, the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from advisers.meetings import rules
from advisers.meetings.evaluation import attendance_records, current_rule_version, serving_since
from advisers.meetings.models import (
    CandidateStatus,
    DismissalCandidate,
    DismissalRuleVersion,
    Invitation,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingStatus,
)
from advisers.models import Adviser
from core.extensions import db
from core.i18n import TIMEZONE
from core.models import utcnow

MEETING_SORTS = {
    "when": Meeting.starts_at,
    "title": Meeting.title,
    "kind": Meeting.kind,
    "status": Meeting.status,
}


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TIMEZONE)


def meetings_statement(status: str = "", year: int | None = None):
    stmt = select(Meeting).options(selectinload(Meeting.invitations))
    if status in MeetingStatus.values():
        stmt = stmt.where(Meeting.status == status)
    if year:
        stmt = stmt.where(
            Meeting.starts_at >= local_midnight(date(year, 1, 1)),
            Meeting.starts_at < local_midnight(date(year + 1, 1, 1)),
        )
    return stmt


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


def candidates(status: str = "") -> list[DismissalCandidate]:
    stmt = select(DismissalCandidate).options(
        selectinload(DismissalCandidate.adviser),
        selectinload(DismissalCandidate.rule_version),
        selectinload(DismissalCandidate.decided_by),
    )
    if status in CandidateStatus.values():
        stmt = stmt.where(DismissalCandidate.status == status)
    return list(
        db.session.scalars(
            stmt.order_by(DismissalCandidate.raised_on.desc(), DismissalCandidate.id.desc())
        )
    )


def open_candidate_count() -> int:
    return db.session.scalar(
        select(func.count(DismissalCandidate.id)).where(
            DismissalCandidate.status == CandidateStatus.OPEN
        )
    )


def rule_versions() -> list[DismissalRuleVersion]:
    stmt = select(DismissalRuleVersion).options(selectinload(DismissalRuleVersion.created_by))
    return list(db.session.scalars(stmt.order_by(DismissalRuleVersion.id.desc())))


@dataclass
class OwnRecord:
    """What an adviser sees of their own meetings and attendance."""

    upcoming: list[Invitation]
    past: list[Invitation]
    rate: Decimal | None
    near_threshold: bool
    rule: rules.DismissalRule


def own_record(adviser: Adviser, today: date) -> OwnRecord:
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
    rule = current_rule_version().as_rule()
    term = adviser.term_on(today)
    records = attendance_records([adviser.id])[adviser.id]
    since = serving_since(adviser.terms, term) if term else today
    window = rules.in_window([r for r in records if r.day >= since], today, rule.window_months)
    near = bool(term) and rules.near_threshold(records, rule, today, since)
    return OwnRecord(upcoming, past, rules.attendance_rate(window), near, rule)


@dataclass
class AttendanceSummary:
    """An adviser's attendance at held meetings over the rule's window."""

    months: int
    present: int
    excused: int
    absent: int
    rate: Decimal | None


def attendance_summary(adviser: Adviser, today: date) -> AttendanceSummary:
    rule = current_rule_version().as_rule()
    records = rules.in_window(
        attendance_records([adviser.id])[adviser.id], today, rule.window_months
    )
    counts = {mark: sum(1 for r in records if r.mark == mark) for mark in rules.Mark}
    return AttendanceSummary(
        rule.window_months,
        counts[rules.Mark.PRESENT],
        counts[rules.Mark.EXCUSED],
        counts[rules.Mark.ABSENT],
        rules.attendance_rate(records),
    )


# --- the attendance report ---------------------------------------------------------------


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
    adviser: Adviser
    marks: dict[int, str] = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        return rules.attendance_rate(
            [rules.Attendance(m, date.min, rules.Mark(x)) for m, x in self.marks.items() if x]
        )

    def count(self, mark: str) -> int:
        return sum(1 for value in self.marks.values() if value == mark)


@dataclass
class AttendanceReport:
    first: date
    last: date
    meetings: list[Meeting]
    rows: list[ReportRow]

    def meeting_rate(self, meeting: Meeting) -> Decimal | None:
        return rules.attendance_rate(
            [
                rules.Attendance(meeting.id, date.min, rules.Mark(r.marks[meeting.id]))
                for r in self.rows
                if r.marks.get(meeting.id)
            ]
        )

    def chart_data(self) -> dict:
        """Rates by meeting and by adviser, for the report's charts."""

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


REPORT_SORTS = {
    "name": lambda row: row.adviser.name,
    "rate": lambda row: (row.rate is None, row.rate or 0),
    "absent": lambda row: row.count("absent"),
}


def attendance_report(first: date, last: date, sort: str = "name") -> AttendanceReport:
    """Advisers × held meetings in the period, with marks; three queries whatever the size."""
    meetings = list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.status == MeetingStatus.HELD,
                Meeting.starts_at >= local_midnight(first),
                Meeting.starts_at < local_midnight(date.fromordinal(last.toordinal() + 1)),
            )
            .order_by(Meeting.starts_at)
        )
    )
    rows: dict[int, ReportRow] = {}
    if meetings:
        invitations = db.session.scalars(
            select(Invitation)
            .where(Invitation.meeting_id.in_([m.id for m in meetings]))
            .options(selectinload(Invitation.adviser))
        )
        for invitation in invitations:
            row = rows.setdefault(invitation.adviser_id, ReportRow(invitation.adviser))
            row.marks[invitation.meeting_id] = invitation.mark or ""
    key = REPORT_SORTS.get(sort.lstrip("-"), REPORT_SORTS["name"])
    ordered = sorted(rows.values(), key=key, reverse=sort.startswith("-"))
    return AttendanceReport(first, last, meetings, ordered)
