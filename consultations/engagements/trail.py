"""How engagements read in the audit trail."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from consultations.engagements.models import Engagement
from core.audit import Page, describe
from core.filters import money


def _fee(value) -> str:
    """A fee as the trail stored it (text), shown as money."""
    try:
        return money(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


def register() -> None:
    """Describe engagements."""
    describe(
        Engagement,
        _l("Departmental adviser engagement"),
        name=Engagement.person_name,
        fields={
            "department_id": _l("Engaging department, town or sub-district"),
            "person_name": _l("Full name"),
            "engaged_as": _l("Type of adviser"),
            "organisation": _l("Law firm or organisation"),
            "start_on": _l("Contract starts on"),
            "end_on": _l("Contract ends on"),
            "scope": _l("Scope of service"),
            "fee": _l("Fee (yuan)"),
            "contract_file_id": _l("Signed contract"),
            "notes": _l("Notes"),
            "created_at": _l("Created at"),
        },
        formats={"fee": _fee},
        page=Page("engagements.engagement", "engagement_id"),
        phrases={
            "create": _l(
                "registered %(record)s, engaged by %(department_id)s from %(start_on)s to "
                "%(end_on)s"
            )
        },
    )
