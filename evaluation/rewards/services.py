"""Setting the fund, nominating, approving, allocating within the fund, paying, withdrawing.

The fund is never overspent, even when two clerks allocate at the same moment: an allocation
first takes a write lock on the year's fund row (on PostgreSQL the row's lock, on SQLite the
database's), then sums what the other nominations hold, inside the same transaction.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from advisers.models import Adviser
from cases.particulars import YUAN, Refused, to_yuan
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import User
from core.policy import service
from evaluation.annual import evidence_for
from evaluation.evidence import YearEvidence
from evaluation.policy import REWARD
from evaluation.rewards.models import RewardFund, RewardNomination, RewardStatus

AMOUNT_REFUSALS = {
    "not_a_number": lambda: _("Enter the amount in yuan as a number, such as 5000 or 2500.50."),
    "not_positive": lambda: _("The amount must be above zero."),
    "too_many_decimals": lambda: _("Enter at most two decimals (fen)."),
    "too_large": lambda: _("The amount is too large; check the figure."),
}


def read_amount(text: str | Decimal | None, field: str = "amount") -> Decimal:
    """An amount in yuan with at most two decimals, above zero."""
    try:
        amount = to_yuan(str(text) if text is not None else None, YUAN)
    except Refused as refused:
        raise DomainError(AMOUNT_REFUSALS[refused.code](), field=field) from None
    if amount is None:
        raise DomainError(_("Enter the amount in yuan."), field=field)
    return amount


def fund_of(year: int) -> RewardFund | None:
    return db.session.scalar(select(RewardFund).where(RewardFund.year == year))


def allocated_in(year: int, *, except_id: int | None = None) -> Decimal:
    """What the year's open nominations hold of the fund."""
    stmt = select(func.coalesce(func.sum(RewardNomination.amount), 0)).where(
        RewardNomination.year == year, RewardNomination.status != RewardStatus.WITHDRAWN
    )
    if except_id is not None:
        stmt = stmt.where(RewardNomination.id != except_id)
    return Decimal(db.session.scalar(stmt)).quantize(Decimal("0.01"))


def _lock_fund(year: int) -> None:
    """Hold the year's fund against every other allocation until this transaction ends."""
    db.session.execute(
        update(RewardFund)
        .where(RewardFund.year == year)
        .values(year=RewardFund.year)
        .execution_options(synchronize_session=False)
    )


def _money(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


@service(REWARD)
def set_fund(actor: User, *, year: int, amount: str | Decimal, note: str = "") -> RewardFund:
    """Set or change the year's fund; never below what is allocated already."""
    value = read_amount(amount)
    _lock_fund(year)
    held = allocated_in(year)
    if value < held:
        raise DomainError(
            _(
                "%(allocated)s is allocated already; the fund cannot be less.",
                allocated=_money(held),
            ),
            field="amount",
        )
    fund = fund_of(year)
    if fund is None:
        fund = RewardFund(year=year)
        db.session.add(fund)
    fund.amount, fund.note = value, (note or "").strip()
    db.session.flush()
    return fund


def served_in(year: int) -> dict[int, YearEvidence]:
    """Who served in the year, with the evidence a justification is drawn from."""
    return evidence_for(year)


def draft_justification(evidence: YearEvidence) -> str:
    """A first draft of the justification, from the year's figures; the office edits it."""
    work = evidence.work
    return _(
        "In %(year)d attended %(present)d meetings, accepted %(accepted)d of %(assigned)d "
        "matters assigned, delivered %(delivered)d opinions (%(on_time)d on time, %(adopted)d "
        "adopted in whole or in part), served on %(cases)d lawsuit teams, gave %(activities)d "
        "trainings or talks and logged %(hours)s hours.",
        year=evidence.year,
        present=evidence.present,
        accepted=evidence.answers.accepted,
        assigned=evidence.answers.assigned,
        delivered=work.delivered if work else 0,
        on_time=work.on_time if work else 0,
        adopted=(work.adoptions.adopted + work.adoptions.partly) if work else 0,
        cases=evidence.cases,
        activities=work.activities if work else 0,
        hours=work.hours if work else 0,
    )


def _open_nomination(adviser_id: int, year: int) -> RewardNomination | None:
    return db.session.scalar(
        select(RewardNomination).where(
            RewardNomination.adviser_id == adviser_id,
            RewardNomination.year == year,
            RewardNomination.status != RewardStatus.WITHDRAWN,
        )
    )


@service(REWARD)
def nominate(actor: User, adviser: Adviser, *, year: int, justification: str) -> RewardNomination:
    """Nominate an adviser who served in the year, with the reasons."""
    if adviser.id not in served_in(year):
        raise DomainError(
            _("%(name)s did not serve in %(year)d.", name=adviser.name, year=year),
            field="adviser_id",
        )
    if _open_nomination(adviser.id, year) is not None:
        raise DomainError(
            _("%(name)s is nominated for %(year)d already.", name=adviser.name, year=year),
            field="adviser_id",
        )
    text = (justification or "").strip()
    if len(text) < 10:
        raise DomainError(
            _("Say why the adviser is rewarded (at least 10 characters)."), field="justification"
        )
    nomination = RewardNomination(
        adviser=adviser,
        year=year,
        justification=text,
        nominated_on=today(),
        nominated_by_id=actor.id if actor else None,
    )
    db.session.add(nomination)
    db.session.flush()
    return nomination


def _require(nomination: RewardNomination, *allowed: RewardStatus) -> None:
    if nomination.status not in allowed:
        raise DomainError(
            _(
                "This nomination is %(status)s; it cannot be changed so.",
                status=nomination.status.label,
            )
        )


def _required(text: str | None, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, field=field)
    return text


def _not_after_today(day: date | None, earliest: date, field: str, what: str) -> date:
    if day is None:
        raise DomainError(_("Enter the date."), field=field)
    if day > today():
        raise DomainError(_("The date cannot be in the future."), field=field)
    if day < earliest:
        raise DomainError(
            _("The date cannot be before %(what)s (%(day)s).", what=what, day=earliest.isoformat()),
            field=field,
        )
    return day


@service(REWARD)
def approve(
    actor: User, nomination: RewardNomination, *, approved_on: date | None, doc_no: str
) -> RewardNomination:
    """Record the government's approval: its date and document number."""
    _require(nomination, RewardStatus.NOMINATED)
    day = _not_after_today(approved_on, nomination.nominated_on, "approved_on", _("the nomination"))
    doc_no = _required(doc_no, "doc_no", _("Enter the approval's document number."))
    nomination.approved_on, nomination.approval_doc_no = day, doc_no
    nomination.status = RewardStatus.APPROVED
    db.session.flush()
    return nomination


@service(REWARD)
def allocate(
    actor: User, nomination: RewardNomination, *, amount: str | Decimal
) -> RewardNomination:
    """Allocate an amount from the year's fund; refused when the fund does not leave it."""
    _require(nomination, RewardStatus.NOMINATED, RewardStatus.APPROVED)
    value = read_amount(amount)
    _lock_fund(nomination.year)
    fund = fund_of(nomination.year)
    if fund is None:
        raise DomainError(
            _("Set the fund for %(year)d first.", year=nomination.year), field="amount"
        )
    db.session.refresh(fund)
    left = fund.amount - allocated_in(nomination.year, except_id=nomination.id)
    if value > left:
        raise DomainError(
            _(
                "The fund for %(year)d leaves %(left)s; %(amount)s is more.",
                year=nomination.year,
                left=_money(left),
                amount=_money(value),
            ),
            field="amount",
        )
    nomination.amount = value
    db.session.flush()
    return nomination


@service(REWARD)
def pay(
    actor: User, nomination: RewardNomination, *, paid_on: date | None, reference: str
) -> RewardNomination:
    """Record the payment of an approved reward with its amount allocated."""
    _require(nomination, RewardStatus.APPROVED)
    if nomination.amount is None:
        raise DomainError(_("Allocate the amount before recording its payment."))
    day = _not_after_today(paid_on, nomination.approved_on, "paid_on", _("the approval"))
    reference = _required(reference, "reference", _("Enter the voucher or transfer reference."))
    nomination.paid_on, nomination.payment_ref = day, reference
    nomination.status = RewardStatus.PAID
    db.session.flush()
    return nomination


@service(REWARD)
def withdraw(actor: User, nomination: RewardNomination, *, reason: str) -> RewardNomination:
    """Withdraw a nomination not yet paid; its amount goes back to the fund."""
    _require(nomination, RewardStatus.NOMINATED, RewardStatus.APPROVED)
    reason = _required(reason, "reason", _("Say why the nomination is withdrawn."))
    nomination.status, nomination.withdrawn_reason = RewardStatus.WITHDRAWN, reason
    db.session.flush()
    return nomination
