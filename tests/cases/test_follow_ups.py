"""Court suggestions and reconsideration decisions to perform (issue 9, point 8): recording one,
its dates and its case, who is told, its files, the reply and measures, who may record the
reply, and the query the daily job reminds with."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from cases import follow_ups
from cases.models import CaseFile, CaseKind, FollowUp, FollowUpKind, GovernmentRole
from cases.policy import follow_ups_visible_to
from core.errors import DomainError, NotAllowed
from core.extensions import db
from core.files import StoredFile
from core.i18n import today
from core.models import Notification
from tests.conftest import assert_constant_queries, count_queries
from tests.consultations.view_fixtures import PDF

RECEIVED = date(2026, 9, 1)


@pytest.fixture(name="suggest")
def suggest_fixture(world):
    """Record a judicial suggestion as the office: suggest(case=..., reply_due_on=...)."""

    def make(**overrides) -> FollowUp:
        fields = {
            "kind": FollowUpKind.JUDICIAL_SUGGESTION,
            "issued_by": "南宁市青秀区人民法院",
            "document_number": "（2026）桂0103司建3号",
            "received_on": RECEIVED,
            "content": "建议规范房屋征收补偿程序。",
            "department": world.department,
            "reply_due_on": RECEIVED + timedelta(days=30),
        }
        fields.update(overrides)
        item = follow_ups.register_follow_up(world.office, **fields)
        db.session.commit()
        return item

    return make


def refused_fields(make, **overrides) -> set[str]:
    with pytest.raises(DomainError) as refused:
        make(**overrides)
    db.session.rollback()
    assert db.session.scalar(select(func.count(FollowUp.id))) == 0
    return {problem.field for problem in refused.value.problems}


def test_the_reply_cannot_be_due_before_it_was_received(suggest):
    before = RECEIVED - timedelta(days=1)
    assert refused_fields(suggest, reply_due_on=before) == {"reply_due_on"}
    assert suggest(reply_due_on=RECEIVED).reply_due_on == RECEIVED


def test_it_cannot_be_received_in_the_future(suggest):
    tomorrow = today() + timedelta(days=1)
    fields = refused_fields(suggest, received_on=tomorrow, reply_due_on=tomorrow)
    assert fields == {"received_on"}
    assert suggest(received_on=today(), reply_due_on=today()).received_on == today()


def test_what_is_missing_is_told_all_at_once(suggest):
    assert refused_fields(suggest, issued_by=" ", content="", received_on=None) == {
        "issued_by",
        "content",
        "received_on",
    }


def test_a_reconsideration_order_belongs_to_a_reconsideration_case(world, suggest, register_case):
    civil = register_case(kind=CaseKind.CIVIL, cause="合同纠纷")
    order = {"kind": FollowUpKind.RECONSIDERATION_ORDER, "issued_by": "区人民政府"}
    assert refused_fields(suggest, case=civil, **order) == {"case_reference"}
    reconsideration = register_case(
        kind=CaseKind.RECONSIDERATION,
        government_role=GovernmentRole.RECONSIDERATION_BODY,
        court="区人民政府",
        case_number="",
    )
    assert suggest(case=reconsideration, **order).case_id == reconsideration.id
    assert suggest(**order).case_id is None  # not every decision's case is in the register
    assert suggest(case=civil).case_id == civil.id  # a court may suggest on any case


def test_the_department_defaults_to_the_case_s(world, suggest, register_case):
    case = register_case()
    assert suggest(case=case, department=None).department_id == world.department.id
    named = suggest(case=case, department=world.other_department)
    assert named.department_id == world.other_department.id
    assert suggest(department=None).department_id is None  # the district government


def test_a_retired_department_is_refused(world, suggest):
    world.other_department.is_active = False
    db.session.commit()
    assert refused_fields(suggest, department=world.other_department) == {"department_id"}


def test_the_department_s_liaisons_and_the_office_are_told(world, suggest):
    item = suggest()
    notes = db.session.scalars(
        select(Notification).where(Notification.key == f"follow-up-new:{item.id}")
    ).all()
    assert {n.user_id for n in notes} == {world.liaison.id, world.office.id}
    assert all(n.link == f"/cases/follow-ups/{item.id}" for n in notes)


def test_the_file_of_a_case_s_follow_up_joins_its_documents(world, suggest, register_case):
    case = register_case()
    item = suggest(case=case, file=FileStorage(io.BytesIO(PDF), filename="司法建议书.pdf"))
    assert item.file.name == "司法建议书.pdf"
    assert [f.file_id for f in case.files] == [item.file_id]


def test_the_file_of_a_follow_up_without_a_case_is_stored_on_its_own(suggest):
    item = suggest(file=FileStorage(io.BytesIO(PDF), filename="复议决定书.pdf"))
    assert db.session.get(StoredFile, item.file_id).name == "复议决定书.pdf"
    assert db.session.scalar(select(func.count(CaseFile.id))) == 0


def test_a_file_refused_saves_nothing(suggest):
    fake = FileStorage(io.BytesIO(b"MZ not a pdf"), filename="建议.pdf")
    assert refused_fields(suggest, file=fake) == {"file"}
    assert db.session.scalar(select(func.count(StoredFile.id))) == 0


def test_only_the_office_records_one(world, suggest):
    with pytest.raises(NotAllowed):
        follow_ups.register_follow_up(
            world.liaison,
            kind=FollowUpKind.JUDICIAL_SUGGESTION,
            issued_by="法院",
            received_on=RECEIVED,
            content="x",
            reply_due_on=RECEIVED,
        )


def test_a_correction_is_checked_like_the_record(world, suggest):
    item = suggest()
    with pytest.raises(DomainError) as refused:
        follow_ups.update_follow_up(world.office, item, reply_due_on=RECEIVED - timedelta(days=1))
    assert refused.value.field == "reply_due_on"
    db.session.rollback()
    assert db.session.get(FollowUp, item.id).reply_due_on == RECEIVED + timedelta(days=30)
    follow_ups.update_follow_up(world.office, item, content=" 建议完善公告程序。 ")
    db.session.commit()
    assert item.content == "建议完善公告程序。"


def test_the_reply_cannot_come_before_it_was_received_or_in_the_future(world, suggest):
    item = suggest()
    for day in (RECEIVED - timedelta(days=1), today() + timedelta(days=1)):
        with pytest.raises(DomainError) as refused:
            follow_ups.record_reply(
                world.office, item, replied_on=day, reply="复函", measures="整改"
            )
        assert refused.value.field == "replied_on"
    with pytest.raises(DomainError) as refused:
        follow_ups.record_reply(world.office, item, replied_on=RECEIVED, reply=" ", measures="")
    assert {p.field for p in refused.value.problems} == {"reply", "measures"}
    db.session.rollback()
    assert not db.session.get(FollowUp, item.id).is_answered


def test_the_department_s_liaison_records_the_reply_and_the_office_hears(world, suggest):
    item = suggest()
    with pytest.raises(NotAllowed):
        follow_ups.record_reply(
            world.other_liaison, item, replied_on=RECEIVED, reply="复函", measures="整改"
        )
    follow_ups.record_reply(
        world.liaison, item, replied_on=RECEIVED, reply="已复函法院", measures="修订征收流程"
    )
    db.session.commit()
    assert item.is_answered and item.measures == "修订征收流程"
    told = db.session.scalars(
        select(Notification.user_id).where(Notification.key.like(f"follow-up-reply:%:{item.id}"))
    ).all()
    assert told == [world.office.id]


def test_open_follow_ups_leave_out_the_answered_and_load_in_one_query(world, suggest):
    def grow(n: int) -> list[FollowUp]:
        return [suggest(reply_due_on=RECEIVED + timedelta(days=i)) for i in range(n)]

    def counted() -> tuple[int, list[FollowUp]]:
        db.session.expire_all()
        with count_queries() as queries:
            found = follow_ups.open_follow_ups()
            shown = [(f.department.name, f.case, f.kind.label) for f in found]
        assert len(shown) == len(found)
        return queries[0], found

    answered, *waiting = grow(3)
    follow_ups.record_reply(world.office, answered, replied_on=RECEIVED, reply="复", measures="措")
    db.session.commit()
    small, found = counted()
    assert [f.id for f in found] == [f.id for f in waiting] and small == 1
    grow(27)
    large, _found = counted()
    assert_constant_queries(small, large, "open follow-ups")


def test_a_liaison_sees_only_their_department_s(world, suggest):
    mine = suggest()
    suggest(department=world.other_department)
    suggest(department=None)

    def seen(user) -> list[int]:
        return list(db.session.scalars(follow_ups_visible_to(user, select(FollowUp.id))))

    assert seen(world.liaison) == [mine.id]
    assert len(seen(world.viewer)) == 3 and len(seen(world.office)) == 3
    assert seen(world.adviser_users[0]) == []


def test_an_unknown_case_reference_is_refused_beside_its_field(register_case):
    case = register_case()
    assert follow_ups.find_case(f" {case.reference} ") == case
    assert follow_ups.find_case("") is None
    with pytest.raises(DomainError) as refused:
        follow_ups.find_case("2026-S9999")
    assert refused.value.field == "case_reference"
