"""Rule settings an administrator can see and change; each domain registers its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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


@dataclass(frozen=True)
class OfficeNames:
    """The names printed on letters and notices, set for the district that runs the product."""

    #: the government that appoints the panel, e.g. 江南区人民政府
    government: str
    #: the panel itself, e.g. 江南区人民政府法律顾问室
    panel: str
    #: the body that runs the panel's daily work (法制办, or 司法局 where it took over)
    office: str
    #: the office's contact line printed on notices
    contact: str


def _short_text(limit: int) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if len(value) > limit:
            return _("Keep this under %(n)d characters.", n=limit)
        return None

    return check


register(
    SettingSpec(
        "office.government",
        "江南区人民政府",
        _l("Name of the district government"),
        check=_short_text(60),
    ),
    SettingSpec(
        "office.panel",
        "江南区人民政府法律顾问室",
        _l("Name of the adviser panel"),
        check=_short_text(60),
    ),
    SettingSpec(
        "office.office",
        "江南区司法局",
        _l("Office that runs the panel (法制办 or 司法局)"),
        check=_short_text(60),
    ),
    SettingSpec(
        "office.contact",
        "区司法局法治督察科 0771-0000000",
        _l("Contact printed on notices"),
        check=_short_text(80),
    ),
)


def office_names() -> OfficeNames:
    """The names in force, for printing."""
    values = current_values()
    return OfficeNames(
        government=values["office.government"],
        panel=values["office.panel"],
        office=values["office.office"],
        contact=values["office.contact"],
    )
