"""How the talent pool and the legal-staff trainings read in the audit trail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from advisers.pool.models import LegalTraining, PoolEntry, TrainingAttendance
from core.audit import Page, describe


def register() -> None:
    describe(
        PoolEntry,
        _l("Talent pool entry"),
        name=PoolEntry.name,
        fields={
            "name": _l("Full name"),
            "kind": _l("Kind"),
            "organisation": _l("Organisation"),
            "phone": _l("Phone"),
            "email": _l("E-mail"),
            "licence_no": _l("Practising-licence or work-permit number"),
            "source": _l("Source of the entry"),
            "consent": _l("Agrees to be listed"),
            "consent_on": _l("Consent given on"),
            "department_id": _l("Department, town or sub-district"),
            "designated": _l("The department's designated legal-affairs person"),
            "notes": _l("Notes"),
            "adviser_id": _l("Recommended to the panel as"),
            "is_active": _l("In the pool"),
            "removed_reason": _l("Why the entry is removed"),
        },
        quiet=frozenset({"id", "version"}),
        page=Page("pool.entry", "entry_id"),
    )
    describe(
        LegalTraining,
        _l("Training for legal-affairs staff"),
        name=LegalTraining.title,
        fields={
            "held_on": _l("Held on"),
            "title": _l("Title"),
            "hours": _l("Hours"),
            "organiser": _l("Organised by"),
            "place": _l("Place"),
        },
        quiet=frozenset({"id", "version"}),
        page=Page("pool.training", "training_id"),
    )
    describe(
        TrainingAttendance,
        _l("Training attendance"),
        fields={
            "training_id": _l("Training"),
            "entry_id": _l("Full name"),
            "mark": _l("Attendance"),
        },
        quiet=frozenset({"id"}),
        parent="training_id",
        page=Page("pool.training", "training_id", "training_id"),
    )
