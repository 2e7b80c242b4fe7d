"""What the panel's rules say to people, in their language."""

from __future__ import annotations

from flask_babel import gettext as _

from advisers import rules
from advisers.models import EndReason, Term


def phone_message(value: str) -> str | None:
    """What is wrong with a phone number, in words; None when nothing is."""
    problem = rules.phone_problem(value)
    if problem is rules.PhoneProblem.CHARACTERS:
        return _("Use only digits, spaces, +, - or brackets.")
    if problem is rules.PhoneProblem.DIGITS:
        low, high = rules.PHONE_DIGITS
        return _(
            "A phone number has %(low)d to %(high)d digits; this has %(n)d.",
            low=low,
            high=high,
            n=rules.phone_digits(value),
        )
    return None


def limit_message(problem: rules.LimitProblem, limits: rules.PanelLimits, serving) -> str:
    """Why the panel limits cannot be saved, in words; `serving` is today's PanelSummary."""
    problem_messages = {
        rules.LimitProblem.MIN_ABOVE_MAX: lambda: _(
            "The fewest serving members (%(min)d) cannot be more than the most (%(max)d).",
            min=limits.min_members,
            max=limits.max_members,
        ),
        rules.LimitProblem.POSTS_ABOVE_MAX: lambda: _(
            "%(posts)d directors and deputy directors cannot fit in a panel of at most "
            "%(max)d members.",
            posts=limits.max_directors + limits.max_deputies,
            max=limits.max_members,
        ),
        rules.LimitProblem.MEMBERS_SERVING: lambda: _(
            "%(n)d members serve today, more than %(max)d; end terms first.",
            n=serving.members,
            max=limits.max_members,
        ),
        rules.LimitProblem.DIRECTORS_SERVING: lambda: _(
            "%(n)d director(s) serve today, more than %(max)d; end terms first.",
            n=serving.directors,
            max=limits.max_directors,
        ),
        rules.LimitProblem.DEPUTIES_SERVING: lambda: _(
            "%(n)d deputy director(s) serve today, more than %(max)d; end terms first.",
            n=serving.deputies,
            max=limits.max_deputies,
        ),
    }
    return problem_messages[problem]()


def ending_days(term: Term) -> str:
    """When an ended term stopped, in the same words on every page, record and notice:
    the last day served (最后任职日) and, for a dismissal, the day it took effect (解聘生效日)."""
    if term.end_reason == EndReason.WITHDRAWN:
        return _("Withdrawn before it began.")
    if term.end_reason == EndReason.DISMISSED:
        return _(
            "Last day served: %(last)s; dismissal effective: %(effective)s.",
            last=term.ended_on.isoformat(),
            effective=term.effective_end.isoformat(),
        )
    return _("Last day served: %(last)s.", last=term.ended_on.isoformat())
