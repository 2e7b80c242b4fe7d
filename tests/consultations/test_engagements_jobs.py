"""The daily reminder: the office hears once, within the set days before a contract ends."""

from datetime import timedelta

from sqlalchemy import select

from consultations.engagements import jobs, services
from consultations.engagements.settings import REMIND_DAYS
from core import settings
from core.extensions import db
from core.i18n import today
from core.models import Notification, Role
from core.scheduler import run_job


def notes() -> list[Notification]:
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


def ending_in(engage, days: int, **fields):
    return engage(end_on=today() + timedelta(days=days), **fields)


def test_the_office_is_told_once_with_a_link_to_the_record(make_user, engage):
    staff = [make_user(Role.OFFICE), make_user(Role.OFFICE)]
    make_user(Role.VIEWER)
    make_user(Role.LIAISON)
    engagement = ending_in(engage, 10, person_name="蒋雅琴")
    day = today()
    for offset in range(5):  # five nights in a row, and a second scheduler each night
        jobs.remind_engagement_endings(day + timedelta(days=offset))
        jobs.remind_engagement_endings(day + timedelta(days=offset))
    db.session.commit()
    received = notes()
    assert sorted(n.user_id for n in received) == sorted(u.id for u in staff)
    assert all(n.link == f"/engagements/{engagement.id}" for n in received)
    assert all("蒋雅琴" in n.subject and "白鹭镇人民政府" in n.subject for n in received)
    assert received[0].key == f"engagement-ending:{engagement.id}:{engagement.end_on}"


def test_ended_and_far_away_contracts_raise_no_reminder(make_user, engage):
    make_user(Role.OFFICE)
    engage(start_on=today() - timedelta(days=400), end_on=today() - timedelta(days=1))
    ending_in(engage, 200)
    assert jobs.remind_engagement_endings(today()).startswith("0 contract(s)")
    assert notes() == []


def test_the_reminder_comes_exactly_the_set_days_ahead(make_user, engage):
    make_user(Role.OFFICE)
    on_the_day = ending_in(engage, 30, person_name="正好三十天")
    ending_in(engage, 31, person_name="三十一天")
    jobs.remind_engagement_endings(today())
    [received] = notes()
    assert "正好三十天" in received.subject
    assert received.link == f"/engagements/{on_the_day.id}"


def test_a_contract_ending_today_is_still_reminded_of(make_user, engage):
    make_user(Role.OFFICE)
    ending_in(engage, 0)
    jobs.remind_engagement_endings(today())
    assert len(notes()) == 1


def test_the_days_follow_the_setting(make_user, engage):
    make_user(Role.OFFICE)
    ending_in(engage, 10)
    settings.change_setting(None, REMIND_DAYS, "7")
    db.session.commit()
    jobs.remind_engagement_endings(today())
    assert notes() == []
    jobs.remind_engagement_endings(today() + timedelta(days=3))
    assert len(notes()) == 1


def test_a_contract_extended_to_a_later_end_is_reminded_of_again(office_user, engage):
    engagement = ending_in(engage, 20)
    jobs.remind_engagement_endings(today())
    later = engagement.end_on + timedelta(days=365)
    fields = {name: getattr(engagement, name) for name in services.FIELDS}
    services.update_engagement(office_user, engagement, version=1, **{**fields, "end_on": later})
    db.session.commit()
    jobs.remind_engagement_endings(today())
    assert len(notes()) == 1, "not again before the new end comes near"
    jobs.remind_engagement_endings(later - timedelta(days=5))
    assert [n.key.rsplit(":", 1)[1] for n in notes()] == [
        (later - timedelta(days=365)).isoformat(),
        later.isoformat(),
    ]


def test_a_voided_engagement_raises_no_reminder(office_user, engage):
    engagement = ending_in(engage, 5)
    services.void_engagement(office_user, engagement, reason="误录")
    db.session.commit()
    jobs.remind_engagement_endings(today())
    assert notes() == []


def test_the_scheduler_runs_the_job_once_a_day(app, make_user, engage):
    make_user(Role.OFFICE)
    ending_in(engage, 3)
    assert run_job(app, "remind_engagement_endings", today()) is True
    assert run_job(app, "remind_engagement_endings", today()) is False
    assert len(notes()) == 1
