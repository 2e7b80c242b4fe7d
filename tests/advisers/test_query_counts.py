"""Pages run a constant number of SQL queries however large the panel grows (no N+1)."""

from datetime import timedelta

import pytest

from advisers.models import (
    Adviser,
    Category,
    Gender,
    Nomination,
    NominationStatus,
    Post,
    Specialty,
    Term,
)
from core.extensions import db
from core.i18n import today
from tests.conftest import count_queries


def bulk_panel(first: int, size: int) -> None:
    """Insert serving advisers directly (fast), each with two specialties and a nomination."""
    specialties = list(db.session.scalars(db.select(Specialty)))
    if not specialties:
        specialties = [Specialty(name=f"领域{i}", name_en=f"Field {i}") for i in range(5)]
        db.session.add_all(specialties)
    start = today() - timedelta(days=10)
    for i in range(first, first + size):
        adviser = Adviser(
            name=f"顾问{i:04d}",
            gender=Gender.MALE,
            category=Category.CPPCC,
            organisation="单位",
            specialties=specialties[i % 4 : i % 4 + 2],
        )
        db.session.add(adviser)
        db.session.add(
            Term(
                adviser=adviser,
                post=Post.MEMBER,
                start_on=start,
                end_on=start + timedelta(days=1000),
                letter_no=f"L{i}",
            )
        )
        db.session.add(
            Nomination(
                adviser=adviser,
                post=Post.MEMBER,
                status=NominationStatus.APPOINTED,
                recommended_on=start,
            )
        )
    db.session.commit()


PAGES = ["/dashboard", "/roster", "/roster?sort=-name&post=member", "/advisers"]


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_the_panel(office_client, url):
    bulk_panel(0, 15)
    office_client.get(url)  # warm up anything cached per process
    with count_queries() as small:
        assert office_client.get(url).status_code == 200
    bulk_panel(15, 1485)
    with count_queries() as large:
        assert office_client.get(url).status_code == 200
    assert large[0] == small[0], f"{url}: {small[0]} queries with 15, {large[0]} with 1,500"
    assert small[0] <= 12


def test_the_export_loads_specialties_in_batches_not_per_adviser(office_client):
    """An export holds every row, so SQLAlchemy loads specialties 500 advisers at a time."""
    bulk_panel(0, 1500)
    with count_queries() as queries:
        response = office_client.get("/roster.csv")
    assert response.data.decode("utf-8-sig").count("\n") == 1501
    assert queries[0] <= 3 + 1500 // 500
