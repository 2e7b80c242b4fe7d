"""Lawsuits involving the government, lawyer teams, hearings and deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the cases pages and menu entry."""
    from cases import cli, views
    from core import menu
    from core.i18n import N_

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.deadlines_cli)
    menu.add(app, menu.MenuItem("cases.index", N_("Lawsuits"), "cases.read", order=40))
