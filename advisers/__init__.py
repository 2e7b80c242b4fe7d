"""The adviser panel: advisers, specialties, nominations, terms and appointment letters."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the panel's pages, jobs, menu entries and template helpers."""
    from flask_babel import lazy_gettext as _l

    from advisers import jobs, views
    from advisers.models import Category, Post
    from advisers.rules import renewal_start
    from core import menu

    jobs.register_jobs()
    app.register_blueprint(views.bp)
    app.add_template_global(Category.labelled, "category_choices")
    app.add_template_global(Post.labelled, "post_choices")
    app.add_template_global(renewal_start)
    menu.add(
        app,
        menu.MenuItem("advisers.my_page", _l("My record"), "advisers.own", order=5),
        menu.MenuItem("advisers.roster", _l("Roster"), "advisers.read", order=10),
        menu.MenuItem("advisers.advisers", _l("All advisers"), "advisers.read", order=20),
        menu.MenuItem(
            "advisers.specialties", _l("Specialties"), "advisers.manage", "admin", order=40
        ),
    )
