"""Pure rules of the engagements register: reading a fee, a contract's state on a day, and
when the office is reminded before a contract ends. No Flask, no database."""

from __future__ import annotations

import enum
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

#: Numeric(14, 2): twelve digits of yuan, two of fen
FEE_PLACES = 2
FEE_MAX = Decimal("999999999999.99")
#: digits, optionally grouped by thousands with commas, optionally with a decimal part
_AMOUNT = re.compile(r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
#: what people write around an amount of yuan: a currency sign before it, 元 after it
_CURRENCY_SIGNS = ("¥", "RMB", "CNY")
_UNIT = "元"


class FeeProblem(enum.Enum):
    """Why a fee cannot be read."""

    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    TOO_MANY_PLACES = "too_many_places"
    TOO_LARGE = "too_large"


class FeeError(ValueError):
    """A fee that cannot be taken, and why."""

    def __init__(self, problem: FeeProblem, value: str):
        super().__init__(problem.value)
        self.problem = problem
        self.value = value


def parse_fee(raw: str | Decimal | None) -> Decimal | None:
    """Read a fee in yuan: "12,345.5", "¥12345", "１２３４５元" are 12345.50 and 12345.00.

    Empty means no fee recorded (None). A negative amount, more than two decimal places,
    more than twelve digits of yuan, or anything that is not an amount raises FeeError.
    """
    if raw is None:
        return None
    if isinstance(raw, Decimal):
        return _checked(raw, str(raw))
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    if not text:
        return None
    shown = text
    negative = text.startswith("-")
    text = text.removeprefix("-").removeprefix("+")
    for sign in _CURRENCY_SIGNS:
        text = text.removeprefix(sign)
    text = text.removesuffix(_UNIT)
    if not _AMOUNT.fullmatch(text):
        raise FeeError(FeeProblem.NOT_A_NUMBER, shown)
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
        raise FeeError(FeeProblem.NOT_A_NUMBER, shown) from None
    return _checked(-amount if negative else amount, shown)


def _checked(amount: Decimal, shown: str) -> Decimal:
    if not amount.is_finite():
        raise FeeError(FeeProblem.NOT_A_NUMBER, shown)
    if amount < 0:
        raise FeeError(FeeProblem.NEGATIVE, shown)
    exponent = amount.as_tuple().exponent
    if (
        isinstance(exponent, int)
        and -exponent > FEE_PLACES
        and amount != amount.quantize(Decimal(1).scaleb(-FEE_PLACES))
    ):
        raise FeeError(FeeProblem.TOO_MANY_PLACES, shown)
    amount = amount.quantize(Decimal(1).scaleb(-FEE_PLACES))
    if amount > FEE_MAX:
        raise FeeError(FeeProblem.TOO_LARGE, shown)
    return amount


class State(enum.StrEnum):
    """Where a contract stands on a day."""

    UPCOMING = "upcoming"
    IN_FORCE = "in_force"
    ENDING = "ending"
    ENDED = "ended"


def ends_within(end_on: date, today: date, days: int) -> bool:
    """Whether the contract's last day is today or within `days` days from today (inclusive):
    with 30 days, a contract ending 30 days from today is reminded of, one ending in 31 not."""
    return 0 <= (end_on - today).days <= days


def state_on(start_on: date, end_on: date, today: date, ending_days: int) -> State:
    """The contract's state on a day: ended once its last day has passed, ending soon in its
    last `ending_days` days, not yet in force before its first day, else in force."""
    if end_on < today:
        return State.ENDED
    if ends_within(end_on, today, ending_days):
        return State.ENDING
    if start_on > today:
        return State.UPCOMING
    return State.IN_FORCE


def reminder_key(engagement_id: int, end_on: date) -> str:
    """The key of the reminder before a contract ends: once per engagement and end date, so a
    contract extended to a later date is reminded of again before its new end."""
    return f"engagement-ending:{engagement_id}:{end_on.isoformat()}"
