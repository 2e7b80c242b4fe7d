"""Training and publicity (duties 6 and 7), recorded as activities with who gave them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from advisers.models import Adviser
from consultations.models import Activity, ActivityKind, Matter, MatterStatus
from consultations.policy import MANAGE
from core import voiding
from core.errors import DomainError
from core.extensions import db
from core.files import save_upload
from core.i18n import today
from core.models import User
from core.policy import service


def _advisers(adviser_ids: Iterable[int]) -> list[Adviser]:
    ids = set(adviser_ids)
    if not ids:
        raise DomainError(_("Choose the advisers who gave it."), field="adviser_ids")
    found = list(db.session.scalars(select(Adviser).where(Adviser.id.in_(ids))))
    if len(found) != len(ids):
        raise DomainError(_("Choose advisers from the list."), field="adviser_ids")
    return found


def _check(held_on: date, attendance: int) -> None:
    if held_on > today():
        raise DomainError(_("Record an activity once it has been held."), field="held_on")
    if attendance < 0:
        raise DomainError(_("Enter 0 or more."), field="attendance")


def _attach(actor: User | None, activity: Activity, uploads: Iterable) -> None:
    for upload in uploads:
        activity.files.append(save_upload(upload, actor, field="files"))


@service(MANAGE)
def record_activity(
    actor: User | None,
    *,
    kind: ActivityKind,
    title: str,
    held_on: date,
    place: str,
    audience: str,
    attendance: int,
    adviser_ids: Iterable[int],
    matter: Matter | None = None,
    department_id: int | None = None,
    notes: str = "",
    uploads: Iterable = (),
) -> Activity:
    """Record a lecture, training or publicity event; given for a matter, it closes it."""
    _check(held_on, attendance)
    if matter is not None:
        if not matter.gives_activity or matter.kind.value != kind.value:
            raise DomainError(_("This matter does not ask for this kind of activity."))
        if matter.status is MatterStatus.CLOSED:
            raise DomainError(_("This matter is closed already."))
        department_id = matter.department_id
    activity = Activity(
        kind=kind,
        title=title,
        held_on=held_on,
        place=place,
        audience=audience,
        attendance=attendance,
        department_id=department_id,
        matter=matter,
        notes=notes or "",
        advisers=_advisers(adviser_ids),
    )
    db.session.add(activity)
    _attach(actor, activity, uploads)
    if matter is not None:
        matter.status = MatterStatus.CLOSED
        matter.closed_on = today()
    db.session.flush()
    return activity


@service(MANAGE)
def update_activity(
    actor: User | None, activity: Activity, *, adviser_ids: Iterable[int], uploads=(), **fields
) -> Activity:
    """Correct an activity's particulars, who gave it, and add materials."""
    _check(fields.get("held_on", activity.held_on), fields.get("attendance", activity.attendance))
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.advisers = _advisers(adviser_ids)
    _attach(actor, activity, uploads)
    db.session.flush()
    return activity


@service(MANAGE)
def void_activity(actor: User | None, activity: Activity, *, reason: str) -> None:
    """Void an activity recorded by mistake; one that closed a matter is corrected instead."""
    if activity.matter_id is not None:
        raise DomainError(_("This activity closed a matter; correct it instead of voiding it."))
    voiding.mark_voided(activity, actor, reason)
    db.session.flush()


@service(MANAGE)
def restore_activity(actor: User | None, activity: Activity) -> None:
    voiding.clear_void(activity)
    db.session.flush()
