"""Writes to the engagements register through the services, against the real database."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from consultations.engagements import services
from consultations.engagements.messages import fee_message
from consultations.engagements.models import EngagedAs, Engagement
from consultations.engagements.policy import VIEW, visible_to
from consultations.engagements.rules import FeeError, FeeProblem
from core.errors import DomainError, NotAllowed, StaleEdit
from core.extensions import db
from core.files import StoredFile
from core.models import AuditEvent, Role
from core.policy import can
from tests.consultations.engagement_fixtures import days_from_today, upload


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_the_office_registers_an_engagement(office_user, engage, town):
    engagement = engage(office_user, fee="¥12,345.5", organisation="  江苏瑞华律师事务所 ")
    assert engagement.department_id == town.id
    assert engagement.engaged_as is EngagedAs.PRACTISING_LAWYER
    assert engagement.fee == Decimal("12345.50")
    assert engagement.organisation == "江苏瑞华律师事务所"
    assert engagement.version == 1 and engagement.created_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.record_type == "Engagement"))
    assert (event.action, event.actor_id) == ("create", office_user.id)
    assert event.after["fee"] == "12345.50"


def test_no_fee_and_no_organisation_are_kept_empty(office_user, engage):
    engagement = engage(office_user, fee="", organisation="", engaged_as="public_lawyer")
    assert engagement.fee is None and engagement.organisation is None
    assert engagement.engaged_as is EngagedAs.PUBLIC_LAWYER


def fields_of(engagement: Engagement, **changes) -> dict:
    fields = {name: getattr(engagement, name) for name in services.FIELDS}
    fields.update(changes)
    return fields


def test_the_office_changes_an_engagement(office_user, engage, bureau):
    engagement = engage(office_user)
    services.update_engagement(
        office_user,
        engagement,
        version=1,
        **fields_of(engagement, department_id=bureau.id, fee="80,000", scope="执法案卷审查"),
    )
    db.session.commit()
    assert engagement.department_id == bureau.id
    assert engagement.fee == Decimal("80000.00") and engagement.version == 2


def test_a_stale_save_is_refused(office_user, engage):
    engagement = engage(office_user)
    services.update_engagement(
        office_user, engagement, version=1, **fields_of(engagement, notes="已续签")
    )
    db.session.commit()
    assert engagement.version == 2
    with pytest.raises(StaleEdit):
        services.update_engagement(
            office_user, engagement, version=1, **fields_of(engagement, person_name="他人")
        )
    with pytest.raises(StaleEdit):  # a save that does not say which version it changes
        services.update_engagement(office_user, engagement, version=None, **fields_of(engagement))


def test_a_contract_ending_before_it_starts_is_refused_beside_the_end(office_user, engage):
    start = days_from_today(0)
    with pytest.raises(DomainError) as refused:
        engage(office_user, start_on=start, end_on=start - timedelta(days=1))
    assert refused.value.field == "end_on"
    assert start.isoformat() in refused.value.message
    db.session.rollback()
    assert count(Engagement) == 0
    # a contract of one day starts and ends on the same day
    assert engage(office_user, start_on=start, end_on=start).end_on == start


@pytest.mark.parametrize(
    ("fee", "problem"),
    [
        ("abc", FeeProblem.NOT_A_NUMBER),
        ("12万", FeeProblem.NOT_A_NUMBER),
        ("-100", FeeProblem.NEGATIVE),
        ("1.234", FeeProblem.TOO_MANY_PLACES),
        ("1000000000000", FeeProblem.TOO_LARGE),
    ],
)
def test_a_fee_that_is_not_an_amount_is_refused_beside_the_fee(office_user, engage, fee, problem):
    with pytest.raises(DomainError) as refused:
        engage(office_user, fee=fee)
    assert refused.value.field == "fee"
    assert refused.value.message == fee_message(FeeError(problem, fee))
    if problem is FeeProblem.NOT_A_NUMBER:
        assert f"“{fee}”" in refused.value.message, "the message quotes what was typed"
    db.session.rollback()
    assert count(Engagement) == 0


def test_each_fee_problem_has_its_own_message(app):
    messages = {fee_message(FeeError(problem, "x")) for problem in FeeProblem}
    assert len(messages) == len(FeeProblem)


def test_other_fields_are_checked_by_the_service_too(office_user, engage):
    for changes, field in [
        ({"person_name": "  "}, "person_name"),
        ({"department_id": 99999}, "department_id"),
        ({"engaged_as": "judge"}, "engaged_as"),
        ({"start_on": None}, "start_on"),
        ({"end_on": "2026-01-01"}, "end_on"),
    ]:
        with pytest.raises(DomainError) as refused:
            engage(office_user, **changes)
        assert refused.value.field == field
        db.session.rollback()


@pytest.mark.parametrize("role", [Role.LIAISON, Role.VIEWER, Role.ADMIN, Role.ADVISER])
def test_only_the_office_keeps_the_register(make_user, engage, role):
    with pytest.raises(NotAllowed):
        engage(make_user(role))


def test_a_liaison_sees_their_own_departments_engagements_only(make_user, engage, town, bureau):
    own = engage(person_name="本单位顾问", department_id=bureau.id)
    other = engage(person_name="他单位顾问", department_id=town.id)
    liaison = make_user(Role.LIAISON, department_id=bureau.id)
    homeless = make_user(Role.LIAISON)
    leader, office = make_user(Role.VIEWER), make_user(Role.OFFICE)
    adviser = make_user(Role.ADVISER)

    def seen(user):
        stmt = visible_to(user, select(Engagement.person_name))
        return set(db.session.scalars(stmt))

    assert seen(liaison) == {"本单位顾问"}
    assert seen(homeless) == set() and seen(adviser) == set()
    assert seen(leader) == seen(office) == {"本单位顾问", "他单位顾问"}
    assert can(liaison, VIEW, own) and not can(liaison, VIEW, other)
    assert not can(homeless, VIEW, own)
    assert not can(adviser, VIEW, own)
    assert can(leader, VIEW, other)


def test_a_contract_file_is_stored_and_a_replacement_keeps_the_old_one(office_user, engage):
    engagement = engage(office_user, contract=upload("合同.pdf"))
    first = engagement.contract_file
    assert (first.name, first.uploaded_by_id) == ("合同.pdf", office_user.id)
    services.update_engagement(
        office_user, engagement, version=1, contract=upload("续签合同.pdf"), **fields_of(engagement)
    )
    db.session.commit()
    assert engagement.contract_file.name == "续签合同.pdf"
    assert engagement.contract_file_id != first.id
    assert count(StoredFile) == 2, "the replaced file stays on record"
    # a save without a new file keeps the one on file
    services.update_engagement(office_user, engagement, version=2, **fields_of(engagement))
    db.session.commit()
    assert engagement.contract_file.name == "续签合同.pdf"


def test_a_program_named_as_a_contract_is_refused_and_nothing_is_saved(office_user, engage):
    with pytest.raises(DomainError) as refused:
        engage(office_user, contract=upload("合同.pdf", b"MZ\x90\x00 a windows program"))
    assert refused.value.field == "contract"
    db.session.rollback()
    assert count(Engagement) == 0 and count(StoredFile) == 0


def test_a_voided_engagement_leaves_the_register_and_can_be_restored(office_user, engage):
    engagement = engage(office_user)
    services.void_engagement(office_user, engagement, reason="重复录入")
    db.session.commit()
    assert count(Engagement) == 0
    with pytest.raises(DomainError):
        services.void_engagement(office_user, engagement, reason="再次作废")
    services.restore_engagement(office_user, engagement)
    db.session.commit()
    assert count(Engagement) == 1
