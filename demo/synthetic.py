"""Synthetic panels for benchmarks and query-count tests.

Bulk inserts that bypass the services (and so the panel-size rule), to see how pages behave
with far more advisers or meetings than a real panel has. Never used for real data.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from advisers.models import (
    Adviser,
    Category,
    Gender,
    Nomination,
    NominationStatus,
    Post,
    Specialty,
    Term,
)
from core.extensions import db
from core.flow import commit
from core.i18n import today
from meetings import tallies
from meetings.models import Invitation, Meeting, MeetingKind, MeetingStatus
from meetings.queries import local_midnight

MARKS = ("present", "absent", "excused")


def _specialties() -> list[Specialty]:
    found = list(db.session.scalars(select(Specialty).order_by(Specialty.id)))
    if not found:
        found = [Specialty(name=f"领域{i}", name_en=f"Field {i}") for i in range(8)]
        db.session.add_all(found)
    return found


def bulk_panel(size: int, first: int = 0, serving_days: int = 30) -> None:
    """Add `size` advisers serving since `serving_days` ago, each with two specialties."""
    specialties = _specialties()
    start = today() - timedelta(days=serving_days)
    for i in range(first, first + size):
        adviser = Adviser(
            name=f"顾问{i:05d}",
            gender=Gender.FEMALE,
            category=Category.CPPCC,
            organisation="单位",
            specialties=specialties[i % 4 : i % 4 + 2],
        )
        db.session.add(adviser)
        db.session.add(
            Term(
                adviser=adviser,
                post=Post.MEMBER,
                start_on=start,
                end_on=start + timedelta(days=4000),
                letter_no=f"S{i}",
            )
        )
        db.session.add(
            Nomination(
                adviser=adviser,
                post=Post.MEMBER,
                recommended_on=start,
                status=NominationStatus.APPOINTED,
            )
        )
    commit()


def bulk_meetings(years: int, per_year: int = 20) -> None:
    """Held meetings over the last `years`, every adviser invited, marks in a fixed cycle.

    Invitations go in as plain inserts, so ten years of a 1,500-adviser panel load in seconds.
    """
    adviser_ids = list(db.session.scalars(select(Adviser.id).order_by(Adviser.id)))
    for m in range(years * per_year):
        starts = local_midnight(today() - timedelta(days=1 + m * 365 // per_year))
        starts += timedelta(hours=14)
        meeting = Meeting(
            kind=MeetingKind.REGULAR,
            title=f"会议{m}",
            place="会议室",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            status=MeetingStatus.HELD,
        )
        db.session.add(meeting)
        db.session.flush()
        rows = [
            {"meeting_id": meeting.id, "adviser_id": adviser_id, "mark": MARKS[(m + n) % 3]}
            for n, adviser_id in enumerate(adviser_ids)
        ]
        if rows:
            db.session.execute(insert(Invitation), rows)
    tallies.recount_all()
    commit()
