"""What the consultations pages share: loading a matter with access checked, and choices."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from advisers import queries as panel_queries
from consultations.models import Matter
from consultations.policy import VIEW
from core.extensions import db
from core.models import Department
from core.policy import check_or_403


def matter_or_404(matter_id: int, load: Callable[[int], Matter | None] | None = None) -> Matter:
    matter = load(matter_id) if load else db.session.get(Matter, matter_id)
    if matter is None:
        abort(404)
    return matter


def visible_matter(matter_id: int, load=None) -> Matter:
    matter = matter_or_404(matter_id, load)
    check_or_403(VIEW, matter)
    return matter


def not_now(matter: Matter, message: str):
    """Lead back to the matter's page, saying why its step cannot be taken in this state."""
    flash(message, "warning")
    return redirect(url_for("consultations.matter", matter_id=matter.id))


def department_choices(only: int | None = None) -> list[tuple[int, str]]:
    """Departments in use, by name; just the one when `only` is given."""
    stmt = select(Department.id, Department.name).where(Department.is_active.is_(True))
    if only is not None:
        stmt = stmt.where(Department.id == only)
    return [tuple(row) for row in db.session.execute(stmt.order_by(Department.name))]


def specialty_choices() -> list[tuple[int, str]]:
    return [(0, _("— not specified —")), *panel_queries.specialty_choices(str(get_locale()))]
