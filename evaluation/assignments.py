"""The assignments the dismissal rule reads: what each adviser was asked to take on, and how
they answered. Declines for a declared conflict, withdrawn assignments and voided matters are
left out: none of them is an adviser ignoring the government's affairs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from consultations.models import Assignment, AssignmentStatus, Matter
from core.extensions import db
from core.i18n import TIMEZONE
from evaluation.rules import Ask

#: the answers the rule weighs: accepted ones only end the days to answer
READ_STATUSES = (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED)


def asks_of(adviser_ids: Iterable[int]) -> dict[int, list[Ask]]:
    """Each adviser's assignments as the rule reads them, in one query."""
    ids = list(set(adviser_ids))
    found: dict[int, list[Ask]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.execute(
        select(
            Assignment.adviser_id,
            Assignment.id,
            Assignment.assigned_on,
            Assignment.answered_at,
            Assignment.status,
        )
        .join(Matter, Matter.id == Assignment.matter_id)
        .where(
            Assignment.adviser_id.in_(ids),
            Assignment.status.in_(READ_STATUSES),
            Assignment.declined_for_conflict.is_(False),
            Matter.voided_at.is_(None),
        )
    )
    for adviser_id, assignment_id, assigned_on, answered_at, status in rows:
        answered_on = answered_at.astimezone(TIMEZONE).date() if answered_at else None
        declined = status == AssignmentStatus.DECLINED
        found[adviser_id].append(Ask(assignment_id, assigned_on, answered_on, declined))
    return found


def matters_of(assignment_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """The matter (id, title) of each assignment, for the evidence the office reads."""
    ids = list(set(assignment_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(Assignment.id, Matter.id, Matter.title)
        .join(Matter, Matter.id == Assignment.matter_id)
        .where(Assignment.id.in_(ids))
    )
    return {assignment_id: (matter_id, title) for assignment_id, matter_id, title in rows}
