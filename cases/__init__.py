"""Lawsuits involving the government, lawyer teams, hearings and deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the cases pages, menu entry, audit sentences, search index and page sections."""
    from cases import (
        cli,
        particulars,
        queries,
        sections,
        team_views,  # noqa: F401  (its pages join the register's blueprint)
        trail,
        views,
    )
    from cases.services import SEARCH_KIND
    from core import menu, search, signals
    from core.i18n import N_

    trail.register()
    app.add_template_filter(particulars.wan_text, "wan")
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.deadlines_cli)
    search.register_indexer(SEARCH_KIND, queries.indexed_cases)
    signals.page_sections.connect(sections.matter_case, sender="consultations.matter")
    menu.add(app, menu.MenuItem("cases.index", N_("Lawsuits"), "cases.read", order=40))
