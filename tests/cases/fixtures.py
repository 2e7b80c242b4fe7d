"""Fixtures for the lawsuits register: a factory that registers cases as the office, and one
that turns a dispute matter into a case. They build on the consultations `world`."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from cases import services
from cases.models import Case, CaseKind, CaseMember, GovernmentRole, MemberSource, StageKind
from core.extensions import db
from core.i18n import today

#: a filing day safely in the past, and a served day after it
FILED = date(2026, 3, 2)


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
    return {
        "case_id": case.id,
        "stage_id": stage.id,
        "member_id": member.id,
        "deadline_id": case.deadlines[0].id,
    }
