"""The pages of court suggestions and reconsideration decisions through the test client: the
list with its filters, sorting and pages, recording one from a case, its page, correcting it,
the reply, the files; who reaches what, and garbage refused beside its field with nothing
changed."""

import io
from datetime import date, timedelta

from sqlalchemy import select

from cases import follow_ups
from cases.models import CaseKind, FollowUp, FollowUpKind
from core.extensions import db
from core.i18n import today
from tests.cases.test_follow_ups import RECEIVED, suggest_fixture  # noqa: F401  (the fixture)
from tests.conftest import assert_constant_queries, count_queries
from tests.consultations.test_views_bad_input import refused
from tests.consultations.view_fixtures import PDF, text


def form(**changes) -> dict:
    data = {
        "kind": "judicial_suggestion",
        "case_reference": "",
        "issued_by": "南宁市青秀区人民法院",
        "document_number": "（2026）桂0103司建7号",
        "received_on": "2026-09-01",
        "content": "建议加强执法人员培训。",
        "department_id": "0",
        "reply_due_on": "2026-10-01",
    }
    data.update(changes)
    return data


def ids(page: str, items) -> list[int]:
    """The follow-ups of `items` the page links to, in the page's order."""
    found = [(page.find(f'/cases/follow-ups/{item.id}"'), item.id) for item in items]
    return [item_id for at, item_id in sorted(found) if at != -1]


# --- recording ---------------------------------------------------------------------------


def test_the_office_records_one_from_a_case_page(world, register_case, as_):
    case = register_case()
    office = as_(world.office)
    page = text(office.get(f"/cases/{case.id}"))
    assert f"/cases/follow-ups/new?case_id={case.id}" in page
    prefilled = text(office.get(f"/cases/follow-ups/new?case_id={case.id}"))
    assert case.reference in prefilled and case.court in prefilled
    data = form(case_reference=case.reference, department_id=str(world.department.id))
    response = office.post("/cases/follow-ups/new", data=data)
    item = db.session.scalars(select(FollowUp)).one()
    assert response.status_code == 302 and response.location.endswith(f"/follow-ups/{item.id}")
    assert item.case_id == case.id and item.department_id == world.department.id
    page = text(as_(world.liaison).get(f"/cases/{case.id}"))
    assert 'data-testid="case-follow-ups"' in page and "司建7号" in page
    assert "/cases/follow-ups/new" not in page  # the liaison reads; the office records


def test_the_case_page_leaves_out_a_follow_up_the_liaison_may_not_see(
    world, register_case, suggest, as_
):
    case = register_case()
    suggest(case=case, department=world.other_department, content="另一部门的建议")
    page = text(as_(world.liaison).get(f"/cases/{case.id}"))
    assert 'data-testid="case-follow-ups"' in page and "/cases/follow-ups/" not in page
    assert "南宁市青秀区人民法院" not in page.split('data-testid="case-follow-ups"')[1]


def test_a_file_uploaded_without_a_case_is_served_to_those_who_see_it(world, as_):
    office = as_(world.office)
    data = form(department_id=str(world.department.id)) | {
        "file": (io.BytesIO(PDF), "司法建议书.pdf")
    }
    assert office.post("/cases/follow-ups/new", data=data).status_code == 302
    item = db.session.scalars(select(FollowUp)).one()
    url = f"/cases/follow-ups/{item.id}/files/{item.file_id}"
    assert url in text(office.get(f"/cases/follow-ups/{item.id}"))
    response = as_(world.liaison).get(url)
    assert response.status_code == 200 and response.data == PDF
    assert as_(world.other_liaison).get(url).status_code == 403
    assert office.get(f"/cases/follow-ups/{item.id}/files/{item.file_id + 99}").status_code == 404


def test_what_cannot_be_is_refused_beside_its_field(world, register_case, as_):
    office = as_(world.office)
    civil = register_case(kind=CaseKind.CIVIL, cause="合同纠纷")
    url = "/cases/follow-ups/new"
    refused(office, url, form(reply_due_on="2026-08-31"), "reply_due_on")
    refused(office, url, form(received_on="2026-02-30"), "received_on")
    refused(office, url, form(content="", issued_by=""), "content", "issued_by")
    refused(office, url, form(case_reference="2026-S9999"), "case_reference")
    order = form(kind="reconsideration_order", case_reference=civil.reference)
    refused(office, url, order, "case_reference")
    tomorrow = (today() + timedelta(days=1)).isoformat()
    refused(office, url, form(received_on=tomorrow, reply_due_on=tomorrow), "received_on")


def test_the_office_corrects_one_and_a_stale_form_is_refused(world, suggest, as_):
    item = suggest()
    office = as_(world.office)
    url = f"/cases/follow-ups/{item.id}/edit"
    page = text(office.get(url))
    assert "司建3号" in page
    data = form(department_id=str(world.department.id), version=str(item.version))
    refused(office, url, data | {"reply_due_on": "2026-08-01"}, "reply_due_on")
    assert office.post(url, data=data | {"content": "建议完善公告。"}).status_code == 302
    db.session.refresh(item)
    assert item.content == "建议完善公告。"
    stale = office.post(url, data=data | {"version": "1", "content": "旧表"})
    assert stale.status_code == 400
    db.session.refresh(item)
    assert item.content == "建议完善公告。"
    assert as_(world.liaison).get(url).status_code == 403


# --- who sees what -------------------------------------------------------------------------


def test_a_liaison_sees_only_their_department_s(world, suggest, as_):
    mine = suggest()
    theirs = suggest(department=world.other_department, document_number="（2026）司建9号")
    government = suggest(department=None, document_number="（2026）司建8号")
    liaison = as_(world.liaison)
    page = text(liaison.get("/cases/follow-ups"))
    assert ids(page, [mine, theirs, government]) == [mine.id]
    assert liaison.get(f"/cases/follow-ups/{mine.id}").status_code == 200
    assert liaison.get(f"/cases/follow-ups/{theirs.id}").status_code == 403
    assert liaison.get(f"/cases/follow-ups/{theirs.id}/reply").status_code == 403
    assert liaison.get("/cases/follow-ups/99999").status_code == 404
    viewer = text(as_(world.viewer).get("/cases/follow-ups"))
    assert len(ids(viewer, [mine, theirs, government])) == 3
    assert as_(world.adviser_users[0]).get("/cases/follow-ups").status_code == 403


def test_the_liaison_records_their_department_s_reply(world, suggest, as_):
    item = suggest()
    liaison = as_(world.liaison)
    url = f"/cases/follow-ups/{item.id}/reply"
    assert "建议规范房屋征收补偿程序" in text(liaison.get(url))
    data = {"replied_on": "2026-09-20", "reply": "已书面复函", "version": str(item.version)}
    refused(liaison, url, data | {"measures": ""}, "measures")
    refused(liaison, url, data | {"measures": "整改", "replied_on": "2026-08-31"}, "replied_on")
    data |= {"measures": "修订流程", "reply_file": (io.BytesIO(PDF), "复函.pdf")}
    response = liaison.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.replied_on == date(2026, 9, 20) and item.reply_file.name == "复函.pdf"
    page = text(liaison.get(f"/cases/follow-ups/{item.id}"))
    assert "修订流程" in page and f"/files/{item.reply_file_id}" in page
    assert as_(world.viewer).get(url).status_code == 403
    again = {"replied_on": "2026-09-21", "reply": "再复", "measures": "再改"}
    assert as_(world.other_liaison).post(url, data=again).status_code == 403


# --- the list ------------------------------------------------------------------------------


def test_the_list_filters_by_kind_status_and_department(world, suggest, as_):
    late = suggest(reply_due_on=today() - timedelta(days=1), received_on=today() - timedelta(5))
    waiting = suggest(reply_due_on=today() + timedelta(days=10))
    order = suggest(
        kind=FollowUpKind.RECONSIDERATION_ORDER,
        issued_by="区人民政府",
        department=world.other_department,
        reply_due_on=today() + timedelta(days=3),
    )
    answered = suggest()
    follow_ups.record_reply(world.office, answered, replied_on=RECEIVED, reply="复", measures="措")
    db.session.commit()
    every = [late, waiting, order, answered]
    office = as_(world.office)

    def listed(query: str) -> set[int]:
        response = office.get(f"/cases/follow-ups?{query}")
        assert response.status_code == 200, query
        return set(ids(text(response), every))

    assert listed("") == {f.id for f in every}
    assert listed("kind=reconsideration_order") == {order.id}
    assert listed("status=overdue") == {late.id}
    assert listed("status=open") == {late.id, waiting.id, order.id}
    assert listed("status=answered") == {answered.id}
    assert listed(f"department={world.other_department.id}") == {order.id}
    assert listed(f"status=open&department={world.department.id}") == {late.id, waiting.id}
    page = text(office.get("/cases/follow-ups?status=overdue"))
    assert 'class="badge text-bg-danger" data-testid="follow-up-status"' in page
    for bad in ("kind=zzz", "status=late", "department=abc", "sort=content", "page=0"):
        assert office.get(f"/cases/follow-ups?{bad}").status_code == 400, bad


def test_the_list_sorts_and_pages(world, suggest, as_):
    items = [
        suggest(received_on=RECEIVED + timedelta(days=i), reply_due_on=RECEIVED + timedelta(60 - i))
        for i in range(30)
    ]
    office = as_(world.office)
    first = text(office.get("/cases/follow-ups"))
    assert ids(first, items) == [item.id for item in reversed(items)][:25]  # soonest reply first
    second = text(office.get("/cases/follow-ups?page=2"))
    assert ids(second, items) == [item.id for item in reversed(items[:5])]
    received = text(office.get("/cases/follow-ups?sort=-received"))
    assert ids(received, items)[:3] == [items[29].id, items[28].id, items[27].id]
    assert "30" in second  # the total


def test_the_list_runs_as_many_queries_for_30_rows_as_for_3(world, suggest, register_case, as_):
    def grow(n: int) -> None:
        for i in range(n):
            department = world.department if i % 2 else world.other_department
            suggest(case=register_case(cause=f"案{i}"), department=department)

    def counted(user) -> int:
        client = as_(user)
        with count_queries() as queries:
            assert client.get("/cases/follow-ups").status_code == 200
        return queries[0]

    grow(3)
    small = {user.username: counted(user) for user in (world.office, world.liaison)}
    grow(27)
    for user in (world.office, world.liaison):
        assert_constant_queries(small[user.username], counted(user), user.username)
