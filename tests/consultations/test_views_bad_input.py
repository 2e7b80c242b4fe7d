"""Every consultations form given garbage answers 4xx with the error beside the field it is
about, never a 500, and changes nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from core.i18n import today
from tests.consultations.view_fixtures import EXE, text
from tests.test_bad_input import snapshot

LONG_TITLE = "关" * 201


def beside(page: str, name: str) -> bool:
    """Whether the field named `name` shows an error in its own block of the form."""
    at = page.find(f'name="{name}"')
    assert at != -1, f"no field {name}"
    start = page.rfind('class="mb-3"', 0, at)
    if start == -1 or page.rfind("<fieldset", 0, at) > start:
        start = page.rfind("<fieldset", 0, at)
    end = page.find('class="mb-3"', at)
    block = page[start : end if end != -1 else len(page)]
    return "invalid-feedback" in block


def refused(client, url: str, data: dict, *fields: str, multipart: bool = False) -> str:
    """Post the garbage; expect 4xx, each field's error beside it, and no change at all."""
    before = snapshot()
    response = client.post(
        url, data=data, content_type="multipart/form-data" if multipart else None
    )
    page = text(response)
    assert 400 <= response.status_code < 500 and response.status_code != 403, (
        url,
        response.status_code,
    )
    for name in fields:
        assert beside(page, name), f"{url}: no error beside {name}"
    if not fields:
        assert "alert-danger" in page or "invalid-feedback" in page, url
    assert snapshot() == before, url
    return page


def request_form(world, **changes) -> dict:
    data = {
        "department_id": str(world.department.id),
        "kind": "contract",
        "title": "关于城市更新项目合作协议的审查",
        "requester": "王科长",
        "requester_phone": "",
        "description": "请审查。",
        "parties": "",
        "specialty_id": "0",
        "urgency": "normal",
        "received_on": today().isoformat(),
        "due_on": "",
        "no_secrets": "y",
    }
    data.update(changes)
    return data


def test_the_request_form_refuses_garbage(world, as_):
    liaison = as_(world.liaison)
    url = "/consultations/new"
    refused(liaison, url, {}, "title", "requester", "description", "received_on", "no_secrets")
    refused(liaison, url, request_form(world, title=LONG_TITLE), "title")
    refused(liaison, url, request_form(world, title="合同\x00审查"), "title")
    yesterday = (today() - timedelta(days=1)).isoformat()
    refused(liaison, url, request_form(world, due_on=yesterday), "due_on")
    tomorrow = (today() + timedelta(days=1)).isoformat()
    refused(liaison, url, request_form(world, received_on=tomorrow), "received_on")
    refused(liaison, url, request_form(world, received_on="2026-02-30"), "received_on")
    refused(liaison, url, request_form(world, kind="zzz", urgency="now"), "kind", "urgency")
    refused(liaison, url, request_form(world, specialty_id="abc"), "specialty_id")
    refused(liaison, url, request_form(world, no_secrets=""), "no_secrets")
    refused(
        liaison,
        url,
        request_form(world, files=(io.BytesIO(EXE), "合作协议.pdf")),
        "files",
        multipart=True,
    )


def test_the_matter_edit_form_refuses_garbage_and_a_stale_version(world, states, as_):
    matter = states.accepted
    office = as_(world.office)
    url = f"/consultations/{matter.id}/edit"
    good = {
        "kind": matter.kind.value,
        "title": matter.title,
        "requester": matter.requester,
        "description": matter.description,
        "parties": matter.parties,
        "specialty_id": "0",
        "urgency": "normal",
        "received_on": matter.received_on.isoformat(),
        "due_on": matter.due_on.isoformat(),
        "version": str(matter.version),
    }
    refused(office, url, {}, "title", "requester", "description", "received_on", "due_on")
    refused(office, url, {**good, "title": LONG_TITLE}, "title")
    before = (matter.received_on - timedelta(days=1)).isoformat()
    refused(office, url, {**good, "due_on": before}, "due_on")
    page = refused(office, url, {**good, "title": "新的标题", "version": str(matter.version - 1)})
    assert "alert-danger" in page
    refused(office, url, {**good, "title": "新的标题", "version": ""})
    # the same form with the current version saves
    assert office.post(url, data={**good, "title": "新的标题"}).status_code == 302


def test_the_assignment_and_answer_forms_refuse_garbage(world, states, as_):
    office = as_(world.office)
    url = f"/consultations/{states.accepted.id}/assign"
    # the choices are the rows of the suggestions' table: their errors head the table
    for data in ({}, {"lead_id": "abc"}, {"lead_id": "999999"},
                 {"lead_id": str(world.advisers[0].id), "co_ids": ["x"]}):  # fmt: skip
        page = refused(office, url, data)
        assert page.index("alert-danger") < page.index('data-testid="suggestions"')
    refused(
        office,
        url,
        {"lead_id": str(world.advisers[0].id), "override_reason": "长" * 2001},
        "override_reason",
    )
    (assignment,) = states.pending.assignments
    lead = as_(world.adviser_users[0])
    url = f"/consultations/assignments/{assignment.id}/answer"
    refused(lead, url, {}, "answer")
    refused(lead, url, {"answer": "maybe"}, "answer")
    refused(lead, url, {"answer": "decline", "reason": ""}, "reason")
    withdraw = f"/consultations/assignments/{assignment.id}/withdraw"
    refused(office, withdraw, {"reason": ""}, "reason")


def test_the_request_steps_refuse_garbage(world, states, as_):
    office = as_(world.office)
    refused(office, f"/consultations/{states.requested.id}/return", {"reason": ""}, "reason")
    refused(
        office, f"/consultations/{states.requested.id}/return", {"reason": "长" * 2001}, "reason"
    )
    # returning a request that was accepted already
    refused(office, f"/consultations/{states.accepted.id}/return", {"reason": "材料不全"})
    liaison = as_(world.liaison)
    files = f"/consultations/{states.accepted.id}/files"
    refused(liaison, files, {}, "files", multipart=True)
    refused(liaison, files, {"files": (io.BytesIO(EXE), "补充.docx")}, "files", multipart=True)
    refused(liaison, files, {"files": (io.BytesIO(b"x"), "run.bat")}, "files", multipart=True)
    # materials for a closed matter
    closed = f"/consultations/{states.closed.id}/files"
    refused(liaison, closed, {"files": (io.BytesIO(b"%PDF-1.4\n"), "补充.pdf")}, multipart=True)


@pytest.mark.parametrize("hours", ["0", "25", "abc", "-1", "1.1", ""])
def test_the_work_log_refuses_hours_that_are_not_a_days_work(world, states, as_, hours):
    lead = as_(world.adviser_users[0])
    url = f"/consultations/{states.drafting.id}/work"
    data = {"worked_on": today().isoformat(), "hours": hours, "note": "审查合同"}
    refused(lead, url, data, "hours")


def test_the_work_log_refuses_bad_days_and_notes(world, states, as_):
    lead = as_(world.adviser_users[0])
    url = f"/consultations/{states.drafting.id}/work"
    good = {"worked_on": today().isoformat(), "hours": "1", "note": "审查合同"}
    tomorrow = (today() + timedelta(days=1)).isoformat()
    refused(lead, url, {**good, "worked_on": tomorrow}, "worked_on")
    before = (states.drafting.received_on - timedelta(days=1)).isoformat()
    refused(lead, url, {**good, "worked_on": before}, "worked_on")
    refused(lead, url, {**good, "worked_on": "yesterday"}, "worked_on")
    refused(lead, url, {**good, "note": ""}, "note")
    refused(lead, url, {**good, "note": "长" * 301}, "note")


def test_the_opinion_forms_refuse_garbage(world, states, as_):
    lead, co = as_(world.adviser_users[0]), as_(world.adviser_users[1])
    matter = states.drafting
    version = str(matter.current_opinion.version)
    draft = f"/consultations/{matter.id}/draft"
    refused(lead, draft, {"analysis": "长" * 40001, "version": version}, "analysis")
    refused(lead, draft, {"facts": "事实\x07", "version": version}, "facts")
    refused(lead, draft, {"facts": "事实", "version": "abc"})
    comment = f"/consultations/{matter.id}/comment"
    refused(co, comment, {"body": ""}, "body")
    refused(co, comment, {"body": "长" * 5001}, "body")
    submit = f"/consultations/{matter.id}/submit"
    refused(lead, submit, {"version": version}, "confirm")
    # the draft lacks its analysis and conclusion: shown beside them
    refused(lead, submit, {"version": version, "confirm": "y"}, "analysis")
    refused(lead, submit, {"version": "0", "confirm": "y"})
    correct = f"/consultations/{states.delivered.id}/correct"
    refused(lead, correct, {"reason": ""}, "reason")
    # a correction of a matter whose correction is drafted already
    refused(lead, f"/consultations/{states.correcting.id}/correct", {"reason": "再改"})


def test_adoption_is_refused_for_an_opinion_not_delivered_and_without_a_reason(world, states, as_):
    liaison = as_(world.liaison)
    for matter in (states.submitted, states.drafting, states.closed):
        page = refused(liaison, f"/consultations/{matter.id}/adoption", {"adoption": "adopted"})
        assert "alert-danger" in page
    url = f"/consultations/{states.delivered.id}/adoption"
    refused(liaison, url, {}, "adoption")
    refused(liaison, url, {"adoption": "maybe"}, "adoption")
    refused(liaison, url, {"adoption": "not_adopted", "reason": ""}, "reason")
    refused(liaison, url, {"adoption": "adopted", "final_decision": "长" * 5001}, "final_decision")


def activity_form(world, **changes) -> dict:
    data = {
        "kind": "training",
        "title": "民法典专题讲座",
        "held_on": (today() - timedelta(days=2)).isoformat(),
        "place": "区政府第一会议室",
        "audience": "各部门法制员",
        "attendance": "45",
        "department_id": "0",
        "adviser_ids": [str(world.advisers[0].id)],
    }
    data.update(changes)
    return data


def test_the_activity_forms_refuse_garbage(world, states, as_):
    office = as_(world.office)
    for url in ("/activities/new", f"/activities/{states.activity.id}/edit"):
        version = {"version": str(states.activity.version)} if "edit" in url else {}
        refused(office, url, {}, "title", "held_on", "place", "audience", "attendance")
        for attendance in ("abc", "-1", "1000001", ""):
            refused(
                office, url, activity_form(world, attendance=attendance, **version), "attendance"
            )
        tomorrow = (today() + timedelta(days=1)).isoformat()
        refused(office, url, activity_form(world, held_on=tomorrow, **version), "held_on")
        refused(office, url, activity_form(world, adviser_ids=[], **version), "adviser_ids")
        refused(office, url, activity_form(world, adviser_ids=["999999"], **version), "adviser_ids")
        refused(office, url, activity_form(world, kind="lecture", **version), "kind")
        refused(office, url, activity_form(world, title=LONG_TITLE, **version), "title")
        refused(
            office,
            url,
            activity_form(world, files=(io.BytesIO(EXE), "课件.pdf"), **version),
            "files",
            multipart=True,
        )
    stale = activity_form(world, version=str(states.activity.version + 5))
    refused(office, f"/activities/{states.activity.id}/edit", stale)
    # an activity for a request that is not for training or publicity
    refused(office, f"/activities/new?matter={states.accepted.id}", activity_form(world))
