"""Due-date reminders go once to the lead and the office; long-overdue ones reach the leaders;
the due dates are in the calendar feed of those who may see the matter."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from consultations import services
from consultations.jobs import remind_due_matters
from core.extensions import db
from core.models import Notification


def _subjects(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.subject).where(Notification.user_id == user.id))
    )


def _assigned(world, request_matter, due_on):
    matter = request_matter(received_on=date(2026, 11, 2), due_on=due_on)
    services.accept_matter(world.office, matter)
    services.assign(world.office, matter, lead_id=world.advisers[0].id)
    db.session.commit()
    return matter


def test_due_soon_today_and_overdue_reminders_go_once(world, request_matter):
    friday = date(2026, 11, 27)
    soon = _assigned(world, request_matter, date(2026, 12, 2))  # 3 working days ahead
    later = _assigned(world, request_matter, date(2026, 12, 3))  # 4: not yet
    today_ = _assigned(world, request_matter, friday)
    late = _assigned(world, request_matter, date(2026, 11, 25))
    summary = remind_due_matters(friday)
    assert summary == "due soon 1, due today 1, overdue 1, escalated 0"
    lead = world.adviser_users[0]
    subjects = _subjects(lead)
    assert sum(soon.title in s for s in subjects) >= 1
    assert not any("12-03" in s for s in subjects)
    assert any(today_.title in s for s in _subjects(world.office))
    assert later.id and late.id
    count = db.session.scalar(select(func.count(Notification.id)))
    remind_due_matters(friday)
    assert db.session.scalar(select(func.count(Notification.id))) == count


def test_five_working_days_overdue_reach_the_leaders(world, request_matter):
    matter = _assigned(world, request_matter, date(2026, 11, 20))  # Friday
    assert "escalated 0" in remind_due_matters(date(2026, 11, 26))  # 4 working days late
    assert "escalated 1" in remind_due_matters(date(2026, 11, 27))  # 5
    assert any(matter.title in s for s in _subjects(world.viewer))


def test_due_dates_are_in_the_calendar_feed_of_those_who_see_the_matter(
    client, world, request_matter
):
    matter = _assigned(world, request_matter, date(2026, 12, 2))
    lead, other = world.adviser_users[0], world.adviser_users[2]
    feed = client.get(f"/calendar/{lead.calendar_token}.ics").get_data(as_text=True)
    assert f"UID:matter-due-{matter.id}@" in feed
    assert "DTSTART;VALUE=DATE:20261202" in feed
    assert "matter-due" not in client.get(f"/calendar/{other.calendar_token}.ics").get_data(
        as_text=True
    )
    liaison_feed = client.get(f"/calendar/{world.liaison.calendar_token}.ics")
    assert f"matter-due-{matter.id}@" in liaison_feed.get_data(as_text=True)
