"""Evaluation of how advisers serve: the dismissal rule (seed 六.4), its candidates and the
office's decisions; the yearly evaluation under the office's scheme; later rewards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the pages (the rewards' too), the nightly job, the menu entries and the
    reactions to meetings."""
    from advisers.signals import term_ended
    from core import menu, signals
    from core.i18n import N_
    from evaluation import (
        annual_views,  # noqa: F401  (its pages join the evaluation blueprint)
        jobs,
        own_views,  # noqa: F401  (an adviser's own evaluations)
        sections,
        trail,
        views,
    )
    from evaluation.rewards import trail as reward_trail
    from evaluation.rewards import views as reward_views
    from meetings.signals import attendance_changed

    jobs.register_jobs()
    trail.register()
    trail.register_evaluations()
    app.register_blueprint(views.bp)
    reward_trail.register()
    app.register_blueprint(reward_views.bp)
    attendance_changed.connect(sections.recheck_dismissal_rule)
    term_ended.connect(sections.close_cases_of_ended_term)
    signals.page_sections.connect(sections.adviser_attendance, sender="advisers.adviser")
    signals.page_sections.connect(sections.own_attendance, sender="meetings.my_meetings")
    signals.page_sections.connect(sections.adviser_evaluations, sender="advisers.adviser")
    signals.page_sections.connect(sections.latest_evaluation, sender="advisers.renew")
    signals.page_sections.connect(sections.adviser_rewards, sender="advisers.adviser")
    menu.add(
        app,
        menu.MenuItem(
            "evaluation.candidates", N_("Dismissal candidates"), "evaluation.read", "admin", 20
        ),
        menu.MenuItem("evaluation.rule", N_("The dismissal rule"), "evaluation.read", "admin", 30),
        menu.MenuItem(
            "evaluation.evaluations", N_("Yearly evaluation"), "evaluation.read", "admin", 25
        ),
        menu.MenuItem(
            "evaluation.own_evaluations", N_("My evaluations"), "evaluation.own", order=7
        ),
        menu.MenuItem("rewards.rewards", N_("Rewards"), "evaluation.read", "admin", 27),
    )
