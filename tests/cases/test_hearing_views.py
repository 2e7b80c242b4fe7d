"""The hearing pages (issue 9, point 4) through the test client: the office schedules, moves
and records a hearing; others are refused; refusals come back beside their fields with nothing
saved; the case page lists each hearing with its badge in as many queries for 30 as for 3."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from cases import hearings, services
from cases.models import Appearance, CaseHearing, CaseKind
from core.extensions import db
from core.i18n import TIMEZONE, today
from core.models import utcnow
from tests.conftest import count_queries
from tests.consultations.test_views_bad_input import refused
from tests.consultations.view_fixtures import PDF, text

REGISTERED = date(2026, 3, 10)


@pytest.fixture
def office(world, as_):
    """The office's client, reading English (the new words are not translated yet)."""
    world.office.locale = "en"
    world.department.principal_head = "张建国"
    world.department.deputy_head = "李卫东"
    db.session.commit()
    return as_(world.office)


@pytest.fixture
def case(register_case):
    return register_case(registered_on=REGISTERED)


@pytest.fixture
def held(world, case):
    hearing = hearings.schedule_hearing(
        world.office, case, starts_at=utcnow() - timedelta(hours=2), place="第三法庭"
    )
    db.session.commit()
    return hearing


def hearing_form(**changes) -> dict:
    data = {
        "starts_at": f"{(today() + timedelta(days=10)).isoformat()}T09:30",
        "place": "第三法庭",
        "stage_id": "0",
        "notice_received_on": today().isoformat(),
    }
    data.update(changes)
    return data


def appearance_form(hearing: CaseHearing, **changes) -> dict:
    data = {
        "appeared": "principal_head",
        "appeared_name": "张建国",
        "absence_reason": "",
        "lawyers": "顾问甲",
        "notes": "",
        "version": str(hearing.version),
    }
    data.update(changes)
    return data


def hearings_of(case) -> list[CaseHearing]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(CaseHearing).where(CaseHearing.case_id == case.id)))


def test_the_office_schedules_a_hearing_with_its_notice(world, office, case, as_):
    url = f"/cases/{case.id}/hearings/new"
    page = text(office.get(url))
    assert "Schedule a hearing" in page and 'name="starts_at"' in page
    response = office.post(
        url,
        data=hearing_form(notice=(io.BytesIO(PDF), "出庭通知书.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    [hearing] = hearings_of(case)
    assert hearing.starts_at.astimezone(TIMEZONE).strftime("%H:%M") == "09:30"
    assert hearing.notice_file.name == "出庭通知书.pdf"
    # the notice downloads with the case's documents, for those who may see the case
    download = f"/cases/{case.id}/files/{hearing.notice_file_id}"
    assert as_(world.liaison).get(download).status_code == 200
    assert as_(world.other_liaison).get(download).status_code == 403
    page = text(office.get(f"/cases/{case.id}"))
    assert "第三法庭" in page and "Not yet recorded" in page and "出庭通知书.pdf" in page


def test_a_hearing_before_registration_is_refused_beside_its_field(office, case):
    url = f"/cases/{case.id}/hearings/new"
    page = refused(office, url, hearing_form(starts_at="2026-03-09T23:59"), "starts_at")
    assert "No hearing before registration" in page
    refused(
        office,
        url,
        hearing_form(starts_at="2026-03-20T09:00", notice_received_on="2026-03-21"),
        "notice_received_on",
    )
    refused(office, url, hearing_form(starts_at="2026-02-30T09:00"), "starts_at")
    on_the_day = hearing_form(starts_at="2026-03-10T00:00", notice_received_on="2026-03-10")
    assert office.post(url, data=on_the_day).status_code == 302


def test_a_hearing_is_moved_until_its_appearance_is_recorded(office, case, world):
    hearing = hearings.schedule_hearing(world.office, case, starts_at=utcnow() + timedelta(days=5))
    db.session.commit()
    url = f"/cases/{case.id}/hearings/{hearing.id}/edit"
    assert office.get(url).status_code == 200
    data = hearing_form(starts_at="2026-03-01T09:00", version=str(hearing.version))
    refused(office, url, data, "starts_at")
    data = hearing_form(version=str(hearing.version), place="第五法庭")
    assert office.post(url, data=data).status_code == 302
    [hearing] = hearings_of(case)
    assert hearing.place == "第五法庭"
    hearing.starts_at = utcnow() - timedelta(hours=1)
    hearing.appeared, hearing.appeared_name = Appearance.PRINCIPAL_HEAD, "张建国"
    db.session.commit()
    assert office.get(url).status_code == 302
    data = hearing_form(version=str(hearing.version), place="第六法庭")
    page = refused(office, url, data)
    assert "cannot be moved" in page


def test_the_appearance_form_names_the_heads_and_the_rule(office, case, held):
    page = text(office.get(f"/cases/{case.id}/hearings/{held.id}/appearance"))
    assert "张建国" in page and "李卫东" in page
    assert "A lawyer alone is never enough" in page


def test_the_appearance_waits_for_the_hearing(world, office, case):
    hearing = hearings.schedule_hearing(world.office, case, starts_at=utcnow() + timedelta(days=1))
    db.session.commit()
    url = f"/cases/{case.id}/hearings/{hearing.id}/appearance"
    assert office.get(url).status_code == 302
    refused(office, url, appearance_form(hearing))
    assert hearings_of(case)[0].appeared is None


def test_a_deputy_needs_a_reason_and_proof(office, case, held):
    url = f"/cases/{case.id}/hearings/{held.id}/appearance"
    deputy = appearance_form(held, appeared="deputy_head", appeared_name="李卫东")
    refused(office, url, deputy, "absence_reason", "absence_proof", multipart=True)
    assert hearings_of(case)[0].appeared is None
    deputy |= {"absence_reason": "抢险救灾", "absence_proof": (io.BytesIO(PDF), "说明.pdf")}
    response = office.post(url, data=deputy, content_type="multipart/form-data")
    assert response.status_code == 302
    [hearing] = hearings_of(case)
    assert hearing.appeared is Appearance.DEPUTY_HEAD and hearing.absence_proof_file_id
    page = text(office.get(f"/cases/{case.id}"))
    assert "Deputy in charge appeared" in page and "抢险救灾" in page and "Sealed proof" in page


def test_a_lawyer_alone_shows_non_compliant_and_raises_the_flag(office, case, held):
    url = f"/cases/{case.id}/hearings/{held.id}/appearance"
    data = appearance_form(
        held, appeared="lawyer_only", appeared_name="顾问甲", absence_reason="未安排"
    )
    assert office.post(url, data=data).status_code == 302
    page = text(office.get(f"/cases/{case.id}"))
    assert "Non-compliant: only a lawyer" in page
    assert 'data-testid="serious-events"' in page


def test_a_civil_case_says_compliant(world, office, register_case):
    civil = register_case(kind=CaseKind.CIVIL, registered_on=REGISTERED)
    hearing = hearings.schedule_hearing(
        world.office, civil, starts_at=utcnow() - timedelta(hours=1)
    )
    db.session.commit()
    url = f"/cases/{civil.id}/hearings/{hearing.id}/appearance"
    assert "no reason or proof is needed" in text(office.get(url))
    data = appearance_form(hearing, appeared="lawyer_only", appeared_name="顾问甲")
    assert office.post(url, data=data).status_code == 302
    page = text(office.get(f"/cases/{civil.id}"))
    assert ">Compliant<" in page


def test_others_may_not_schedule_or_record(world, case, held, as_):
    urls = [
        f"/cases/{case.id}/hearings/new",
        f"/cases/{case.id}/hearings/{held.id}/edit",
        f"/cases/{case.id}/hearings/{held.id}/appearance",
    ]
    for user in (world.liaison, world.adviser_users[0], world.viewer):
        client = as_(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
            assert client.post(url, data=appearance_form(held)).status_code == 403, (user, url)
    assert hearings_of(case)[0].appeared is None


def test_the_department_reads_the_hearings_without_the_office_s_buttons(world, case, held, as_):
    page = text(as_(world.liaison).get(f"/cases/{case.id}"))
    assert "第三法庭" in page
    assert f"/hearings/{held.id}/appearance" not in page and "/hearings/new" not in page


def test_a_hearing_of_another_case_is_not_found(office, case, held, register_case):
    other = register_case()
    for end in ("edit", "appearance"):
        assert office.get(f"/cases/{other.id}/hearings/{held.id}/{end}").status_code == 404
        assert office.post(f"/cases/{other.id}/hearings/{held.id}/{end}").status_code == 404


def test_an_empty_case_says_no_hearing_is_scheduled(office, case):
    page = text(office.get(f"/cases/{case.id}"))
    assert "No hearing scheduled." in page and "Schedule a hearing" in page


def test_a_closed_case_sends_the_form_back(world, office, case):
    services.close_case(world.office, case, closed_on=today())
    db.session.commit()
    assert office.get(f"/cases/{case.id}/hearings/new").status_code == 302
    refused(office, f"/cases/{case.id}/hearings/new", hearing_form())
    assert "Schedule a hearing" not in text(office.get(f"/cases/{case.id}"))


def test_the_case_page_runs_as_many_queries_for_30_hearings_as_for_3(world, office, case, as_):
    def grow(n: int) -> None:
        for i in range(n):
            hearing = hearings.schedule_hearing(
                world.office,
                case,
                starts_at=utcnow() - timedelta(days=i + 1),
                notice_received_on=REGISTERED,
            )
            appeared = list(Appearance)[i % 2 * 3]  # the principal head, or a lawyer alone
            hearings.record_appearance(
                world.office,
                hearing,
                appeared=appeared,
                appeared_name="某某",
                absence_reason="出差",
            )
        db.session.commit()

    def counted() -> dict:
        found = {}
        for client in (office, as_(world.liaison)):
            with count_queries() as queries:
                assert client.get(f"/cases/{case.id}").status_code == 200
            found[id(client)] = queries[0]
        return found

    grow(3)
    small = counted()
    grow(27)
    assert counted() == small
