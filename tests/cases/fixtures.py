"""Fixtures for the lawsuits register: a factory that registers cases as the office, and one
that turns a dispute matter into a case. They build on the consultations `world`."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import update

from cases import services
from cases.models import (
    Case,
    CaseHearing,
    CaseKind,
    CaseMember,
    CasePerformance,
    FollowUp,
    FollowUpKind,
    GovernmentRole,
    MemberSource,
    Obligation,
    SeriousEvent,
    SeriousKind,
    StageKind,
)
from core.extensions import db
from core.i18n import today
from core.models import User, utcnow

#: a filing day safely in the past, and a served day after it
FILED = date(2026, 3, 2)


@pytest.fixture
def in_english(world):
    """Messages and every user's notifications in English, so a test reads the words."""
    db.session.execute(update(User).values(locale="en"))
    db.session.commit()
    with force_locale("en"):
        yield


@pytest.fixture
def register_case(world):
    """Register a case as the office: register_case(amount=Decimal(...), kind=...)."""

    def make(**overrides) -> Case:
        fields = {
            "kind": CaseKind.ADMINISTRATIVE,
            "court": "南宁市青秀区人民法院",
            "cause": "房屋征收补偿决定",
            "department": world.department,
            "government_role": GovernmentRole.DEFENDANT,
            "opposing_parties": "李某某\n王某某",
            "case_number": "(2026)桂0103行初12号",
            "amount": Decimal("600000.00"),
            "filed_on": FILED,
        }
        fields.update(overrides)
        case = services.register_case(world.office, **fields)
        db.session.commit()
        return case

    return make


@pytest.fixture
def served(world, register_case):
    """A case whose complaint was served on 3 March 2026: defence, evidence extension and
    jurisdiction due on the 18th."""
    case = register_case(amount=Decimal("10000.00"), filed_on=FILED)
    services.add_stage(
        world.office, case, kind=StageKind.FIRST_INSTANCE, complaint_served_on=date(2026, 3, 3)
    )
    db.session.commit()
    return case


def case_records(department, adviser) -> dict:
    """A case of `department` with `adviser` on its team and one stage, for the repo-wide
    access and bad-input walks; their ids, as the URL arguments."""
    case = services.register_case(
        None,
        kind=CaseKind.ADMINISTRATIVE,
        court="南宁市青秀区人民法院",
        cause="行政处罚决定",
        department=department,
        government_role=GovernmentRole.DEFENDANT,
        opposing_parties="张某某",
        amount=Decimal("600000.00"),
        filed_on=today() - timedelta(days=30),
    )
    if adviser.id not in {member.adviser_id for member in case.active_members}:
        db.session.add(
            CaseMember(
                case=case,
                adviser=adviser,
                category=adviser.category,
                reason="测试",
                source=MemberSource.MANUAL,
            )
        )
    stage = services.add_stage(
        None,
        case,
        kind=StageKind.FIRST_INSTANCE,
        filed_on=today() - timedelta(days=30),
        complaint_served_on=today() - timedelta(days=20),
    )
    db.session.flush()
    db.session.refresh(case)
    member = next(m for m in case.active_members if m.adviser_id == adviser.id)
    hearing, performance, follow_up, event = _later_records(case, stage, department)
    return {
        "case_id": case.id,
        "stage_id": stage.id,
        "member_id": member.id,
        "deadline_id": case.deadlines[0].id,
        "hearing_id": hearing.id,
        "performance_id": performance.id,
        "follow_up_id": follow_up.id,
        "event_id": event.id,
    }


def _later_records(case: Case, stage, department):
    """A hearing to come, a judgment being performed, a court's suggestion awaiting its reply
    and an open serious event, on the case."""
    day = today()
    hearing = CaseHearing(
        case=case,
        stage=stage,
        starts_at=utcnow() + timedelta(days=10),
        place="第三法庭",
        notice_received_on=day - timedelta(days=1),
    )
    performance = CasePerformance(
        case=case,
        stage=stage,
        obligation=Obligation.PAY,
        description="支付补偿款",
        amount=Decimal("80000.00"),
        due_on=day + timedelta(days=20),
    )
    follow_up = FollowUp(
        kind=FollowUpKind.JUDICIAL_SUGGESTION,
        case=case,
        issued_by="南宁市青秀区人民法院",
        document_number="(2026)桂0103司建1号",
        received_on=day - timedelta(days=2),
        content="建议规范征收程序",
        department=department,
        reply_due_on=day + timedelta(days=28),
    )
    db.session.add_all([hearing, performance, follow_up])
    db.session.flush()
    event = SeriousEvent(
        case=case, kind=SeriousKind.NO_APPEARANCE, source=f"hearing:{hearing.id}", raised_on=day
    )
    db.session.add(event)
    db.session.flush()
    return hearing, performance, follow_up, event
