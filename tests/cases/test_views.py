"""The register's pages: the list with its filters, sorting and pages, a case, the forms with
their refusals beside the fields, access per role, and a dispute matter turned into a case."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from cases import services
from cases.models import (
    Case,
    CaseDeadline,
    CaseKind,
    CaseMember,
    CaseStage,
    GovernmentRole,
    MemberSource,
    StageKind,
)
from consultations import services as consultation_services
from consultations.models import MatterKind
from core.extensions import db
from core.i18n import today
from tests.cases.fixtures import FILED
from tests.consultations.test_views_bad_input import refused
from tests.consultations.view_fixtures import text


def case_form(world, **changes) -> dict:
    data = {
        "kind": "administrative",
        "case_number": "(2026)桂0103行初7号",
        "court": "南宁市青秀区人民法院",
        "cause": "行政强制拆除",
        "department_id": str(world.department.id),
        "government_role": "defendant",
        "opposing_parties": "赵某某",
        "third_parties": "",
        "amount": "600000",
        "amount_unit": "yuan",
        "filed_on": FILED.isoformat(),
        "registered_on": today().isoformat(),
        "summary": "",
    }
    data.update(changes)
    return data


def count() -> int:
    return db.session.scalar(db.select(db.func.count(Case.id)))


def add_deadline(case: Case, due_on, **more) -> CaseDeadline:
    deadline = CaseDeadline(
        case=case,
        rule="admin_defence",
        article="行政诉讼法 第六十七条",
        party="government",
        starts_on=due_on - timedelta(days=15),
        due_on=due_on,
        **more,
    )
    db.session.add(deadline)
    db.session.commit()
    return deadline


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_amounts_in_yuan_and_wan_the_team_and_the_next_deadline(
    world, register_case, as_
):
    case = register_case(amount=Decimal("600000.00"))
    register_case(amount=None, cause="政府信息公开")
    add_deadline(case, today() + timedelta(days=3))
    add_deadline(case, today() + timedelta(days=20))
    add_deadline(case, today() - timedelta(days=1), done_on=today() - timedelta(days=2))
    page = text(as_(world.office).get("/cases/"))
    assert "¥600,000.00" in page and "60" in page
    assert (today() + timedelta(days=3)).isoformat() in page
    assert (today() + timedelta(days=20)).isoformat() not in page
    assert 'data-testid="team-status"' in page
    assert "政府信息公开" in page


def _causes(response) -> list[str]:
    page = text(response)
    assert response.status_code == 200, page[:300]
    return [c for c in ("甲案", "乙案", "丙案", "丁案") if c in page]


def test_the_list_filters_by_kind_department_status_amount_and_words(world, register_case, as_):
    register_case(cause="甲案", amount=Decimal("500000.00"))
    register_case(cause="乙案", amount=Decimal("499999.99"), department=world.other_department)
    civil = register_case(
        cause="丙案", kind=CaseKind.CIVIL, amount=None, opposing_parties="青山建设公司"
    )
    closed = register_case(cause="丁案", amount=Decimal("1000000"))
    services.close_case(world.office, closed)
    db.session.commit()
    office = as_(world.office)
    assert _causes(office.get("/cases/?kind=civil")) == ["丙案"]
    assert _causes(office.get(f"/cases/?department={world.other_department.id}")) == ["乙案"]
    assert _causes(office.get("/cases/?status=closed")) == ["丁案"]
    assert _causes(office.get("/cases/?status=open")) == ["甲案", "乙案", "丙案"]
    assert _causes(office.get("/cases/?min_wan=50")) == ["甲案", "丁案"]
    assert _causes(office.get("/cases/?min_wan=49.999999")) == ["甲案", "乙案", "丁案"]
    assert _causes(office.get("/cases/?q=青山建设")) == ["丙案"]
    assert civil.id


@pytest.mark.parametrize(
    "query", ["sort=bogus", "min_wan=abc", "min_wan=-1", "kind=criminal", "status=x", "page=0"]
)
def test_unreadable_list_arguments_answer_400(world, as_, query):
    assert as_(world.office).get(f"/cases/?{query}").status_code == 400


def test_a_search_too_short_is_said_beside_the_box(world, register_case, as_):
    register_case()
    response = as_(world.office).get("/cases/?q=征")
    assert response.status_code == 400
    assert 'id="q-error"' in text(response)


def test_the_list_sorts_by_amount_kind_court_and_date(world, register_case, as_):
    register_case(cause="甲案", amount=Decimal("300"), court="B法院")
    register_case(cause="乙案", amount=Decimal("100"), court="C法院", kind=CaseKind.CIVIL)
    register_case(cause="丙案", amount=Decimal("200"), court="A法院")

    def order(query):
        page = text(as_(world.office).get(f"/cases/?{query}"))
        return sorted(("甲案", "乙案", "丙案"), key=page.index)

    assert order("sort=amount") == ["乙案", "丙案", "甲案"]
    assert order("sort=-amount") == ["甲案", "丙案", "乙案"]
    assert order("sort=court") == ["丙案", "甲案", "乙案"]
    assert order("sort=kind")[-1] == "乙案"
    assert order("sort=-registered") == ["丙案", "乙案", "甲案"]


def test_the_list_is_paginated(world, register_case, as_, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for cause in ("甲案", "乙案", "丙案"):
        register_case(cause=cause)
    office = as_(world.office)
    assert _causes(office.get("/cases/?sort=registered")) == ["甲案", "乙案"]
    assert _causes(office.get("/cases/?sort=registered&page=2")) == ["丙案"]


# --- a case ---------------------------------------------------------------------------------


def test_a_case_shows_its_facts_stages_team_deadlines_and_files(world, register_case, as_):
    case = register_case(third_parties="青山物业公司")
    page = text(as_(world.office).get(f"/cases/{case.id}"))
    assert "（2026）桂0103行初12号" in page and "青山物业公司" in page
    status = 'class="badge text-bg-primary fs-6 align-middle" data-testid="case-status">在办'
    assert status in page
    assert "¥600,000.00" in page
    for empty in ('data-testid="team"', 'data-testid="deadlines"', 'data-testid="stages"'):
        assert empty in page
    services.add_stage(world.office, case, kind=StageKind.FIRST_INSTANCE, complaint_served_on=FILED)
    db.session.add(
        CaseMember(
            case=case,
            adviser=world.advisers[0],
            category=world.advisers[0].category,
            reason="公职律师 · 行政法 · 2 件在办 · 无利益冲突",
            source=MemberSource.AUTOMATIC,
        )
    )
    db.session.commit()
    add_deadline(case, today() + timedelta(days=2), proof="已递交答辩状")
    page = text(as_(world.office).get(f"/cases/{case.id}"))
    assert "顾问甲" in page and "2 件在办 · 无利益冲突" in page
    assert (today() + timedelta(days=2)).isoformat() in page
    assert "行政诉讼法 第六十七条" in page and "已递交答辩状" in page
    assert FILED.isoformat() in page


def test_a_new_case_is_registered_through_the_form_in_wan(world, as_):
    office = as_(world.office)
    assert office.get("/cases/new").status_code == 200
    response = office.post("/cases/new", data=case_form(world, amount="50", amount_unit="wan"))
    assert response.status_code == 302, text(response)[:2000]
    case = db.session.scalars(db.select(Case)).one()
    assert case.amount == Decimal("500000.00")
    assert case.case_number == "（2026）桂0103行初7号"
    assert response.location.endswith(f"/cases/{case.id}")


def test_the_district_government_itself_can_be_the_party(world, as_):
    response = as_(world.office).post("/cases/new", data=case_form(world, department_id="0"))
    assert response.status_code == 302
    assert db.session.scalars(db.select(Case)).one().department_id is None


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"amount": "0"}, ["amount"]),
        ({"amount": "-5"}, ["amount"]),
        ({"amount": "1.234"}, ["amount"]),
        ({"amount": "49.9999999", "amount_unit": "wan"}, ["amount"]),
        ({"amount": "1000000000000"}, ["amount"]),
        ({"amount": "100000000", "amount_unit": "wan"}, ["amount"]),
        ({"case_number": "桂0103行初7号"}, ["case_number"]),
        ({"government_role": "respondent"}, ["government_role"]),
        ({"filed_on": (today() + timedelta(days=1)).isoformat()}, ["filed_on"]),
        ({"opposing_parties": "", "court": ""}, ["opposing_parties", "court"]),
        ({"department_id": "999999"}, ["department_id"]),
    ],
)
def test_a_refused_case_form_says_why_beside_the_field(world, as_, changes, fields):
    refused(as_(world.office), "/cases/new", case_form(world, **changes), *fields)
    assert count() == 0


def test_an_edit_is_saved_and_a_stale_one_refused(world, register_case, as_):
    case = register_case()
    office = as_(world.office)
    assert office.get(f"/cases/{case.id}/edit").status_code == 200
    form = case_form(world, amount="49.999999", amount_unit="wan", version=str(case.version))
    assert office.post(f"/cases/{case.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).amount == Decimal("499999.99")
    page = refused(office, f"/cases/{case.id}/edit", form | {"amount": "1"})
    assert "Reload" in page or "重新" in page or "alert-danger" in page


def test_a_stage_form_refuses_served_dates_out_of_order(world, register_case, as_):
    case = register_case()
    office = as_(world.office)
    assert office.get(f"/cases/{case.id}/stages/new").status_code == 200
    url = f"/cases/{case.id}/stages/new"
    data = {"kind": "first_instance", "filed_on": FILED.isoformat(), "outcome": ""}
    early = (FILED - timedelta(days=1)).isoformat()
    refused(office, url, data | {"complaint_served_on": early}, "complaint_served_on")
    future = (today() + timedelta(days=1)).isoformat()
    refused(office, url, data | {"judgment_served_on": future}, "judgment_served_on")
    served = (FILED + timedelta(days=3)).isoformat()
    response = office.post(url, data=data | {"complaint_served_on": served})
    assert response.status_code == 302
    stage = db.session.scalars(db.select(CaseStage)).one()
    edit = f"/cases/{case.id}/stages/{stage.id}/edit"
    assert office.get(edit).status_code == 200
    changes = {"judgment_on": early, "version": str(stage.version)}
    refused(office, edit, data | changes, "judgment_on")


def test_a_case_is_closed_through_its_form(world, register_case, as_):
    case = register_case()
    office = as_(world.office)
    assert office.get(f"/cases/{case.id}/close").status_code == 200
    future = (today() + timedelta(days=1)).isoformat()
    refused(office, f"/cases/{case.id}/close", {"closed_on": future}, "closed_on")
    response = office.post(f"/cases/{case.id}/close", data={"closed_on": today().isoformat()})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).closed_on == today()
    assert office.get(f"/cases/{case.id}/edit").status_code == 302


# --- access ---------------------------------------------------------------------------------


def test_each_role_sees_the_cases_it_should(world, register_case, as_):
    """Below the threshold, so that the only team member is the one put on by hand."""
    own = register_case(cause="甲案", amount=Decimal("1000.00"))
    other = register_case(
        cause="乙案", department=world.other_department, amount=Decimal("1000.00")
    )
    db.session.add(
        CaseMember(
            case=own,
            adviser=world.advisers[0],
            category=world.advisers[0].category,
            source=MemberSource.MANUAL,
        )
    )
    db.session.commit()
    expected = {
        world.office: ["甲案", "乙案"],
        world.viewer: ["甲案", "乙案"],
        world.liaison: ["甲案"],
        world.other_liaison: ["乙案"],
        world.adviser_users[0]: ["甲案"],
        world.adviser_users[1]: [],
    }
    for user, causes in expected.items():
        client = as_(user)
        assert _causes(client.get("/cases/")) == causes, user.username
        for case in (own, other):
            status = client.get(f"/cases/{case.id}").status_code
            assert status == (200 if case.cause in causes else 403), (user.username, case.cause)


def test_a_replaced_member_no_longer_reads_the_case(world, register_case, as_):
    case = register_case(amount=Decimal("1000.00"))
    member = CaseMember(
        case=case,
        adviser=world.advisers[1],
        category=world.advisers[1].category,
        source=MemberSource.MANUAL,
    )
    db.session.add(member)
    db.session.commit()
    adviser = as_(world.adviser_users[1])
    assert adviser.get(f"/cases/{case.id}").status_code == 200
    member.status = "replaced"
    db.session.commit()
    assert adviser.get(f"/cases/{case.id}").status_code == 403


def test_only_the_office_registers_and_edits(world, register_case, as_):
    case = register_case()
    for user in (world.liaison, world.viewer, world.adviser_users[0]):
        client = as_(user)
        assert client.get("/cases/new").status_code == 403
        assert client.post("/cases/new", data=case_form(world)).status_code == 403
        assert client.get(f"/cases/{case.id}/edit").status_code == 403
        assert client.post(f"/cases/{case.id}/close", data={}).status_code == 403
    assert count() == 1


# --- from a dispute matter ------------------------------------------------------------------


@pytest.fixture
def dispute(world, request_matter):
    matter = request_matter(
        kind=MatterKind.DISPUTE, title="关于征收补偿争议的处理", parties="李某某\n王某某"
    )
    consultation_services.accept_matter(world.office, matter)
    (lead,) = consultation_services.assign(world.office, matter, lead_id=world.advisers[0].id)
    consultation_services.answer_assignment(world.adviser_users[0], lead, accept=True)
    db.session.commit()
    return matter


def test_a_dispute_matter_becomes_a_case_from_its_page(world, dispute, as_):
    office = as_(world.office)
    page = text(office.get(f"/consultations/{dispute.id}"))
    assert f"/cases/new?matter={dispute.id}" in page
    form_page = text(office.get(f"/cases/new?matter={dispute.id}"))
    assert "李某某" in form_page and "关于征收补偿争议的处理" in form_page
    data = case_form(world, cause=dispute.title, opposing_parties="李某某\n王某某")
    response = office.post(f"/cases/new?matter={dispute.id}", data=data)
    assert response.status_code == 302, text(response)[:2000]
    case = db.session.scalars(db.select(Case)).one()
    assert case.from_matter_id == dispute.id
    # the matter's adviser is carried over; at ¥600,000 the team is filled up around them
    carried, *filled = [(m.adviser_id, m.source) for m in case.members]
    assert carried == (world.advisers[0].id, MemberSource.FROM_MATTER)
    assert {source for _adviser, source in filled} == {MemberSource.AUTOMATIC}
    assert len(filled) == 2
    page = text(office.get(f"/consultations/{dispute.id}"))
    assert f"/cases/{case.id}" in page and "/cases/new?matter" not in page
    assert f"/cases/{case.id}" in text(as_(world.liaison).get(f"/consultations/{dispute.id}"))
    again = office.get(f"/cases/new?matter={dispute.id}")
    assert again.status_code == 302 and again.location.endswith(f"/consultations/{dispute.id}")


def test_only_the_office_sees_the_button_and_only_on_a_dispute(world, dispute, request_matter, as_):
    assert "/cases/new?matter" not in text(as_(world.liaison).get(f"/consultations/{dispute.id}"))
    contract = request_matter(kind=MatterKind.CONTRACT)
    office = as_(world.office)
    assert "/cases/new?matter" not in text(office.get(f"/consultations/{contract.id}"))
    response = office.get(f"/cases/new?matter={contract.id}")
    assert response.status_code == 302
    assert office.post(f"/cases/new?matter={contract.id}", data=case_form(world)).status_code == 400
    assert office.get("/cases/new?matter=999999").status_code == 404
    assert count() == 0


def test_a_reconsideration_case_is_registered_with_the_respondent(world, as_):
    data = case_form(
        world,
        kind="reconsideration",
        government_role=GovernmentRole.RESPONDENT.value,
        court="南宁市青秀区人民政府",
        case_number="青政复〔2026〕3号",
    )
    assert as_(world.office).post("/cases/new", data=data).status_code == 302
    case = db.session.scalars(db.select(Case)).one()
    assert case.kind is CaseKind.RECONSIDERATION
    stage_page = text(as_(world.office).get(f"/cases/{case.id}/stages/new"))
    assert 'selected value="reconsideration"' in stage_page
