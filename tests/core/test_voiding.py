"""Issue 7, point 6: a record entered by mistake is voided with a reason, hidden from every
list, count and rule, kept in the audit trail, and restorable. Nothing is deleted."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from advisers import services as panel_services
from advisers.models import Adviser, Nomination, Post
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import AuditEvent
from evaluation.models import CandidateStatus, DismissalCandidate
from meetings import services
from meetings.models import AttendanceTally, Meeting


def text(response):
    return response.get_data(as_text=True)


def test_a_voided_meeting_leaves_the_lists_the_tallies_and_the_rule(
    held_series, serving, office_user
):
    meetings = held_series("PPPAAA", "PPPPPP", "PPPPPP")
    [case] = db.session.scalars(select(DismissalCandidate)).all()
    absent_total = db.session.scalar(select(func.sum(AttendanceTally.absent)))
    last = meetings[-1]
    services.void_meeting(office_user, last, reason="重复录入")
    db.session.commit()
    assert db.session.scalar(select(func.count(Meeting.id))) == 5
    assert db.session.scalar(select(Meeting).where(Meeting.id == last.id)) is None
    assert db.session.scalar(select(func.sum(AttendanceTally.absent))) < absent_total
    # two absences in a row now: the case lapses
    assert case.status == CandidateStatus.LAPSED

    services.restore_meeting(office_user, db.session.scalar(
        select(Meeting).where(Meeting.id == last.id).execution_options(include_voided=True)
    ))  # fmt: skip
    db.session.commit()
    assert db.session.scalar(select(func.count(Meeting.id))) == 6
    assert db.session.scalar(select(func.sum(AttendanceTally.absent))) == absent_total
    assert case.status == CandidateStatus.OPEN
    actions = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.record_type == "Meeting", AuditEvent.record_id == str(last.id)
        )
    ).all()
    assert actions.count("update") >= 2  # voided, then restored: both in the trail


def test_voiding_needs_a_reason_and_happens_once(plan, office_user):
    meeting = plan(today() + timedelta(days=5))
    with pytest.raises(DomainError) as error:
        services.void_meeting(office_user, meeting, reason="  ")
    assert error.value.field == "reason"
    services.void_meeting(office_user, meeting, reason="误建")
    with pytest.raises(DomainError):
        services.void_meeting(office_user, meeting, reason="误建")


def test_an_adviser_who_held_a_term_is_ended_not_voided(appoint, office_user):
    term = appoint(start=date(2026, 3, 1))
    with pytest.raises(DomainError):
        panel_services.void_adviser(office_user, term.adviser, reason="误建")


def test_a_voided_adviser_keeps_their_licence_number_from_reuse(create_adviser, office_user):
    adviser = create_adviser(name="重复的人", licence_no="14501201010000001")
    panel_services.void_adviser(office_user, adviser, reason="重复录入")
    db.session.commit()
    assert db.session.scalar(select(func.count(Adviser.id))) == 0
    with pytest.raises(DomainError) as error:
        create_adviser(name="又一个", licence_no="14501201010000001")
    assert error.value.field == "licence_no"


def test_a_voided_recommendation_frees_the_adviser_and_restores_only_if_still_free(
    create_adviser, office_user
):
    adviser = create_adviser()
    first = panel_services.recommend_adviser(
        office_user, adviser, post=Post.MEMBER, recommended_on=today()
    )
    panel_services.void_nomination(office_user, first, reason="岗位填错")
    db.session.commit()
    assert db.session.scalar(select(func.count(Nomination.id))) == 0
    adviser = db.session.get(Adviser, adviser.id)
    second = panel_services.recommend_adviser(
        office_user, adviser, post=Post.DEPUTY_DIRECTOR, recommended_on=today()
    )
    db.session.commit()
    voided = db.session.scalar(
        select(Nomination).where(Nomination.id == first.id).execution_options(include_voided=True)
    )
    with pytest.raises(DomainError):
        panel_services.restore_nomination(office_user, voided)
    assert second.is_pending


def test_void_and_restore_through_the_pages(office_client, plan):
    meeting = plan(today() + timedelta(days=5), title="误建的会议")
    form = text(office_client.get(f"/void/meeting/{meeting.id}"))
    assert "误建的会议" in form and "btn-danger" in form
    refused = office_client.post(f"/void/meeting/{meeting.id}", data={"reason": ""})
    assert refused.status_code == 400 and not meeting.is_voided
    done = office_client.post(f"/void/meeting/{meeting.id}", data={"reason": "重复录入"})
    assert done.status_code == 302
    office_client.get("/meetings")  # shows the flash once
    assert "误建的会议" not in text(office_client.get("/meetings"))
    assert office_client.get(f"/meetings/{meeting.id}").status_code == 404
    listed = text(office_client.get("/voided"))
    assert "误建的会议" in listed and "重复录入" in listed
    restored = office_client.post(f"/voided/meeting/{meeting.id}/restore")
    assert restored.status_code == 302
    assert "误建的会议" in text(office_client.get("/meetings"))
    assert office_client.post(f"/voided/meeting/{meeting.id}/restore").status_code == 404
    assert office_client.get("/void/nothing/1").status_code == 404


def test_only_the_office_voids(client, login, make_user, plan):
    from core.models import Role

    meeting = plan(today() + timedelta(days=5))
    for role in (Role.ADMIN, Role.VIEWER, Role.LIAISON, Role.ADVISER):
        login(make_user(role))
        assert client.post(f"/void/meeting/{meeting.id}", data={"reason": "x"}).status_code == 403
        client.post("/logout")
    assert not meeting.is_voided
