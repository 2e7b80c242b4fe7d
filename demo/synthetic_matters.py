"""Synthetic matters for benchmarks: tens of thousands of requests with their assignments,
opinions and search index, written with bulk inserts that bypass the services.

The mix follows a busy office's history: most matters closed with an opinion, a few hundred
open, titles and texts drawn from a small vocabulary so that a word like 合同 matches about a
third of them, as it would in a real register. Never used for real data.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, insert, select

from advisers.models import Adviser
from consultations.models import (
    Adoption,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Matter,
    MatterCounter,
    MatterKind,
    MatterStatus,
    Opinion,
    OpinionCounter,
    OpinionStatus,
    Urgency,
)
from core import search
from core.extensions import db
from core.flow import commit
from core.i18n import today
from core.models import Department, DepartmentKind, utcnow

#: rows written per INSERT
BATCH = 5000

#: what a request is about, by kind: (subjects, what is asked)
SUBJECTS = {
    MatterKind.DECISION: (
        "老城区棚户区改造 公交票价调整 国有企业整合重组 区域医疗中心建设 集体土地征收补偿安置 "
        "垃圾焚烧发电项目选址",
        "决策合法性审查",
    ),
    MatterKind.NORMATIVE: (
        "行政处罚裁量基准 人才引进奖励办法 户外广告设施管理规定 临时救助实施细则 "
        "停车泊位设置管理办法 政府购买服务实施细则",
        "合法性审核",
    ),
    MatterKind.CONTRACT: (
        "老旧小区改造工程施工合同 物业管理服务合同 道路清扫保洁服务合同 设备采购合同 "
        "特许经营协议 国有建设用地使用权出让合同 委托运营合同 设计合同",
        "审查",
    ),
    MatterKind.DISPUTE: (
        "劳务派遣经济补偿 加装电梯相邻权 逾期交房 土地经营权流转 征地补偿款分配 商铺租金减免",
        "纠纷处理",
    ),
    MatterKind.LITIGATION: (
        "强制拆除违法建筑 工伤认定 行政处罚 房屋征收补偿决定 政府信息公开答复 道路运输经营许可",
        "行政诉讼应诉",
    ),
    MatterKind.TRAINING: ("行政复议法 行政处罚法 民法典合同编 依法履职", "专题培训"),
    MatterKind.PUBLICITY: ("民法典进社区 根治欠薪 法律明白人 宪法宣传", "宣传活动"),
    MatterKind.OTHER: (
        "政府信息公开申请答复 执法证件清理 个人信息保护审查 一事一议筹资筹劳 殡葬服务收费",
        "法律咨询",
    ),
}
#: the kinds in the proportions an office sees them
KIND_CYCLE = [MatterKind.CONTRACT] * 4 + [
    MatterKind.NORMATIVE,
    MatterKind.NORMATIVE,
    MatterKind.DECISION,
    MatterKind.DISPUTE,
    MatterKind.LITIGATION,
    MatterKind.OTHER,
    MatterKind.TRAINING,
    MatterKind.PUBLICITY,
]
COMPANIES = [
    "江南建设集团",
    "江南锦程物业",
    "江南公交集团",
    "江南环境服务",
    "江南清源水务",
    "江南宏远置业",
    "江南精工机械",
    "江南智慧城市运营",
    "江南数智科技",
    "江南百味餐饮",
]
OPINION = {
    "facts": "{department}送来《{title}》的材料，请求出具法律意见。",
    "legal_basis": "《中华人民共和国民法典》第五百零九条；《重大行政决策程序暂行条例》第二十五条。",
    "analysis": "主体适格，程序基本完备，部分条款需要修改完善。",
    "conclusion": "修改完善后可以实施。",
    "risks": "违约责任约定不对等，存在履约风险。",
}


def _departments(count: int) -> list[int]:
    ids = list(db.session.scalars(select(Department.id).order_by(Department.id)))
    for n in range(len(ids), count):
        department = Department(name=f"部门{n:03d}", kind=DepartmentKind.BUREAU)
        db.session.add(department)
        db.session.flush()
        ids.append(department.id)
    return ids[:count]


def _status(n: int, age_days: int) -> MatterStatus:
    """Old matters are closed (a few returned); the last weeks hold the open ones."""
    if age_days > 60:
        return MatterStatus.RETURNED if n % 50 == 0 else MatterStatus.CLOSED
    return [
        MatterStatus.REQUESTED,
        MatterStatus.ACCEPTED,
        MatterStatus.IN_PROGRESS,
        MatterStatus.IN_PROGRESS,
        MatterStatus.SUBMITTED,
        MatterStatus.DELIVERED,
        MatterStatus.CLOSED,
        MatterStatus.CLOSED,
    ][n % 8]


def _flush(model, rows: list[dict]) -> None:
    if rows:
        db.session.execute(insert(model), rows)
        rows.clear()


def bulk_matters(count: int, departments: int = 30, open_count: int = 300) -> None:
    """Add `count` matters over the years before today, `open_count` of them in the last weeks,
    each but the newest with a lead adviser and, once signed, an opinion; then index them."""
    department_ids = _departments(departments)
    names = dict(db.session.execute(select(Department.id, Department.name)).all())
    adviser_ids = list(db.session.scalars(select(Adviser.id).order_by(Adviser.id)))
    first_id = (db.session.scalar(select(func.max(Matter.id))) or 0) + 1
    day = today()
    now = utcnow()
    matters, assignments, opinions = [], [], []
    seqs: dict[int, int] = {}
    opinion_seqs: dict[int, int] = {}
    for n in range(count):
        matter_id = first_id + n
        recent = count - n <= open_count
        age = (count - n) * 60 // open_count if recent else 61 + (count - n) * 3650 // count
        received = day - timedelta(days=age)
        kind = KIND_CYCLE[n % len(KIND_CYCLE)]
        subjects, asked = SUBJECTS[kind]
        subjects = subjects.split()
        title = f"{subjects[n // len(KIND_CYCLE) % len(subjects)]}{asked}（{n:06d}）"
        status = _status(n, age)
        department_id = department_ids[n % len(department_ids)]
        seqs[received.year] = seqs.get(received.year, 0) + 1
        company = f"{COMPANIES[n % len(COMPANIES)]}有限公司"
        matters.append(
            {
                "id": matter_id,
                "reference": f"{received.year}-{seqs[received.year]:05d}",
                "kind": kind,
                "title": title,
                "department_id": department_id,
                "requester": "经办人",
                "description": f"{names[department_id]}请求就{title}出具法律意见，涉及{company}。",
                "parties": company,
                "urgency": Urgency.NORMAL,
                "received_on": received,
                "due_on": received + timedelta(days=14),
                "due_provisional": False,
                "status": status,
                "accepted_on": None if status is MatterStatus.REQUESTED else received,
                "closed_on": received + timedelta(days=30)
                if status is MatterStatus.CLOSED
                else None,
                "created_at": now,
                "version": 1,
            }
        )
        if status in (MatterStatus.REQUESTED, MatterStatus.RETURNED, MatterStatus.ACCEPTED):
            continue
        assignments.append(
            {
                "matter_id": matter_id,
                "adviser_id": adviser_ids[n % len(adviser_ids)],
                "role": AssignmentRole.LEAD,
                "status": AssignmentStatus.PENDING if n % 5 == 0 and recent
                else AssignmentStatus.ACCEPTED,
                "assigned_on": received + timedelta(days=1),
                "reason": "",
                "version": 1,
            }
        )  # fmt: skip
        if n % 3 == 0:
            assignments.append(
                {
                    "matter_id": matter_id,
                    "adviser_id": adviser_ids[(n + 1) % len(adviser_ids)],
                    "role": AssignmentRole.CO,
                    "status": AssignmentStatus.ACCEPTED,
                    "assigned_on": received + timedelta(days=1),
                    "reason": "",
                    "version": 1,
                }
            )
        if status is MatterStatus.IN_PROGRESS or kind.rule.is_activity:
            continue
        signed = received + timedelta(days=12)
        opinion_seqs[signed.year] = opinion_seqs.get(signed.year, 0) + 1
        texts = {
            k: v.format(department=names[department_id], title=title) for k, v in OPINION.items()
        }
        opinions.append(
            {
                "matter_id": matter_id,
                "revision": 1,
                "status": OpinionStatus.SUBMITTED if status is MatterStatus.SUBMITTED
                else OpinionStatus.DELIVERED,
                "author_id": adviser_ids[n % len(adviser_ids)],
                "number": f"江府法顾意〔{signed.year}〕{opinion_seqs[signed.year]}号",
                "submitted_at": now,
                "submitted_on": signed,
                "delivered_on": None if status is MatterStatus.SUBMITTED else signed,
                "adoption": Adoption.ADOPTED if status is MatterStatus.CLOSED else None,
                "created_at": now,
                "updated_at": now,
                "version": 1,
                **texts,
            }
        )  # fmt: skip
        if len(matters) >= BATCH:
            _flush(Matter, matters)
            _flush(Assignment, assignments)
            _flush(Opinion, opinions)
    _flush(Matter, matters)
    _flush(Assignment, assignments)
    _flush(Opinion, opinions)
    for model, counted in ((MatterCounter, seqs), (OpinionCounter, opinion_seqs)):
        for year, last in counted.items():
            counter = db.session.get(model, year)
            if counter is None:
                db.session.add(model(year=year, last_seq=last))
            else:
                counter.last_seq = max(counter.last_seq, last)
    reindex_matters()
    commit()


def reindex_matters() -> None:
    """Fill the search index with every matter and every signed opinion, as the services do."""
    matters = db.session.execute(
        select(Matter.id, Matter.title, Matter.reference, Matter.description, Matter.parties)
    ).all()
    search.reindex("matter", ((row[0], row[1], row[2:]) for row in matters))
    opinions = db.session.execute(
        select(
            Opinion.id,
            Matter.title,
            Opinion.number,
            *(getattr(Opinion, name) for name in Opinion.SECTIONS),
        )
        .join(Matter, Matter.id == Opinion.matter_id)
        .where(Opinion.number.is_not(None))
    ).all()
    search.reindex("opinion", ((row[0], row[1], row[2:]) for row in opinions))
