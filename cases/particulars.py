"""Pure rules for a case's particulars: the amount in 元 or 万元, and the court's case number.

No Flask, no database. Each check returns the value to store, or raises `Refused` with a code
that the form or the service turns into a message beside the field.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

YUAN = "yuan"
WAN = "wan"
UNITS = (YUAN, WAN)
#: decimals each unit allows: cents in 元; in 万元 six places are still whole cents
DECIMALS = {YUAN: 2, WAN: 6}
#: amounts are below a trillion yuan (一万亿元): anything larger is a typing slip
CEILING = Decimal("1000000000000")
CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)

_NUMBER = re.compile(r"\d+(\.\d+)?")
#: a year in brackets (〔〕 too: reconsideration bodies number that way) and 号 at the end
_CASE_NUMBER = re.compile(r"\S*[（〔]\d{4}[）〕]\S*号")


class Refused(ValueError):
    """A value that cannot be stored; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def to_yuan(text: str | None, unit: str = YUAN) -> Decimal | None:
    """Read an amount typed in 元 or 万元 as yuan with two decimals; None when left empty.

    Full-width digits and thousands separators are read; a sign, an exponent or anything else
    is refused ("not_a_number"), as are zero ("not_positive"), more decimals than the unit
    allows ("too_many_decimals") and a trillion yuan or more ("too_large").
    """
    if unit not in UNITS:
        raise Refused("unit")
    cleaned = unicodedata.normalize("NFKC", text or "").strip().replace(",", "").replace(" ", "")
    if not cleaned:
        return None
    if not _NUMBER.fullmatch(cleaned):
        raise Refused("not_a_number")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        raise Refused("not_a_number") from None
    if -number.as_tuple().exponent > DECIMALS[unit]:
        raise Refused("too_many_decimals")
    return check_yuan(number * TEN_THOUSAND if unit == WAN else number)


def check_yuan(amount: Decimal | None) -> Decimal | None:
    """The amount to store: positive, whole cents, below the ceiling; None stays None."""
    if amount is None:
        return None
    if not amount.is_finite():
        raise Refused("not_a_number")
    if amount <= 0:
        raise Refused("not_positive")
    if amount != amount.quantize(CENT, rounding="ROUND_DOWN"):
        raise Refused("too_many_decimals")
    if amount >= CEILING:
        raise Refused("too_large")
    return amount.quantize(CENT)


def in_wan(amount: Decimal | None) -> Decimal | None:
    """The yuan amount in 万元, without trailing zeros: 600000.00 → 60, 499999.99 → 49.999999."""
    if amount is None:
        return None
    wan = (amount / TEN_THOUSAND).quantize(Decimal("0.000001")).normalize()
    return wan.quantize(Decimal(1)) if wan == wan.to_integral_value() else wan


def wan_text(amount: Decimal | None) -> str:
    """The amount in 万元 as shown: thousands separated, no trailing zeros; "" for None."""
    wan = in_wan(amount)
    return "" if wan is None else f"{wan:,f}"


def normalise_case_number(text: str | None) -> str:
    """The case number with full-width brackets and no spaces; "" when none is given yet.

    Checked loosely: a year in brackets and 号 at the end, e.g. （2026）桂0105行初123号.
    """
    cleaned = "".join((text or "").split())
    cleaned = cleaned.replace("(", "（").replace(")", "）")
    if not cleaned:
        return ""
    if not _CASE_NUMBER.fullmatch(cleaned):
        raise Refused("case_number")
    return cleaned
