"""Fixtures of the engagements register's tests: departments, engagements and contract files."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from werkzeug.datastructures import FileStorage

from consultations.engagements import services
from consultations.engagements.models import EngagedAs
from core.extensions import db
from core.i18n import today
from core.models import Department, DepartmentKind

#: a one-page PDF, as small as a PDF gets
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def upload(name: str = "白鹭镇法律顾问合同.pdf", data: bytes = PDF) -> FileStorage:
    """A file as a browser sends it."""
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="application/pdf")


@pytest.fixture
def town():
    department = Department(name="白鹭镇人民政府", kind=DepartmentKind.TOWN)
    db.session.add(department)
    db.session.commit()
    return department


@pytest.fixture
def bureau():
    department = Department(name="区城市管理局", kind=DepartmentKind.BUREAU)
    db.session.add(department)
    db.session.commit()
    return department


@pytest.fixture
def engage(town):
    """Register an engagement: engage(end_on=..., department_id=..., fee="12345")."""

    def make(actor=None, **overrides):
        start = today() - timedelta(days=100)
        fields = {
            "department_id": town.id,
            "person_name": "许文涛",
            "engaged_as": EngagedAs.PRACTISING_LAWYER,
            "organisation": "江苏瑞华律师事务所",
            "start_on": start,
            "end_on": start + timedelta(days=364),
            "scope": "镇政府重大决策合法性审查",
            "fee": "60000",
            "notes": "",
        }
        fields.update(overrides)
        engagement = services.create_engagement(actor, **fields)
        db.session.commit()
        return engagement

    return make


def days_from_today(days: int) -> date:
    return today() + timedelta(days=days)
