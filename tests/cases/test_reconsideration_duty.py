"""The district as reconsideration body (issue 9, point 7): the review for acceptance decides
on a day, which marks the 5-working-day review done; an application not accepted starts no
decision period; the decision period may be extended once, by 30 days counted from its
nominal end; a decision recorded on the stage marks the decision deadline done."""

from datetime import date

import pytest
from flask_babel import force_locale

from cases import deadlines, services
from cases.models import Acceptance, CaseKind, GovernmentRole, StageKind
from core.errors import DomainError
from core.extensions import db

D = date


@pytest.fixture(autouse=True)
def english(app_ctx):
    with force_locale("en"):
        yield


@pytest.fixture
def application(register_case):
    return register_case(
        kind=CaseKind.RECONSIDERATION,
        government_role=GovernmentRole.RECONSIDERATION_BODY,
        court="区人民政府",
        case_number="",
        filed_on=D(2025, 9, 26),
    )


def _by_rule(case):
    db.session.refresh(case)
    return {d.rule: d for d in case.deadlines}


def _stage(world, case, **dates):
    stage = services.add_stage(
        world.office, case, kind=StageKind.RECONSIDERATION, filed_on=D(2025, 9, 26), **dates
    )
    db.session.commit()
    return stage


def test_an_accepted_application_starts_the_decision_and_closes_the_review(world, application):
    _stage(world, application, acceptance=Acceptance.ACCEPTED, accepted_on=D(2025, 10, 9))
    found = _by_rule(application)
    review = found["reconsideration_acceptance"]
    assert review.due_on == D(2025, 10, 10)  # 5 working days across National Day
    assert review.done_on == D(2025, 10, 9)
    assert review.proof_text.startswith("Recorded on the stage")
    assert deadlines.on_time(review) is True
    assert found["reconsideration_decision"].due_on == D(2025, 12, 8)  # 60 calendar days


def test_an_ineligible_application_starts_no_decision_period(world, application):
    _stage(world, application, acceptance=Acceptance.INELIGIBLE, accepted_on=D(2025, 10, 13))
    found = _by_rule(application)
    assert "reconsideration_decision" not in found
    assert found["reconsideration_acceptance"].done_on == D(2025, 10, 13)
    assert deadlines.on_time(found["reconsideration_acceptance"]) is False  # a day late


def test_a_day_alone_means_accepted_and_a_decision_alone_needs_its_day(world, application):
    stage = _stage(world, application, accepted_on=D(2025, 9, 30))
    assert stage.acceptance is Acceptance.ACCEPTED
    with pytest.raises(DomainError) as refused:
        services.update_stage(world.office, stage, acceptance=Acceptance.REFUSED, accepted_on=None)
    assert [p.field for p in refused.value.problems] == ["accepted_on"]
    db.session.rollback()


def test_the_decision_is_extended_once_by_30_days_from_the_nominal_end(
    world, application, monkeypatch
):
    _stage(world, application, accepted_on=D(2025, 9, 30))
    decision = _by_rule(application)["reconsideration_decision"]
    assert decision.due_on == D(2025, 12, 1) and decision.can_extend
    monkeypatch.setattr("cases.deadlines.today", lambda: D(2025, 11, 20))
    with pytest.raises(DomainError) as refused:
        deadlines.extend(world.office, decision, reason="  ")
    assert refused.value.field == "reason"
    deadlines.extend(world.office, decision, reason="案情复杂，经机关负责人批准")
    db.session.commit()
    assert decision.due_on == D(2025, 12, 29)  # 29 November + 30 days, a Monday
    assert "extended_from_nominal" in decision.why and not decision.can_extend
    with pytest.raises(DomainError, match="once"):
        deadlines.extend(world.office, decision, reason="再次延期")


def test_a_period_without_extension_or_already_ended_cannot_be_extended(
    world, application, monkeypatch
):
    _stage(world, application, accepted_on=D(2025, 9, 30))
    found = _by_rule(application)
    monkeypatch.setattr("cases.deadlines.today", lambda: D(2025, 10, 1))
    with pytest.raises(DomainError, match="no extension"):
        deadlines.extend(world.office, found["reconsideration_acceptance"], reason="理由")
    monkeypatch.setattr("cases.deadlines.today", lambda: D(2025, 12, 2))
    with pytest.raises(DomainError, match="has ended"):
        deadlines.extend(world.office, found["reconsideration_decision"], reason="理由")


def test_the_decision_on_the_stage_marks_the_decision_deadline_done(world, application):
    stage = _stage(world, application, accepted_on=D(2025, 9, 30))
    services.update_stage(world.office, stage, judgment_on=D(2025, 11, 28))
    db.session.commit()
    decision = _by_rule(application)["reconsideration_decision"]
    assert decision.done_on == D(2025, 11, 28) and deadlines.on_time(decision)
