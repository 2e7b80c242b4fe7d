"""Keeping the pool: entries without duplicates of the panel or of each other, one designated
legal-affairs person per department, the recommendation of an entry to the panel through the
appointment workflow, and the trainings for the departments' legal staff."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from advisers import services as panel_services
from advisers.models import Adviser, Category, Gender, Nomination, Post, Specialty
from advisers.policy import POOL_MANAGE
from advisers.pool.models import (
    LegalTraining,
    PoolEntry,
    PoolKind,
    PoolSource,
    TrainingAttendance,
    TrainingMark,
)
from advisers.rules import phone_digits
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import User
from core.policy import service
from core.services import check_version

ENTRY_FIELDS = (
    "name", "kind", "organisation", "phone", "email", "licence_no", "source", "consent",
    "department_id", "designated", "notes",
)  # fmt: skip


def _same_phone(a: str | None, b: str | None) -> bool:
    digits = lambda value: "".join(ch for ch in value or "" if ch.isdigit())  # noqa: E731
    return bool(digits(a)) and digits(a) == digits(b)


def duplicate_adviser(name: str, phone: str | None, licence_no: str | None) -> Adviser | None:
    """The panel's record of this person: the same licence number, or the same name and phone."""
    if licence_no:
        found = db.session.scalar(select(Adviser).where(Adviser.licence_no == licence_no))
        if found is not None:
            return found
    if phone and phone_digits(phone):
        same_name = db.session.scalars(select(Adviser).where(Adviser.name == name))
        return next((a for a in same_name if _same_phone(a.phone, phone)), None)
    return None


def _duplicate_entry(fields: dict, except_id: int | None) -> PoolEntry | None:
    stmt = select(PoolEntry).where(PoolEntry.is_active.is_(True))
    if except_id is not None:
        stmt = stmt.where(PoolEntry.id != except_id)
    if fields.get("licence_no"):
        found = db.session.scalar(stmt.where(PoolEntry.licence_no == fields["licence_no"]))
        if found is not None:
            return found
    same_name = db.session.scalars(stmt.where(PoolEntry.name == fields["name"]))
    return next((e for e in same_name if _same_phone(e.phone, fields.get("phone"))), None)


def _check_duplicates(fields: dict, entry: PoolEntry | None) -> None:
    adviser = duplicate_adviser(fields["name"], fields.get("phone"), fields.get("licence_no"))
    if adviser is not None and (entry is None or entry.adviser_id != adviser.id):
        raise DomainError(
            _(
                "%(name)s is on the panel's records already (adviser no. %(id)d); the pool keeps "
                "no second record of an adviser.",
                name=adviser.name,
                id=adviser.id,
            ),
            field="licence_no" if fields.get("licence_no") == adviser.licence_no else "name",
        )
    other = _duplicate_entry(fields, entry.id if entry else None)
    if other is not None:
        raise DomainError(
            _("%(name)s is in the pool already (entry no. %(id)d).", name=other.name, id=other.id),
            field="licence_no" if fields.get("licence_no") else "name",
        )


def _check_designated(fields: dict, entry: PoolEntry | None) -> None:
    if not fields.get("designated"):
        return
    if not fields.get("department_id"):
        raise DomainError(
            _("Choose the department this person is the legal-affairs person of."),
            field="department_id",
        )
    stmt = select(PoolEntry).where(
        PoolEntry.designated.is_(True),
        PoolEntry.is_active.is_(True),
        PoolEntry.department_id == fields["department_id"],
    )
    if entry is not None:
        stmt = stmt.where(PoolEntry.id != entry.id)
    other = db.session.scalar(stmt.limit(1))
    if other is not None:
        raise DomainError(
            _(
                "%(name)s is this department's designated legal-affairs person already; "
                "take that off first.",
                name=other.name,
            ),
            field="designated",
        )


@service(POOL_MANAGE)
def save_entry(
    actor: User | None,
    entry: PoolEntry | None,
    *,
    specialty_ids=(),
    version=None,
    **fields,
) -> PoolEntry:
    """Add an entry or change one: never a duplicate of an adviser or of another entry."""
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown pool fields: {sorted(unknown)}")
    fields = {k: (v if v != "" else None) for k, v in fields.items()}
    fields["kind"], fields["source"] = PoolKind(fields["kind"]), PoolSource(fields["source"])
    if entry is not None:
        check_version(entry, version)
    _check_duplicates(fields, entry)
    _check_designated(fields, entry)
    if entry is None:
        entry = PoolEntry()
        db.session.add(entry)
    consent_given = bool(fields.get("consent")) and not entry.consent
    for name, value in fields.items():
        setattr(entry, name, value if value is not None or name != "notes" else "")
    entry.designated = bool(fields.get("designated"))
    if consent_given:
        entry.consent_on = today()
    elif not entry.consent:
        entry.consent_on = None
    entry.specialties = list(
        db.session.scalars(select(Specialty).where(Specialty.id.in_(list(specialty_ids))))
    )
    db.session.flush()
    return entry


@service(POOL_MANAGE)
def remove_entry(actor: User | None, entry: PoolEntry, *, reason: str) -> PoolEntry:
    """Take an entry out of the pool (it stays in the trail); a reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the entry is removed."), field="reason")
    entry.is_active, entry.removed_reason, entry.designated = False, reason, False
    db.session.flush()
    return entry


@service(POOL_MANAGE)
def recommend_from_pool(
    actor: User | None,
    entry: PoolEntry,
    *,
    gender: Gender,
    category: Category,
    post: Post,
    recommended_on: date,
    reason: str = "",
) -> Nomination:
    """Make the adviser record from the entry and recommend it (法制办推荐): the approval and
    the appointment follow on the adviser's page. The entry leaves the pool's list."""
    if not entry.in_pool:
        raise DomainError(_("This entry is no longer in the pool."))
    adviser = panel_services.save_adviser(
        actor,
        None,
        name=entry.name,
        gender=Gender(gender),
        category=Category(category),
        organisation=entry.organisation or "",
        licence_no=entry.licence_no or "",
        phone=entry.phone or "",
        email=entry.email or "",
        notes=_("From the talent pool (entry no. %(id)d).", id=entry.id),
        specialty_ids=[s.id for s in entry.specialties],
    )
    nomination = panel_services.recommend_adviser(
        actor, adviser, post=post, recommended_on=recommended_on, reason=reason
    )
    entry.adviser_id = adviser.id
    db.session.flush()
    return nomination


# --- the trainings for the departments' legal staff ----------------------------------------

TRAINING_FIELDS = ("held_on", "title", "hours", "organiser", "place")


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        hours = None
    if hours is None or not hours.is_finite() or not Decimal("0.5") <= hours <= Decimal(100):
        raise DomainError(_("Enter the hours as a number from 0.5 to 100."), field="hours")
    if hours != hours.quantize(Decimal("0.1")):
        raise DomainError(_("Enter the hours to one decimal at most."), field="hours")
    return hours.quantize(Decimal("0.1"))


@service(POOL_MANAGE)
def save_training(
    actor: User | None, training: LegalTraining | None, *, version=None, **fields
) -> LegalTraining:
    """Record a training for the departments' legal-affairs staff, or change one."""
    if training is not None:
        check_version(training, version)
    if fields.get("held_on") is None:
        raise DomainError(_("Enter the day it was held."), field="held_on")
    fields["hours"] = _hours(fields.get("hours"))
    if training is None:
        training = LegalTraining()
        db.session.add(training)
    for name in TRAINING_FIELDS:
        setattr(training, name, fields.get(name) if fields.get(name) is not None else "")
    db.session.flush()
    return training


@service(POOL_MANAGE)
def record_training_attendance(
    actor: User | None, training: LegalTraining, marks: dict[int, str]
) -> LegalTraining:
    """Mark who of the designated legal-affairs staff attended; a mark left empty is removed."""
    if training.held_on > today():
        raise DomainError(_("Attendance is recorded once the training has been held."))
    allowed = set(TrainingMark.values())
    if any(mark and mark not in allowed for mark in marks.values()):
        raise DomainError(_("Choose attended, excused or absent."))
    current = {a.entry_id: a for a in training.attendance}
    for entry_id, mark in marks.items():
        if not mark:
            if entry_id in current:
                training.attendance.remove(current[entry_id])
            continue
        if entry_id in current:
            current[entry_id].mark = TrainingMark(mark)
        else:
            training.attendance.append(
                TrainingAttendance(entry_id=entry_id, mark=TrainingMark(mark))
            )
    db.session.flush()
    return training
