"""What the register's rules say to people, in their language."""

from __future__ import annotations

from flask_babel import gettext as _

from consultations.engagements import rules


def fee_message(error: rules.FeeError) -> str:
    """Why a fee cannot be taken, in words."""
    messages = {
        rules.FeeProblem.NOT_A_NUMBER: lambda: _(
            "“%(value)s” is not an amount of money: write the fee in yuan with digits, "
            "e.g. 12345 or 12,345.50.",
            value=error.value[:20],
        ),
        rules.FeeProblem.NEGATIVE: lambda: _("A fee cannot be negative."),
        rules.FeeProblem.TOO_MANY_PLACES: lambda: _(
            "Give the fee in yuan with at most 2 decimal places (to the fen)."
        ),
        rules.FeeProblem.TOO_LARGE: lambda: _(
            "The fee is too large: at most 999,999,999,999.99 yuan."
        ),
    }
    return messages[error.problem]()
