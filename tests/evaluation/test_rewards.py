"""Rewards: the year's fund, nominations from the evidence, the government's approval, amounts
allocated within the fund (also by two clerks at once), payments, the printed decision list and
the adviser's own rewards."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from core import pdf
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import User
from evaluation.rewards import queries, services
from evaluation.rewards.models import RewardFund, RewardNomination, RewardStatus
from tests.consultations.view_fixtures import text

#: the advisers of `world` serve from 2025-01-01
YEAR = 2025
DOC = "江府〔2026〕9号"


@pytest.fixture(autouse=True)
def english(app_ctx):
    with force_locale("en"):
        yield


@pytest.fixture
def fund(world):
    made = services.set_fund(world.office, year=YEAR, amount="10000")
    db.session.commit()
    return made


def nominate(world, index=0) -> RewardNomination:
    made = services.nominate(
        world.office, world.advisers[index], year=YEAR, justification="全年出席会议，意见质量高。"
    )
    db.session.commit()
    return made


# --- the fund -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "field_message"),
    [("abc", "as a number"), ("-1", "as a number"), ("0", "above zero"),
     ("1.005", "two decimals"), ("", "Enter the amount")],
)  # fmt: skip
def test_a_fund_that_is_not_an_amount_is_refused(world, typed, field_message):
    with pytest.raises(DomainError) as refused:
        services.set_fund(world.office, year=YEAR, amount=typed)
    assert refused.value.problems[0].field == "amount"
    assert field_message in refused.value.message
    assert db.session.scalar(select(func.count(RewardFund.id))) == 0


def test_the_fund_is_kept_in_fen_and_full_width_digits_are_read(world):
    fund = services.set_fund(world.office, year=YEAR, amount="１２,３４５.６")
    assert fund.amount == Decimal("12345.60")


def test_the_fund_cannot_fall_below_what_is_allocated(world, fund):
    services.allocate(world.office, nominate(world), amount="6000")
    services.set_fund(world.office, year=YEAR, amount="6000.00")
    with pytest.raises(DomainError, match=r"6,000\.00 is allocated already"):
        services.set_fund(world.office, year=YEAR, amount="5999.99")
    assert fund.amount == Decimal("6000.00")


# --- nominations and allocation -------------------------------------------------------------


def test_allocating_exactly_what_is_left_is_allowed_and_a_fen_more_is_not(world, fund):
    services.allocate(world.office, nominate(world, 0), amount="6000")
    second = nominate(world, 1)
    with pytest.raises(DomainError) as refused:
        services.allocate(world.office, second, amount="4000.01")
    assert "leaves ¥4,000.00" in refused.value.message
    services.allocate(world.office, second, amount="4000.00")
    standing = queries.fund_standing(YEAR)
    assert (standing.allocated, standing.remaining) == (Decimal("10000.00"), Decimal("0.00"))


def test_changing_an_allocation_counts_only_the_others(world, fund):
    first = nominate(world, 0)
    services.allocate(world.office, first, amount="10000")
    services.allocate(world.office, first, amount="9000")
    assert queries.fund_standing(YEAR).remaining == Decimal("1000.00")


def test_no_allocation_without_a_fund(world):
    with pytest.raises(DomainError, match="Set the fund for 2025 first"):
        services.allocate(world.office, nominate(world), amount="100")


def test_a_withdrawn_nomination_gives_its_amount_back(world, fund):
    first = nominate(world, 0)
    services.allocate(world.office, first, amount="10000")
    services.withdraw(world.office, first, reason="本人谦让，另行推荐")
    assert queries.fund_standing(YEAR).remaining == Decimal("10000.00")
    again = nominate(world, 0)
    assert again.id != first.id, "once withdrawn, the adviser may be nominated again"


def test_only_one_who_served_and_once_a_year(world, fund):
    nominate(world, 0)
    with pytest.raises(DomainError, match="nominated for 2025 already"):
        nominate(world, 0)
    with pytest.raises(DomainError, match="did not serve in 2024"):
        services.nominate(world.office, world.advisers[1], year=2024, justification="x" * 20)
    with pytest.raises(DomainError) as short:
        services.nominate(world.office, world.advisers[1], year=YEAR, justification="优秀")
    assert short.value.problems[0].field == "justification"


def test_the_draft_justification_reads_the_evidence(world, states):
    evidence = services.served_in(today().year)[world.advisers[0].id]
    draft = services.draft_justification(evidence)
    assert draft.startswith(f"In {today().year} attended") and "accepted 5 of 6" in draft


# --- approval and payment ---------------------------------------------------------------------


def test_approval_not_before_the_nomination_nor_in_the_future(world, fund):
    nomination = nominate(world)
    with pytest.raises(DomainError) as early:
        services.approve(
            world.office,
            nomination,
            approved_on=today() - timedelta(days=1),
            doc_no="江府〔2026〕9号",
        )
    assert early.value.problems[0].field == "approved_on"
    with pytest.raises(DomainError, match="future"):
        services.approve(
            world.office,
            nomination,
            approved_on=today() + timedelta(days=1),
            doc_no="江府〔2026〕9号",
        )
    services.approve(world.office, nomination, approved_on=today(), doc_no="江府〔2026〕9号")
    assert nomination.status is RewardStatus.APPROVED


def test_a_payment_needs_the_approval_and_the_amount(world, fund):
    nomination = nominate(world)
    with pytest.raises(DomainError, match="cannot be changed so"):
        services.pay(world.office, nomination, paid_on=today(), reference="凭证001")
    services.approve(world.office, nomination, approved_on=today(), doc_no="江府〔2026〕9号")
    with pytest.raises(DomainError, match="Allocate the amount"):
        services.pay(world.office, nomination, paid_on=today(), reference="凭证001")
    services.allocate(world.office, nomination, amount="3000")
    services.pay(world.office, nomination, paid_on=today(), reference="凭证001")
    assert nomination.status is RewardStatus.PAID
    assert queries.fund_standing(YEAR).paid == Decimal("3000.00")
    with pytest.raises(DomainError):
        services.withdraw(world.office, nomination, reason="已支付不能撤回")


# --- two clerks at once -----------------------------------------------------------------------


def test_two_clerks_allocating_at_once_never_overspend_the_fund(app, world, fund):
    """Each amount fits on its own; together they exceed the fund: exactly one wins."""
    ids = [nominate(world, 0).id, nominate(world, 1).id]
    office_id = world.office.id
    db.session.commit()
    db.session.close()
    start = threading.Barrier(2)
    outcomes = []

    def clerk(nomination_id):
        with app.app_context():
            actor = db.session.get(User, office_id)
            nomination = db.session.get(RewardNomination, nomination_id)
            actor.roles  # noqa: B018  (loaded before the race)
            start.wait()
            try:
                services.allocate(actor, nomination, amount="6000")
                db.session.commit()
                outcomes.append("allocated")
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=clerk, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["allocated", "refused"]
    assert queries.fund_standing(YEAR).allocated == Decimal("6000.00")


# --- the pages ------------------------------------------------------------------------------


def test_the_office_runs_a_reward_through_the_pages(world, states, as_):
    office = as_(world.office)
    year = today().year
    refused = office.post(f"/rewards/{year}/fund", data={"amount": "abc"})
    assert refused.status_code == 400 and "invalid-feedback" in text(refused)
    assert office.post(f"/rewards/{year}/fund", data={"amount": "20000"}).status_code == 302
    adviser = world.advisers[0]
    draft = text(office.get(f"/rewards/{year}/nominate?adviser_id={adviser.id}"))
    assert "accepted 5 of 6" in draft or "5" in draft
    made = office.post(
        f"/rewards/{year}/nominate",
        data={"adviser_id": adviser.id, "justification": "全年牵头出具意见五件，质量优秀。"},
    )
    assert made.status_code == 302
    url = made.headers["Location"]
    over = office.post(f"{url}/allocate", data={"amount": "20000.01"})
    assert over.status_code == 400 and "invalid-feedback" in text(over)
    assert office.post(f"{url}/allocate", data={"amount": "5000"}).status_code == 302
    approved = office.post(
        f"{url}/approve", data={"approved_on": today().isoformat(), "doc_no": "江府〔2026〕12号"}
    )
    assert approved.status_code == 302
    paid = office.post(
        f"{url}/pay", data={"paid_on": today().isoformat(), "reference": "财政凭证2026-088"}
    )
    assert paid.status_code == 302
    listing = text(office.get(f"/rewards?year={year}"))
    assert 'data-testid="fund-remaining"' in listing and "15,000.00" in listing
    document = text(office.get(f"/rewards/{year}/list"))
    assert "表彰奖励名单" in document and "江府〔2026〕12号" in document and "5,000.00" in document


def test_the_decision_list_prints_as_a_pdf(world, fund, as_):
    nomination = nominate(world)
    services.approve(world.office, nomination, approved_on=today(), doc_no="江府〔2026〕9号")
    services.allocate(world.office, nomination, amount="3000")
    db.session.commit()
    office = as_(world.office)
    assert office.get("/rewards/2024/list.pdf").status_code == 404
    if not pdf.pdf_available():
        pytest.skip("no Chinese font or PDF library here")
    response = office.get(f"/rewards/{YEAR}/list.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_the_adviser_sees_their_own_rewards_only(world, fund, as_):
    mine = nominate(world, 0)
    services.approve(world.office, mine, approved_on=today(), doc_no="江府〔2026〕9号")
    services.allocate(world.office, mine, amount="3000")
    other = nominate(world, 1)
    services.approve(world.office, other, approved_on=today(), doc_no="江府〔2026〕9号")
    db.session.commit()
    me = as_(world.adviser_users[0])
    own = text(me.get(f"/advisers/{world.advisers[0].id}"))
    assert 'data-testid="adviser-rewards"' in own and "3,000.00" in own
    assert me.get(f"/advisers/{world.advisers[1].id}").status_code == 403
    assert me.get("/rewards").status_code == 403
    assert me.get(f"/rewards/nominations/{other.id}").status_code == 403


def test_leaders_read_rewards_and_may_not_change_them(world, fund, as_):
    leader = as_(world.viewer)
    assert leader.get(f"/rewards?year={YEAR}").status_code == 200
    assert leader.post(f"/rewards/{YEAR}/fund", data={"amount": "1"}).status_code == 403


def test_the_rewards_page_reads_a_constant_number_of_queries(world, fund, as_):
    from tests.conftest import assert_constant_queries, count_queries

    office = as_(world.office)
    nominate(world, 0)
    office.get(f"/rewards?year={YEAR}")
    with count_queries() as small:
        assert office.get(f"/rewards?year={YEAR}").status_code == 200
    nominate(world, 1)
    nominate(world, 2)
    with count_queries() as large:
        assert office.get(f"/rewards?year={YEAR}").status_code == 200
    assert_constant_queries(small[0], large[0], "/rewards")
