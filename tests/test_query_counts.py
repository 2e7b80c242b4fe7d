"""Every list and dashboard page runs the same number of SQL queries however much data there is.

Each page is counted on a small office, then again after the data grows many times over (more
advisers, years of meetings, candidates, users and audit events). Pages must count and
aggregate in SQL and load related rows in batches, never one query per row.
"""

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.i18n import today
from core.models import Role
from demo.synthetic import bulk_meetings, bulk_panel
from evaluation.models import DismissalCandidate
from evaluation.services import evaluate_advisers
from tests.conftest import assert_constant_queries, count_queries

OFFICE_PAGES = [
    "/dashboard",
    "/roster",
    "/advisers",
    "/meetings",
    "/meetings?status=held&sort=-title",
    "/reports/attendance",
    "/reports/attendance?sort=-rate&quarter=4",
    "/dismissals",
    "/dismissals?status=",
    "/dismissals/rule",
    "/evaluations",
    "/evaluations/scheme",
    "/departments",
    "/audit",
    "/notifications",
    "/specialties",
]
ADMIN_PAGES = ["/admin/users", "/admin/mail", "/admin/settings"]


def grow(first: int, size: int, years: int, per_year: int, make_user) -> None:
    bulk_panel(size, first=first, serving_days=365 * (years + 1))
    bulk_meetings(years, per_year)
    evaluate_advisers(None, today())
    for n in range(size // 5):
        make_user(Role.VIEWER, username=f"viewer-{first}-{n}")
    db.session.commit()


@pytest.mark.parametrize(("role", "url"), [(Role.OFFICE, u) for u in OFFICE_PAGES]
                         + [(Role.ADMIN, u) for u in ADMIN_PAGES])  # fmt: skip
def test_a_page_runs_as_many_queries_for_a_big_office_as_for_a_small_one(
    client, login, make_user, role, url
):
    login(make_user(role, username="reader"))
    grow(0, 5, 1, 10, make_user)
    # the small office has rows on every list, dismissal cases included, or loads go unseen
    assert db.session.scalar(select(func.count(DismissalCandidate.id))) > 0
    client.get(url)  # warm up anything cached per process
    with count_queries() as small:
        assert client.get(url).status_code == 200
    grow(5, 70, 3, 10, make_user)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert_constant_queries(small[0], large[0], url)
    # the dashboard's to-do list also counts reviews to answer and units without legal staff
    assert small[0] <= (16 if url == "/dashboard" else 15), f"{url}: {small[0]} queries"


def test_an_advisers_own_pages_do_not_grow_with_their_history(client, login, make_user):
    account = make_user(Role.ADVISER, username="own")
    bulk_panel(3, serving_days=800)
    from sqlalchemy import select

    from advisers.models import Adviser

    adviser = db.session.scalar(select(Adviser).order_by(Adviser.id))
    adviser.user_id = account.id
    db.session.commit()
    bulk_meetings(1, 4)
    login(account)
    for url in ("/me/meetings", f"/advisers/{adviser.id}"):
        client.get(url)
        with count_queries() as small:
            assert client.get(url).status_code == 200
        bulk_meetings(2, 10)
        with count_queries() as large:
            assert client.get(url).status_code == 200
        assert large[0] == small[0], f"{url}: {small[0]} then {large[0]}"
