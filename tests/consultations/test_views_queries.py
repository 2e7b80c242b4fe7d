"""The consultations pages run as many SQL queries for a busy office as for a quiet one: the list,
a matter's page, the adviser's own page and the department's page, with 3 matters and with 30,
and a matter's page with a short history and a long one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from consultations import services
from core.extensions import db
from core.i18n import today
from tests.conftest import assert_constant_queries, count_queries
from tests.consultations.view_fixtures import assign_and_accept, upload, write_and_submit


def grow(world, request_matter, first: int, last: int) -> None:
    """Matters numbered first..last-1, in turn requested, awaiting the advisers' answer, being
    drafted with a comment, and delivered awaiting the department's adoption record."""
    for n in range(first, last):
        matter = request_matter(
            title=f"关于第{n}号施工合同的审查", uploads=[upload(f"合同{n}.pdf")]
        )
        step = n % 4
        if step == 1:
            services.accept_matter(world.office, matter)
            services.assign(
                world.office,
                matter,
                lead_id=world.advisers[0].id,
                co_ids=[world.advisers[1].id],
            )
        elif step == 2:
            assign_and_accept(world, matter)
            services.save_draft(world.adviser_users[0], matter, facts=f"事实{n}")
            services.comment_on(world.adviser_users[1], matter, body=f"意见{n}")
        elif step == 3:
            assign_and_accept(world, matter)
            services.forward_opinion(world.office, write_and_submit(world, matter))
        db.session.commit()


def pages(world) -> list[tuple[object, str]]:
    return [
        (world.office, "/consultations"),
        (world.office, "/consultations?q=施工合同&status=open&sort=-due"),
        (world.office, "/consultations?status=delivered&sort=department"),
        (world.viewer, "/consultations"),
        (world.liaison, "/consultations"),
        (world.liaison, "/consultations/department"),
        (world.adviser_users[0], "/consultations"),
        (world.adviser_users[0], "/consultations/mine"),
        (world.adviser_users[1], "/consultations/mine"),
    ]


def test_the_lists_and_the_days_pages_run_as_many_queries_for_30_matters_as_for_3(
    world, request_matter, as_
):
    grow(world, request_matter, 0, 3)
    small = {}
    for user, url in pages(world):
        client = as_(user)
        client.get(url)  # warm up anything cached per process
        with count_queries() as counted:
            assert client.get(url).status_code == 200, url
        small[user.username, url] = counted[0]
    grow(world, request_matter, 3, 30)
    for user, url in pages(world):
        client = as_(user)
        client.get(url)  # a session last seen a minute ago is noted as in use: not counted
        with count_queries() as counted:
            assert client.get(url).status_code == 200, url
        assert_constant_queries(small[user.username, url], counted[0], f"{user.username} {url}")
        assert small[user.username, url] <= 20, f"{url}: {small[user.username, url]} queries"


@pytest.mark.parametrize("who", ["office", "lead", "co", "liaison", "leader"])
def test_a_matters_page_runs_as_many_queries_for_a_long_history_as_for_a_short_one(
    world, request_matter, as_, who
):
    grow(world, request_matter, 0, 3)
    matter = assign_and_accept(world, request_matter(uploads=[upload()]))
    lead, co = world.adviser_users[:2]
    services.save_draft(lead, matter, facts="事实", analysis="分析", conclusion="结论")
    services.comment_on(co, matter, body="意见")
    services.log_work(lead, matter, worked_on=today(), hours=Decimal(1), note="审查")
    db.session.commit()
    user = {"office": world.office, "lead": lead, "co": co, "liaison": world.liaison,
            "leader": world.viewer}[who]  # fmt: skip
    client = as_(user)
    url = f"/consultations/{matter.id}"
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    grow(world, request_matter, 3, 30)
    for n in range(10):
        services.comment_on(co if n % 2 else lead, matter, body=f"第{n}条意见")
        services.log_work(co, matter, worked_on=today(), hours=Decimal("0.5"), note=f"审查{n}")
    services.add_files(world.liaison, matter, [upload(f"补充材料{n}.pdf") for n in range(5)])
    services.assign(world.office, matter, lead_id=None, co_ids=[world.advisers[2].id])
    services.save_draft(lead, matter, facts="事实（修改）")
    db.session.commit()
    client.get(url)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large[0] == small[0], f"{who} {url}: {small[0]} queries, then {large[0]}"
    assert small[0] <= 25, f"{who} {url}: {small[0]} queries"


def test_the_draft_and_opinion_pages_do_not_grow_with_the_comments(world, request_matter, as_):
    matter = assign_and_accept(world, request_matter())
    lead, co = world.adviser_users[:2]
    services.save_draft(lead, matter, facts="事实", analysis="分析", conclusion="结论")
    services.comment_on(co, matter, body="意见")
    db.session.commit()
    client = as_(lead)
    opinion = matter.current_opinion
    urls = [f"/consultations/{matter.id}/draft", f"/consultations/opinions/{opinion.id}"]
    small = {}
    for url in urls:
        client.get(url)
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        small[url] = counted[0]
    for n in range(10):
        services.comment_on(co, matter, body=f"第{n}条意见")
    db.session.commit()
    for url in urls:
        client.get(url)
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        assert counted[0] == small[url], f"{url}: {small[url]} then {counted[0]}"
