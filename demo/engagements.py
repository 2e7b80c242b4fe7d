"""Demo engagements: advisers that towns, sub-districts and key departments engaged on their
own (seed 六.2), with contracts in force, ending soon, ended and not yet begun.

Everything goes through the services; dates are relative to the day of loading. Departments
of the kinds the seed names are added only when the demo district lacks them.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from consultations.engagements import jobs, services
from consultations.engagements.models import EngagedAs
from core.extensions import db
from core.models import Department, DepartmentKind, User

#: the departments the engagements belong to: (name, kind), added if missing
DEPARTMENTS = [
    ("白鹭镇人民政府", DepartmentKind.TOWN),
    ("桃源镇人民政府", DepartmentKind.TOWN),
    ("东湖街道办事处", DepartmentKind.SUBDISTRICT),
    ("区城市管理局", DepartmentKind.BUREAU),
    ("区房屋征收管理办公室", DepartmentKind.BUREAU),
    ("区生态环境分局", DepartmentKind.BUREAU),
    ("区市场监督管理局", DepartmentKind.BUREAU),
    ("区农业农村局", DepartmentKind.BUREAU),
    ("区水利局", DepartmentKind.BUREAU),
]

LAWYER, PUBLIC, OTHER = (
    EngagedAs.PRACTISING_LAWYER,
    EngagedAs.PUBLIC_LAWYER,
    EngagedAs.OTHER_PROFESSIONAL,
)

#: department, name, type, organisation, start (days from today), length in days, fee,
#: scope, notes, whether a signed contract is on file
ENGAGEMENTS = [
    (
        "白鹭镇人民政府",
        "许文涛",
        LAWYER,
        "江苏瑞华律师事务所",
        -200,
        365,
        "60000",
        "镇政府重大决策和重要合同的合法性审查；征地补偿、信访矛盾纠纷的法律咨询；"
        "每周三下午驻镇接待群众。",
        "",
        True,
    ),
    (
        "东湖街道办事处",
        "蒋雅琴",
        LAWYER,
        "东湖律师事务所",
        -353,
        365,
        "36000",
        "街道办合同审查，社区矛盾纠纷调处，老旧小区改造中的法律问题解答。",
        "街道拟续聘，待党工委会议研究。",
        True,
    ),
    (
        "区城市管理局",
        "潘志远",
        LAWYER,
        "明理律师事务所",
        -90,
        730,
        "80000",
        "行政执法案卷合法性审查，行政处罚听证，行政复议和行政诉讼代理。",
        "",
        True,
    ),
    (
        "区城市管理局",
        "罗晓燕",
        PUBLIC,
        "区司法局",
        -820,
        730,
        None,
        "违法建设拆除决定的法律审核（公职律师，不另行支付报酬）。",
        "合同期满后由社会律师接替。",
        False,
    ),
    (
        "区房屋征收管理办公室",
        "郑浩然",
        LAWYER,
        "江南恒信律师事务所",
        -340,
        365,
        "150000",
        "房屋征收补偿方案合法性审查，补偿协议审核，征收决定引发的行政诉讼代理。",
        "",
        True,
    ),
    (
        "区生态环境分局",
        "刘慧敏",
        OTHER,
        "江南大学法学院（环境法学副教授）",
        -150,
        730,
        "40000",
        "环境行政处罚案件法律论证，生态环境损害赔偿磋商，执法人员法治培训。",
        "",
        False,
    ),
    (
        "区市场监督管理局",
        "孙建华",
        PUBLIC,
        "区市场监督管理局法规科",
        -400,
        1095,
        None,
        "食品安全、食品卫生行政处罚案件的合法性审核，重大执法决定法制审核。",
        "",
        False,
    ),
    (
        "区农业农村局",
        "黄丽",
        LAWYER,
        "江苏禾信律师事务所",
        -430,
        365,
        "30000",
        "农村土地承包经营权流转合同审查，涉农补贴发放中的法律风险提示。",
        "合同到期未续聘，相关工作转由区法律顾问室承担。",
        False,
    ),
    (
        "区水利局",
        "曹敏",
        OTHER,
        "桃源镇法律服务所（基层法律服务工作者）",
        -60,
        365,
        "20000",
        "河道管理范围内违法建设查处的法律咨询，水利工程施工合同审查。",
        "",
        False,
    ),
    (
        "桃源镇人民政府",
        "马国庆",
        LAWYER,
        "江南正衡律师事务所",
        10,
        365,
        "48000",
        "镇政府法律顾问：重大事项合法性审查，村级集体经济合同审查，驻村法律服务。",
        "经镇党委会研究同意聘请，合同已签订，下月起履行。",
        True,
    ),
]

#: a one-page PDF standing in for a signed contract
DEMO_CONTRACT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 61>>stream\nBT /F1 18 Tf 72 760 Td (Legal adviser contract - demo) Tj ET\n"
    b"endstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _departments() -> dict[str, int]:
    """The demo's departments by name, adding those the engagements need and it lacks."""
    found = dict(db.session.execute(select(Department.name, Department.id)).all())
    for name, kind in DEPARTMENTS:
        if name not in found:
            department = Department(name=name, kind=kind)
            db.session.add(department)
            db.session.flush()
            found[name] = department.id
    return found


def _contract(department: str, person: str) -> FileStorage:
    return FileStorage(
        stream=io.BytesIO(DEMO_CONTRACT),
        filename=f"{department}法律顾问服务合同（{person}）.pdf",
        content_type="application/pdf",
    )


def load_engagements(actor: User, today: date) -> None:
    """Register the demo engagements, and remind the office of those ending soon."""
    departments = _departments()
    for entry in ENGAGEMENTS:
        department, person, engaged_as, organisation, start, days, fee = entry[:7]
        scope, notes, on_file = entry[7:]
        start_on = today + timedelta(days=start)
        services.create_engagement(
            actor,
            department_id=departments[department],
            person_name=person,
            engaged_as=engaged_as,
            organisation=organisation,
            start_on=start_on,
            end_on=start_on + timedelta(days=days - 1),
            scope=scope,
            fee=Decimal(fee) if fee else None,
            notes=notes,
            contract=_contract(department, person) if on_file else None,
        )
    jobs.remind_engagement_endings(today)
