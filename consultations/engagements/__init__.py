"""The register of advisers that towns and departments engage on their own (seed 六.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the engagements' pages, reminder job, menu entry and audit sentences."""
    from consultations.engagements import jobs, trail, views
    from core import menu
    from core.i18n import N_

    # the jobs read the reminder setting: importing them registers it with core.settings
    jobs.register_jobs()
    trail.register()
    app.register_blueprint(views.bp)
    views.register_void_kinds()
    menu.add(
        app,
        menu.MenuItem(
            "engagements.engagements", N_("Departmental advisers"), "engagements.read", order=35
        ),
    )
