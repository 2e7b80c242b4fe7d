"""The consultations pages through the test client, each as the role that uses it: the list with
its filters and search, a request with its materials, a matter in every state, assignment with
the conflict check, the opinion from draft to adoption, the work log, the day's pages and the
activities."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from consultations import services
from consultations.models import (
    Activity,
    Adoption,
    Assignment,
    AssignmentStatus,
    Matter,
    MatterFile,
    MatterKind,
    MatterStatus,
    Opinion,
    OpinionComment,
    OpinionStatus,
    WorkLog,
)
from core import pdf
from core.extensions import db
from core.files import StoredFile
from core.i18n import today
from tests.consultations.view_fixtures import (
    EXE,
    PDF,
    assign_and_accept,
    text,
)


def table(page: str) -> str:
    """The list's table, without the office's queue of requests above it."""
    return page[page.index('data-testid="matters"') :]


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def readers(world, administrator) -> dict:
    """Everyone who reads the list of matters, by the name a failure message shows."""
    return {
        "office": world.office,
        "liaison": world.liaison,
        "lead": world.adviser_users[0],
        "co": world.adviser_users[1],
        "leader": world.viewer,
        "administrator": administrator,
    }


# --- the list ----------------------------------------------------------------------------


def list_addresses(world) -> list[str]:
    urls = ["/consultations", "/consultations?status=open", "/consultations?year=2026"]
    urls += [f"/consultations?status={s.value}" for s in MatterStatus]
    urls += [f"/consultations?kind={k.value}" for k in MatterKind]
    urls += [f"/consultations?department={world.department.id}", "/consultations?page=2"]
    for key in ("reference", "title", "kind", "department", "received", "due", "status"):
        urls += [f"/consultations?sort={key}", f"/consultations?sort=-{key}"]
    urls.append(
        f"/consultations?q=合同&status=open&kind=contract&department={world.department.id}"
        "&year=2026&sort=-due"
    )
    return urls


def test_the_list_renders_for_every_role_with_each_filter_and_sort(
    world, states, as_, administrator
):
    for who, user in readers(world, administrator).items():
        client = as_(user)
        for url in list_addresses(world):
            response = client.get(url)
            assert response.status_code == 200, f"{who} {url} -> {response.status_code}"
            assert 'data-testid="matters"' in text(response)


def test_the_office_list_filters_by_state_and_kind(world, states, as_):
    office = as_(world.office)
    page = text(office.get("/consultations?status=requested"))
    assert states.requested.title in page and states.closed.title not in page
    assert 'data-testid="to-accept"' in page  # the office's queue of requests
    page = text(office.get("/consultations?status=open"))
    assert states.drafting.title in page and states.pending.title in page
    assert states.submitted.title not in page and states.returned.title not in page
    page = text(office.get("/consultations?kind=training"))
    assert states.training.title in page and states.drafting.title not in page
    page = text(office.get(f"/consultations?department={world.other_department.id}"))
    assert "没有符合条件的事项" in page or "No matters match" in page
    page = table(text(office.get("/consultations?sort=title")))
    titles = [m.title for m in sorted(states.matters().values(), key=lambda m: m.title)]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)


def test_the_overdue_filter_lists_open_matters_past_their_due_date(world, states, as_):
    """The dashboard's overdue count leads here: advisers still working, due before today."""
    states.drafting.due_on = today() - timedelta(days=1)
    states.pending.due_on = today()
    db.session.commit()
    page = table(text(as_(world.office).get("/consultations?status=overdue")))
    assert states.drafting.title in page
    assert states.pending.title not in page and states.requested.title not in page


def test_the_list_names_each_matters_lead(world, states, as_):
    page = text(as_(world.office).get("/consultations?status=in_progress"))
    assert "顾问甲" in page


@pytest.mark.parametrize(
    "query",
    ["status=zzz", "kind=zzz", "sort=nope", "year=abc", "year=1999", "department=-1", "page=x"],
)
def test_an_unreadable_list_argument_answers_400(world, states, as_, query):
    response = as_(world.office).get(f"/consultations?{query}")
    assert response.status_code == 400


def test_a_two_character_chinese_word_finds_a_matter(world, request_matter, as_):
    found = request_matter(title="关于物业服务合同续签的审查", description="请审查。", parties="")
    other = request_matter(title="关于信访事项答复的咨询", description="请答复。", parties="")
    for user in (world.office, world.liaison):
        page = table(text(as_(user).get("/consultations?q=合同")))
        assert found.title in page and other.title not in page
    page = table(text(as_(world.office).get("/consultations?q=信访 答复")))
    assert other.title in page and found.title not in page


def test_a_search_of_one_character_is_refused_beside_the_box(world, states, as_):
    response = as_(world.office).get("/consultations?q=合")
    page = text(response)
    assert response.status_code == 400
    assert 'id="q-error"' in page and "is-invalid" in page
    assert states.drafting.title not in page
    assert as_(world.office).get("/consultations?q=" + "合" * 101).status_code == 400


def test_the_opinions_text_is_searched_as_each_reader_may_read_it(world, request_matter, as_):
    matter = assign_and_accept(world, request_matter(title="关于停车场租赁的审查", parties=""))
    services.save_draft(
        world.adviser_users[0], matter, facts="事实", analysis="分析", conclusion="不宜续租"
    )
    db.session.commit()
    # a draft is found by nobody; a signed opinion by the office and the advisers on it
    assert matter.title not in table(text(as_(world.office).get("/consultations?q=续租")))
    opinion = services.submit_opinion(world.adviser_users[0], matter)
    db.session.commit()
    assert matter.title in table(text(as_(world.office).get("/consultations?q=续租")))
    assert matter.title in table(text(as_(world.adviser_users[0]).get("/consultations?q=续租")))
    # the department reads the opinion once it is delivered, and only then finds it by its text
    assert matter.title not in table(text(as_(world.liaison).get("/consultations?q=续租")))
    services.forward_opinion(world.office, opinion)
    db.session.commit()
    assert matter.title in table(text(as_(world.liaison).get("/consultations?q=续租")))


# --- a request ---------------------------------------------------------------------------


def request_form(world, **changes) -> dict:
    data = {
        "department_id": str(world.department.id),
        "kind": "contract",
        "title": "关于城市更新项目合作协议的审查",
        "requester": "王科长",
        "requester_phone": "0511-8888",
        "description": "请审查合作协议的合法性。",
        "parties": "江南建设集团有限公司\n白鹭置业有限公司",
        "specialty_id": str(world.specialty.id),
        "urgency": "urgent",
        "received_on": today().isoformat(),
        "due_on": "",
        "no_secrets": "y",
    }
    data.update(changes)
    return data


def test_the_request_form_shows_the_notice_on_classified_material(world, as_):
    for user in (world.liaison, world.office):
        response = as_(user).get("/consultations/new")
        assert response.status_code == 200
        assert 'data-testid="no-secrets-notice"' in text(response)
    # the liaison asks only for their own department
    page = text(as_(world.liaison).get("/consultations/new"))
    assert world.department.name in page and world.other_department.name not in page


def test_a_liaison_requests_with_a_material_and_gets_it_back_under_its_chinese_name(world, as_):
    liaison = as_(world.liaison)
    data = request_form(world, files=(io.BytesIO(PDF), "合作协议（送审稿）.pdf"))
    response = liaison.post("/consultations/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, text(response)[:3000]
    matter = db.session.scalar(select(Matter))
    assert matter.status is MatterStatus.REQUESTED and matter.urgency.value == "urgent"
    assert matter.party_names == ["江南建设集团有限公司", "白鹭置业有限公司"]
    (attached,) = matter.files
    assert attached.file.name == "合作协议（送审稿）.pdf"
    page = text(liaison.get(response.location))
    assert "合作协议（送审稿）.pdf" in page and 'data-testid="materials"' in page
    download = liaison.get(f"/consultations/{matter.id}/files/{attached.file_id}")
    assert download.status_code == 200 and download.data == PDF
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + quote("合作协议（送审稿）.pdf", safe="") in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_the_office_requests_for_a_department_and_it_is_accepted_at_once(world, as_):
    data = request_form(world, department_id=str(world.other_department.id), due_on="")
    response = as_(world.office).post("/consultations/new", data=data)
    assert response.status_code == 302
    matter = db.session.scalar(select(Matter))
    assert matter.department_id == world.other_department.id
    assert matter.status is MatterStatus.ACCEPTED


@pytest.mark.parametrize(
    ("name", "data"),
    [("合作协议.pdf", EXE), ("setup.exe", EXE), ("说明.pdf", b"<html><script>1</script>")],
)
def test_a_renamed_program_is_refused_beside_the_field_and_nothing_is_saved(world, as_, name, data):
    response = as_(world.liaison).post(
        "/consultations/new",
        data=request_form(world, files=(io.BytesIO(data), name)),
        content_type="multipart/form-data",
    )
    page = text(response)
    assert response.status_code == 400
    assert 'id="files"' in page and "invalid-feedback" in page
    feedback = page[page.index('id="files"') :]
    assert "invalid-feedback" in feedback[:2000]
    assert count(Matter) == 0 and count(StoredFile) == 0


def test_a_liaison_cannot_ask_for_another_department(world, as_):
    response = as_(world.liaison).post(
        "/consultations/new", data=request_form(world, department_id=str(world.other_department.id))
    )
    assert response.status_code == 400 and count(Matter) == 0


def test_materials_are_added_by_the_department_and_another_departments_liaison_gets_403(
    world, states, as_
):
    matter = states.accepted
    response = as_(world.liaison).post(
        f"/consultations/{matter.id}/files",
        data={"files": [(io.BytesIO(PDF), "补充材料一.pdf"), (io.BytesIO(PDF), "补充材料二.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert count(MatterFile) == 3  # with the requested matter's own material
    stored = db.session.scalar(
        select(MatterFile).where(MatterFile.matter_id == matter.id).order_by(MatterFile.id)
    )
    other = as_(world.other_liaison)
    assert other.get(f"/consultations/{matter.id}/files/{stored.file_id}").status_code == 403
    assert other.get(f"/consultations/{matter.id}/files").status_code == 403
    # a file of another matter is not found through this one
    attached = states.requested.files[0]
    office = as_(world.office)
    assert office.get(f"/consultations/{matter.id}/files/{attached.file_id}").status_code == 404
    assert office.get(f"/consultations/{matter.id}/files/999999").status_code == 404


# --- a matter in every state ------------------------------------------------------------


def test_a_matter_page_renders_in_every_state_for_everyone_who_sees_it(
    world, states, as_, administrator
):
    for who, user in readers(world, administrator).items():
        client = as_(user)
        for state, matter in states.matters().items():
            response = client.get(f"/consultations/{matter.id}")
            if who in ("lead", "co") and not any(
                a.adviser.user_id == user.id for a in matter.assignments
            ):
                assert response.status_code == 403, f"{who} {state}"
                continue
            assert response.status_code == 200, f"{who} {state} -> {response.status_code}"
            assert matter.title in text(response), f"{who} {state}"


def actions(page: str) -> str:
    start = page.index('data-testid="matter-actions"')
    return page[start : page.index("</div>", start)]


def test_each_state_offers_the_office_its_next_step(world, states, as_):
    office = as_(world.office)

    def buttons(matter):
        return actions(text(office.get(f"/consultations/{matter.id}")))

    assert f"/consultations/{states.requested.id}/accept" in buttons(states.requested)
    assert f"/consultations/{states.requested.id}/return" in buttons(states.requested)
    assert f"/consultations/{states.accepted.id}/assign" in buttons(states.accepted)
    assert "/forward" in buttons(states.submitted)
    assert "/forward" not in buttons(states.delivered)
    assert "/activities/new?matter=" in buttons(states.training)
    assert "/edit" not in buttons(states.closed)
    # a matter with a signed opinion is part of the record: it is not offered for voiding
    assert "/void/matter/" in buttons(states.requested)
    assert "/void/matter/" not in buttons(states.delivered)
    page = text(office.get(f"/consultations/{states.returned.id}"))
    assert 'data-testid="return-reason"' in page and "不属于法律顾问职责范围" in page


def test_each_state_offers_the_advisers_and_the_department_their_step(world, states, as_):
    lead, co = (as_(u) for u in world.adviser_users[:2])
    liaison = as_(world.liaison)
    pending = text(lead.get(f"/consultations/{states.pending.id}"))
    assert "/answer" in actions(pending)
    drafting = text(lead.get(f"/consultations/{states.drafting.id}"))
    assert f"/consultations/{states.drafting.id}/draft" in actions(drafting)
    assert "/work" in actions(drafting)
    assert "草稿事实" in drafting and "第三条违约责任宜明确" in drafting
    co_page = text(co.get(f"/consultations/{states.drafting.id}"))
    assert f"/consultations/{states.drafting.id}/comment" in co_page
    assert f"/consultations/{states.drafting.id}/draft" not in actions(co_page)
    delivered = text(lead.get(f"/consultations/{states.delivered.id}"))
    assert f"/consultations/{states.delivered.id}/correct" in actions(delivered)
    assert f"/consultations/{states.delivered.id}/adoption" in actions(
        text(liaison.get(f"/consultations/{states.delivered.id}"))
    )
    closed = text(liaison.get(f"/consultations/{states.closed.id}"))
    assert 'data-testid="adoption"' in closed and "工期条款未采纳" in closed


# --- intake and assignment ---------------------------------------------------------------


def test_the_office_accepts_or_returns_a_request(world, request_matter, as_):
    office = as_(world.office)
    first, second = request_matter(), request_matter(title="关于内部考勤的咨询")
    response = office.post(f"/consultations/{first.id}/accept")
    assert response.status_code == 302 and response.location.endswith(f"/{first.id}/assign")
    assert db.session.get(Matter, first.id).status is MatterStatus.ACCEPTED
    # accepting twice is refused with a message, and nothing changes
    again = office.post(f"/consultations/{first.id}/accept", follow_redirects=True)
    assert "alert-danger" in text(again)
    assert office.get(f"/consultations/{second.id}/return").status_code == 200
    empty = office.post(f"/consultations/{second.id}/return", data={"reason": "  "})
    assert empty.status_code == 400 and "invalid-feedback" in text(empty)
    response = office.post(f"/consultations/{second.id}/return", data={"reason": "材料不全"})
    assert response.status_code == 302
    assert db.session.get(Matter, second.id).status is MatterStatus.RETURNED
    # a step the matter has passed leads back to its page with the reason
    moved = office.get(f"/consultations/{second.id}/return")
    assert moved.status_code == 302 and moved.location.endswith(f"/consultations/{second.id}")


def test_the_assign_page_ranks_and_explains_and_blocks_a_conflict(world, request_matter, as_):
    world.advisers[0].conflicts = "江南建设集团"
    db.session.commit()
    matter = request_matter()
    services.accept_matter(world.office, matter)
    db.session.commit()
    office = as_(world.office)
    page = text(office.get(f"/consultations/{matter.id}/assign"))
    assert page.count('data-testid="suggestion"') == 3
    rows = page.split('data-testid="suggestion"')[1:]
    assert "顾问甲" in rows[-1] and "table-danger" in page and "江南建设集团" in rows[-1]
    assert "行政法" in rows[0] and ("无利益冲突" in rows[0] or "no conflict" in rows[0])
    first = world.advisers[0]
    refused = office.post(f"/consultations/{matter.id}/assign", data={"lead_id": str(first.id)})
    assert refused.status_code == 400
    feedback = text(refused)
    assert "invalid-feedback" in feedback[feedback.index('id="override_reason"') :][:3000]
    assert count(Assignment) == 0
    response = office.post(
        f"/consultations/{matter.id}/assign",
        data={
            "lead_id": str(first.id),
            "co_ids": [str(world.advisers[1].id)],
            "override_reason": "唯一熟悉该项目的顾问，已回避股东关系",
        },
    )
    assert response.status_code == 302
    lead = db.session.scalar(select(Assignment).where(Assignment.adviser_id == first.id))
    assert lead.override_reason.startswith("唯一") and lead.is_lead
    page = text(office.get(f"/consultations/{matter.id}"))
    assert "唯一熟悉该项目的顾问" in page


def test_an_adviser_off_the_list_cannot_be_assigned(world, request_matter, as_):
    matter = request_matter()
    services.accept_matter(world.office, matter)
    db.session.commit()
    response = as_(world.office).post(
        f"/consultations/{matter.id}/assign", data={"lead_id": "999999"}
    )
    assert response.status_code == 400 and count(Assignment) == 0


def test_the_adviser_answers_and_declining_for_a_conflict_records_it(world, states, as_):
    (assignment,) = states.pending.assignments
    lead = as_(world.adviser_users[0])
    url = f"/consultations/assignments/{assignment.id}/answer"
    page = text(lead.get(url))
    assert states.pending.title in page and "江南建设集团有限公司" in page
    empty = lead.post(url, data={"answer": "decline", "reason": ""})
    assert empty.status_code == 400
    assert db.session.get(Assignment, assignment.id).status is AssignmentStatus.PENDING
    assert as_(world.adviser_users[1]).get(url).status_code == 403
    response = lead.post(url, data={"answer": "decline", "reason": "曾代理对方", "conflict": "y"})
    assert response.status_code == 302
    assert db.session.get(Assignment, assignment.id).declined_for_conflict
    assert "江南建设集团有限公司" in world.advisers[0].conflicts
    assert db.session.get(Matter, states.pending.id).status is MatterStatus.ACCEPTED


def test_the_office_takes_an_adviser_off(world, states, as_):
    co = next(a for a in states.drafting.assignments if not a.is_lead)
    office = as_(world.office)
    url = f"/consultations/assignments/{co.id}/withdraw"
    assert office.get(url).status_code == 200
    assert office.post(url, data={"reason": ""}).status_code == 400
    assert office.post(url, data={"reason": "工作调整"}).status_code == 302
    assert db.session.get(Assignment, co.id).status is AssignmentStatus.WITHDRAWN
    assert office.get(url).status_code == 302  # no longer in force


# --- the opinion ------------------------------------------------------------------------


def test_the_lead_drafts_a_co_adviser_comments_and_the_lead_signs(world, request_matter, as_):
    matter = assign_and_accept(world, request_matter())
    lead, co = (as_(u) for u in world.adviser_users[:2])
    url = f"/consultations/{matter.id}/draft"
    page = text(lead.get(url))
    assert 'data-testid="draft-form"' in page and "/submit" not in page  # nothing to sign yet
    response = lead.post(url, data={"facts": "事实", "analysis": "分析", "version": ""})
    assert response.status_code == 302
    opinion = db.session.scalar(select(Opinion))
    assert opinion.facts == "事实" and opinion.is_draft
    assert co.get(url).status_code == 403
    empty = co.post(f"/consultations/{matter.id}/comment", data={"body": ""})
    assert empty.status_code == 400 and "invalid-feedback" in text(empty)
    response = co.post(f"/consultations/{matter.id}/comment", data={"body": "建议补充违约责任。"})
    assert response.status_code == 302 and count(OpinionComment) == 1
    page = text(lead.get(url))
    assert "建议补充违约责任。" in page and "/submit" in page
    # signing needs the box ticked, and the conclusion written
    unticked = lead.post(f"/consultations/{matter.id}/submit", data={"version": opinion.version})
    assert unticked.status_code == 400 and "invalid-feedback" in text(unticked)
    unwritten = lead.post(
        f"/consultations/{matter.id}/submit", data={"version": opinion.version, "confirm": "y"}
    )
    assert unwritten.status_code == 400 and "invalid-feedback" in text(unwritten)
    assert db.session.get(Opinion, opinion.id).number is None
    version = db.session.get(Opinion, opinion.id).version
    lead.post(
        url, data={"facts": "事实", "analysis": "分析", "conclusion": "可签订", "version": version}
    )
    version = db.session.get(Opinion, opinion.id).version
    response = lead.post(
        f"/consultations/{matter.id}/submit", data={"version": version, "confirm": "y"}
    )
    assert response.status_code == 302
    signed = db.session.get(Opinion, opinion.id)
    assert signed.number == f"江府法顾意〔{today().year}〕1号"
    assert signed.status is OpinionStatus.SUBMITTED
    # the draft page of a signed opinion leads back to the matter
    assert lead.get(url).status_code == 302


def test_a_stale_draft_is_refused_and_the_newer_text_kept(world, states, as_):
    matter = states.drafting
    opinion = matter.current_opinion
    lead = as_(world.adviser_users[0])
    for version in (opinion.version + 1, ""):
        response = lead.post(
            f"/consultations/{matter.id}/draft", data={"facts": "旧的文本", "version": version}
        )
        assert response.status_code == 400 and "alert-danger" in text(response)
    assert db.session.get(Opinion, opinion.id).facts == "草稿事实：合同尚未签订。"


def test_the_office_forwards_and_the_liaison_records_adoption(world, states, as_):
    matter, opinion = states.submitted, states.submitted.current_opinion
    liaison, office = as_(world.liaison), as_(world.office)
    assert liaison.get(f"/consultations/opinions/{opinion.id}").status_code == 403
    assert liaison.get(f"/consultations/{matter.id}/adoption").status_code == 302
    refused = liaison.post(f"/consultations/{matter.id}/adoption", data={"adoption": "adopted"})
    assert refused.status_code == 400 and "alert-danger" in text(refused)
    response = office.post(f"/consultations/opinions/{opinion.id}/forward")
    assert response.status_code == 302
    assert db.session.get(Opinion, opinion.id).status is OpinionStatus.DELIVERED
    page = text(liaison.get(f"/consultations/opinions/{opinion.id}"))
    assert "法律意见书" in page and opinion.number in page
    form = liaison.get(f"/consultations/{matter.id}/adoption")
    assert form.status_code == 200 and 'name="adoption"' in text(form)
    no_reason = liaison.post(f"/consultations/{matter.id}/adoption", data={"adoption": "partly"})
    assert no_reason.status_code == 400 and "invalid-feedback" in text(no_reason)
    response = liaison.post(
        f"/consultations/{matter.id}/adoption",
        data={"adoption": "partly", "reason": "工期条款未采纳", "final_decision": "修改后签订"},
    )
    assert response.status_code == 302
    closed = db.session.get(Matter, matter.id)
    assert closed.status is MatterStatus.CLOSED
    assert closed.current_opinion.adoption is Adoption.PARTLY


def test_a_correction_is_a_new_version_from_the_signed_text(world, states, as_):
    matter = states.delivered
    signed = matter.current_opinion
    lead = as_(world.adviser_users[0])
    url = f"/consultations/{matter.id}/correct"
    assert lead.get(url).status_code == 200
    assert lead.post(url, data={"reason": ""}).status_code == 400
    response = lead.post(url, data={"reason": "引用法条有误"})
    assert response.status_code == 302 and response.location.endswith(f"/{matter.id}/draft")
    page = text(lead.get(f"/consultations/{matter.id}/draft"))
    assert "引用法条有误" in page and "合同第三条约定不明。" in page
    draft = db.session.get(Matter, matter.id).current_opinion
    assert draft.revision == 2 and draft.is_draft
    assert db.session.get(Opinion, signed.id).number == signed.number
    # the earlier version stays readable, listed on the matter's page
    page = text(lead.get(f"/consultations/{matter.id}"))
    assert f"/consultations/opinions/{signed.id}" in page


def test_the_print_page_and_the_pdf(world, states, as_):
    opinion = states.delivered.current_opinion
    liaison = as_(world.liaison)
    page = text(liaison.get(f"/consultations/opinions/{opinion.id}"))
    assert 'data-testid="opinion-document"' in page and world.department.name in page
    response = liaison.get(f"/consultations/opinions/{opinion.id}.pdf")
    if pdf.pdf_available():
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF")
        assert f"/consultations/opinions/{opinion.id}.pdf" in page
    else:
        assert response.status_code == 302
        assert response.location.endswith(f"/consultations/opinions/{opinion.id}")
        assert 'data-testid="no-pdf"' in text(liaison.get(response.location))


def test_without_a_chinese_font_the_pdf_leads_back_to_the_print_page(
    world, states, as_, monkeypatch
):
    monkeypatch.setattr(pdf, "pdf_available", lambda: False)
    opinion = states.delivered.current_opinion
    liaison = as_(world.liaison)
    response = liaison.get(f"/consultations/opinions/{opinion.id}.pdf")
    assert response.status_code == 302
    assert response.location.endswith(f"/consultations/opinions/{opinion.id}")
    page = text(liaison.get(response.location))
    assert "alert-warning" in page and 'data-testid="no-pdf"' in page
    assert f"/consultations/opinions/{opinion.id}.pdf" not in page


def test_a_draft_prints_as_a_draft_and_has_no_pdf(world, states, as_):
    draft = states.drafting.current_opinion
    lead = as_(world.adviser_users[0])
    page = text(lead.get(f"/consultations/opinions/{draft.id}"))
    assert "（草稿）" in page and ".pdf" not in page.split('data-testid="opinion-document"')[0]
    assert lead.get(f"/consultations/opinions/{draft.id}.pdf").status_code == 404


# --- the work log and the day's pages ---------------------------------------------------


def test_an_adviser_on_the_matter_logs_work(world, states, as_):
    matter = states.drafting
    co = as_(world.adviser_users[1])
    url = f"/consultations/{matter.id}/work"
    assert co.get(url).status_code == 200
    response = co.post(
        url, data={"worked_on": today().isoformat(), "hours": "1.5", "note": "审阅合同条款"}
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(WorkLog))
    assert entry.hours == Decimal("1.5") and entry.adviser_id == world.advisers[1].id
    page = text(as_(world.office).get(f"/consultations/{matter.id}"))
    assert 'data-testid="work-log"' in page and "审阅合同条款" in page
    assert as_(world.adviser_users[2]).get(url).status_code == 403


def test_the_advisers_own_page_lists_answers_matters_in_hand_and_drafts(world, states, as_):
    page = text(as_(world.adviser_users[0]).get("/consultations/mine"))
    to_answer = page[page.index('data-testid="to-answer"') : page.index('data-testid="drafts"')]
    assert states.pending.title in to_answer and "/answer" in to_answer
    drafts = page[page.index('data-testid="drafts"') : page.index('data-testid="in-hand"')]
    assert states.drafting.title in drafts and states.correcting.title in drafts
    in_hand = page[page.index('data-testid="in-hand"') :]
    assert states.drafting.title in in_hand and states.closed.title not in in_hand
    page = text(as_(world.adviser_users[2]).get("/consultations/mine"))
    assert states.drafting.title not in page


def test_the_departments_page_lists_requests_and_opinions_awaiting_adoption(world, states, as_):
    page = text(as_(world.liaison).get("/consultations/department"))
    awaiting = page[
        page.index('data-testid="awaiting-adoption"') : page.index('data-testid="requests"')
    ]
    assert states.delivered.title in awaiting
    assert states.delivered.current_opinion.number in awaiting
    assert f"/consultations/{states.delivered.id}/adoption" in awaiting
    requests = page[page.index('data-testid="requests"') :]
    assert states.requested.title in requests and states.drafting.title in requests
    assert states.closed.title not in page
    other = text(as_(world.other_liaison).get("/consultations/department"))
    assert states.requested.title not in other


# --- activities -------------------------------------------------------------------------


def activity_form(world, **changes) -> dict:
    data = {
        "kind": "training",
        "title": "民法典合同编专题讲座",
        "held_on": (today() - timedelta(days=2)).isoformat(),
        "place": "区政府第一会议室",
        "audience": "各部门法制员",
        "attendance": "45",
        "department_id": "0",
        "adviser_ids": [str(world.advisers[0].id), str(world.advisers[1].id)],
        "notes": "",
    }
    data.update(changes)
    return data


def test_the_activities_pages(world, states, as_, administrator):
    activity = states.activity
    for user in readers(world, administrator).values():
        client = as_(user)
        for url in ("/activities", "/activities?kind=publicity&year=2026&sort=-title",
                    f"/activities/{activity.id}"):  # fmt: skip
            response = client.get(url)
            assert response.status_code == 200, url
        stored = activity.files[0]
        download = client.get(f"/activities/{activity.id}/files/{stored.id}")
        assert download.status_code == 200
        assert quote("宣传活动照片说明.pdf", safe="") in download.headers["Content-Disposition"]
    office = as_(world.office)
    assert office.get(f"/activities/{activity.id}/files/999999").status_code == 404
    assert as_(world.liaison).get("/activities/new").status_code == 403


def test_the_office_records_and_corrects_an_activity(world, as_):
    office = as_(world.office)
    assert office.get("/activities/new").status_code == 200
    data = activity_form(world, files=(io.BytesIO(PDF), "讲座课件.pdf"))
    response = office.post("/activities/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, text(response)[:3000]
    activity = db.session.scalar(select(Activity))
    assert [f.name for f in activity.files] == ["讲座课件.pdf"]
    assert {a.name for a in activity.advisers} == {"顾问甲", "顾问乙"}
    url = f"/activities/{activity.id}/edit"
    assert office.get(url).status_code == 200
    changed = activity_form(world, attendance="60", version=str(activity.version))
    changed["adviser_ids"] = [str(world.advisers[2].id)]
    assert office.post(url, data=changed).status_code == 302
    activity = db.session.get(Activity, activity.id)
    assert activity.attendance == 60 and [a.name for a in activity.advisers] == ["顾问丙"]
    stale = office.post(url, data=activity_form(world, attendance="1", version="1"))
    assert stale.status_code == 400 and db.session.get(Activity, activity.id).attendance == 60


def test_an_activity_recorded_for_a_training_request_closes_it(world, states, as_):
    matter = states.training
    office = as_(world.office)
    page = text(office.get(f"/activities/new?matter={matter.id}"))
    assert matter.title in page
    data = activity_form(world, title=matter.title)
    response = office.post(f"/activities/new?matter={matter.id}", data=data)
    assert response.status_code == 302
    assert db.session.get(Matter, matter.id).status is MatterStatus.CLOSED
    page = text(office.get(response.location))
    assert f"/consultations/{matter.id}" in page
