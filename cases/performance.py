"""Performing effective judgments (履行生效判决): what an effective judgment or decision obliges
the government to do, by when, and the day it was done with its proof.

An obligation is ordered from a stage that has taken effect; it stays pending until the office
records it performed, late or not. The daily job (cases/jobs.py) reminds and flags through
`due_within` and `overdue`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cases import particulars, telling
from cases.messages import REFUSALS
from cases.models import (
    Case,
    CasePerformance,
    CaseStage,
    Obligation,
    PerformanceStatus,
)
from cases.policy import MANAGE
from cases.services import attach_document
from core.errors import DomainError, Problem
from core.extensions import db
from core.i18n import today
from core.models import User
from core.policy import service


def _amount_problems(obligation: Obligation, amount: Decimal | None) -> list[Problem]:
    """A payment names a positive amount in whole cents; no other obligation has one."""
    if obligation is not Obligation.PAY:
        if amount is not None:
            return [Problem("amount", _("Only a payment has an amount; leave it empty."))]
        return []
    if amount is None:
        return [Problem("amount", _("Enter the amount the judgment orders paid."))]
    try:
        particulars.check_yuan(amount)
    except particulars.Refused as refusal:
        return [Problem("amount", str(REFUSALS[refusal.code]))]
    return []


def _stage_problems(case: Case, stage: CaseStage | None, due_on: date | None) -> list[Problem]:
    if stage is None or stage.case_id != case.id:
        return [Problem("stage_id", _("Choose a stage of this case."))]
    if stage.effective_on is None:
        return [
            Problem(
                "stage_id",
                _(
                    "This stage has no effective date: record the day its judgment or decision "
                    "took effect on the stage first."
                ),
            )
        ]
    if due_on is not None and due_on < stage.effective_on:
        return [
            Problem(
                "due_on",
                _(
                    "It cannot be due before the judgment took effect (%(day)s).",
                    day=stage.effective_on.isoformat(),
                ),
            )
        ]
    return []


@service(MANAGE)
def order_performance(
    actor: User | None,
    case: Case,
    *,
    stage: CaseStage | None,
    obligation: Obligation,
    description: str,
    amount: Decimal | None = None,
    due_on: date | None,
) -> CasePerformance:
    """Record what an effective judgment obliges the government to do, and by when."""
    if not case.is_open:
        raise DomainError(_("A closed case cannot be changed."))
    description = (description or "").strip()
    problems = _stage_problems(case, stage, due_on)
    if due_on is None:
        problems.append(Problem("due_on", _("Enter the day it must be performed by.")))
    if not description:
        problems.append(Problem("description", _("Say what the judgment orders, in its words.")))
    problems.extend(_amount_problems(obligation, amount))
    if problems:
        raise DomainError(problems=problems)
    item = CasePerformance(
        case=case,
        stage=stage,
        obligation=obligation,
        description=description,
        amount=particulars.check_yuan(amount),
        due_on=due_on,
        status=PerformanceStatus.PENDING,
    )
    db.session.add(item)
    db.session.flush()
    _tell_ordered(item)
    return item


def _tell_ordered(item: CasePerformance) -> None:
    case = item.case
    telling.tell(
        telling.department(case) + telling.office(),
        case,
        f"performance-ordered-{item.id}",
        lambda: _(
            "Effective judgment to perform by %(day)s: %(case)s",
            day=item.due_on.isoformat(),
            case=case.reference,
        ),
        lambda: _(
            "%(party)s, %(cause)s. %(obligation)s: %(what)s",
            party=case.government_party,
            cause=case.cause,
            obligation=item.obligation.label,
            what=item.description,
        ),
    )


@service(MANAGE)
def record_performed(
    actor: User | None,
    performance: CasePerformance,
    *,
    performed_on: date | None,
    proof: str,
    proof_file=None,
) -> CasePerformance:
    """Record the day the judgment was performed and its proof; a late day is recorded as it
    is. A closed case still takes it: the duty outlives the file."""
    if performance.status is PerformanceStatus.PERFORMED:
        raise DomainError(_("This is recorded as performed already."))
    effective_on = performance.stage.effective_on if performance.stage else None
    problems = []
    if performed_on is None:
        problems.append(Problem("performed_on", _("Enter the day it was performed.")))
    elif performed_on > today():
        problems.append(Problem("performed_on", _("The day cannot be in the future.")))
    elif effective_on is not None and performed_on < effective_on:
        problems.append(
            Problem(
                "performed_on",
                _(
                    "The day cannot be before the judgment took effect (%(day)s).",
                    day=effective_on.isoformat(),
                ),
            )
        )
    if not (proof or "").strip():
        problems.append(
            Problem("proof", _("Describe the proof (the payment voucher, the new decision)."))
        )
    if problems:
        raise DomainError(problems=problems)
    stored = attach_document(actor, performance.case, proof_file, field="proof_file")
    if stored is not None:
        performance.proof_file = stored
    performance.performed_on = performed_on
    performance.proof = proof.strip()
    performance.status = PerformanceStatus.PERFORMED
    db.session.flush()
    return performance


def _pending():
    """Pending performance with its case and the case's department, in the same query."""
    return (
        select(CasePerformance)
        .where(CasePerformance.status == PerformanceStatus.PENDING)
        .options(joinedload(CasePerformance.case).joinedload(Case.department))
        .order_by(CasePerformance.due_on, CasePerformance.id)
    )


def overdue(on: date) -> list[CasePerformance]:
    """Pending performance due before `on`: the judgment was not performed in time."""
    return list(db.session.scalars(_pending().where(CasePerformance.due_on < on)))


def due_within(on: date, days: int) -> list[CasePerformance]:
    """Pending performance due from `on` to `days` days after it, both included."""
    stmt = _pending().where(CasePerformance.due_on.between(on, on + timedelta(days=days)))
    return list(db.session.scalars(stmt))
