"""What a refused particular is told, beside its field: shared by the forms and the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

REFUSALS = {
    "unit": _l("Choose 元 or 万元."),
    "not_a_number": _l("Enter the amount as a number, such as 600000 or 60.5."),
    "not_positive": _l(
        "The amount must be above zero; leave it empty when no property is involved."
    ),
    "too_many_decimals": _l("Enter at most two decimals in 元, or six in 万元."),
    "too_large": _l("The amount must be below ¥1,000,000,000,000; check the figure and the unit."),
    "case_number": _l(
        "Enter the case number with its year in brackets and ending in 号, such as"
        " （2026）桂0105行初123号, or leave it empty until the court gives one."
    ),
}
