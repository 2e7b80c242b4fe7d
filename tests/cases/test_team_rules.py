"""Who sits on a lawyer team (issue 9, point 2), as a pure rule: the threshold includes
¥500,000.00, one practising and one public-sector lawyer at least, then the best of the rest;
conflicts exclude; a category nobody free holds is reported, never skipped."""

from decimal import Decimal

import pytest

from cases.rules import (
    DEFAULT_THRESHOLD,
    PRACTISING_LAWYER,
    PUBLIC_LAWYER,
    Candidate,
    choose_team,
    crosses_threshold,
    needs_team,
)

SCHOLAR = "scholar"


def adviser(n, category, fits=True, work=0, rested=None, conflicts=()):
    return Candidate(n, f"顾问{n:02d}", category, fits, work, rested, tuple(conflicts))


@pytest.mark.parametrize(
    ("amount", "team"),
    [("499999.99", False), ("500000.00", True), ("500000.01", True), (None, False)],
)
def test_the_threshold_includes_500000_itself(amount, team):
    assert needs_team(None if amount is None else Decimal(amount)) is team


def test_an_edit_crosses_the_threshold_only_upwards():
    low, high = Decimal("499999.99"), Decimal("500000.00")
    assert crosses_threshold(low, high, DEFAULT_THRESHOLD)
    assert crosses_threshold(None, high, DEFAULT_THRESHOLD)
    assert not crosses_threshold(high, low, DEFAULT_THRESHOLD)
    assert not crosses_threshold(high, Decimal("600000"), DEFAULT_THRESHOLD)


def test_a_team_holds_a_practising_and_a_public_sector_lawyer_then_the_best_of_the_rest():
    panel = [
        adviser(1, SCHOLAR, work=0),
        adviser(2, PRACTISING_LAWYER, work=3),
        adviser(3, PUBLIC_LAWYER, work=2),
        adviser(4, SCHOLAR, work=1),
        adviser(5, PRACTISING_LAWYER, work=1),
    ]
    choice = choose_team(panel, size=3)
    assert choice.complete
    assert sorted(c.adviser_id for c in choice.members) == [1, 3, 5]
    assert choice.lead.adviser_id == 1  # the best-placed member: lightest workload


def test_the_field_weighs_before_the_workload_and_rotation_after_it():
    panel = [
        adviser(1, PUBLIC_LAWYER, fits=False, work=0),
        adviser(2, PUBLIC_LAWYER, fits=True, work=4),
        adviser(3, PRACTISING_LAWYER, work=1, rested=10),
        adviser(4, PRACTISING_LAWYER, work=1, rested=200),
        adviser(5, PRACTISING_LAWYER, work=1, rested=None),
    ]
    ids = [c.adviser_id for c in choose_team(panel, size=2).members]
    assert sorted(ids) == [2, 5]  # fits the field; never on a team before


def test_a_conflict_keeps_an_adviser_off_even_when_spacing_differs():
    """The candidate's conflicts are found on normalised names before the rule sees them."""
    panel = [
        adviser(1, PUBLIC_LAWYER, conflicts=["江城建设集团"]),
        adviser(2, PUBLIC_LAWYER, work=5),
        adviser(3, PRACTISING_LAWYER),
    ]
    choice = choose_team(panel, size=3)
    assert [c.adviser_id for c in choice.members if c.category == PUBLIC_LAWYER] == [2]
    assert 1 not in [c.adviser_id for c in choice.members]


def test_no_public_sector_lawyer_free_leaves_the_team_incomplete_and_says_so():
    panel = [
        adviser(1, PUBLIC_LAWYER, conflicts=["甲公司"]),
        adviser(2, PRACTISING_LAWYER),
        adviser(3, SCHOLAR),
        adviser(4, SCHOLAR),
    ]
    choice = choose_team(panel, size=3)
    assert not choice.complete
    assert choice.missing == [PUBLIC_LAWYER]
    assert len(choice.members) == 3  # the seats are still filled, and the gap is reported


def test_an_empty_panel_misses_both_categories():
    choice = choose_team([], size=3)
    assert choice.missing == [PRACTISING_LAWYER, PUBLIC_LAWYER]
    assert choice.members == [] and choice.lead is None


def test_members_already_on_the_team_stay_and_count_for_their_category():
    panel = [
        adviser(1, PUBLIC_LAWYER, work=9),
        adviser(2, PUBLIC_LAWYER, work=0),
        adviser(3, PRACTISING_LAWYER),
        adviser(4, SCHOLAR),
    ]
    choice = choose_team(panel, size=3, keep=[1])
    # 1 stays and holds the public-sector seat; 3 takes the practising one; 2 (lighter than
    # 1, and before 4 by name) the third
    assert sorted(c.adviser_id for c in choice.members) == [1, 2, 3]
