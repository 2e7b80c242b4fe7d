"""Registering a case, its amount at the team threshold, its stages, closing it, and turning a
dispute matter into a case."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from cases import queries, services
from cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    GovernmentRole,
    MemberRole,
    MemberSource,
    MemberStatus,
    StageKind,
)
from consultations import services as consultation_services
from consultations.models import MatterKind
from core import search
from core.errors import DomainError, NotAllowed
from core.extensions import db
from core.i18n import today
from tests.cases.fixtures import FILED


def reread(case: Case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def test_a_case_is_registered_with_its_particulars(world, register_case):
    case = register_case(third_parties="某某公司；另一公司", summary="  征收补偿。 ")
    case = reread(case)
    assert case.reference == f"{today().year}-S0001"
    assert case.case_number == "（2026）桂0103行初12号"
    assert case.opposing_names == ["李某某", "王某某"]
    assert case.third_party_names == ["某某公司", "另一公司"]
    assert case.summary == "征收补偿。"
    assert case.status is CaseStatus.OPEN and case.registered_on == today()
    assert case.created_by_id == world.office.id
    assert register_case().reference == f"{today().year}-S0002"


@pytest.mark.parametrize("amount", ["499999.99", "500000.00", "0.01", "999999999999.99"])
def test_amounts_are_stored_exactly(register_case, amount):
    case = reread(register_case(amount=Decimal(amount)))
    assert case.amount == Decimal(amount)
    assert str(case.amount) == amount


def test_a_case_may_involve_no_property(register_case):
    case = reread(register_case(amount=None))
    assert case.amount is None and case.amount_in_wan is None


@pytest.mark.parametrize("amount", ["0", "-1", "0.001", "1000000000000", "1000000000000.00", "NaN"])
def test_bad_amounts_are_refused_beside_the_field(register_case, amount):
    with pytest.raises(DomainError) as refused:
        register_case(amount=Decimal(amount))
    assert refused.value.field == "amount"


def test_what_cannot_be_is_refused_all_at_once(world, register_case):
    with pytest.raises(DomainError) as refused:
        register_case(
            government_role=GovernmentRole.RESPONDENT,
            opposing_parties=" \n ",
            filed_on=today() + timedelta(days=1),
        )
    fields = {p.field for p in refused.value.problems}
    assert fields == {"government_role", "opposing_parties", "filed_on"}
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_a_reconsideration_has_a_respondent(register_case):
    case = register_case(kind=CaseKind.RECONSIDERATION, government_role=GovernmentRole.RESPONDENT)
    assert case.government_role is GovernmentRole.RESPONDENT
    with pytest.raises(DomainError) as refused:
        register_case(kind=CaseKind.RECONSIDERATION, government_role=GovernmentRole.DEFENDANT)
    assert refused.value.field == "government_role"


def test_a_bad_case_number_is_refused(register_case):
    with pytest.raises(DomainError) as refused:
        register_case(case_number="桂0103行初12号")
    assert refused.value.field == "case_number"
    assert register_case(case_number="").case_number == ""


def test_only_the_office_registers(world, register_case):
    with pytest.raises(NotAllowed):
        services.register_case(
            world.liaison,
            kind=CaseKind.CIVIL,
            court="法院",
            cause="合同纠纷",
            government_role=GovernmentRole.DEFENDANT,
            opposing_parties="某公司",
            filed_on=FILED,
        )


def test_the_team_hook_hears_of_each_amount(world, register_case, monkeypatch):
    heard = []
    monkeypatch.setattr(
        "cases.team.after_amount_change", lambda actor, case, old: heard.append((case.id, old))
    )
    case = register_case(amount=Decimal("499999.99"))
    services.update_case(world.office, case, amount=Decimal("500000.00"))
    assert heard == [(case.id, None), (case.id, Decimal("499999.99"))]
    assert case.amount == Decimal("500000.00")


def test_a_case_is_found_by_its_number_cause_court_and_parties(register_case):
    case = register_case(third_parties="青山物业公司")
    for words in ("行初12", "征收补偿", "青秀区", "王某某", "青山物业"):
        found = db.session.scalars(search.matching("case", words)).all()
        assert found == [case.id], words


def test_an_edit_corrects_and_a_closed_case_stays_closed(world, register_case):
    case = register_case()
    services.update_case(world.office, case, court="南宁铁路运输法院", case_number="")
    assert case.court == "南宁铁路运输法院" and case.case_number == ""
    services.close_case(world.office, case, closed_on=today())
    assert case.status is CaseStatus.CLOSED
    with pytest.raises(DomainError):
        services.update_case(world.office, case, court="别的法院")
    with pytest.raises(DomainError):
        services.add_stage(world.office, case, kind=StageKind.SECOND_INSTANCE)
    with pytest.raises(DomainError):
        services.close_case(world.office, case)


@pytest.mark.parametrize(
    ("closed_on", "ok"),
    [(FILED - timedelta(days=1), False), (FILED, True), (today() + timedelta(days=1), False)],
)
def test_the_closing_date_lies_between_filing_and_today(world, register_case, closed_on, ok):
    case = register_case()
    if ok:
        services.close_case(world.office, case, closed_on=closed_on)
    else:
        with pytest.raises(DomainError) as refused:
            services.close_case(world.office, case, closed_on=closed_on)
        assert refused.value.field == "closed_on"


def test_a_stage_is_recorded_and_the_deadline_hook_hears_of_it(world, register_case, monkeypatch):
    heard = []
    monkeypatch.setattr(
        "cases.deadlines.after_stage_change", lambda actor, s: heard.append(s.id) or []
    )
    case = register_case()
    stage = services.add_stage(
        world.office,
        case,
        kind=StageKind.FIRST_INSTANCE,
        case_number="(2026)桂0103行初12号",
        filed_on=FILED,
        complaint_served_on=FILED + timedelta(days=5),
    )
    services.update_stage(world.office, stage, judgment_on=FILED + timedelta(days=40))
    assert heard == [stage.id, stage.id]
    assert stage.case_number == "（2026）桂0103行初12号"
    assert reread(case).stages[0].judgment_on == FILED + timedelta(days=40)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"complaint_served_on": FILED - timedelta(days=1)}, "complaint_served_on"),
        ({"judgment_served_on": FILED - timedelta(days=1)}, "judgment_served_on"),
        (
            {"filed_on": FILED + timedelta(days=10), "judgment_on": FILED + timedelta(days=9)},
            "judgment_on",
        ),
        ({"complaint_served_on": today() + timedelta(days=1)}, "complaint_served_on"),
        ({"judgment_served_on": today() + timedelta(days=1)}, "judgment_served_on"),
        ({"filed_on": today() + timedelta(days=1)}, "filed_on"),
        (
            {"judgment_on": FILED + timedelta(days=9), "judgment_served_on": FILED + timedelta(8)},
            "judgment_served_on",
        ),
        (
            {"judgment_on": FILED + timedelta(days=9), "effective_on": FILED + timedelta(days=8)},
            "effective_on",
        ),
        ({"kind": StageKind.RECONSIDERATION}, "kind"),
    ],
)
def test_stage_dates_out_of_order_are_refused(world, register_case, fields, field):
    case = register_case()
    fields = {"kind": StageKind.FIRST_INSTANCE} | fields
    with pytest.raises(DomainError) as refused:
        services.add_stage(world.office, case, **fields)
    assert field in {p.field for p in refused.value.problems}
    assert reread(case).stages == []


def test_served_dates_on_the_filing_day_and_today_are_accepted(world, register_case):
    case = register_case()
    stage = services.add_stage(
        world.office,
        case,
        kind=StageKind.FIRST_INSTANCE,
        filed_on=FILED,
        complaint_served_on=FILED,
        judgment_on=today(),
        judgment_served_on=today(),
    )
    assert stage.judgment_served_on == today()


def test_a_stage_edit_is_checked_against_the_dates_it_keeps(world, register_case):
    case = register_case()
    stage = services.add_stage(
        world.office, case, kind=StageKind.FIRST_INSTANCE, filed_on=FILED + timedelta(days=3)
    )
    with pytest.raises(DomainError) as refused:
        services.update_stage(world.office, stage, complaint_served_on=FILED + timedelta(days=2))
    assert refused.value.field == "complaint_served_on"


# --- from a dispute matter ------------------------------------------------------------------


@pytest.fixture
def dispute(world, request_matter):
    """A dispute matter with adviser 甲 as its lead and 乙 as co-adviser, both accepted, and
    丙 assigned but not yet answering."""
    matter = request_matter(
        kind=MatterKind.DISPUTE,
        title="关于某小区征收补偿争议的处理意见",
        parties="李某某、王某某",
        received_on=date(2026, 2, 2),
    )
    consultation_services.accept_matter(world.office, matter)
    lead, co = consultation_services.assign(
        world.office, matter, lead_id=world.advisers[0].id, co_ids=[world.advisers[1].id]
    )
    consultation_services.answer_assignment(world.adviser_users[0], lead, accept=True)
    consultation_services.answer_assignment(world.adviser_users[1], co, accept=True)
    consultation_services.assign(world.office, matter, lead_id=None, co_ids=[world.advisers[2].id])
    db.session.commit()
    return matter


def _case_fields(**more):
    return {
        "kind": CaseKind.ADMINISTRATIVE,
        "court": "南宁市青秀区人民法院",
        "government_role": GovernmentRole.DEFENDANT,
        "filed_on": FILED,
        "amount": Decimal("80"),
    } | more


def test_a_dispute_becomes_a_case_with_its_parties_and_advisers(world, dispute):
    case = services.case_from_matter(world.office, dispute, **_case_fields())
    db.session.commit()
    case = reread(case)
    assert case.from_matter_id == dispute.id
    assert case.opposing_names == ["李某某", "王某某"]
    assert case.department_id == world.department.id
    assert case.cause == dispute.title
    members = [(m.adviser.name, m.role, m.source, m.status) for m in case.members]
    assert members == [
        ("顾问甲", MemberRole.LEAD, MemberSource.FROM_MATTER, MemberStatus.PROPOSED),
        ("顾问乙", MemberRole.MEMBER, MemberSource.FROM_MATTER, MemberStatus.PROPOSED),
    ]
    assert all(dispute.reference in m.reason for m in case.members)
    assert queries.case_of_matter(dispute.id).id == case.id


def test_a_dispute_becomes_one_case_only(world, dispute):
    first = services.case_from_matter(world.office, dispute, **_case_fields())
    with pytest.raises(DomainError) as refused:
        services.case_from_matter(world.office, dispute, **_case_fields())
    assert first.reference in refused.value.message


def test_only_a_dispute_not_returned_becomes_a_case(world, request_matter):
    contract = request_matter(kind=MatterKind.CONTRACT)
    with pytest.raises(DomainError):
        services.case_from_matter(world.office, contract, **_case_fields())
    returned = request_matter(kind=MatterKind.DISPUTE)
    consultation_services.return_matter(world.office, returned, reason="不属于顾问职责")
    with pytest.raises(DomainError):
        services.case_from_matter(world.office, returned, **_case_fields())
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_a_retired_department_stays_the_party_of_its_cases(world, register_case):
    case = register_case()
    world.department.is_active = False
    db.session.commit()
    services.update_case(world.office, case, department=world.department, court="新法院")
    assert case.court == "新法院"
    with pytest.raises(DomainError) as refused:
        register_case()
    assert refused.value.field == "department_id"
