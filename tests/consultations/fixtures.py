"""Fixtures for consultations: a department with its liaison, the office, and serving
advisers with logins, so a matter can go from request to adoption."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from advisers.models import Adviser, Specialty
from consultations import services
from consultations.models import Matter, MatterKind
from core.extensions import db
from core.models import Department, DepartmentKind, Role, User


@dataclass
class Office:
    department: Department
    other_department: Department
    specialty: Specialty
    office: User
    liaison: User
    other_liaison: User
    viewer: User
    advisers: list[Adviser]
    adviser_users: list[User]


@pytest.fixture
def world(make_user, create_adviser, appoint) -> Office:
    """A bureau with its liaison, another bureau, the office, a leader, three serving advisers
    (the first two practise administrative law) with logins."""
    department = Department(name="区住建局", kind=DepartmentKind.BUREAU)
    other = Department(name="区教育局", kind=DepartmentKind.BUREAU)
    specialty = Specialty(name="行政法", name_en="Administrative law")
    db.session.add_all([department, other, specialty])
    db.session.commit()
    users = [make_user(Role.ADVISER, username=f"adviser{i}") for i in range(3)]
    advisers = []
    for i, user in enumerate(users):
        adviser = create_adviser(
            name=f"顾问{'甲乙丙'[i]}",
            user_id=user.id,
            organisation=f"第{i + 1}律师事务所",
            specialty_ids=[specialty.id] if i < 2 else [],
        )
        appoint(adviser, start=date(2025, 1, 1))
        advisers.append(adviser)
    return Office(
        department=department,
        other_department=other,
        specialty=specialty,
        office=make_user(Role.OFFICE, username="office"),
        liaison=make_user(Role.LIAISON, username="liaison", department_id=department.id),
        other_liaison=make_user(Role.LIAISON, username="liaison2", department_id=other.id),
        viewer=make_user(Role.VIEWER, username="leader"),
        advisers=advisers,
        adviser_users=users,
    )


@pytest.fixture
def request_matter(world):
    """Make a request as the department's liaison: request_matter(kind=..., parties=...)."""

    def make(**overrides) -> Matter:
        fields = {
            "department": world.department,
            "kind": MatterKind.CONTRACT,
            "title": "关于老旧小区改造工程施工合同的审查",
            "requester": "王科长",
            "description": "请审查施工合同条款。",
            "received_on": date(2026, 11, 2),
            "parties": "江南建设集团有限公司",
            "specialty": world.specialty,
        }
        fields.update(overrides)
        matter = services.request_matter(world.liaison, **fields)
        db.session.commit()
        return matter

    return make
