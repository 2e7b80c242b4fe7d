"""The register's list and a case's page run as many queries for 30 cases (or 30 stages,
members and deadlines) as for 3."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from cases import services
from cases.models import CaseMember, MemberSource, StageKind
from core.extensions import db
from core.i18n import today
from tests.cases.fixtures import FILED
from tests.cases.test_views import add_deadline
from tests.conftest import assert_constant_queries, count_queries


def _grow(world, register_case, n: int) -> None:
    for i in range(n):
        case = register_case(cause=f"案由{i}", amount=Decimal(100000 * (i + 1)))
        db.session.add(
            CaseMember(
                case=case,
                adviser=world.advisers[i % 3],
                category=world.advisers[i % 3].category,
                source=MemberSource.MANUAL,
            )
        )
        add_deadline(case, today() + timedelta(days=i + 1))


def test_the_list_runs_as_many_queries_for_30_cases_as_for_3(world, register_case, as_):
    users = [world.office, world.liaison, world.adviser_users[0], world.viewer]
    urls = ["/cases/", "/cases/?sort=-amount&min_wan=10", "/cases/?q=案由"]
    _grow(world, register_case, 3)
    small = {}
    for user in users:
        for url in urls:
            client = as_(user)
            with count_queries() as counted:
                assert client.get(url).status_code == 200, url
            small[user.username, url] = counted[0]
    _grow(world, register_case, 27)
    for user in users:
        for url in urls:
            client = as_(user)
            with count_queries() as counted:
                assert client.get(url).status_code == 200, url
            assert_constant_queries(small[user.username, url], counted[0], f"{user} {url}")
            assert small[user.username, url] <= 20, (url, small[user.username, url])


def test_a_case_page_runs_as_many_queries_for_a_long_history(world, register_case, as_):
    case = register_case()

    def grow(n: int) -> None:
        for i in range(n):
            services.add_stage(
                world.office,
                case,
                kind=StageKind.FIRST_INSTANCE,
                complaint_served_on=FILED + timedelta(days=i),
            )
            add_deadline(case, today() + timedelta(days=i))
        db.session.commit()

    def counted_pages() -> dict:
        found = {}
        for user in (world.office, world.liaison):
            client = as_(user)
            with count_queries() as counted:
                assert client.get(f"/cases/{case.id}").status_code == 200
            found[user.username] = counted[0]
        return found

    db.session.add(
        CaseMember(
            case=case,
            adviser=world.advisers[0],
            category=world.advisers[0].category,
            source=MemberSource.MANUAL,
        )
    )
    grow(3)
    small = counted_pages()
    for adviser in world.advisers[1:]:
        db.session.add(
            CaseMember(
                case=case, adviser=adviser, category=adviser.category, source=MemberSource.MANUAL
            )
        )
    grow(27)
    assert counted_pages() == small
    assert max(small.values()) <= 20, small
