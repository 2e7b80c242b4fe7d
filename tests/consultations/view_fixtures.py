"""Fixtures of the consultations pages' tests: a matter in every state, and a logged-in client
per user. Import the fixtures by name into a test module."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage

from consultations import services
from consultations.models import Activity, ActivityKind, Adoption, Matter, MatterKind
from core.extensions import db
from core.i18n import today
from core.models import Role

#: a one-page PDF, as small as a PDF gets
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
#: the start of a Windows program
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(name: str = "施工合同（送审稿）.pdf", data: bytes = PDF) -> FileStorage:
    """A file as a browser sends it."""
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="application/pdf")


def text(response) -> str:
    return response.get_data(as_text=True)


@dataclass
class States:
    """One matter in each state a matter passes through, all of the world's department."""

    requested: Matter
    returned: Matter
    accepted: Matter
    pending: Matter
    drafting: Matter
    submitted: Matter
    delivered: Matter
    closed: Matter
    correcting: Matter
    training: Matter
    activity: Activity

    def matters(self) -> dict[str, Matter]:
        """Each state's name and its matter."""
        return {name: m for name, m in vars(self).items() if isinstance(m, Matter)}


def assign_and_accept(world, matter: Matter) -> Matter:
    """Accept the request, put adviser 甲 on as lead and 乙 as co-adviser; both accept."""
    services.accept_matter(world.office, matter)
    made = services.assign(
        world.office, matter, lead_id=world.advisers[0].id, co_ids=[world.advisers[1].id]
    )
    db.session.commit()
    for assignment, user in zip(made, world.adviser_users[:2], strict=True):
        services.answer_assignment(user, assignment, accept=True)
    db.session.commit()
    return matter


def write_and_submit(world, matter: Matter):
    lead = world.adviser_users[0]
    services.save_draft(
        lead,
        matter,
        facts="施工方为江南建设。",
        analysis="合同第三条约定不明。",
        conclusion="建议修改后签订。",
    )
    opinion = services.submit_opinion(lead, matter)
    db.session.commit()
    return opinion


@pytest.fixture
def states(world, request_matter) -> States:
    """A matter in every state; the requested one has a material attached."""
    made = {}
    made["requested"] = request_matter(title="关于征收补偿协议的合法性审查", uploads=[upload()])
    made["returned"] = request_matter(title="关于内部考勤制度的咨询")
    services.return_matter(world.office, made["returned"], reason="不属于法律顾问职责范围")
    made["accepted"] = request_matter(title="关于物业服务合同续签的审查")
    services.accept_matter(world.office, made["accepted"])
    made["pending"] = request_matter(title="关于道路工程合同变更的审查")
    services.accept_matter(world.office, made["pending"])
    services.assign(world.office, made["pending"], lead_id=world.advisers[0].id)
    db.session.commit()

    made["drafting"] = assign_and_accept(world, request_matter(title="关于老旧小区改造的审查"))
    services.save_draft(world.adviser_users[0], made["drafting"], facts="草稿事实：合同尚未签订。")
    services.comment_on(world.adviser_users[1], made["drafting"], body="第三条违约责任宜明确。")
    db.session.commit()

    made["submitted"] = assign_and_accept(world, request_matter(title="关于排水管网采购合同的审查"))
    write_and_submit(world, made["submitted"])

    made["delivered"] = assign_and_accept(world, request_matter(title="关于停车场租赁合同的审查"))
    services.forward_opinion(world.office, write_and_submit(world, made["delivered"]))
    db.session.commit()

    made["closed"] = assign_and_accept(world, request_matter(title="关于绿化养护合同的审查"))
    services.forward_opinion(world.office, write_and_submit(world, made["closed"]))
    services.record_adoption(
        world.liaison,
        made["closed"],
        adoption=Adoption.PARTLY,
        reason="工期条款未采纳",
        final_decision="修改后签订",
    )
    db.session.commit()

    made["correcting"] = assign_and_accept(
        world, request_matter(title="关于学校食堂承包合同的审查")
    )
    services.forward_opinion(world.office, write_and_submit(world, made["correcting"]))
    services.start_correction(world.adviser_users[0], made["correcting"], reason="引用法条有误")
    db.session.commit()

    made["training"] = request_matter(
        kind=MatterKind.TRAINING, title="关于开展民法典专题培训的申请", parties=""
    )
    services.accept_matter(world.office, made["training"])
    db.session.commit()
    made["activity"] = services.record_activity(
        world.office,
        kind=ActivityKind.PUBLICITY,
        title="宪法宣传周进社区",
        held_on=today() - timedelta(days=3),
        place="白鹭社区广场",
        audience="社区居民",
        attendance=120,
        adviser_ids=[world.advisers[2].id],
        department_id=world.department.id,
        uploads=[upload("宣传活动照片说明.pdf")],
    )
    db.session.commit()
    return States(**made)


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMIN, username="admin")


@pytest.fixture
def as_(app):
    """A logged-in client of its own for each user: as_(world.liaison).get(...)."""
    from tests.conftest import log_in  # the root conftest imports this module

    clients = {}

    def client_for(user):
        if user.id not in clients:
            client = app.test_client()
            response = log_in(client, user.username)
            assert response.status_code == 302, text(response)[:500]
            clients[user.id] = client
        return clients[user.id]

    return client_for


def consultation_records(department, adviser) -> dict:
    """One of each consultations record for the repo-wide access and bad-input walks: a matter
    of `department` delivered with `adviser`'s signed opinion and a material, a second one on
    which `adviser` has yet to answer, and an activity; their ids, as the URL arguments."""
    delivered = services.request_matter(
        None,
        department=department,
        kind=MatterKind.CONTRACT,
        title="关于政府采购合同的审查",
        requester="王科长",
        description="请审查合同条款。",
        received_on=today() - timedelta(days=20),
        uploads=[upload()],
    )
    services.accept_matter(None, delivered)
    (lead,) = services.assign(None, delivered, lead_id=adviser.id)
    services.answer_assignment(None, lead, accept=True)
    services.save_draft(None, delivered, facts="事实", analysis="分析", conclusion="可以签订")
    opinion = services.submit_opinion(None, delivered)
    services.forward_opinion(None, opinion)
    waiting = services.request_matter(
        None,
        department=department,
        kind=MatterKind.DISPUTE,
        title="关于拆迁补偿纠纷的咨询",
        requester="李科长",
        description="请提出处理意见。",
        received_on=today() - timedelta(days=5),
    )
    services.accept_matter(None, waiting)
    (pending,) = services.assign(None, waiting, lead_id=adviser.id)
    activity = services.record_activity(
        None,
        kind=ActivityKind.TRAINING,
        title="行政执法人员法治培训",
        held_on=today() - timedelta(days=10),
        place="区政府第一会议室",
        audience="各部门执法人员",
        attendance=60,
        adviser_ids=[adviser.id],
        department_id=department.id,
    )
    db.session.flush()
    return {
        "matter_id": delivered.id,
        "assignment_id": pending.id,
        "opinion_id": opinion.id,
        "file_id": delivered.files[0].file_id,
        "activity_id": activity.id,
    }
