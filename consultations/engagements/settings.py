"""The register's setting: how many days before a contract ends the office is reminded."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core import settings
from core.settings import SettingSpec

REMIND_DAYS = "engagements.remind_days"

settings.register(
    SettingSpec(
        REMIND_DAYS,
        30,
        _l("Days before a departmental adviser's contract ends to remind the office"),
        help=_l(
            "The office is told once per contract; the register shows such contracts as "
            "ending soon."
        ),
        minimum=1,
        maximum=365,
    )
)


def remind_days() -> int:
    """The days before a contract's end from which it is ending soon and the office is told."""
    return int(settings.get(REMIND_DAYS))
