"""The dashboard and the reports that read more than one package."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the dashboard, the reports and their menu entries."""
    from core import menu
    from core.i18n import N_
    from reports import views

    app.register_blueprint(views.bp)
    menu.add(app, menu.MenuItem("reports.dashboard", N_("Dashboard"), "reports.read", order=0))
