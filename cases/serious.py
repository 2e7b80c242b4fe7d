"""Serious events (不应诉、不举证、不出庭、不履行, seed 九.2): a flag to the leaders that stays
until the office closes it with an explanation.

A flag is raised once per thing that raised it (a deadline, a hearing, a performance), by the
daily job or the moment a late act or an empty seat is recorded; it is never raised twice, and
a closed flag stays closed.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from cases import telling
from cases.models import Case, SeriousEvent, SeriousKind
from cases.policy import MANAGE
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import User
from core.policy import service

#: the deadlines whose miss is 不应诉、不举证: the defence, the evidence, the respondent's reply
DEFENCE_RULES = frozenset(
    {
        "admin_defence",
        "civil_defence",
        "civil_appeal_reply",
        "reconsideration_reply",
        "reconsideration_reply_simplified",
    }
)


def source_of(record) -> str:
    """The key of what raised a flag: "deadline:12", "hearing:3", "performance:5"."""
    name = type(record).__name__.removeprefix("Case").lower()
    return f"{name}:{record.id}"


def raise_event(case: Case, kind: SeriousKind, record, on: date | None = None) -> SeriousEvent:
    """Raise the flag for this record once, and tell the leaders and the office; a flag raised
    before (open or closed) is returned as it is."""
    source = source_of(record)
    event = db.session.scalar(select(SeriousEvent).where(SeriousEvent.source == source))
    if event is not None:
        return event
    event = SeriousEvent(case=case, kind=kind, source=source, raised_on=on or today())
    db.session.add(event)
    db.session.flush()
    telling.tell(
        telling.leaders() + telling.office() + telling.department(case),
        case,
        f"serious-{source}",
        lambda: _("Serious event: %(kind)s, %(case)s", kind=kind.label, case=case.reference),
        lambda: _(
            "%(party)s, %(cause)s. The flag stays until the office closes it with an explanation.",
            party=case.government_party,
            cause=case.cause,
        ),
    )
    return event


@service(MANAGE)
def close_event(actor: User, event: SeriousEvent, *, explanation: str) -> SeriousEvent:
    """Close a flag with the office's explanation of what happened and what was done."""
    if not event.is_open:
        raise DomainError(_("The flag is closed already."))
    if len((explanation or "").strip()) < 10:
        raise DomainError(
            _("Explain what happened and what was done (at least 10 characters)."),
            field="explanation",
        )
    event.closed_on = today()
    event.closed_by = actor
    event.explanation = explanation.strip()
    db.session.flush()
    return event


def open_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(SeriousEvent).where(SeriousEvent.closed_on.is_(None))
    )
