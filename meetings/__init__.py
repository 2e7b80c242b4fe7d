"""Panel meetings (seed 六.1): planning, notices, leave, attendance and the calendar feed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the meetings' pages, jobs, menu entries and template helpers."""
    from advisers import availability
    from core import logs, menu
    from core.i18n import N_
    from meetings import jobs, queries, trail, views
    from meetings.models import mark_label

    jobs.register_jobs()
    availability.register(queries.approved_leave)
    trail.register()
    app.register_blueprint(views.bp)
    views.register_void_kinds()
    # the feed's address is its key: no log line may give it away
    logs.hide_in_logs(r"/calendar/(?P<secret>[^/?#\s\"]+)\.ics")
    app.add_template_filter(mark_label)
    menu.add(
        app,
        menu.MenuItem("meetings.my_meetings", N_("My meetings"), "meetings.own", order=6),
        menu.MenuItem("meetings.meetings", N_("Meetings"), "meetings.read", order=30),
        menu.MenuItem("meetings.calendar", N_("Calendar"), "meetings.calendar", "user", 20),
    )
