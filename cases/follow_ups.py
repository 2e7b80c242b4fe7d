"""Court suggestions (司法建议) and reconsideration decisions to perform (行政复议决定履行督查):
what the court or the reconsideration body asks, the department that must answer, the reply
date, and the reply and measures taken. The daily job (cases/jobs.py) reminds the office and
the department of each one through `open_follow_ups` until it is answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cases import telling
from cases.models import Case, CaseKind, FollowUp, FollowUpKind
from cases.policy import MANAGE, REPLY, follow_ups_visible_to
from cases.services import attach_document
from core.errors import DomainError, Problem
from core.extensions import db
from core.files import save_upload
from core.i18n import today
from core.models import Department, User
from core.notify import notify, path_for
from core.policy import service

#: the fields a follow-up is registered and corrected with (the file apart)
FIELDS = (
    "kind",
    "case",
    "issued_by",
    "document_number",
    "received_on",
    "content",
    "department",
    "reply_due_on",
)

#: where a follow-up stands, as the list filters it
OPEN, OVERDUE, ANSWERED = "open", "overdue", "answered"
STATUSES = {
    OPEN: _l("Awaiting the reply"),
    OVERDUE: _l("Reply overdue"),
    ANSWERED: _l("Answered"),
}


def find_case(reference: str | None) -> Case | None:
    """The case a reference (2026-S0001) names; None when none is given."""
    reference = (reference or "").strip()
    if not reference:
        return None
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    if case is None:
        raise DomainError(
            _("No case has the reference %(reference)s.", reference=reference),
            field="case_reference",
        )
    return case


def _problems(fields: dict, replied_on: date | None = None) -> list[Problem]:
    """What cannot be, each beside its field."""
    problems = []
    received, due = fields["received_on"], fields["reply_due_on"]
    if received is None:
        problems.append(Problem("received_on", _("Enter the day it was received.")))
    elif received > today():
        problems.append(Problem("received_on", _("The day received cannot be in the future.")))
    elif replied_on is not None and replied_on < received:
        problems.append(
            Problem("received_on", _("It cannot be received after the reply recorded for it."))
        )
    if due is None:
        problems.append(Problem("reply_due_on", _("Enter the day the reply is due.")))
    elif received is not None and due < received:
        problems.append(
            Problem("reply_due_on", _("The reply cannot be due before the day it was received."))
        )
    if not fields["issued_by"]:
        problems.append(Problem("issued_by", _("Name the court or the reconsideration body.")))
    if not fields["content"]:
        problems.append(Problem("content", _("Say what it asks of the government.")))
    case = fields["case"]
    if (
        fields["kind"] is FollowUpKind.RECONSIDERATION_ORDER
        and case is not None
        and case.kind is not CaseKind.RECONSIDERATION
    ):
        problems.append(
            Problem(
                "case_reference",
                _("A reconsideration decision belongs to a reconsideration case, not this one."),
            )
        )
    return problems


def _cleaned(fields: dict) -> dict:
    fields = dict(fields)
    for name in ("issued_by", "document_number", "content"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    if fields.get("department") is None and fields.get("case") is not None:
        fields["department"] = fields["case"].department
    return fields


def _retired(department: Department | None) -> list[Problem]:
    if department is not None and not department.is_active:
        return [Problem("department_id", _("This department is no longer in use."))]
    return []


def _store(actor: User | None, case: Case | None, upload, field: str):
    """A case's file goes among its documents; one without a case is stored on its own."""
    if case is not None:
        return attach_document(actor, case, upload, field=field)
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return save_upload(upload, actor, field=field)


@service(MANAGE)
def register_follow_up(
    actor: User | None,
    *,
    kind: FollowUpKind,
    case: Case | None = None,
    issued_by: str,
    document_number: str = "",
    received_on: date | None,
    content: str,
    department: Department | None = None,
    reply_due_on: date | None,
    file=None,
) -> FollowUp:
    """Record a court's suggestion or a reconsideration decision to perform; the department
    (the case's, unless another is named) and the office are told."""
    fields = _cleaned(
        {
            "kind": kind,
            "case": case,
            "issued_by": issued_by,
            "document_number": document_number,
            "received_on": received_on,
            "content": content,
            "department": department,
            "reply_due_on": reply_due_on,
        }
    )
    problems = _problems(fields) + _retired(fields["department"])
    if problems:
        raise DomainError(problems=problems)
    stored = _store(actor, fields["case"], file, "file")
    item = FollowUp(**fields, file=stored)
    db.session.add(item)
    db.session.flush()
    _tell(
        telling.office() + _liaisons(item),
        item,
        "new",
        lambda: _(
            "%(kind)s received, reply due %(day)s",
            kind=item.kind.label,
            day=item.reply_due_on.isoformat(),
        ),
        lambda: f"{item.issued_by} {item.document_number}\n{item.content}",
    )
    return item


@service(MANAGE)
def update_follow_up(actor: User | None, follow_up: FollowUp, *, file=None, **changes) -> FollowUp:
    """Correct a follow-up's particulars; a new file is added, the old one kept."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"update_follow_up() got unexpected fields {sorted(unknown)}")
    fields = _cleaned({name: getattr(follow_up, name) for name in FIELDS} | changes)
    problems = _problems(fields, follow_up.replied_on)
    if fields["department"] != follow_up.department:  # a retired one may stay where it was
        problems += _retired(fields["department"])
    if problems:
        raise DomainError(problems=problems)
    for name, value in fields.items():
        setattr(follow_up, name, value)
    stored = _store(actor, fields["case"], file, "file")
    if stored is not None:
        follow_up.file = stored
    db.session.flush()
    return follow_up


@service(REPLY)
def record_reply(
    actor: User | None,
    follow_up: FollowUp,
    *,
    replied_on: date | None,
    reply: str,
    measures: str,
    reply_file=None,
) -> FollowUp:
    """Record the reply sent and the measures taken; a reply recorded before is corrected."""
    problems = []
    if replied_on is None:
        problems.append(Problem("replied_on", _("Enter the day the reply was sent.")))
    elif replied_on > today():
        problems.append(Problem("replied_on", _("The day cannot be in the future.")))
    elif replied_on < follow_up.received_on:
        problems.append(
            Problem("replied_on", _("The reply cannot be sent before the day it was received."))
        )
    if not (reply or "").strip():
        problems.append(Problem("reply", _("Give the reply, or what it says.")))
    if not (measures or "").strip():
        problems.append(Problem("measures", _("Say what measures were taken.")))
    if problems:
        raise DomainError(problems=problems)
    stored = _store(actor, follow_up.case, reply_file, "reply_file")
    if stored is not None:
        follow_up.reply_file = stored
    follow_up.replied_on = replied_on
    follow_up.reply = reply.strip()
    follow_up.measures = measures.strip()
    db.session.flush()
    _tell(
        [user for user in telling.office() if actor is None or user.id != actor.id],
        follow_up,
        f"reply:{replied_on.isoformat()}",
        lambda: _(
            "%(kind)s answered on %(day)s",
            kind=follow_up.kind.label,
            day=replied_on.isoformat(),
        ),
        lambda: follow_up.measures,
    )
    return follow_up


def _liaisons(item: FollowUp) -> list[User]:
    return telling.liaisons_of(item.department_id) if item.department_id is not None else []


def _tell(users, item: FollowUp, key: str, subject, body) -> None:
    """Notify once per key, with a link to the follow-up's page."""
    notify(
        telling.unique(users),
        lambda: (subject(), body()),
        link=path_for("cases.follow_up", follow_up_id=item.id),
        key=f"follow-up-{key}:{item.id}",
    )


def open_follow_ups() -> list[FollowUp]:
    """Every follow-up not yet answered, soonest reply first, department and case loaded."""
    stmt = (
        select(FollowUp)
        .where(FollowUp.replied_on.is_(None))
        .options(joinedload(FollowUp.department), joinedload(FollowUp.case))
        .order_by(FollowUp.reply_due_on, FollowUp.id)
    )
    return list(db.session.scalars(stmt))


SORTS = {
    "due": FollowUp.reply_due_on,
    "received": FollowUp.received_on,
    "kind": FollowUp.kind,
}
DEFAULT_SORT = "due"


@dataclass
class Filters:
    kind: str = ""
    status: str = ""
    department_id: int | None = None

    def apply(self, stmt, on: date):
        if self.kind in FollowUpKind.values():
            stmt = stmt.where(FollowUp.kind == self.kind)
        if self.status == ANSWERED:
            stmt = stmt.where(FollowUp.replied_on.is_not(None))
        elif self.status in (OPEN, OVERDUE):
            stmt = stmt.where(FollowUp.replied_on.is_(None))
            if self.status == OVERDUE:
                stmt = stmt.where(FollowUp.reply_due_on < on)
        if self.department_id:
            stmt = stmt.where(FollowUp.department_id == self.department_id)
        return stmt


def follow_ups_statement(user, filters: Filters, on: date):
    """The follow-ups this user may see, filtered, with their department and case."""
    stmt = select(FollowUp).options(joinedload(FollowUp.department), joinedload(FollowUp.case))
    return filters.apply(follow_ups_visible_to(user, stmt), on)
