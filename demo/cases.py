"""The demo's lawsuits register: a case of exactly ¥500,000.00 with its lawyer team, one of
¥499,999.99 without, an administrative case through judgment, and a reconsideration whose
periods cross the 2025 National Day holiday. Each goes through the services, so the teams and
the statutory deadlines are the ones the product makes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from advisers.models import Adviser, Specialty
from cases import deadlines, services, team
from cases.models import Case, CaseKind, GovernmentRole, Outcome, StageKind
from core.extensions import db
from core.models import Department, User


def _department(name: str) -> Department:
    return db.session.scalar(select(Department).where(Department.name == name))


def _specialty(name: str) -> Specialty | None:
    return db.session.scalar(select(Specialty).where(Specialty.name == name))


def _register(office: User, **fields) -> Case:
    return services.register_case(office, **fields)


def _threshold_cases(office: User, today: date) -> None:
    """¥500,000.00 gets a team (以上 includes the number); ¥499,999.99 does not."""
    filed = today - timedelta(days=40)
    exactly = _register(
        office,
        kind=CaseKind.ADMINISTRATIVE,
        court="江城市江南区人民法院",
        cause="房屋征收补偿决定",
        department=_department("区房屋征收管理办公室"),
        government_role=GovernmentRole.DEFENDANT,
        opposing_parties="江城宏达置业有限公司",
        case_number="（2026）桂0105行初123号",
        amount=Decimal("500000.00"),
        filed_on=filed,
        specialty=_specialty("行政法"),
        summary="原告不服房屋征收补偿决定，请求撤销并重新作出补偿决定。",
    )
    services.add_stage(
        office,
        exactly,
        kind=StageKind.FIRST_INSTANCE,
        case_number="（2026）桂0105行初123号",
        court="江城市江南区人民法院",
        filed_on=filed,
        complaint_served_on=today - timedelta(days=6),
    )
    team.confirm_team(office, exactly)
    _register(
        office,
        kind=CaseKind.CIVIL,
        court="江城市江南区人民法院",
        cause="建设工程施工合同纠纷",
        department=_department("区住房和城乡建设局"),
        government_role=GovernmentRole.DEFENDANT,
        opposing_parties="江城第三建筑工程有限公司",
        case_number="（2026）桂0105民初456号",
        amount=Decimal("499999.99"),
        filed_on=today - timedelta(days=20),
        summary="施工单位请求支付工程尾款及利息。",
    )


def _judged_case(office: User, today: date) -> None:
    """An administrative case through a first-instance judgment, now effective."""
    filed = today - timedelta(days=200)
    case = _register(
        office,
        kind=CaseKind.ADMINISTRATIVE,
        court="江城市江南区人民法院",
        cause="行政处罚决定",
        department=_department("区市场监督管理局"),
        government_role=GovernmentRole.DEFENDANT,
        opposing_parties="江城百味餐饮管理有限公司",
        case_number="（2026）桂0105行初45号",
        amount=Decimal("1200000.00"),
        filed_on=filed,
        specialty=_specialty("行政法"),
    )
    director = db.session.scalar(select(Adviser).where(Adviser.name == "王建国"))
    if director.id not in {member.adviser_id for member in case.active_members}:
        team.add_member(office, case, director.id)  # the demo adviser's own case
    stage = services.add_stage(
        office,
        case,
        kind=StageKind.FIRST_INSTANCE,
        filed_on=filed,
        complaint_served_on=filed + timedelta(days=5),
        judgment_on=today - timedelta(days=60),
        judgment_served_on=today - timedelta(days=56),
        outcome=Outcome.WON,
        effective_on=today - timedelta(days=40),
    )
    for deadline in case.deadlines:
        if deadline.stage_id == stage.id and deadline.due_on < today:
            deadlines.record_done(
                office,
                deadline,
                done_on=deadline.due_on - timedelta(days=2),
                proof="法院签收回执",
            )


def _reconsideration(office: User) -> None:
    """An application received on 26 September 2025: the acceptance review, the reply and
    the decision all count across the National Day holiday (1–8 October)."""
    case = _register(
        office,
        kind=CaseKind.RECONSIDERATION,
        court="江城市江南区人民政府",
        cause="不服行政许可决定申请行政复议",
        department=_department("区自然资源和规划分局"),
        government_role=GovernmentRole.RESPONDENT,
        opposing_parties="刘某某",
        filed_on=date(2025, 9, 26),
    )
    services.add_stage(
        office,
        case,
        kind=StageKind.RECONSIDERATION,
        filed_on=date(2025, 9, 26),
        complaint_served_on=date(2025, 9, 30),
        accepted_on=date(2025, 9, 30),
    )
    done = {
        "reconsideration_acceptance": (date(2025, 9, 30), "受理通知书"),
        "reconsideration_reply": (date(2025, 10, 20), "被申请人答复书及证据目录"),
        "reconsideration_decision": (
            date(2025, 11, 25),
            "行政复议决定书（江南府复决〔2025〕17号）",
        ),
    }
    for deadline in case.deadlines:
        day, proof = done[deadline.rule]
        deadlines.record_done(office, deadline, done_on=day, proof=proof)
    services.close_case(office, case, closed_on=date(2025, 11, 28))


def load_cases(office: User, today: date) -> None:
    """Load the register's demo cases."""
    _threshold_cases(office, today)
    _judged_case(office, today)
    _reconsideration(office)
    db.session.flush()
