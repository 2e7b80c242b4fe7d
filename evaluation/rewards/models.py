"""The year's reward fund and the nominations paid from it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisers.models import Adviser
from core.extensions import db
from core.models import Audited, EnumText, LabelledEnum, User, UTCDateTime, utcnow

#: yuan with cents
MONEY = Numeric(14, 2)


class RewardFund(Audited, db.Model):
    """The reward fund (奖励经费) the district sets aside for one year."""

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    #: where the money comes from: the budget line, the document
    note: Mapped[str] = mapped_column(Text, default="")
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return str(self.year)


class RewardStatus(LabelledEnum):
    NOMINATED = "nominated"
    APPROVED = "approved"
    PAID = "paid"
    WITHDRAWN = "withdrawn"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.NOMINATED: _l("Nominated"),
            cls.APPROVED: _l("Approved"),
            cls.PAID: _l("Paid"),
            cls.WITHDRAWN: _l("Withdrawn"),
        }

    @property
    def badge(self) -> str:
        return {
            RewardStatus.NOMINATED: "text-bg-warning",
            RewardStatus.APPROVED: "text-bg-info",
            RewardStatus.PAID: "text-bg-success",
            RewardStatus.WITHDRAWN: "text-bg-secondary",
        }[self]


class RewardNomination(Audited, db.Model):
    """An adviser nominated for a year's reward: why, the government's approval, the amount
    allocated from the fund, and its payment."""

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    adviser_id: Mapped[int] = mapped_column(ForeignKey("adviser.id"))
    justification: Mapped[str] = mapped_column(Text)
    status: Mapped[RewardStatus] = mapped_column(
        EnumText(RewardStatus, 12), default=RewardStatus.NOMINATED
    )
    nominated_on: Mapped[date]
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: the government's approval (报政府批准)
    approved_on: Mapped[date | None]
    approval_doc_no: Mapped[str | None] = mapped_column(String(60))
    #: allocated from the year's fund; never more than the fund leaves
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    paid_on: Mapped[date | None]
    #: the payment voucher or transfer reference
    payment_ref: Mapped[str | None] = mapped_column(String(60))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_reward_nomination_year", "year", "status"),)

    adviser: Mapped[Adviser] = relationship()
    nominated_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"{self.adviser.name} {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status is not RewardStatus.WITHDRAWN

    @property
    def counts_against_fund(self) -> bool:
        return self.is_open and self.amount is not None
