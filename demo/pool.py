"""The demo's talent pool: lawyers, a legal-aid lawyer, a scholar, a judicial worker (one not
yet agreeing to be listed), the designated legal-affairs persons of most units but not all
(the office's to-do list names the rest), and a training held for them with its attendance."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from advisers.models import Specialty
from advisers.pool import services
from core.extensions import db
from core.models import Department, User

ENTRIES = [
    # name, kind, organisation, phone, licence, source, consent, specialties
    ("何志远", "practising_lawyer", "江城正衡律师事务所", "0771-5831201", "14501201110034567",
     "bar_association", True, ("行政法", "合同")),
    ("罗晓婷", "practising_lawyer", "江城明理律师事务所", "0771-5831202", "14501201310045678",
     "bar_association", True, ("土地与征收拆迁",)),
    ("韦春燕", "legal_aid_lawyer", "江南区法律援助中心", "0771-5831203", "14501201510056789",
     "department", True, ("劳动与社会保障",)),
    ("黄立新", "scholar", "江城大学法学院", "0771-5831204", None, "office", True, ("行政法",)),
    ("莫建华", "judicial_staff", "江南区白鹭司法所", "0771-5831205", None, "self", False, ()),
]  # fmt: skip

#: the units whose legal-affairs person the demo names: the rest show on the to-do list
DESIGNATED = [
    ("区政府办公室", "陈思远"), ("区教育局", "李文静"), ("区民政局", "张海波"),
    ("区司法局", "刘晓梅"), ("区财政局", "杨志强"), ("区城市管理局", "赵国庆"),
    ("区住房和城乡建设局", "吴婷婷"), ("白鹭镇人民政府", "周文斌"), ("桃源镇人民政府", "黄丽华"),
]  # fmt: skip


def _specialty_ids(names) -> list[int]:
    return list(db.session.scalars(select(Specialty.id).where(Specialty.name.in_(names))))


def load_pool(actor: User, today: date) -> None:
    for name, kind, org, phone, licence, source, consent, fields in ENTRIES:
        services.save_entry(
            actor, None, specialty_ids=_specialty_ids(fields), name=name, kind=kind,
            organisation=org, phone=phone, email=None, licence_no=licence, source=source,
            consent=consent, department_id=None, designated=False, notes="",
        )  # fmt: skip
    units = dict(db.session.execute(select(Department.name, Department.id)).all())
    people = []
    for index, (unit, name) in enumerate(DESIGNATED):
        people.append(
            services.save_entry(
                actor,
                None,
                name=name,
                kind="department_legal",
                organisation=unit,
                phone=f"0771-58330{index:02d}",
                email=None,
                licence_no=None,
                source="department",
                consent=True,
                department_id=units[unit],
                designated=True,
                notes="",
            )
        )
    training = services.save_training(
        actor, None, held_on=today - timedelta(days=40), title="行政执法与行政复议应诉实务培训",
        hours="6", organiser="区司法局", place="区政府第二会议室",
    )  # fmt: skip
    marks = {p.id: ("absent" if i == 2 else "excused" if i == 5 else "attended")
             for i, p in enumerate(people)}  # fmt: skip
    services.record_training_attendance(actor, training, marks)
