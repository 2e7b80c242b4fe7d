"""How the lawsuits register joins the pages of the packages below it."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from markupsafe import Markup

from cases import queries
from cases.policy import MANAGE, VIEW
from consultations.models import MatterKind, MatterStatus
from core.policy import can


def matter_case(_page, *, matter, **_extra) -> Markup | None:
    """On a dispute matter's page: the case it became, or the office's button to make one."""
    if matter.kind is not MatterKind.DISPUTE:
        return None
    case = queries.case_of_matter(matter.id)
    if case is not None:
        if not can(current_user, VIEW, case):
            return None
        return Markup(render_template("cases/_matter_case.html", case=case, matter=matter))
    if (
        not can(current_user, MANAGE)
        or matter.status is MatterStatus.RETURNED
        or getattr(matter, "voided_at", None) is not None
    ):
        return None
    return Markup(render_template("cases/_matter_case.html", case=None, matter=matter))
