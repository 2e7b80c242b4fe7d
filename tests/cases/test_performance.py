"""Performing effective judgments (issue 9, point 6): an obligation ordered from an effective
stage, due no earlier than the day it took effect, a payment's amount, the day performed with
its proof, and the queries the daily job reminds and flags with; the pages that record them."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from cases import performance, services
from cases.models import (
    Case,
    CaseFile,
    CasePerformance,
    CaseStage,
    Obligation,
    Outcome,
    PerformanceStatus,
    StageKind,
)
from core.errors import DomainError, NotAllowed
from core.extensions import db
from core.i18n import today
from core.models import Notification
from tests.cases.fixtures import FILED
from tests.conftest import assert_constant_queries, count_queries
from tests.consultations.test_views_bad_input import refused
from tests.consultations.view_fixtures import PDF, text

EFFECTIVE = date(2026, 5, 8)


def judged(world, case: Case, effective_on: date | None = EFFECTIVE) -> CaseStage:
    """A first instance the government lost, effective on `effective_on` (None: not yet)."""
    stage = services.add_stage(
        world.office,
        case,
        kind=StageKind.FIRST_INSTANCE,
        filed_on=FILED,
        judgment_on=date(2026, 4, 20),
        judgment_served_on=date(2026, 4, 22),
        outcome=Outcome.LOST,
        effective_on=effective_on,
    )
    db.session.commit()
    return stage


@pytest.fixture
def stage(world, register_case) -> CaseStage:
    return judged(world, register_case())


def order(world, stage: CaseStage, **overrides) -> CasePerformance:
    fields = {
        "stage": stage,
        "obligation": Obligation.PAY,
        "description": "支付征收补偿款",
        "amount": Decimal("80000.00"),
        "due_on": EFFECTIVE + timedelta(days=30),
    }
    fields.update(overrides)
    item = performance.order_performance(world.office, stage.case, **fields)
    db.session.commit()
    return item


def count() -> int:
    return db.session.scalar(select(func.count(CasePerformance.id)))


def refusal(world, stage, **overrides) -> set[str]:
    with pytest.raises(DomainError) as refused_:
        order(world, stage, **overrides)
    db.session.rollback()
    assert count() == 0
    return {problem.field for problem in refused_.value.problems}


# --- ordering ------------------------------------------------------------------------------


def test_a_stage_without_an_effective_date_is_refused(world, register_case):
    stage = judged(world, register_case(), effective_on=None)
    assert refusal(world, stage) == {"stage_id"}


def test_a_stage_of_another_case_is_refused(world, register_case, stage):
    other = register_case(cause="另一案")
    with pytest.raises(DomainError) as refused_:
        performance.order_performance(
            world.office,
            other,
            stage=stage,
            obligation=Obligation.OTHER,
            description="x",
            due_on=EFFECTIVE,
        )
    assert refused_.value.field == "stage_id"


def test_it_cannot_be_due_before_the_judgment_took_effect(world, stage):
    assert refusal(world, stage, due_on=EFFECTIVE - timedelta(days=1)) == {"due_on"}
    item = order(world, stage, due_on=EFFECTIVE)
    assert item.due_on == EFFECTIVE and item.status is PerformanceStatus.PENDING


@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("-1"), Decimal("0.001")])
def test_a_payment_needs_a_positive_amount_in_cents(world, stage, amount):
    assert refusal(world, stage, amount=amount) == {"amount"}


def test_a_cent_is_a_payment(world, stage):
    assert order(world, stage, amount=Decimal("0.01")).amount == Decimal("0.01")


def test_only_a_payment_has_an_amount(world, stage):
    assert refusal(world, stage, obligation=Obligation.REDO_ACT) == {"amount"}
    item = order(world, stage, obligation=Obligation.REDO_ACT, amount=None)
    assert item.amount is None


def test_what_is_wrong_is_told_all_at_once(world, stage):
    assert refusal(world, stage, description="  ", amount=None, due_on=None) == {
        "description",
        "amount",
        "due_on",
    }


def test_a_closed_case_takes_no_new_obligation(world, stage):
    services.close_case(world.office, stage.case, closed_on=today())
    db.session.commit()
    with pytest.raises(DomainError):
        order(world, stage)


def test_only_the_office_orders_performance(world, stage):
    with pytest.raises(NotAllowed):
        performance.order_performance(
            world.liaison,
            stage.case,
            stage=stage,
            obligation=Obligation.OTHER,
            description="x",
            due_on=EFFECTIVE,
        )


def test_the_department_and_the_office_are_told(world, stage):
    item = order(world, stage)
    told = set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.key == f"case-performance-ordered-{item.id}:{stage.case_id}"
            )
        )
    )
    assert {world.liaison.id, world.office.id} <= told
    assert world.other_liaison.id not in told


# --- performed -----------------------------------------------------------------------------


def performed(world, item, **overrides) -> CasePerformance:
    fields = {"performed_on": today(), "proof": "转账凭证 No.8812"}
    fields.update(overrides)
    done = performance.record_performed(world.office, item, **fields)
    db.session.commit()
    return done


def test_performed_in_the_future_is_refused(world, stage):
    item = order(world, stage)
    with pytest.raises(DomainError) as refused_:
        performed(world, item, performed_on=today() + timedelta(days=1))
    assert refused_.value.field == "performed_on"


def test_performed_before_the_judgment_took_effect_is_refused(world, stage):
    item = order(world, stage)
    with pytest.raises(DomainError) as refused_:
        performed(world, item, performed_on=EFFECTIVE - timedelta(days=1))
    assert refused_.value.field == "performed_on"
    assert performed(world, item, performed_on=EFFECTIVE).performed_on == EFFECTIVE


def test_the_proof_is_required(world, stage):
    item = order(world, stage)
    with pytest.raises(DomainError) as refused_:
        performed(world, item, proof="  ")
    assert refused_.value.field == "proof"
    db.session.rollback()
    assert db.session.get(CasePerformance, item.id).status is PerformanceStatus.PENDING


def test_late_performance_is_recorded_with_its_day(world, stage):
    item = order(world, stage, due_on=EFFECTIVE)
    done = performed(world, item, performed_on=EFFECTIVE + timedelta(days=40))
    assert done.status is PerformanceStatus.PERFORMED
    assert done.performed_on == EFFECTIVE + timedelta(days=40) and done.proof == "转账凭证 No.8812"
    with pytest.raises(DomainError):
        performed(world, done)


def test_the_proof_file_joins_the_case_documents(world, stage):
    from werkzeug.datastructures import FileStorage

    item = order(world, stage)
    upload = FileStorage(io.BytesIO(PDF), filename="付款凭证.pdf")
    done = performed(world, item, proof_file=upload)
    assert done.proof_file.name == "付款凭证.pdf"
    assert done.proof_file_id in {f.file_id for f in stage.case.files}


# --- the daily job's queries -----------------------------------------------------------------


def test_overdue_counts_the_day_before_and_not_the_day_itself(world, stage):
    on = EFFECTIVE + timedelta(days=10)
    late = order(world, stage, due_on=on - timedelta(days=1))
    order(world, stage, due_on=on)
    done = order(world, stage, due_on=on - timedelta(days=5))
    performed(world, done)
    assert [item.id for item in performance.overdue(on)] == [late.id]


def test_due_within_covers_from_today_to_the_last_day(world, stage):
    on = EFFECTIVE + timedelta(days=10)
    due = [order(world, stage, due_on=on + timedelta(days=n)) for n in (-1, 0, 7, 8)]
    assert [item.id for item in performance.due_within(on, 7)] == [due[1].id, due[2].id]


def test_overdue_runs_one_query_however_many_there_are(world, register_case):
    on = EFFECTIVE + timedelta(days=60)

    def grow(n: int) -> None:
        for i in range(n):
            order(world, judged(world, register_case(cause=f"案{i}")), due_on=EFFECTIVE)

    def counted() -> int:
        db.session.expire_all()
        with count_queries() as queries:
            found = performance.overdue(on)
            names = [(item.case.reference, item.case.government_party) for item in found]
        assert len(names) == len(found)
        return queries[0]

    grow(3)
    small = counted()
    grow(27)
    assert_constant_queries(small, counted(), "overdue")
    assert small == 1


# --- the pages -----------------------------------------------------------------------------


def test_the_office_records_a_payment_in_ten_thousand_yuan(world, stage, as_):
    office = as_(world.office)
    url = f"/cases/{stage.case_id}/performances/new"
    page = text(office.get(url))
    assert "生效" in page or "effective" in page
    data = {
        "stage_id": str(stage.id),
        "obligation": "pay",
        "description": "支付补偿款",
        "amount": "8",
        "amount_unit": "wan",
        "due_on": "2026-06-08",
    }
    assert office.post(url, data=data).status_code == 302
    item = db.session.scalars(select(CasePerformance)).one()
    assert item.amount == Decimal("80000.00") and item.due_on == date(2026, 6, 8)


def test_a_refused_order_shows_beside_its_field_and_saves_nothing(world, register_case, as_):
    office = as_(world.office)
    stage = judged(world, register_case())
    unsettled = judged(world, stage.case, effective_on=None)
    url = f"/cases/{stage.case_id}/performances/new"
    data = {
        "stage_id": str(stage.id),
        "obligation": "pay",
        "description": "支付补偿款",
        "amount": "",
        "amount_unit": "yuan",
        "due_on": "2026-06-08",
    }
    refused(office, url, data, "amount")
    refused(office, url, data | {"amount": "0"}, "amount")
    refused(office, url, data | {"amount": "5", "due_on": "2026-05-07"}, "due_on")
    refused(office, url, data | {"amount": "5", "stage_id": str(unsettled.id)}, "stage_id")
    refused(office, url, data | {"amount": "5", "due_on": "2026-02-30"}, "due_on")


def test_only_the_office_reaches_the_pages_and_another_case_is_404(
    world, stage, register_case, as_
):
    item = order(world, stage)
    other = register_case(cause="另一案")
    for user in (world.liaison, world.viewer):
        assert as_(user).get(f"/cases/{stage.case_id}/performances/new").status_code == 403
    office = as_(world.office)
    assert office.get(f"/cases/{other.id}/performances/{item.id}/performed").status_code == 404
    assert office.get(f"/cases/{stage.case_id}/performances/999/performed").status_code == 404


def test_the_case_page_shows_overdue_performance_in_red(world, register_case, as_):
    stage = judged(world, register_case(), effective_on=today() - timedelta(days=20))
    order(world, stage, due_on=today() - timedelta(days=2), description="重新作出行政行为")
    page = text(as_(world.liaison).get(f"/cases/{stage.case_id}"))
    assert 'data-testid="performances"' in page and "重新作出行政行为" in page
    assert 'class="badge text-bg-danger" data-testid="performance-status"' in page
    assert "¥80,000.00" in page
    assert "/performed" not in page  # the liaison reads; the office records


def test_no_heading_without_an_effective_stage_or_an_obligation(world, register_case, as_):
    case = register_case()
    assert 'data-testid="performances"' not in text(as_(world.office).get(f"/cases/{case.id}"))
    judged(world, case)
    page = text(as_(world.office).get(f"/cases/{case.id}"))
    assert f"/cases/{case.id}/performances/new" in page
    assert 'data-testid="performances"' not in text(as_(world.viewer).get(f"/cases/{case.id}"))


def test_the_office_records_it_performed_with_its_voucher(world, stage, as_):
    item = order(world, stage)
    office = as_(world.office)
    url = f"/cases/{stage.case_id}/performances/{item.id}/performed"
    assert office.get(url).status_code == 200
    future = (today() + timedelta(days=1)).isoformat()
    refused(office, url, {"performed_on": future, "proof": "凭证"}, "performed_on")
    refused(office, url, {"performed_on": today().isoformat(), "proof": ""}, "proof")
    data = {
        "performed_on": today().isoformat(),
        "proof": "国库支付凭证",
        "proof_file": (io.BytesIO(PDF), "凭证.pdf"),
    }
    response = office.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.status is PerformanceStatus.PERFORMED and item.proof == "国库支付凭证"
    attached = db.session.scalars(select(CaseFile).where(CaseFile.case_id == stage.case_id)).one()
    assert attached.file_id == item.proof_file_id
    page = text(office.get(f"/cases/{stage.case_id}"))
    assert "国库支付凭证" in page and f"/files/{item.proof_file_id}" in page
    download = as_(world.liaison).get(f"/cases/{stage.case_id}/files/{item.proof_file_id}")
    assert download.status_code == 200 and download.data == PDF
