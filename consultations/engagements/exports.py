"""The engagements register as an export table, in the screens' words."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consultations.engagements import rules
from consultations.engagements.models import Engagement, StateLabel
from core.tables import Table

#: the columns, each headed by the same message as the screens' label for the field
HEADERS = (
    _l("Engaging department, town or sub-district"),
    _l("Kind of unit"),
    _l("Full name"),
    _l("Type of adviser"),
    _l("Law firm or organisation"),
    _l("Contract starts on"),
    _l("Contract ends on"),
    _l("Contract state"),
    _l("Scope of service"),
    _l("Fee (yuan)"),
    _l("Signed contract"),
    _l("Notes"),
    _l("Record ID"),
)


def headers() -> list[str]:
    """The column headers in the current language."""
    return [str(header) for header in HEADERS]


def register_table(engagements: list[Engagement], day: date, ending_days: int) -> Table:
    """The engagements as an export table, one row each, their state as on `day`."""
    rows = [
        [
            e.department.name,
            e.department.kind.label,
            e.person_name,
            e.engaged_as.label,
            e.organisation or "",
            e.start_on,
            e.end_on,
            StateLabel(rules.state_on(e.start_on, e.end_on, day, ending_days)).label,
            e.scope,
            e.fee,
            e.contract_file.name if e.contract_file else "",
            e.notes,
            e.id,
        ]
        for e in engagements
    ]
    return Table(
        _("Register of departmental advisers (as of %(day)s)", day=day.isoformat()),
        _("Departmental advisers"),
        headers(),
        rows,
    )
