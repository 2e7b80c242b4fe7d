"""Reads for rewards: the year's fund and where it stands, the nominations, an adviser's own
rewards and the decision list."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from core.extensions import db
from evaluation.rewards.models import RewardFund, RewardNomination, RewardStatus

#: a reward the government approved, paid or not
GRANTED = RewardNomination.status.in_([RewardStatus.APPROVED, RewardStatus.PAID])


@dataclass(frozen=True)
class FundStanding:
    """The year's fund, what the open nominations hold of it, what is paid, what is left."""

    year: int
    fund: RewardFund | None
    allocated: Decimal
    paid: Decimal
    nominations: int

    @property
    def amount(self) -> Decimal | None:
        return self.fund.amount if self.fund else None

    @property
    def remaining(self) -> Decimal | None:
        return None if self.fund is None else self.fund.amount - self.allocated


def fund_standing(year: int) -> FundStanding:
    """Two queries."""
    fund = db.session.scalar(select(RewardFund).where(RewardFund.year == year))
    is_open = RewardNomination.status != RewardStatus.WITHDRAWN
    paid = RewardNomination.status == RewardStatus.PAID
    allocated, paid_total, count = db.session.execute(
        select(
            func.coalesce(func.sum(case((is_open, RewardNomination.amount))), 0),
            func.coalesce(func.sum(case((paid, RewardNomination.amount))), 0),
            func.count(case((is_open, RewardNomination.id))),
        ).where(RewardNomination.year == year)
    ).one()
    cents = Decimal("0.01")
    return FundStanding(
        year, fund, Decimal(allocated).quantize(cents), Decimal(paid_total).quantize(cents), count
    )


def nominations_statement(year: int, status: str | None = None):
    stmt = (
        select(RewardNomination)
        .where(RewardNomination.year == year)
        .options(joinedload(RewardNomination.adviser))
        .order_by(RewardNomination.id)
    )
    if status:
        stmt = stmt.where(RewardNomination.status == RewardStatus(status))
    return stmt


def decision_list(year: int) -> list[RewardNomination]:
    """The rewards the government approved for the year (paid or not), by amount."""
    return list(
        db.session.scalars(
            select(RewardNomination)
            .where(RewardNomination.year == year, GRANTED)
            .options(joinedload(RewardNomination.adviser))
            .order_by(RewardNomination.amount.desc(), RewardNomination.id)
        )
    )


def rewards_of(adviser_id: int) -> list[RewardNomination]:
    """An adviser's approved and paid rewards, the latest year first."""
    return list(
        db.session.scalars(
            select(RewardNomination)
            .where(RewardNomination.adviser_id == adviser_id, GRANTED)
            .order_by(RewardNomination.year.desc())
        )
    )


def open_nominations(year: int) -> list[RewardNomination]:
    """The year's nominations not withdrawn, by adviser, for the reports."""
    return list(
        db.session.scalars(
            nominations_statement(year).where(RewardNomination.status != RewardStatus.WITHDRAWN)
        )
    )
