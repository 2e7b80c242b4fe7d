"""Rule settings an administrator can see and change; each domain registers its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import select

from core.errors import DomainError
from core.extensions import db
from core.models import Setting
from core.policy import CHANGE_SETTINGS, service


@dataclass(frozen=True)
class SettingSpec:
    """A setting's key, default, label, type and bounds."""

    key: str
    default: int | str
    label: object
    help: object = ""
    minimum: int | None = None
    maximum: int | None = None
    #: extra check on a text value; returns an error message or None
    check: Callable[[str], str | None] | None = None

    @property
    def is_number(self) -> bool:
        return isinstance(self.default, int)

    def parse(self, raw: str) -> int | str:
        """Turn a stored or submitted text into the setting's value, or raise DomainError."""
        raw = (raw or "").strip()
        if not self.is_number:
            message = self.check(raw) if self.check else None
            if not raw or message:
                raise DomainError(message or _("Enter a value."), field="value")
            return raw
        try:
            number = int(raw)
        except ValueError:
            raise DomainError(_("Enter a whole number."), field="value") from None
        if self.minimum is not None and number < self.minimum:
            raise DomainError(_("Enter %(n)d or more.", n=self.minimum), field="value")
        if self.maximum is not None and number > self.maximum:
            raise DomainError(_("Enter %(n)d or less.", n=self.maximum), field="value")
        return number


REGISTRY: dict[str, SettingSpec] = {}
#: checks of the settings against each other and the data: check(values, changed) raises
#: DomainError when the proposed values (with `changed` new) do not make sense together
CHECKS: list[Callable[[dict, str], None]] = []
CACHE_KEY = "counsel_settings"


def register(*specs: SettingSpec) -> None:
    for spec in specs:
        REGISTRY[spec.key] = spec


def register_check(check: Callable[[dict, str], None]) -> None:
    """Add a check that a change must pass, seeing every setting with the change made."""
    if check not in CHECKS:
        CHECKS.append(check)


def stored_values() -> dict[str, str]:
    return dict(db.session.execute(select(Setting.key, Setting.value)).all())


def current_values() -> dict[str, int | str]:
    """Every registered setting's value, read once per request in one query."""
    if has_request_context() and CACHE_KEY in g:
        return g.get(CACHE_KEY)
    values = _read_values()
    if has_request_context():
        setattr(g, CACHE_KEY, values)
    return values


def _read_values() -> dict[str, int | str]:
    stored = stored_values()
    values = {}
    for key, spec in REGISTRY.items():
        try:
            values[key] = spec.parse(stored[key]) if key in stored else spec.default
        except DomainError:
            values[key] = spec.default
    return values


def get(key: str) -> int | str:
    """One setting's value."""
    return current_values()[key]


@service(CHANGE_SETTINGS)
def change_setting(actor, key: str, raw: str) -> Setting:
    """Validate and store a new value for a setting."""
    spec = REGISTRY.get(key)
    if spec is None:
        raise DomainError(_("There is no such setting."))
    value = spec.parse(raw)
    proposed = {**current_values(), key: value}
    for check in CHECKS:
        check(proposed, key)
    if has_request_context():
        g.pop(CACHE_KEY, None)
    setting = db.session.get(Setting, key)
    if setting is None:
        setting = Setting(key=key, value=str(value))
        db.session.add(setting)
    else:
        setting.value = str(value)
    db.session.flush()
    return setting
