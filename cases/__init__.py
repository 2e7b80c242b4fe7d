"""Lawsuits involving the government, lawyer teams, hearings and deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the cases pages, menu entry, audit sentences, search index and page sections."""
    from cases import (  # noqa: F401  (the *_views modules' pages join the register's blueprint)
        cli,
        follow_up_views,
        hearing_views,
        ical,
        jobs,
        particulars,
        performance_views,
        queries,
        sections,
        serious_views,
        team_views,
        trail,
        views,
    )
    from cases.deadlines import on_calendar_changed
    from cases.services import SEARCH_KIND
    from core import ical as feeds
    from core import menu, search, signals
    from core.i18n import N_

    trail.register()
    jobs.register_jobs()
    feeds.register(ical.case_events)
    signals.calendar_changed.connect(on_calendar_changed)
    app.add_template_filter(particulars.wan_text, "wan")
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.deadlines_cli)
    search.register_indexer(SEARCH_KIND, queries.indexed_cases)
    signals.page_sections.connect(sections.matter_case, sender="consultations.matter")
    menu.add(
        app,
        menu.MenuItem("cases.index", N_("Lawsuits"), "cases.read", order=40),
        menu.MenuItem("cases.follow_ups", N_("Court suggestions"), "cases.follow_ups", order=41),
    )
