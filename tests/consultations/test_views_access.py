"""Row-level access to matters and opinions, page by page: the liaison sees their department's
matters, an adviser the matters they are put on, leaders read everything and change nothing,
the office runs everything; drafts stay with the advisers and the office, and the department
reads an opinion once it is delivered."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from consultations import services
from consultations.models import Matter, MatterKind
from core.extensions import db
from tests.consultations.view_fixtures import text


def listed(client) -> str:
    page = text(client.get("/consultations"))
    return page[page.index('data-testid="matters"') :]


def other_departments_matter(world) -> Matter:
    matter = services.request_matter(
        world.other_liaison,
        department=world.other_department,
        kind=MatterKind.OTHER,
        title="关于校车安全管理办法的咨询",
        requester="李老师",
        description="请提出意见。",
        received_on=date(2026, 11, 3),
    )
    db.session.commit()
    return matter


def test_a_liaison_sees_only_their_departments_matters(world, states, as_):
    other = other_departments_matter(world)
    liaison, other_liaison = as_(world.liaison), as_(world.other_liaison)
    page = listed(liaison)
    for matter in states.matters().values():
        assert matter.title in page
    assert other.title not in page
    page = listed(other_liaison)
    assert other.title in page and states.drafting.title not in page
    assert liaison.get(f"/consultations/{other.id}").status_code == 403
    assert other_liaison.get(f"/consultations/{states.requested.id}").status_code == 403
    attached = states.requested.files[0]
    download = f"/consultations/{states.requested.id}/files/{attached.file_id}"
    assert other_liaison.get(download).status_code == 403
    assert liaison.get(download).status_code == 200
    # nor do they act on it
    for url in (f"/consultations/{states.delivered.id}/adoption",
                f"/consultations/{states.accepted.id}/files"):  # fmt: skip
        assert other_liaison.get(url).status_code == 403
        assert other_liaison.post(url, data={}).status_code == 403


def test_an_adviser_sees_only_the_matters_they_are_put_on(world, states, as_):
    lead, third = as_(world.adviser_users[0]), as_(world.adviser_users[2])
    page = listed(lead)
    on_it = {states.pending, states.drafting, states.submitted, states.delivered, states.closed,
             states.correcting}  # fmt: skip
    for matter in states.matters().values():
        assert (matter.title in page) == (matter in on_it), matter.title
        expected = 200 if matter in on_it else 403
        assert lead.get(f"/consultations/{matter.id}").status_code == expected, matter.title
    assert "关于" not in listed(third)
    assert third.get(f"/consultations/{states.drafting.id}").status_code == 403
    opinion = states.delivered.current_opinion
    assert third.get(f"/consultations/opinions/{opinion.id}").status_code == 403


def test_a_withdrawn_adviser_no_longer_sees_the_matter_but_one_who_declined_does(
    world, states, as_
):
    co = next(a for a in states.drafting.assignments if not a.is_lead)
    services.withdraw_assignment(world.office, co, reason="工作调整")
    (pending,) = states.pending.assignments
    services.answer_assignment(world.adviser_users[0], pending, accept=False, reason="出差")
    db.session.commit()
    assert (
        as_(world.adviser_users[1]).get(f"/consultations/{states.drafting.id}").status_code == 403
    )
    lead = as_(world.adviser_users[0])
    assert lead.get(f"/consultations/{states.pending.id}").status_code == 200
    # but has nothing left to answer: the old link leads back to the matter
    url = f"/consultations/assignments/{pending.id}/answer"
    response = lead.get(url)
    assert response.status_code == 302
    assert response.location.endswith(f"/consultations/{states.pending.id}")
    assert lead.post(url, data={"answer": "accept"}).status_code == 302
    assert pending.status.value == "declined"


def test_only_the_lead_drafts_signs_and_corrects(world, states, as_):
    co = as_(world.adviser_users[1])
    drafting, delivered = states.drafting.id, states.delivered.id
    assert co.get(f"/consultations/{drafting}/draft").status_code == 403
    assert co.post(f"/consultations/{drafting}/draft", data={"facts": "x"}).status_code == 403
    assert co.post(f"/consultations/{drafting}/submit", data={"confirm": "y"}).status_code == 403
    assert co.get(f"/consultations/{delivered}/correct").status_code == 403
    # an adviser who has not accepted yet neither drafts nor logs work
    lead = as_(world.adviser_users[0])
    assert lead.get(f"/consultations/{states.pending.id}/draft").status_code == 403
    assert lead.get(f"/consultations/{states.pending.id}/work").status_code == 403


def test_a_leader_reads_everything_and_changes_nothing(world, states, as_, administrator):
    other = other_departments_matter(world)
    for user in (world.viewer, administrator):
        client = as_(user)
        page = listed(client)
        assert other.title in page
        for matter in states.matters().values():
            assert matter.title in page
            assert client.get(f"/consultations/{matter.id}").status_code == 200
        signed = states.submitted.current_opinion
        assert client.get(f"/consultations/opinions/{signed.id}").status_code == 200
        before = {m.id: m.status for m in db.session.scalars(select(Matter))}
        for url in (
            f"/consultations/{states.requested.id}/accept",
            f"/consultations/{states.requested.id}/return",
            f"/consultations/{states.accepted.id}/assign",
            f"/consultations/opinions/{signed.id}/forward",
            f"/consultations/{states.accepted.id}/edit",
            f"/consultations/{states.delivered.id}/adoption",
            f"/consultations/{states.drafting.id}/comment",
            "/consultations/new",
            "/activities/new",
        ):
            response = client.post(url, data={"reason": "x", "adoption": "adopted"})
            assert response.status_code == 403, f"{user.username} {url}"
        for url in (f"/consultations/{states.accepted.id}/assign",
                    f"/consultations/{states.requested.id}/return"):  # fmt: skip
            assert client.get(url).status_code == 403
        db.session.expire_all()
        assert {m.id: m.status for m in db.session.scalars(select(Matter))} == before


def test_drafts_are_hidden_from_the_department_and_the_leaders(world, states, as_, administrator):
    draft = states.drafting.current_opinion
    correction = states.correcting.current_opinion
    for user in (world.liaison, world.viewer, administrator):
        client = as_(user)
        for opinion in (draft, correction):
            assert client.get(f"/consultations/opinions/{opinion.id}").status_code == 403
            assert client.get(f"/consultations/opinions/{opinion.id}.pdf").status_code == 403
        page = text(client.get(f"/consultations/{states.drafting.id}"))
        section = page[page.index('data-testid="opinion-section"') :]
        section = section[: section.index("</section>")]
        assert "草稿事实" not in section and "第三条违约责任宜明确" not in section
        assert f"/consultations/opinions/{draft.id}" not in page
        assert f"/consultations/{states.drafting.id}/draft" not in page
        if user is not administrator:  # the administrator reads the whole audit trail
            assert "草稿事实" not in page and "第三条违约责任宜明确" not in page
    for user in [*world.adviser_users[:2], world.office]:
        page = text(as_(user).get(f"/consultations/{states.drafting.id}"))
        assert "草稿事实" in page and "第三条违约责任宜明确" in page


def test_the_department_reads_a_delivered_opinion_not_one_still_with_the_office(world, states, as_):
    liaison = as_(world.liaison)
    submitted = states.submitted.current_opinion
    assert liaison.get(f"/consultations/opinions/{submitted.id}").status_code == 403
    page = text(liaison.get(f"/consultations/{states.submitted.id}"))
    assert submitted.number not in page and "建议修改后签订" not in page
    assert 'data-testid="opinion-with-office"' in page
    delivered = states.delivered.current_opinion
    assert liaison.get(f"/consultations/opinions/{delivered.id}").status_code == 200
    page = text(liaison.get(f"/consultations/{states.delivered.id}"))
    assert delivered.number in page
    # while a correction is drafted, the delivered version stays readable
    signed = states.correcting.opinions[0]
    assert liaison.get(f"/consultations/opinions/{signed.id}").status_code == 200
    assert (
        as_(world.other_liaison).get(f"/consultations/opinions/{delivered.id}").status_code == 403
    )


def test_the_office_runs_every_page(world, states, as_):
    office = as_(world.office)
    urls = ["/consultations", "/consultations/new", "/activities", "/activities/new",
            f"/activities/{states.activity.id}/edit",
            f"/consultations/{states.requested.id}/return",
            f"/consultations/{states.accepted.id}/assign",
            f"/consultations/{states.accepted.id}/edit",
            f"/consultations/{states.accepted.id}/files",
            f"/consultations/{states.delivered.id}/adoption"]  # fmt: skip
    for matter in states.matters().values():
        urls.append(f"/consultations/{matter.id}")
        urls += [f"/consultations/opinions/{o.id}" for o in matter.opinions]
        if matter.status.value in ("accepted", "in_progress"):
            urls += [
                f"/consultations/assignments/{a.id}/withdraw" for a in matter.active_assignments
            ]
    for url in urls:
        assert office.get(url).status_code == 200, url
    # and the adviser's and the department's own pages are theirs alone
    assert office.get("/consultations/mine").status_code == 403
    assert office.get("/consultations/department").status_code == 403
