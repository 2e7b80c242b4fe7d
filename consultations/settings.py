"""The consultations' settings: each kind's period, reminders, idleness, the opinion number."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from advisers.settings import check_number_pattern
from consultations.rules import DEFAULT_PERIODS, Kind
from core import settings
from core.settings import SettingSpec

DEFAULT_OPINION_PATTERN = "江府法顾意〔{year}〕{seq}号"

#: each kind's period label, in the kinds' order
_PERIOD_LABELS = {
    Kind.DECISION: _l("Working days for a major decision"),
    Kind.NORMATIVE: _l("Working days for a normative document review"),
    Kind.CONTRACT: _l("Working days for a contract review"),
    Kind.DISPUTE: _l("Working days for a dispute before litigation"),
    Kind.LITIGATION: _l("Working days for a litigation matter"),
    Kind.TRAINING: _l("Working days for a training request"),
    Kind.PUBLICITY: _l("Working days for a publicity request"),
    Kind.OTHER: _l("Working days for other entrusted affairs"),
}


settings.register(
    *(
        SettingSpec(
            f"consultations.period.{kind.value}",
            DEFAULT_PERIODS[kind],
            _PERIOD_LABELS[kind],
            minimum=1,
            maximum=120,
        )
        for kind in Kind
    ),
    SettingSpec(
        "consultations.due_soon_days",
        3,
        _l("Working days before a due date when the lead and the office are reminded"),
        minimum=1,
        maximum=30,
    ),
    SettingSpec(
        "consultations.idle_days",
        90,
        _l("Days without a matter before an adviser or a department is listed as idle"),
        minimum=7,
        maximum=730,
    ),
    SettingSpec(
        "consultations.opinion_pattern",
        DEFAULT_OPINION_PATTERN,
        _l("Legal opinion number pattern"),
        help=_l("{year} is the year the opinion is signed, {seq} the number within that year."),
        check=check_number_pattern,
    ),
)


def period(kind: Kind) -> int:
    """The working days a matter of this kind is given by default."""
    return settings.get(f"consultations.period.{Kind(kind).value}")


def due_soon_days() -> int:
    return settings.get("consultations.due_soon_days")


def idle_days() -> int:
    return settings.get("consultations.idle_days")


def opinion_pattern() -> str:
    return settings.get("consultations.opinion_pattern")
