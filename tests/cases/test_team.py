"""The lawyer team as the office meets it (issue 9, point 2): formed on registration at
¥500,000.00 and not at ¥499,999.99, formed when an edit crosses the threshold, kept when it
falls back; incomplete without a public-sector lawyer, and the office told; a conflict on a
party spelled with other spacing or full-width characters; confirming, replacing, declaring a
conflict; the versioned rule."""

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from advisers.models import Category
from cases import team
from cases.models import MemberRole, MemberSource, MemberStatus, TeamRuleVersion, TeamStatus
from core.errors import DomainError
from core.extensions import db
from core.models import Notification


@pytest.fixture(autouse=True)
def english(app_ctx):
    with force_locale("en"):
        yield


@pytest.fixture
def panel(world):
    """甲 a public-sector lawyer, 乙 a practising lawyer, 丙 on the government staff."""
    first, second, third = world.advisers
    first.category = Category.PUBLIC_LAWYER
    second.category = Category.PRACTISING_LAWYER
    third.category = Category.GOVERNMENT_STAFF
    db.session.commit()
    return world.advisers


def names(case) -> list[str]:
    return sorted(member.adviser.name for member in case.active_members)


def test_a_case_of_499999_99_gets_no_team(panel, register_case):
    case = register_case(amount=Decimal("499999.99"))
    assert case.active_members == []
    assert case.team_status is TeamStatus.NONE


def test_a_case_of_exactly_500000_gets_a_team_of_both_kinds_of_lawyer(panel, register_case):
    case = register_case(amount=Decimal("500000.00"))
    assert names(case) == ["顾问丙", "顾问乙", "顾问甲"]
    assert case.team_status is TeamStatus.FORMED
    categories = {member.category for member in case.active_members}
    assert {Category.PUBLIC_LAWYER, Category.PRACTISING_LAWYER} <= categories
    assert sum(member.role is MemberRole.LEAD for member in case.active_members) == 1
    lines = [member.reason for member in case.active_members]
    assert any(line.startswith("Public-sector lawyer · ") for line in lines)
    assert all(line.endswith("no conflict of interest") for line in lines)


def test_an_edit_that_crosses_the_threshold_forms_the_team(panel, register_case, world):
    case = register_case(amount=Decimal("499999.99"))
    team_services_update(world, case, amount=Decimal("500000.00"))
    assert len(case.active_members) == 3


def test_an_edit_below_the_threshold_keeps_the_team_and_says_so(panel, register_case, world):
    case = register_case(amount=Decimal("500000.00"))
    team_services_update(world, case, amount=Decimal("499999.99"))
    assert len(case.active_members) == 3
    assert "fell below ¥500,000.00; the team stays" in case.team_note


def team_services_update(world, case, **fields):
    from cases import services

    services.update_case(world.office, case, version=case.version, **fields)
    db.session.commit()


def test_no_public_sector_lawyer_free_leaves_the_team_incomplete_and_tells_the_office(
    panel, register_case, world
):
    panel[0].category = Category.GOVERNMENT_STAFF
    db.session.commit()
    case = register_case(amount=Decimal("800000.00"))
    assert case.team_status is TeamStatus.INCOMPLETE
    assert case.team_missing == "public_lawyer"
    assert team.missing_labels(case) == "Public-sector lawyer"
    told = db.session.scalars(
        select(Notification).where(Notification.user_id == world.office.id)
    ).all()
    assert any(case.reference in note.subject for note in told)
    with pytest.raises(DomainError):
        team.confirm_team(world.office, case)


@pytest.mark.parametrize("spelling", ["第 1 律师事务所", "第１律师事务所", "第1律师事务所有限公司"])
def test_a_conflict_on_a_party_spelled_otherwise_keeps_the_adviser_off(
    panel, register_case, spelling
):
    """甲's organisation is 第1律师事务所: a party differing by spaces or full-width digits
    is the same party."""
    case = register_case(amount=Decimal("500000.00"), opposing_parties=spelling)
    assert "顾问甲" not in names(case)
    assert case.team_status is TeamStatus.INCOMPLETE  # 甲 was the only public-sector lawyer


def test_the_office_confirms_a_complete_team(panel, register_case, world):
    case = register_case(amount=Decimal("500000.00"))
    team.confirm_team(world.office, case)
    assert case.team_status is TeamStatus.CONFIRMED
    assert {m.status for m in case.active_members} == {MemberStatus.CONFIRMED}


def test_a_replaced_member_keeps_the_reason_and_the_next_suggestion_takes_the_seat(
    panel, register_case, world, create_adviser, appoint
):
    spare = create_adviser(name="顾问丁", category=Category.PRACTISING_LAWYER)
    appoint(spare, start=date(2025, 1, 1))
    case = register_case(amount=Decimal("500000.00"))
    practising = [m for m in case.active_members if m.category is Category.PRACTISING_LAWYER]
    assert len(practising) == 1 and len(case.active_members) == 3
    leaving = practising[0]
    newcomer = team.replace_member(world.office, leaving, "出差三个月")
    db.session.commit()
    assert leaving.status is MemberStatus.REPLACED
    assert leaving.replaced_reason == "出差三个月"
    assert newcomer is not None and newcomer.category is Category.PRACTISING_LAWYER
    assert newcomer.adviser_id != leaving.adviser_id
    assert leaving.replaced_by is newcomer
    assert case.team_status is TeamStatus.FORMED


def test_a_replacement_needs_a_reason(panel, register_case, world):
    case = register_case(amount=Decimal("500000.00"))
    with pytest.raises(DomainError) as refused:
        team.replace_member(world.office, case.active_members[0], "  ")
    assert refused.value.field == "reason"


def test_a_member_declaring_a_conflict_records_it_and_is_replaced(panel, register_case, world):
    case = register_case(amount=Decimal("500000.00"), opposing_parties="青山置业有限公司")
    member = next(m for m in case.active_members if m.adviser.name == "顾问丙")
    team.declare_conflict(world.adviser_users[2], member, "曾为对方提供法律服务")
    db.session.commit()
    assert member.status is MemberStatus.REPLACED
    assert "青山置业有限公司" in member.adviser.conflicts
    other = next(m for m in case.active_members if m.adviser.name == "顾问甲")
    with pytest.raises(DomainError):  # only the member themself
        team.declare_conflict(world.adviser_users[2], other, "不是本人")


def test_below_the_threshold_the_office_may_form_a_team_by_hand(panel, register_case, world):
    case = register_case(amount=Decimal("100000.00"))
    team.form_team_by_hand(world.office, case)
    assert len(case.active_members) == 3
    assert {m.source for m in case.active_members} == {MemberSource.MANUAL}


def test_the_rule_is_versioned_and_a_new_threshold_applies(panel, register_case, world):
    assert team.current_team_rule().threshold == Decimal("500000.00")
    team.change_team_rule(world.office, threshold="300000", size="2")
    db.session.commit()
    assert team.current_team_rule().size == 2
    case = register_case(amount=Decimal("300000.00"))
    assert len(case.active_members) == 2
    assert len(db.session.scalars(select(TeamRuleVersion)).all()) == 1


@pytest.mark.parametrize(
    ("threshold", "size", "field"),
    [
        ("0", "3", "threshold"),
        ("abc", "3", "threshold"),
        ("1.001", "3", "threshold"),
        ("500000", "1", "size"),
        ("500000", "10", "size"),
        ("500000", "x", "size"),
    ],
)
def test_a_bad_rule_is_refused_beside_its_field(world, threshold, size, field):
    with pytest.raises(DomainError) as refused:
        team.change_team_rule(world.office, threshold=threshold, size=size)
    assert refused.value.field == field
