"""The dashboard and the reports that read more than one package."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the dashboard, the reports and their menu entries."""
    from core import menu
    from core.i18n import N_
    from reports import (
        overview_views,  # noqa: F401  (its pages join the reports blueprint)
        views,
    )

    app.register_blueprint(views.bp)
    menu.add(
        app,
        menu.MenuItem("reports.dashboard", N_("Dashboard"), "reports.read", order=0),
        menu.MenuItem("reports.leader", N_("Overview"), "reports.lead", order=-1),
        menu.MenuItem("reports.index", N_("Reports"), "reports.overview", order=90),
    )
