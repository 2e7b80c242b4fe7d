"""Demo data of the panel: a district with its departments, a full panel and a login per role.

Everything goes through the services, so the demo obeys every rule and leaves an audit trail.
Dates are relative to the day of loading, so the demo always shows a live panel.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from advisers import rules, services
from advisers.models import Adviser, Category, EndReason, Gender, Post, Specialty
from core import audit
from core import services as core_services
from core.extensions import db
from core.models import Department, DepartmentKind, Role, User
from core.notify import mail_suppressed
from core.workdays import seed_calendar
from demo.cases import load_cases
from demo.consultations import load_consultations
from demo.engagements import load_engagements
from demo.evaluations import load_evaluations, load_rewards
from demo.meetings import load_meetings
from demo.pool import load_pool

DEMO_PASSWORD = "counsel-demo-2026"

#: (username, role, display name)
DEMO_USERS = [
    ("admin", Role.ADMIN, "系统管理员 周平"),
    ("office", Role.OFFICE, "法制办 林晓"),
    ("adviser", Role.ADVISER, "王建国"),
    ("liaison", Role.LIAISON, "区城市管理局 钱进"),
    ("leader", Role.VIEWER, "区长 韩志远"),
]

DEPARTMENTS = [
    ("区政府办公室", DepartmentKind.BUREAU, "孙立", "高远"),
    ("区发展和改革局", DepartmentKind.BUREAU, "陆明", "沈洁"),
    ("区教育局", DepartmentKind.BUREAU, "顾文", "蒋楠"),
    ("区民政局", DepartmentKind.BUREAU, "钱伟", "冯丽"),
    ("区司法局", DepartmentKind.BUREAU, "许诚", "秦岚"),
    ("区财政局", DepartmentKind.BUREAU, "施华", "邵军"),
    ("区人力资源和社会保障局", DepartmentKind.BUREAU, "曹勇", "严芳"),
    ("区自然资源和规划分局", DepartmentKind.BUREAU, "袁刚", "潘婷"),
    ("区生态环境分局", DepartmentKind.BUREAU, "戴青", "钟磊"),
    ("区住房和城乡建设局", DepartmentKind.BUREAU, "汤斌", "范云"),
    ("区城市管理局", DepartmentKind.BUREAU, "姚军", "钱进"),
    ("区交通运输局", DepartmentKind.BUREAU, "石峰", "谭琳"),
    ("区农业农村局", DepartmentKind.BUREAU, "廖平", "任静"),
    ("区水利局", DepartmentKind.BUREAU, "金涛", "方圆"),
    ("区卫生健康委员会", DepartmentKind.BUREAU, "白露", "程昊"),
    ("区市场监督管理局", DepartmentKind.BUREAU, "毛立", "贺敏"),
    ("区房屋征收管理办公室", DepartmentKind.BUREAU, "唐宁", "魏东"),
    ("白鹭镇人民政府", DepartmentKind.TOWN, "郝建", "孔燕"),
    ("桃源镇人民政府", DepartmentKind.TOWN, "尹超", "黎红"),
    ("清河镇人民政府", DepartmentKind.TOWN, "易峰", "常青"),
    ("东湖街道办事处", DepartmentKind.SUBDISTRICT, "葛亮", "乔琳"),
    ("西园街道办事处", DepartmentKind.SUBDISTRICT, "熊伟", "龙梅"),
    ("南门街道办事处", DepartmentKind.SUBDISTRICT, "段勇", "邹颖"),
]

SPECIALTIES = [
    ("行政法", "Administrative law"),
    ("土地与征收拆迁", "Land and demolition"),
    ("合同", "Contracts"),
    ("劳动与社会保障", "Labour and social security"),
    ("环境与资源", "Environment and resources"),
    ("民商事", "Civil and commercial law"),
    ("政府采购与招投标", "Public procurement"),
    ("知识产权", "Intellectual property"),
    ("金融与财税", "Finance and tax"),
    ("刑事", "Criminal law"),
]

#: name, gender, category, organisation, licence, specialties, post, renewed
PANEL = [
    (
        "王建国",
        Gender.MALE,
        Category.PRACTISING_LAWYER,
        "江南正衡律师事务所",
        "13201200310456",
        ["行政法", "土地与征收拆迁"],
        Post.DIRECTOR,
        True,
    ),
    (
        "李雪梅",
        Gender.FEMALE,
        Category.PUBLIC_LAWYER,
        "区司法局",
        "23201201510881",
        ["行政法", "政府采购与招投标"],
        Post.DEPUTY_DIRECTOR,
        True,
    ),
    (
        "张志强",
        Gender.MALE,
        Category.PRACTISING_LAWYER,
        "明德律师事务所",
        "13201200811702",
        ["合同", "民商事"],
        Post.DEPUTY_DIRECTOR,
        False,
    ),
    (
        "陈静",
        Gender.FEMALE,
        Category.PEOPLES_CONGRESS,
        "区人大常委会",
        None,
        ["环境与资源"],
        Post.DEPUTY_DIRECTOR,
        True,
    ),
    (
        "刘洋",
        Gender.MALE,
        Category.LEGAL_AID_LAWYER,
        "区法律援助中心",
        "13201201712093",
        ["劳动与社会保障"],
        Post.MEMBER,
        False,
    ),
    (
        "杨帆",
        Gender.MALE,
        Category.GOVERNMENT_STAFF,
        "区政府办公室",
        None,
        ["行政法"],
        Post.MEMBER,
        True,
    ),
    ("赵敏", Gender.FEMALE, Category.CPPCC, "区政协", None, ["知识产权"], Post.MEMBER, False),
    (
        "黄海涛",
        Gender.MALE,
        Category.PRACTISING_LAWYER,
        "江南正衡律师事务所",
        "13201201013374",
        ["土地与征收拆迁", "合同"],
        Post.MEMBER,
        False,
    ),
    (
        "周丽华",
        Gender.FEMALE,
        Category.PUBLIC_LAWYER,
        "区财政局",
        "23201201914455",
        ["金融与财税"],
        Post.MEMBER,
        False,
    ),
    (
        "吴晓东",
        Gender.MALE,
        Category.PRACTISING_LAWYER,
        "东吴律师事务所",
        "13201200615536",
        ["刑事", "行政法"],
        Post.MEMBER,
        False,
    ),
    (
        "徐明",
        Gender.MALE,
        Category.GOVERNMENT_STAFF,
        "区自然资源和规划分局",
        None,
        ["土地与征收拆迁"],
        Post.MEMBER,
        False,
    ),
    (
        "孙婷",
        Gender.FEMALE,
        Category.LEGAL_AID_LAWYER,
        "区法律援助中心",
        "13201202016617",
        ["劳动与社会保障", "民商事"],
        Post.MEMBER,
        False,
    ),
    (
        "马俊",
        Gender.MALE,
        Category.PEOPLES_CONGRESS,
        "区人大常委会",
        None,
        ["环境与资源"],
        Post.MEMBER,
        False,
    ),
    ("朱红", Gender.FEMALE, Category.CPPCC, "区政协", None, ["合同"], Post.MEMBER, False),
    (
        "胡斌",
        Gender.MALE,
        Category.PRACTISING_LAWYER,
        "明德律师事务所",
        "13201201117798",
        ["政府采购与招投标", "合同"],
        Post.MEMBER,
        False,
    ),
]


def is_empty() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is None


def _years_before(day: date, years: int) -> date:
    return rules.add_years(day, -years)


def _appoint(actor, adviser, post, start: date) -> None:
    recommended = start - timedelta(days=40)
    nomination = services.recommend_adviser(
        actor,
        adviser,
        post=post,
        recommended_on=recommended,
        reason="法制办根据专业背景和履职能力推荐",
    )
    services.approve_nomination(
        actor,
        nomination,
        approved_on=start - timedelta(days=10),
        doc_no=f"江府办复〔{start.year}〕{adviser.id + 20}号",
    )
    return services.appoint_adviser(actor, nomination, post=post, start_on=start)


def _load_reference_data() -> dict[str, int]:
    for name, kind, head, deputy in DEPARTMENTS:
        db.session.add(Department(name=name, kind=kind, principal_head=head, deputy_head=deputy))
    for name, name_en in SPECIALTIES:
        db.session.add(Specialty(name=name, name_en=name_en))
    db.session.flush()
    return {s.name: s.id for s in db.session.scalars(select(Specialty))}


def _load_users() -> dict[str, User]:
    city = db.session.scalar(select(Department).where(Department.name == "区城市管理局"))
    users = {}
    for username, role, display in DEMO_USERS:
        users[username] = core_services.create_user(
            None,
            username=username,
            password=DEMO_PASSWORD,
            display_name=display,
            roles=[role],
            email=f"{username}@jiangnan.gov.example",
            department_id=city.id if role == Role.LIAISON else None,
        )
    return users


def _load_panel(actor: User, specialty_ids: dict[str, int], today: date) -> None:
    ending_soon = rules.add_years(today + timedelta(days=21), -3)
    for index, (name, gender, category, org, licence, fields, post, renewed) in enumerate(PANEL):
        adviser = services.save_adviser(
            actor,
            None,
            name=name,
            gender=gender,
            category=category,
            organisation=org,
            licence_no=licence,
            phone=f"0512-6688{index:04d}",
            email=None,
            specialty_ids=[specialty_ids[f] for f in fields],
        )
        if renewed:
            first = _appoint(actor, adviser, post, _years_before(today, 4) + timedelta(days=index))
            services.expire_terms(first.end_on + timedelta(days=1))
            services.renew_term(
                actor,
                first,
                post=post,
                approved_on=first.end_on - timedelta(days=45),
                doc_no=f"江府函〔{first.end_on.year}〕{20 + index}号",
            )
        elif index == 4:
            _appoint(actor, adviser, post, ending_soon)
        else:
            _appoint(actor, adviser, post, today - timedelta(days=30 * (index + 3)))


def _former_member(actor: User, name: str, organisation: str, licence_no: str, start: date):
    """A practising lawyer who once served as a member: their first term, still open."""
    adviser = services.save_adviser(
        actor,
        None,
        name=name,
        gender=Gender.MALE,
        category=Category.PRACTISING_LAWYER,
        organisation=organisation,
        licence_no=licence_no,
    )
    return _appoint(actor, adviser, Post.MEMBER, start)


def _load_history(actor: User, today: date) -> None:
    resigned = _former_member(
        actor, "何平", "江南正衡律师事务所", "13201200519909", _years_before(today, 5)
    )
    services.end_term(
        actor,
        resigned,
        reason=EndReason.RESIGNED,
        ended_on=resigned.start_on + timedelta(days=400),
        note="因律所工作调动，本人申请辞去法律顾问职务。",
    )
    # dismissed (解聘) with the government's approval, two years ago
    dismissed = _former_member(
        actor, "钱立", "江南恒信律师事务所", "14501201410021", _years_before(today, 4)
    )
    decided = dismissed.start_on + timedelta(days=500)
    services.end_term(
        actor,
        dismissed,
        reason=EndReason.DISMISSED,
        ended_on=decided - timedelta(days=1),
        note="长期不参加顾问团会议，对政府法律事务不闻不问，经研究决定解聘。",
        approved_on=decided - timedelta(days=3),
        doc_no=f"江府函〔{decided.year}〕17号",
    )
    candidate = services.save_adviser(
        actor,
        None,
        name="郑凯",
        gender=Gender.MALE,
        category=Category.PUBLIC_LAWYER,
        organisation="区住房和城乡建设局",
        licence_no="23201202220010",
    )
    services.recommend_adviser(
        actor,
        candidate,
        post=Post.MEMBER,
        recommended_on=today - timedelta(days=12),
        reason="熟悉房屋征收与建设工程法律事务，拟增补为顾问室成员。",
    )


def load_demo(today: date) -> None:
    """Fill an empty database with the demo district, panel and users; mail no one."""
    with mail_suppressed():
        _load_everything(today)


def _load_everything(today: date) -> None:
    seed_calendar()  # `flask db upgrade` seeds it; a database made by create_all has none yet
    specialty_ids = _load_reference_data()
    users = _load_users()
    office = users["office"]
    with audit.acting_as(db.session, office.id):
        _load_history(office, today)
        _load_panel(office, specialty_ids, today)
        services.expire_terms(today)
        director = db.session.scalar(select(Adviser).where(Adviser.name == "王建国"))
        director.user_id = users["adviser"].id
        db.session.flush()
        load_meetings(office, today)
        load_engagements(office, today)
        load_consultations(office, today, DEMO_PASSWORD)
        load_cases(office, today)
        load_evaluations(office, today)
        load_rewards(office, today)
        load_pool(office, today)
    db.session.flush()
