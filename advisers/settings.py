"""The panel's settings: registered with core.settings and read as PanelLimits."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advisers.rules import PanelLimits, letter_pattern_problem
from core import settings
from core.settings import SettingSpec

DEFAULT_LETTER_PATTERN = "江府法顾聘〔{year}〕{seq}号"


def check_number_pattern(pattern: str) -> str | None:
    """What is wrong with a document-number pattern (letters, opinions), or None."""
    problem = letter_pattern_problem(pattern)
    if problem == "missing_seq":
        return _("The pattern must contain {seq}, where the sequence number goes.")
    if problem == "too_long":
        return _("The pattern is too long; keep letter numbers under 60 characters.")
    return None


settings.register(
    SettingSpec("panel.min_members", 5, _l("Fewest serving members"), minimum=1, maximum=99),
    SettingSpec("panel.max_members", 15, _l("Most serving members"), minimum=1, maximum=99),
    SettingSpec("panel.max_directors", 1, _l("Directors"), minimum=0, maximum=5),
    SettingSpec("panel.max_deputies", 3, _l("Deputy directors"), minimum=0, maximum=10),
    SettingSpec("panel.term_years", 3, _l("Term length in years"), minimum=1, maximum=10),
    SettingSpec(
        "panel.letter_pattern",
        DEFAULT_LETTER_PATTERN,
        _l("Appointment letter number pattern"),
        help=_l("{year} is the year of the term's start, {seq} the number within that year."),
        check=check_number_pattern,
    ),
)


def panel_limits(values: dict | None = None) -> PanelLimits:
    """The panel limits in force."""
    values = values or settings.current_values()
    return PanelLimits(
        min_members=values["panel.min_members"],
        max_members=values["panel.max_members"],
        max_directors=values["panel.max_directors"],
        max_deputies=values["panel.max_deputies"],
        term_years=values["panel.term_years"],
    )


def letter_pattern() -> str:
    return settings.get("panel.letter_pattern")
