"""The lawyer team and deadline pages (issue 9, points 2 and 3) through the test client: the
team with its one-line reasons on the case page, confirming it, replacing a member with a
reason, a member declaring a conflict, the versioned rule, and a deadline recorded as done;
garbage refused beside its field with nothing changed."""

from datetime import date
from decimal import Decimal

import pytest

from advisers.models import Category
from cases.models import MemberStatus, TeamRuleVersion, TeamStatus
from core.extensions import db
from tests.consultations.test_views_bad_input import refused
from tests.consultations.view_fixtures import text


@pytest.fixture
def panel(world):
    first, second, third = world.advisers
    first.category = Category.PUBLIC_LAWYER
    second.category = Category.PRACTISING_LAWYER
    third.category = Category.GOVERNMENT_STAFF
    db.session.commit()
    return world.advisers


@pytest.fixture
def big_case(panel, register_case):
    return register_case(amount=Decimal("600000.00"), filed_on=date(2025, 9, 1))


def test_the_case_page_shows_the_team_and_why_each_was_chosen(world, big_case, as_):
    page = text(as_(world.office).get(f"/cases/{big_case.id}"))
    for name in ("顾问甲", "顾问乙", "顾问丙"):
        assert name in page
    assert "公职律师" in page and "无利益冲突" in page
    assert "确认律师团" in page


def test_the_office_confirms_the_team(world, big_case, as_):
    response = as_(world.office).post(f"/cases/{big_case.id}/team/confirm")
    assert response.status_code == 302
    db.session.refresh(big_case)
    assert big_case.team_status is TeamStatus.CONFIRMED


def test_an_incomplete_team_cannot_be_confirmed_and_says_why(world, panel, register_case, as_):
    panel[0].category = Category.GOVERNMENT_STAFF
    db.session.commit()
    case = register_case(amount=Decimal("600000.00"))
    office = as_(world.office)
    page = text(office.get(f"/cases/{case.id}"))
    assert 'data-testid="team-missing"' in page and "公职律师" in page
    response = office.post(f"/cases/{case.id}/team/confirm", follow_redirects=True)
    assert "律师团还缺" in text(response) or "still lacks" in text(response)
    db.session.refresh(case)
    assert case.team_status is TeamStatus.INCOMPLETE


def test_replacing_a_member_needs_a_reason(world, big_case, as_):
    member = big_case.active_members[0]
    office = as_(world.office)
    url = f"/cases/{big_case.id}/team/{member.id}/replace"
    assert office.get(url).status_code == 200
    refused(office, url, {"reason": ""}, "reason")
    assert office.post(url, data={"reason": "长期出差"}).status_code == 302
    db.session.refresh(member)
    assert member.status is MemberStatus.REPLACED


def test_only_the_member_declares_their_own_conflict(world, big_case, as_):
    member = next(m for m in big_case.active_members if m.adviser.name == "顾问丙")
    url = f"/cases/{big_case.id}/team/{member.id}/conflict"
    assert as_(world.adviser_users[0]).post(url, data={"reason": "x"}).status_code == 403
    mine = as_(world.adviser_users[2])
    assert "申报利益冲突" in text(mine.get(url))
    assert mine.post(url, data={"reason": "曾代理对方"}).status_code == 302
    db.session.refresh(member)
    assert member.status is MemberStatus.REPLACED and "李某某" in member.adviser.conflicts


def test_the_team_rule_page_keeps_versions_and_refuses_garbage(world, as_):
    office = as_(world.office)
    page = text(office.get("/cases/team-rule"))
    assert "500,000.00" in page
    refused(office, "/cases/team-rule", {"threshold": "-5", "size": "3"}, "threshold")
    refused(office, "/cases/team-rule", {"threshold": "300000", "size": "99"}, "size")
    assert (
        office.post("/cases/team-rule", data={"threshold": "300000", "size": "2"}).status_code
        == 302
    )
    assert db.session.scalars(db.select(TeamRuleVersion)).one().threshold == Decimal("300000.00")
    assert as_(world.liaison).get("/cases/team-rule").status_code == 403


def test_a_deadline_is_recorded_as_done_with_its_proof(world, big_case, as_):
    from cases import services

    services.add_stage(
        world.office,
        big_case,
        kind="first_instance",
        complaint_served_on=date(2025, 9, 16),
    )
    db.session.commit()
    db.session.refresh(big_case)
    office = as_(world.office)
    page = text(office.get(f"/cases/{big_case.id}"))
    assert "2025-10-09" in page and "行政诉讼法 第六十七条" in page
    assert "休息日" in page  # why it moved past National Day
    deadline = big_case.deadlines[0]
    url = f"/cases/{big_case.id}/deadlines/{deadline.id}/done"
    refused(office, url, {"done_on": "not a day", "proof": "回执"}, "done_on")
    refused(office, url, {"done_on": "2025-10-08", "proof": ""}, "proof")
    data = {"done_on": "2025-10-10", "postmarked_on": "2025-10-09", "proof": "EMS 1088"}
    assert office.post(url, data=data).status_code == 302
    db.session.refresh(deadline)
    assert deadline.done_on == date(2025, 10, 10) and deadline.postmarked_on == date(2025, 10, 9)
    assert as_(world.liaison).post(url, data=data).status_code == 403
