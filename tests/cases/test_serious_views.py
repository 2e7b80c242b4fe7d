"""Serious events and extensions through the test client: the red flag at the top of the case
page for everyone who may see the case, closed by the office with an explanation; a decision
period extended with a reason; garbage refused beside its field with nothing changed."""

from datetime import date
from decimal import Decimal

import pytest

from cases import serious, services
from cases.models import CaseKind, GovernmentRole, SeriousKind, StageKind
from core.extensions import db
from core.i18n import today
from tests.consultations.test_views_bad_input import refused
from tests.consultations.view_fixtures import text


@pytest.fixture
def flagged(world, register_case):
    case = register_case(amount=Decimal("10000.00"), filed_on=date(2026, 3, 2))
    services.add_stage(
        world.office, case, kind=StageKind.FIRST_INSTANCE, complaint_served_on=date(2026, 3, 3)
    )
    db.session.flush()
    defence = next(d for d in case.deadlines if d.rule == "admin_defence")
    flag = serious.raise_event(case, SeriousKind.MISSED_DEADLINE, defence)
    db.session.commit()
    return case, flag


def test_everyone_who_may_see_the_case_sees_the_flag_and_only_the_office_closes_it(
    world, flagged, as_
):
    case, flag = flagged
    office_page = text(as_(world.office).get(f"/cases/{case.id}"))
    assert 'data-testid="serious-events"' in office_page
    assert f"/cases/{case.id}/events/{flag.id}/close" in office_page
    for reader in (world.viewer, world.liaison):
        page = text(as_(reader).get(f"/cases/{case.id}"))
        assert 'data-testid="serious-events"' in page
        assert f"/events/{flag.id}/close" not in page
    assert as_(world.viewer).get(f"/cases/{case.id}/events/{flag.id}/close").status_code == 403
    assert as_(world.other_liaison).get(f"/cases/{case.id}").status_code in (403, 404)


def test_the_office_closes_the_flag_with_its_explanation(world, flagged, as_):
    case, flag = flagged
    office = as_(world.office)
    assert office.get(f"/cases/{case.id}/events/{flag.id}/close").status_code == 200
    refused(office, f"/cases/{case.id}/events/{flag.id}/close", {"explanation": ""}, "explanation")
    response = office.post(
        f"/cases/{case.id}/events/{flag.id}/close",
        data={"explanation": "承办人休假未交接，已追责并建立双人盯办制度。"},
    )
    assert response.status_code == 302
    db.session.refresh(flag)
    assert not flag.is_open
    page = text(office.get(f"/cases/{case.id}"))
    assert 'data-testid="serious-events"' not in page
    assert 'data-testid="closed-events"' in page and "双人盯办" in page


def test_a_flag_of_another_case_is_not_found(world, flagged, register_case, as_):
    _case, flag = flagged
    other = register_case(amount=Decimal("10000.00"))
    response = as_(world.office).get(f"/cases/{other.id}/events/{flag.id}/close")
    assert response.status_code == 404


def test_the_office_extends_a_decision_period_with_a_reason(world, register_case, as_):
    accepted = today()
    case = register_case(
        kind=CaseKind.RECONSIDERATION,
        government_role=GovernmentRole.RECONSIDERATION_BODY,
        court="区人民政府",
        case_number="",
        filed_on=accepted,
        amount=None,
    )
    services.add_stage(
        world.office, case, kind=StageKind.RECONSIDERATION, filed_on=accepted, accepted_on=accepted
    )
    db.session.commit()
    decision = next(d for d in case.deadlines if d.rule == "reconsideration_decision")
    before = decision.due_on
    office = as_(world.office)
    page = text(office.get(f"/cases/{case.id}"))
    assert f"/cases/{case.id}/deadlines/{decision.id}/extend" in page
    url = f"/cases/{case.id}/deadlines/{decision.id}/extend"
    assert 'data-testid="lead"' in text(office.get(url))
    refused(office, url, {"reason": ""}, "reason")
    assert office.post(url, data={"reason": "案情复杂，经机关负责人批准"}).status_code == 302
    db.session.refresh(decision)
    assert decision.due_on > before and decision.extension_reason
    assert f"/deadlines/{decision.id}/extend" not in text(office.get(f"/cases/{case.id}"))
