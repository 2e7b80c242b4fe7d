"""Putting advisers on a matter: the lead and co-advisers, the conflict check and its
override, and the adviser's answer."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from advisers.models import Adviser
from consultations import rules
from consultations.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Matter,
    MatterStatus,
)
from consultations.policy import ANSWER, MANAGE
from consultations.services import telling
from consultations.suggestions import Suggested, suggest
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import User, utcnow
from core.policy import service


def _picked(suggestions: list[Suggested], adviser_ids: Iterable[int]) -> list[Suggested]:
    by_id = {s.adviser_id: s for s in suggestions}
    picked = []
    for adviser_id in adviser_ids:
        if adviser_id not in by_id:
            raise DomainError(_("Choose advisers who serve today from the list."), field="lead_id")
        picked.append(by_id[adviser_id])
    return picked


def _check_override(picked: list[Suggested], override_reason: str) -> None:
    blocked = [s for s in picked if s.blocked]
    if blocked and not override_reason.strip():
        raise DomainError(
            _(
                "%(names)s: %(conflict)s. Choose someone else, or give the reason for "
                "assigning despite the conflict.",
                names="、".join(s.name for s in blocked),
                conflict="；".join(s.conflict_line for s in blocked),
            ),
            field="override_reason",
        )


@service(MANAGE)
def assign(
    actor: User | None,
    matter: Matter,
    *,
    lead_id: int | None,
    co_ids: Iterable[int] = (),
    override_reason: str = "",
) -> list[Assignment]:
    """Put a lead (when the matter has none) and co-advisers on an accepted matter.

    Each must serve today. One whose conflict check finds a party blocks the assignment
    unless the office gives its reason for overriding; the reason is kept and audited.
    """
    if matter.status not in (MatterStatus.ACCEPTED, MatterStatus.IN_PROGRESS):
        raise DomainError(_("Advisers can be put only on an accepted matter that is open."))
    current = {a.adviser_id for a in matter.active_assignments}
    co_ids = [i for i in dict.fromkeys(co_ids) if i != lead_id]
    if lead_id is None and matter.lead is None:
        raise DomainError(_("Choose the lead adviser."), field="lead_id")
    if lead_id is not None and matter.lead is not None:
        raise DomainError(
            _("The matter has a lead adviser; withdraw that assignment first."), field="lead_id"
        )
    wanted = ([lead_id] if lead_id is not None else []) + co_ids
    again = [i for i in wanted if i in current]
    if again:
        raise DomainError(_("An adviser chosen is on the matter already."), field="co_ids")
    if not wanted:
        raise DomainError(_("Choose at least one adviser."), field="co_ids")
    picked = _picked(suggest(matter), wanted)
    _check_override(picked, override_reason or "")
    made = []
    for s in picked:
        role = AssignmentRole.LEAD if s.adviser_id == lead_id else AssignmentRole.CO
        made.append(
            Assignment(
                matter=matter,
                adviser_id=s.adviser_id,
                role=role,
                assigned_on=today(),
                assigned_by_id=actor.id if actor else None,
                reason=s.line[:300],
                override_reason=override_reason.strip() if s.blocked else None,
            )
        )
    db.session.add_all(made)
    matter.status = MatterStatus.IN_PROGRESS
    db.session.flush()
    _tell_assigned(matter, made)
    return made


def _tell_assigned(matter: Matter, made: list[Assignment]) -> None:
    advisers = db.session.scalars(
        select(Adviser).where(Adviser.id.in_([a.adviser_id for a in made]))
    )
    telling.tell(
        telling.advisers(advisers),
        matter,
        f"assigned-{'-'.join(str(a.id) for a in made)}",
        lambda: _("New matter for you: %(title)s", title=matter.title),
        lambda: _("Due %(due)s. Accept or decline it on the matter's page.", due=matter.due_on),
    )


@service(ANSWER)
def answer_assignment(
    actor: User | None,
    assignment: Assignment,
    *,
    accept: bool,
    reason: str = "",
    conflict: bool = False,
) -> Assignment:
    """The adviser accepts the matter, or declines it with a reason. Declining for a conflict
    adds the matter's parties to the adviser's declared conflicts, so the check finds it next
    time."""
    if assignment.status is not AssignmentStatus.PENDING:
        raise DomainError(_("This assignment has been answered already."))
    assignment.answered_at = utcnow()
    matter = assignment.matter
    if accept:
        assignment.status = AssignmentStatus.ACCEPTED
    else:
        if not (reason or "").strip():
            raise DomainError(_("Say why you decline."), field="reason")
        assignment.status = AssignmentStatus.DECLINED
        assignment.decline_reason = reason.strip()
        assignment.declined_for_conflict = conflict
        if conflict:
            _record_conflict(assignment.adviser, matter)
        if assignment.is_lead:
            matter.status = MatterStatus.ACCEPTED
    db.session.flush()
    _tell_office_of_answer(assignment)
    return assignment


def _record_conflict(adviser: Adviser, matter: Matter) -> None:
    declared = rules.names_of(adviser.conflicts)
    known = {rules.normalise_name(name) for name in declared}
    new = [p for p in matter.party_names if rules.normalise_name(p) not in known]
    if new:
        adviser.conflicts = "\n".join([*declared, *new])


def _tell_office_of_answer(assignment: Assignment) -> None:
    matter = assignment.matter
    name = assignment.adviser.name
    if assignment.status is AssignmentStatus.ACCEPTED:
        subject = lambda: _("%(name)s accepted: %(title)s", name=name, title=matter.title)  # noqa: E731
    else:
        subject = lambda: _("%(name)s declined: %(title)s", name=name, title=matter.title)  # noqa: E731
    telling.tell(
        telling.office(),
        matter,
        f"answered-{assignment.id}",
        subject,
        lambda: assignment.decline_reason or "",
    )


@service(MANAGE)
def withdraw_assignment(actor: User | None, assignment: Assignment, *, reason: str) -> None:
    """The office takes an adviser off a matter (before any opinion is signed by them)."""
    if not assignment.is_active:
        raise DomainError(_("This assignment is no longer in force."))
    if not (reason or "").strip():
        raise DomainError(_("Say why the adviser is taken off the matter."), field="reason")
    matter = assignment.matter
    if matter.status not in (MatterStatus.ACCEPTED, MatterStatus.IN_PROGRESS):
        raise DomainError(_("Advisers can be changed only while the matter is open."))
    assignment.status = AssignmentStatus.WITHDRAWN
    assignment.decline_reason = reason.strip()
    if assignment.is_lead:
        matter.status = MatterStatus.ACCEPTED
    db.session.flush()
