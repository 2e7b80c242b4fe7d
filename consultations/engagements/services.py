"""Every write to the engagements register: registering, changing, voiding and restoring an
engagement, and reminding the office before a contract ends.

Services take the actor, check the policy, flush, never commit, and raise DomainError.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from consultations.engagements import rules
from consultations.engagements.messages import fee_message
from consultations.engagements.models import EngagedAs, Engagement
from consultations.engagements.policy import MANAGE
from core import files, voiding
from core.errors import DomainError
from core.extensions import db
from core.models import Department, Role, User
from core.notify import notify, path_for, users_with_roles
from core.policy import service
from core.services import check_version

#: the fields a form gives an engagement (the contract file apart)
FIELDS = (
    "department_id",
    "person_name",
    "engaged_as",
    "organisation",
    "start_on",
    "end_on",
    "scope",
    "fee",
    "notes",
)


def read_fee(value: str | Decimal | None) -> Decimal | None:
    """The fee as an amount of yuan with two places, None when none is given."""
    try:
        return rules.parse_fee(value)
    except rules.FeeError as error:
        raise DomainError(fee_message(error), field="fee") from None


def _checked_fields(fields: dict) -> dict:
    """The fields made ready to store, or DomainError naming the field that is wrong."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown engagement fields: {sorted(unknown)}")
    values = dict(fields)
    values["person_name"] = (values.get("person_name") or "").strip()
    if not values["person_name"]:
        raise DomainError(_("Enter the adviser's name."), field="person_name")
    department_id = values.get("department_id")
    if not department_id or db.session.get(Department, department_id) is None:
        raise DomainError(_("Choose a department from the list."), field="department_id")
    try:
        values["engaged_as"] = EngagedAs(values.get("engaged_as"))
    except ValueError:
        raise DomainError(_("Choose a type from the list."), field="engaged_as") from None
    start_on, end_on = values.get("start_on"), values.get("end_on")
    if not isinstance(start_on, date):
        raise DomainError(_("Enter the day the contract starts."), field="start_on")
    if not isinstance(end_on, date):
        raise DomainError(_("Enter the day the contract ends."), field="end_on")
    if end_on < start_on:
        raise DomainError(
            _(
                "The contract cannot end (%(end)s) before it starts (%(start)s).",
                end=end_on.isoformat(),
                start=start_on.isoformat(),
            ),
            field="end_on",
        )
    values["fee"] = read_fee(values.get("fee"))
    values["organisation"] = (values.get("organisation") or "").strip() or None
    values["scope"] = values.get("scope") or ""
    values["notes"] = values.get("notes") or ""
    return values


def _attach(engagement: Engagement, contract, actor: User | None) -> None:
    """Store an uploaded contract and point the engagement at it; an earlier file is kept."""
    if contract is not None:
        engagement.contract_file = files.save_upload(contract, actor, field="contract")


@service(MANAGE)
def create_engagement(actor: User | None, *, contract=None, **fields) -> Engagement:
    """Register an adviser a department engaged, with the signed contract when given."""
    engagement = Engagement(**_checked_fields(fields))
    _attach(engagement, contract, actor)
    db.session.add(engagement)
    db.session.flush()
    return engagement


@service(MANAGE)
def update_engagement(
    actor: User | None, engagement: Engagement, *, version, contract=None, **fields
) -> Engagement:
    """Change an engagement unless someone saved it meanwhile; a new contract file replaces
    the one shown, and the earlier file is kept."""
    check_version(engagement, version)
    for name, value in _checked_fields(fields).items():
        setattr(engagement, name, value)
    _attach(engagement, contract, actor)
    db.session.flush()
    return engagement


@service(MANAGE)
def void_engagement(actor: User | None, engagement: Engagement, *, reason: str) -> None:
    """Void an engagement entered by mistake: it leaves the register and its reminders."""
    voiding.mark_voided(engagement, actor, reason)
    db.session.flush()


@service(MANAGE)
def restore_engagement(actor: User | None, engagement: Engagement) -> None:
    voiding.clear_void(engagement)
    db.session.flush()


def remind_ending(engagement: Engagement, today: date, staff: list[User] | None = None) -> int:
    """Tell the office (`staff`, by default every office user) that the contract ends soon;
    once per engagement and end date. Return how many people were told now."""
    days_left = (engagement.end_on - today).days

    def render():
        return (
            _(
                "The contract of %(name)s with %(department)s ends on %(day)s",
                name=engagement.person_name,
                department=engagement.department.name,
                day=engagement.end_on.isoformat(),
            ),
            _(
                "%(days)d day(s) left. Agree a renewal with the department, or let the "
                "engagement end; the register keeps the record.",
                days=days_left,
            ),
        )

    told = notify(
        users_with_roles(Role.OFFICE) if staff is None else staff,
        render,
        link=path_for("engagements.engagement", engagement_id=engagement.id),
        key=rules.reminder_key(engagement.id, engagement.end_on),
    )
    return len(told)
