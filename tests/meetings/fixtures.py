"""Factories for meetings: a planned or held meeting with the serving advisers invited."""

from datetime import date, datetime, timedelta

import pytest

from advisers.models import Post
from core.extensions import db
from core.i18n import TIMEZONE, today
from meetings import services
from meetings.models import MeetingKind


def at(day: date, hour: int = 14) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TIMEZONE)


@pytest.fixture
def serving(appoint):
    """Three advisers serving since long ago."""
    return [
        appoint(post=Post.MEMBER, start=today() - timedelta(days=1000)).adviser for _ in range(3)
    ]


@pytest.fixture
def plan():
    """Plan a meeting on a day (default: a week ahead); held=True records it as held."""

    def make(day: date | None = None, held: bool = False, invitee_ids=None, title="定期会议"):
        day = day or today() + timedelta(days=7)
        meeting = services.plan_meeting(
            None,
            kind=MeetingKind.REGULAR,
            title=title,
            starts_at=at(day),
            ends_at=at(day, 16),
            place="第一会议室",
            invitee_ids=invitee_ids,
        )
        if held:
            services.hold_meeting(None, meeting)
        db.session.commit()
        return meeting

    return make


@pytest.fixture
def held_series(plan, serving):
    """Held meetings 30 days apart, ending yesterday; `marks` maps adviser index to marks."""

    def make(*rows: str):
        count = len(rows[0])
        meetings = [
            plan(today() - timedelta(days=1 + 30 * (count - 1 - i)), held=True)
            for i in range(count)
        ]
        for meeting in meetings:
            position = meetings.index(meeting)
            marks = {}
            for invitation in meeting.invitations:
                row = (
                    rows[serving.index(invitation.adviser)]
                    if invitation.adviser in serving
                    else "P" * count
                )
                code = row[position]
                mark = {"P": "present", "A": "absent", "E": "excused"}[code]
                marks[invitation.id] = (mark, "事假" if code == "E" else "")
            services.record_attendance(None, meeting, marks)
        db.session.commit()
        return meetings

    return make
