"""Requests for the advisers' work: made by a department (or by the office for it), accepted
or returned with a reason, with their materials."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _

from advisers.models import Specialty
from consultations import rules
from consultations.models import (
    AssignmentStatus,
    Matter,
    MatterCounter,
    MatterFile,
    MatterKind,
    MatterStatus,
    Urgency,
)
from consultations.policy import ADD_FILES, MANAGE, REQUEST
from consultations.services import telling
from consultations.settings import period
from core import search, voiding, workdays
from core.errors import DomainError
from core.extensions import db
from core.files import save_upload
from core.i18n import today
from core.models import Department, Role, User
from core.policy import service
from core.services import next_in_year

SEARCH_KIND = "matter"


def due_date(kind: MatterKind, received_on: date) -> tuple[date, bool]:
    """The default due date: the kind's period in working days after receipt, and whether it
    was counted across a year whose holidays are not loaded yet."""
    due_on = workdays.add_working_days(received_on, period(kind.rule))
    return due_on, workdays.is_provisional_span(received_on, due_on)


def index_matter(matter: Matter) -> None:
    search.index(
        SEARCH_KIND, matter.id, matter.title, matter.reference, matter.description, matter.parties
    )


def _next_reference(year: int) -> str:
    return rules.reference(year, next_in_year(MatterCounter, year))


def _check_department(actor: User | None, department: Department) -> None:
    if not department.is_active:
        raise DomainError(_("This department is no longer in use."), field="department_id")
    if actor is None or actor.has_role(Role.OFFICE):
        return
    if actor.department_id != department.id:
        raise DomainError(_("You can ask only for your own department."), field="department_id")


def _check_dates(received_on: date, due_on: date | None) -> None:
    if received_on > today():
        raise DomainError(_("The day received cannot be in the future."), field="received_on")
    if due_on is not None and due_on < received_on:
        raise DomainError(
            _("The due date cannot be before the day the request was received."), field="due_on"
        )


def _attach(actor: User | None, matter: Matter, uploads: Iterable) -> list[MatterFile]:
    added = []
    for upload in uploads:
        stored = save_upload(upload, actor, field="files")
        attached = MatterFile(matter=matter, file=stored, added_by_id=actor and actor.id)
        db.session.add(attached)  # now: the next upload's flush must find it in the session
        added.append(attached)
    return added


@service(REQUEST)
def request_matter(
    actor: User | None,
    *,
    department: Department,
    kind: MatterKind,
    title: str,
    requester: str,
    description: str,
    received_on: date | None = None,
    due_on: date | None = None,
    urgency: Urgency = Urgency.NORMAL,
    parties: str = "",
    specialty: Specialty | None = None,
    requester_phone: str | None = None,
    uploads: Iterable = (),
) -> Matter:
    """A department asks for the advisers' work; the office hears of it.

    The due date defaults to the kind's period in working days after the day received.
    """
    _check_department(actor, department)
    received_on = received_on or today()
    _check_dates(received_on, due_on)
    provisional = False
    if due_on is None:
        due_on, provisional = due_date(kind, received_on)
    matter = Matter(
        reference=_next_reference(received_on.year),
        kind=kind,
        title=title,
        department=department,
        requester=requester,
        requester_phone=requester_phone or None,
        description=description or "",
        parties="\n".join(rules.names_of(parties)),
        specialty=specialty,
        urgency=urgency,
        received_on=received_on,
        due_on=due_on,
        due_provisional=provisional,
        created_by_id=actor.id if actor else None,
        status=MatterStatus.REQUESTED,
    )
    if actor is not None and actor.has_role(Role.OFFICE):
        matter.status = MatterStatus.ACCEPTED
        matter.accepted_on = today()
    db.session.add(matter)
    _attach(actor, matter, uploads)
    db.session.flush()
    index_matter(matter)
    if matter.status is MatterStatus.REQUESTED:
        telling.tell(
            telling.office(),
            matter,
            "requested",
            lambda: _("New request: %(title)s", title=matter.title),
            lambda: _("%(department)s, due %(due)s", department=department.name, due=due_on),
        )
    return matter


@service(MANAGE)
def update_matter(actor: User | None, matter: Matter, **fields) -> Matter:
    """The office corrects a matter's particulars (title, parties, due date, ...)."""
    if matter.status is MatterStatus.CLOSED:
        raise DomainError(_("A closed matter cannot be changed."))
    received_on = fields.get("received_on", matter.received_on)
    due_on = fields.get("due_on", matter.due_on)
    _check_dates(received_on, due_on)
    if "parties" in fields:
        fields["parties"] = "\n".join(rules.names_of(fields["parties"]))
    if "due_on" in fields and fields["due_on"] != matter.due_on:
        matter.due_provisional = workdays.is_provisional_span(received_on, due_on)
        matter.reminded = None
    for name, value in fields.items():
        setattr(matter, name, value)
    db.session.flush()
    index_matter(matter)
    return matter


@service(MANAGE)
def accept_matter(actor: User | None, matter: Matter) -> Matter:
    """The office takes the request on; the department is told."""
    if matter.status is not MatterStatus.REQUESTED:
        raise DomainError(_("Only a request awaiting acceptance can be accepted."))
    matter.status = MatterStatus.ACCEPTED
    matter.accepted_on = today()
    db.session.flush()
    telling.tell(
        telling.department(matter),
        matter,
        "accepted",
        lambda: _("Request accepted: %(title)s", title=matter.title),
        lambda: _("Due %(due)s.", due=matter.due_on),
    )
    return matter


@service(MANAGE)
def return_matter(actor: User | None, matter: Matter, *, reason: str) -> Matter:
    """The office returns a request (outside the duties, incomplete) with its reason."""
    if matter.status is not MatterStatus.REQUESTED:
        raise DomainError(_("Only a request awaiting acceptance can be returned."))
    if not (reason or "").strip():
        raise DomainError(_("Say why the request is returned."), field="reason")
    matter.status = MatterStatus.RETURNED
    matter.return_reason = reason.strip()
    db.session.flush()
    telling.tell(
        telling.department(matter),
        matter,
        "returned",
        lambda: _("Request returned: %(title)s", title=matter.title),
        lambda: matter.return_reason,
    )
    return matter


@service(ADD_FILES)
def add_files(actor: User | None, matter: Matter, uploads: Iterable) -> list[MatterFile]:
    """Attach more materials to a matter that is not closed."""
    if matter.status in (MatterStatus.CLOSED, MatterStatus.RETURNED):
        raise DomainError(_("Materials cannot be added to a closed or returned matter."))
    added = _attach(actor, matter, uploads)
    if not added:
        raise DomainError(_("Choose at least one file."), field="files")
    db.session.flush()
    return added


@service(MANAGE)
def void_matter(actor: User | None, matter: Matter, *, reason: str) -> None:
    """Void a request entered by mistake; one with a signed opinion is part of the record."""
    if any(opinion.number for opinion in matter.opinions):
        raise DomainError(_("A matter with a signed opinion cannot be voided."))
    voiding.mark_voided(matter, actor, reason)
    for assignment in matter.active_assignments:
        assignment.status = AssignmentStatus.WITHDRAWN
        assignment.decline_reason = reason
    db.session.flush()


@service(MANAGE)
def restore_matter(actor: User | None, matter: Matter) -> None:
    """Bring back a voided matter; its advisers must be put on it again."""
    voiding.clear_void(matter)
    if matter.status is MatterStatus.IN_PROGRESS:
        matter.status = MatterStatus.ACCEPTED
    db.session.flush()
