"""Services ask the same policy as the routes, refuse with NotAllowed, and name their actor."""

import pytest
from sqlalchemy import select

from advisers import services as adviser_services
from advisers.models import Category, Gender
from core.errors import NotAllowed
from core.extensions import db
from core.models import AuditEvent, Role
from core.policy import can


def test_a_service_refuses_an_actor_the_policy_refuses(make_user):
    for role in (Role.ADMIN, Role.VIEWER, Role.LIAISON, Role.ADVISER):
        with pytest.raises(NotAllowed):
            adviser_services.save_adviser(
                make_user(role), None, name="某", gender=Gender.MALE, category=Category.CPPCC
            )


def test_the_audit_trail_takes_its_actor_from_the_service(make_user):
    office = make_user(Role.OFFICE)
    adviser = adviser_services.save_adviser(
        office, None, name="某", gender=Gender.MALE, category=Category.CPPCC
    )
    db.session.commit()
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.record_type == "Adviser", AuditEvent.action == "create")
    )
    assert event.actor_id == office.id and event.record_id == str(adviser.id)


def test_an_adviser_may_see_only_their_own_record(make_user, create_adviser):
    account = make_user(Role.ADVISER)
    own, other = create_adviser(user_id=account.id), create_adviser()
    assert can(account, "advisers.view", own)
    assert not can(account, "advisers.view", other)
    assert can(make_user(Role.LIAISON), "advisers.view", other)


def test_roles_add_up(make_user):
    clerk = make_user(Role.OFFICE)
    assert not can(clerk, "core.manage_users")
    clerk.roles = {Role.OFFICE, Role.ADMIN}
    db.session.commit()
    assert can(clerk, "core.manage_users") and can(clerk, "advisers.manage")
    assert clerk.role_label.count("、") == 1


def test_enum_labels_of_equal_text_stay_apart(app):
    """LeaveStatus.PENDING and MailStatus.PENDING are both "pending" but say different things."""
    from core.models import MailStatus
    from meetings.models import LeaveStatus

    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert MailStatus.PENDING.label == "Waiting to be sent"
        assert LeaveStatus.PENDING.label == "Awaiting an answer"
        assert MailStatus.PENDING.label == "Waiting to be sent"
