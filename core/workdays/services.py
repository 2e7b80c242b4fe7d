"""Entering a year's holidays from the State Council's notice: every change audited."""

from __future__ import annotations

from flask_babel import gettext as _

from core import signals
from core.errors import DomainError
from core.extensions import db
from core.models import User, utcnow
from core.policy import service
from core.services import check_version
from core.workdays.models import CalendarSource, Holiday, HolidayYear
from core.workdays.policy import MANAGE_HOLIDAYS
from core.workdays.queries import forget_calendar, preview_year


@service(MANAGE_HOLIDAYS)
def enter_holiday_year(
    actor: User | None,
    year: int,
    *,
    text: str,
    notice: str,
    doc_no: str | None = None,
    reason: str | None = None,
    version: str | int | None = None,
) -> HolidayYear:
    """Enter or replace a year's days off and make-up working days from its notice.

    Nothing is written unless every line is right. Replacing a loaded year (seeded or entered)
    needs the version the form was opened on and a reason; days that stay as they were are
    left alone, so the trail shows only what changed.
    """
    preview = preview_year(year, text)
    record = preview.existing
    reason = (reason or "").strip() or None
    if record is not None:
        if version in (None, ""):
            raise DomainError(
                _(
                    "The holidays of %(year)d are loaded already: open the year from the list "
                    "and choose to replace it.",
                    year=year,
                ),
                field="year",
            )
        check_version(record, version)
        if reason is None:
            raise DomainError(
                _("Say why the holidays of %(year)d are replaced.", year=year), field="reason"
            )
    else:
        record = HolidayYear(year=year)
        db.session.add(record)
    record.source = CalendarSource.ADMIN
    record.notice = notice.strip()
    record.doc_no = (doc_no or "").strip() or None
    record.loaded_at = utcnow()
    record.loaded_by_id = actor.id if actor is not None else None
    record.change_reason = reason
    _replace_days(record, preview.days)
    db.session.flush()
    forget_calendar()
    signals.calendar_changed.send(year)
    return record


def _replace_days(record: HolidayYear, days) -> None:
    held = {holiday.day: holiday for holiday in record.days}
    for day, (kind, name) in sorted(days.items()):
        holiday = held.get(day)
        if holiday is None:
            record.days.append(Holiday(day=day, kind=kind, name=name))
        else:
            holiday.kind, holiday.name = kind, name
    for day, holiday in held.items():
        if day not in days:
            record.days.remove(holiday)
            db.session.delete(holiday)  # an orphan deleted by the flush would miss the trail
