"""Consultations (seed 六.3): matters of the eight duties, assignment, opinions and adoption,
training and publicity, the work log, and the register of departmental advisers (seed 六.2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the consultations' pages, jobs, menu entries and audit sentences."""
    from consultations import engagements, ical, jobs, settings, trail  # noqa: F401 (settings)
    from consultations.views import bp, register_void_kinds
    from core import ical as feeds
    from core import menu
    from core.i18n import N_

    jobs.register_jobs()
    feeds.register(ical.due_date_events)
    trail.register()
    app.register_blueprint(bp)
    register_void_kinds()
    menu.add(
        app,
        menu.MenuItem("consultations.my_matters", N_("My matters"), "consultations.own", order=4),
        menu.MenuItem(
            "consultations.department", N_("Our requests"), "consultations.department", order=-1
        ),
        menu.MenuItem("consultations.matters", N_("Matters"), "consultations.read", order=25),
        menu.MenuItem(
            "consultations.activities", N_("Training"), "consultations.read_activities", order=27
        ),
    )
    engagements.init_app(app)
