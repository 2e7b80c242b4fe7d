"""Statutory deadlines made from a stage's dates (issue 9, point 3), on the real calendar:
a served complaint starts the defence, evidence-extension and jurisdiction periods; a ruling's
appeal is shorter than a judgment's; reconsideration counts working days across National Day;
a changed date recounts, a cleared one removes, a done one stays; a postmark counts."""

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale

from cases import deadlines, services
from cases.models import CaseKind, GovernmentRole, StageKind
from core.errors import DomainError
from core.extensions import db

D = date


@pytest.fixture(autouse=True)
def english(app_ctx):
    with force_locale("en"):
        yield


def due(case) -> dict[str, date]:
    db.session.refresh(case)
    return {d.rule: d.due_on for d in case.deadlines}


@pytest.fixture
def lawsuit(register_case):
    return register_case(amount=Decimal("10000.00"), filed_on=D(2025, 9, 1))


def test_a_served_complaint_starts_three_periods_ending_after_national_day(world, lawsuit):
    services.add_stage(
        world.office, lawsuit, kind=StageKind.FIRST_INSTANCE, complaint_served_on=D(2025, 9, 16)
    )
    db.session.commit()
    assert due(lawsuit) == {
        "admin_defence": D(2025, 10, 9),
        "admin_evidence_extension": D(2025, 10, 9),
        "admin_jurisdiction": D(2025, 10, 9),
    }
    defence = next(d for d in lawsuit.deadlines if d.rule == "admin_defence")
    assert defence.article == "行政诉讼法 第六十七条、第三十四条"
    assert defence.party == "government"
    assert deadlines.explain(defence) == [
        "The last day is a rest day: the period ends on the next working day."
    ]


def test_a_ruling_gives_10_days_to_appeal_and_a_judgment_15(world, lawsuit):
    stage = services.add_stage(
        world.office,
        lawsuit,
        kind=StageKind.FIRST_INSTANCE,
        judgment_on=D(2026, 2, 9),
        judgment_served_on=D(2026, 2, 10),
        is_ruling=True,
    )
    db.session.commit()
    assert due(lawsuit) == {"admin_appeal_ruling": D(2026, 2, 24)}  # after Spring Festival
    services.update_stage(world.office, stage, is_ruling=False, version=stage.version)
    db.session.commit()
    assert due(lawsuit) == {"admin_appeal_judgment": D(2026, 2, 25)}


def test_a_changed_date_recounts_and_a_cleared_one_removes_open_deadlines(world, lawsuit):
    stage = services.add_stage(
        world.office, lawsuit, kind=StageKind.FIRST_INSTANCE, complaint_served_on=D(2025, 9, 16)
    )
    db.session.commit()
    services.update_stage(
        world.office, stage, complaint_served_on=D(2025, 9, 25), version=stage.version
    )
    db.session.commit()
    assert set(due(lawsuit).values()) == {D(2025, 10, 10)}
    services.update_stage(world.office, stage, complaint_served_on=None, version=stage.version)
    db.session.commit()
    assert due(lawsuit) == {}


def test_a_done_deadline_stays_when_its_date_changes(world, lawsuit):
    stage = services.add_stage(
        world.office, lawsuit, kind=StageKind.FIRST_INSTANCE, complaint_served_on=D(2025, 9, 16)
    )
    defence = next(d for d in lawsuit.deadlines if d.rule == "admin_defence")
    deadlines.record_done(world.office, defence, done_on=D(2025, 10, 8), proof="法院签收回执")
    services.update_stage(world.office, stage, complaint_served_on=None, version=stage.version)
    db.session.commit()
    assert due(lawsuit) == {"admin_defence": D(2025, 10, 9)}
    assert deadlines.on_time(defence) is True


def test_a_reconsideration_counts_working_days_across_national_day_2025(world, register_case):
    case = register_case(
        kind=CaseKind.RECONSIDERATION,
        government_role=GovernmentRole.RESPONDENT,
        court="区人民政府",
        case_number="",
        filed_on=D(2025, 9, 26),
    )
    services.add_stage(
        world.office,
        case,
        kind=StageKind.RECONSIDERATION,
        filed_on=D(2025, 9, 26),
        complaint_served_on=D(2025, 9, 30),
        accepted_on=D(2025, 9, 30),
    )
    db.session.commit()
    assert due(case) == {
        "reconsideration_acceptance": D(2025, 10, 10),  # 5 working days
        "reconsideration_reply": D(2025, 10, 21),  # 10 working days
        "reconsideration_decision": D(2025, 12, 1),  # 60 days: Saturday 29 November → Monday
    }
    decision = next(d for d in case.deadlines if d.rule == "reconsideration_decision")
    assert deadlines.extension(decision).day == D(2025, 12, 29)  # 30 more from 29 November


def test_the_simplified_procedure_has_its_own_shorter_periods(world, register_case):
    case = register_case(
        kind=CaseKind.RECONSIDERATION,
        government_role=GovernmentRole.RESPONDENT,
        court="区人民政府",
        case_number="",
        filed_on=D(2025, 9, 26),
    )
    services.add_stage(
        world.office,
        case,
        kind=StageKind.RECONSIDERATION,
        filed_on=D(2025, 9, 26),
        complaint_served_on=D(2025, 9, 30),
        accepted_on=D(2025, 9, 30),
        simplified=True,
    )
    db.session.commit()
    found = due(case)
    assert found["reconsideration_reply_simplified"] == D(2025, 10, 14)  # 5 working days
    assert found["reconsideration_decision_simplified"] == D(2025, 10, 30)
    assert "reconsideration_decision" not in found


def test_a_deadline_in_a_year_not_loaded_is_provisional(world, register_case):
    """The appeal ends in December 2026 (loaded); the retrial period in May 2027 (not)."""
    case = register_case(amount=Decimal("10000.00"), filed_on=D(2026, 6, 1))
    services.add_stage(
        world.office,
        case,
        kind=StageKind.FIRST_INSTANCE,
        judgment_on=D(2026, 11, 20),
        judgment_served_on=D(2026, 11, 25),
        effective_on=D(2026, 11, 26),
    )
    db.session.commit()
    found = {d.rule: (d.due_on, d.is_provisional) for d in case.deadlines}
    assert found == {
        "admin_appeal_judgment": (D(2026, 12, 10), False),
        "retrial": (D(2027, 5, 26), True),
    }
    retrial = next(d for d in case.deadlines if d.rule == "retrial")
    assert deadlines.explain(retrial)[-1].startswith("Provisional")


def test_a_document_posted_before_expiry_is_on_time_by_its_postmark(world, lawsuit):
    services.add_stage(
        world.office, lawsuit, kind=StageKind.FIRST_INSTANCE, complaint_served_on=D(2025, 9, 16)
    )
    defence = next(d for d in lawsuit.deadlines if d.rule == "admin_defence")
    deadlines.record_done(
        world.office,
        defence,
        done_on=D(2025, 10, 13),
        postmarked_on=D(2025, 10, 9),
        proof="EMS 1234567890",
    )
    assert deadlines.on_time(defence) is True
    late = next(d for d in lawsuit.deadlines if d.rule == "admin_jurisdiction")
    deadlines.record_done(world.office, late, done_on=D(2025, 10, 13), proof="当面提交")
    assert deadlines.on_time(late) is False


@pytest.mark.parametrize(
    ("done_on", "postmarked_on", "proof", "field"),
    [
        (None, None, "回执", "done_on"),
        (D(2099, 1, 1), None, "回执", "done_on"),
        (D(2025, 9, 1), None, "回执", "done_on"),
        (D(2025, 10, 8), D(2025, 10, 9), "回执", "postmarked_on"),
        (D(2025, 10, 8), None, "  ", "proof"),
    ],
)
def test_a_bad_done_record_is_refused_beside_its_field(
    world, lawsuit, done_on, postmarked_on, proof, field
):
    services.add_stage(
        world.office, lawsuit, kind=StageKind.FIRST_INSTANCE, complaint_served_on=D(2025, 9, 16)
    )
    defence = lawsuit.deadlines[0]
    with pytest.raises(DomainError) as refused:
        deadlines.record_done(
            world.office, defence, done_on=done_on, postmarked_on=postmarked_on, proof=proof
        )
    assert refused.value.field == field
    assert defence.done_on is None
