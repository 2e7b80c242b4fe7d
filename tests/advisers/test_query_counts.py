"""Pages run a constant number of SQL queries however large the panel grows (no N+1)."""

import pytest

from demo.synthetic import bulk_panel
from tests.conftest import assert_constant_queries, count_queries

PAGES = ["/dashboard", "/roster", "/roster?sort=-name&post=member", "/advisers"]


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_the_panel(office_client, url):
    bulk_panel(15)
    office_client.get(url)  # warm up anything cached per process
    with count_queries() as small:
        assert office_client.get(url).status_code == 200
    bulk_panel(1485, first=15)
    with count_queries() as large:
        assert office_client.get(url).status_code == 200
    assert_constant_queries(small[0], large[0], url)
    assert small[0] <= 16  # the lawsuits card reads four short lists; the to-do list counts
    # reviews to answer and units without a legal-affairs person


def test_the_export_loads_specialties_in_batches_not_per_adviser(office_client):
    """An export holds every row, so SQLAlchemy loads specialties 500 advisers at a time."""
    bulk_panel(1500)
    with count_queries() as queries:
        response = office_client.get("/roster.csv")
    assert response.data.decode("utf-8-sig").count("\n") == 1501
    assert queries[0] <= 3 + 1500 // 500
