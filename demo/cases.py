"""The demo's lawsuits register: a case of exactly ¥500,000.00 with its lawyer team and a
hearing to come, one of ¥499,999.99 without a team, an administrative case through hearings
and judgment, a lost case whose judgment is being performed, a court's suggestion awaiting the
reply, and a reconsideration whose periods cross the 2025 National Day holiday. Each goes
through the services, so the teams, deadlines and reminders are the ones the product makes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from advisers.models import Adviser, Specialty
from cases import deadlines, follow_ups, hearings, performance, services, team
from cases.models import (
    Acceptance,
    Appearance,
    Case,
    CaseKind,
    FollowUpKind,
    GovernmentRole,
    Obligation,
    Outcome,
    StageKind,
)
from core.extensions import db
from core.i18n import TIMEZONE
from core.models import Department, User
from demo.consultations.loader import demo_pdf


def _department(name: str) -> Department:
    return db.session.scalar(select(Department).where(Department.name == name))


def _specialty(name: str) -> Specialty | None:
    return db.session.scalar(select(Specialty).where(Specialty.name == name))


def _register(office: User, **fields) -> Case:
    return services.register_case(office, **fields)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment in China's time zone, as the court's notice gives it."""
    return datetime.combine(day, time(hour, minute), tzinfo=TIMEZONE)


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
        registered_on=filed + timedelta(days=2),
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
    hearings.schedule_hearing(
        office,
        exactly,
        stage=exactly.stages[0],
        starts_at=_at(today + timedelta(days=9), 9, 30),
        place="江南区人民法院第三审判庭",
        notice_received_on=today - timedelta(days=1),
    )
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
        registered_on=filed + timedelta(days=3),
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
    _heard(office, stage, filed + timedelta(days=70), filed + timedelta(days=105))


def _heard(office: User, stage, first: date, second: date) -> None:
    """Two hearings of the first instance: the bureau's principal head appeared at the first;
    at the second he was away on the provincial inspection and his deputy appeared, with the
    reason and the sealed proof on record."""
    case = stage.case
    for day, appeared, name, reason in (
        (first, Appearance.PRINCIPAL_HEAD, "毛立", ""),
        (
            second,
            Appearance.DEPUTY_HEAD,
            "陈志明",
            "主要负责人参加省市场监管专项督查，委托分管副局长出庭",
        ),
    ):
        hearing = hearings.schedule_hearing(
            office,
            case,
            stage=stage,
            starts_at=_at(day, 9),
            place="江南区人民法院第一审判庭",
            notice_received_on=day - timedelta(days=10),
        )
        hearings.record_appearance(
            office,
            hearing,
            appeared=appeared,
            appeared_name=name,
            absence_reason=reason,
            absence_proof=demo_pdf("主要负责人不能出庭的情况说明（加盖公章）.pdf")
            if reason
            else None,
            lawyers="江城正衡律师事务所 刘洋",
        )


def _judgment_being_performed(office: User, today: date) -> None:
    """A contract case the district lost: the judgment took effect and the education bureau
    must pay the contractor by a day still to come."""
    filed = today - timedelta(days=260)
    case = _register(
        office,
        kind=CaseKind.CIVIL,
        court="江城市江南区人民法院",
        cause="政府采购合同纠纷",
        department=_department("区教育局"),
        government_role=GovernmentRole.DEFENDANT,
        opposing_parties="江城博学教育装备有限公司",
        case_number="（2026）桂0105民初88号",
        amount=Decimal("286450.00"),
        filed_on=filed,
        registered_on=filed + timedelta(days=4),
        summary="供货单位请求支付校园设备采购合同余款及逾期付款利息。",
    )
    stage = services.add_stage(
        office,
        case,
        kind=StageKind.FIRST_INSTANCE,
        filed_on=filed,
        judgment_on=today - timedelta(days=50),
        judgment_served_on=today - timedelta(days=47),
        outcome=Outcome.LOST,
        effective_on=today - timedelta(days=30),
    )
    for deadline in case.deadlines:
        if deadline.due_on < today and deadline.done_on is None:
            deadlines.record_done(
                office, deadline, done_on=deadline.due_on, proof="决定不上诉的会议纪要"
            )
    performance.order_performance(
        office,
        case,
        stage=stage,
        obligation=Obligation.PAY,
        description="被告于判决生效之日起四十五日内支付合同余款 286,450.00 元及逾期付款利息。",
        amount=Decimal("286450.00"),
        due_on=stage.effective_on + timedelta(days=45),
    )


def _court_suggestion(office: User, today: date) -> None:
    """A judicial suggestion the court sent the city management bureau after a case on its
    enforcement procedure; the reply is due in a few weeks."""
    follow_ups.register_follow_up(
        office,
        kind=FollowUpKind.JUDICIAL_SUGGESTION,
        issued_by="江城市江南区人民法院",
        document_number="（2026）桂0105司建3号",
        received_on=today - timedelta(days=12),
        content="建议规范占道经营行政处罚的告知和听证程序，完善执法全过程记录。",
        department=_department("区城市管理局"),
        reply_due_on=today + timedelta(days=18),
    )


def _reconsideration(office: User) -> None:
    """An application to the district government, as reconsideration body, against its
    planning bureau, received on 26 September 2025: the acceptance review, the bureau's reply
    and the decision all count across the National Day holiday (1–8 October)."""
    case = _register(
        office,
        kind=CaseKind.RECONSIDERATION,
        court="江城市江南区人民政府",
        cause="不服行政许可决定申请行政复议",
        department=_department("区自然资源和规划分局"),
        government_role=GovernmentRole.RECONSIDERATION_BODY,
        opposing_parties="刘某某",
        filed_on=date(2025, 9, 26),
    )
    services.add_stage(
        office,
        case,
        kind=StageKind.RECONSIDERATION,
        filed_on=date(2025, 9, 26),
        complaint_served_on=date(2025, 9, 30),
        acceptance=Acceptance.ACCEPTED,
        accepted_on=date(2025, 9, 30),
        judgment_on=date(2025, 11, 25),
        outcome=Outcome.WON,
    )
    reply = next(d for d in case.deadlines if d.rule == "reconsideration_reply")
    deadlines.record_done(
        office, reply, done_on=date(2025, 10, 20), proof="被申请人答复书及证据目录"
    )
    services.close_case(office, case, closed_on=date(2025, 11, 28))


def _reconsideration_under_way(office: User, today: date) -> None:
    """An application against the human resources bureau received three weeks ago: accepted on
    review, the bureau's reply in, the decision still to make within its 60 days."""
    received = today - timedelta(days=21)
    case = _register(
        office,
        kind=CaseKind.RECONSIDERATION,
        court="江城市江南区人民政府",
        cause="不服工伤认定决定申请行政复议",
        department=_department("区人力资源和社会保障局"),
        government_role=GovernmentRole.RECONSIDERATION_BODY,
        opposing_parties="黄某某",
        filed_on=received,
        registered_on=received,
    )
    services.add_stage(
        office,
        case,
        kind=StageKind.RECONSIDERATION,
        filed_on=received,
        complaint_served_on=received + timedelta(days=1),
        acceptance=Acceptance.ACCEPTED,
        accepted_on=received + timedelta(days=3),
    )
    reply = next(d for d in case.deadlines if d.rule == "reconsideration_reply")
    deadlines.record_done(
        office, reply, done_on=min(reply.due_on, today), proof="被申请人答复书及证据目录"
    )


def _nobody_in_court(office: User, today: date) -> None:
    """A town's case where nobody appeared at the hearing: the serious event the leaders see
    until the office closes it with an explanation."""
    filed = today - timedelta(days=75)
    case = _register(
        office,
        kind=CaseKind.ADMINISTRATIVE,
        court="江城市江南区人民法院",
        cause="违法建筑强制拆除",
        department=_department("白鹭镇人民政府"),
        government_role=GovernmentRole.DEFENDANT,
        opposing_parties="白鹭镇红星村村民赵某某",
        case_number="（2026）桂0105行初201号",
        filed_on=filed,
        registered_on=filed + timedelta(days=2),
        specialty=_specialty("行政法"),
    )
    stage = services.add_stage(
        office, case, kind=StageKind.FIRST_INSTANCE, filed_on=filed,
        complaint_served_on=filed + timedelta(days=3),
    )  # fmt: skip
    for deadline in case.deadlines:
        if deadline.due_on < today:
            deadlines.record_done(office, deadline, done_on=deadline.due_on, proof="法院签收回执")
    hearing = hearings.schedule_hearing(
        office,
        case,
        stage=stage,
        starts_at=_at(today - timedelta(days=6), 14, 30),
        place="江南区人民法院第二审判庭",
        notice_received_on=today - timedelta(days=20),
    )
    hearings.record_appearance(
        office,
        hearing,
        appeared=Appearance.NOBODY,
        absence_reason="镇政府未安排人员出庭，亦未委托代理人",
        notes="法院已就缺席情况制作笔录",
    )


def load_cases(office: User, today: date) -> None:
    """Load the register's demo cases."""
    _threshold_cases(office, today)
    _judged_case(office, today)
    _judgment_being_performed(office, today)
    _court_suggestion(office, today)
    _reconsideration(office)
    _reconsideration_under_way(office, today)
    _nobody_in_court(office, today)
    db.session.flush()
