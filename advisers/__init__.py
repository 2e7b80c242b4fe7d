"""The adviser panel: advisers, specialties, nominations, terms and appointment letters."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the panel's pages, jobs, menu entries and template helpers."""
    from advisers import jobs, services, trail, views
    from advisers.messages import ending_days
    from advisers.models import Category, Post
    from advisers.pool import trail as pool_trail
    from advisers.pool import views as pool_views
    from advisers.rules import renewal_start
    from core import menu, settings
    from core.i18n import N_

    jobs.register_jobs()
    trail.register()
    app.register_blueprint(views.bp)
    pool_trail.register()
    app.register_blueprint(pool_views.bp)
    views.register_void_kinds()
    settings.register_check(services.check_panel_settings)
    app.add_template_global(Category.labelled, "category_choices")
    app.add_template_global(Post.labelled, "post_choices")
    app.add_template_global(renewal_start)
    app.add_template_global(ending_days)
    menu.add(
        app,
        menu.MenuItem("advisers.my_page", N_("My record"), "advisers.own", order=5),
        menu.MenuItem("advisers.roster", N_("Roster"), "advisers.read", order=10),
        menu.MenuItem("advisers.advisers", N_("All advisers"), "advisers.read", order=20),
        menu.MenuItem("pool.pool", N_("Talent pool"), "advisers.pool_read", order=22),
        menu.MenuItem(
            "advisers.specialties", N_("Specialties"), "advisers.manage", "admin", order=40
        ),
    )
