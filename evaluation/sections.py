"""How the evaluation package joins the pages and events of the packages below it."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from markupsafe import Markup

from core.i18n import today
from core.policy import can
from evaluation import annual_queries, queries, services
from evaluation.policy import READ
from evaluation.rewards import queries as reward_queries


def recheck_dismissal_rule(_meeting, *, adviser_ids, day, **_extra) -> None:
    """Attendance changed: judge these advisers against the dismissal rule again."""
    services.evaluate_advisers(adviser_ids, day)


def close_cases_of_ended_term(term, **_extra) -> None:
    """A term ended: the dismissal cases raised on it no longer apply."""
    services.lapse_cases_of_term(term)


def adviser_attendance(_page, *, adviser, **_extra) -> Markup:
    """The attendance card on an adviser's page, over the rule's window."""
    standing = queries.attendance_standing(adviser, today())
    return Markup(render_template("evaluation/_adviser_attendance.html", standing=standing))


def own_attendance(_page, *, adviser, **_extra) -> Markup:
    """An adviser's own rate on their meetings page, with a warning near the threshold."""
    standing = queries.attendance_standing(adviser, today())
    return Markup(render_template("evaluation/_own_attendance.html", standing=standing))


def adviser_evaluations(_page, *, adviser, **_extra) -> Markup | None:
    """The adviser's yearly evaluations on their page: all of them for the office and leaders,
    the final ones for the adviser."""
    if can(current_user, READ):
        shown = annual_queries.evaluations_of(adviser.id)
    elif adviser.user_id == current_user.id:
        shown = annual_queries.final_evaluations(adviser.id)
    else:
        return None
    return Markup(
        render_template("evaluation/_adviser_evaluations.html", adviser=adviser, evaluations=shown)
    )


def latest_evaluation(_page, *, adviser, **_extra) -> Markup:
    """The latest evaluation, read before a term is renewed."""
    found = annual_queries.latest_evaluation(adviser.id)
    return Markup(
        render_template("evaluation/_latest_evaluation.html", adviser=adviser, evaluation=found)
    )


def adviser_rewards(_page, *, adviser, **_extra) -> Markup | None:
    """The adviser's approved and paid rewards, for the office, leaders and the adviser."""
    if not (can(current_user, READ) or adviser.user_id == current_user.id):
        return None
    rewards = reward_queries.rewards_of(adviser.id)
    if not rewards and not can(current_user, READ):
        return None
    return Markup(render_template("evaluation/rewards/_adviser_rewards.html", rewards=rewards))
