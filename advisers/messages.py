"""What the panel's rules say to people, in their language."""

from __future__ import annotations

from flask_babel import gettext as _

from advisers import rules


def phone_message(value: str) -> str | None:
    """What is wrong with a phone number, in words; None when nothing is."""
    problem = rules.phone_problem(value)
    if problem is rules.PhoneProblem.CHARACTERS:
        return _("Use only digits, spaces, +, - or brackets.")
    if problem is rules.PhoneProblem.DIGITS:
        low, high = rules.PHONE_DIGITS
        digits = sum(ch.isdigit() for ch in value)
        return _(
            "A phone number has %(low)d to %(high)d digits; this has %(n)d.",
            low=low,
            high=high,
            n=digits,
        )
    return None
