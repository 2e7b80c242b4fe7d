"""The cases in a user's calendar feed: the due dates of open statutory deadlines (whole-day
events) and the hearings to come, for the cases the user may see."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from cases import statutes
from cases.models import Case, CaseDeadline, CaseHearing, CaseStatus
from cases.policy import visible_to
from core.extensions import db
from core.i18n import TIMEZONE
from core.ical import all_day_event, escape

#: a hearing's block in the calendar: the court gives a start, not an end
HEARING_BLOCK = timedelta(hours=2)


def _local(value) -> str:
    return value.astimezone(TIMEZONE).strftime("%Y%m%dT%H%M%S")


def deadline_events(user, host: str, stamp: str) -> list[list[str]]:
    rows = db.session.execute(
        visible_to(
            user,
            select(
                CaseDeadline.id,
                CaseDeadline.rule,
                CaseDeadline.due_on,
                CaseDeadline.article,
                CaseDeadline.version,
                Case.reference,
                Case.cause,
            )
            .join(Case, Case.id == CaseDeadline.case_id)
            .where(CaseDeadline.done_on.is_(None), Case.status == CaseStatus.OPEN),
        ).order_by(CaseDeadline.due_on)
    )
    events = []
    for row in rows:
        rule = statutes.BY_CODE.get(row.rule)
        label = _(rule.label) if rule else row.rule
        events.append(
            all_day_event(
                f"case-deadline-{row.id}@{host}",
                row.due_on,
                f"{label}：{row.reference} {row.cause}",
                row.article,
                stamp,
                row.version,
            )
        )
    return events


def hearing_events(user, host: str, stamp: str) -> list[list[str]]:
    rows = db.session.execute(
        visible_to(
            user,
            select(
                CaseHearing.id,
                CaseHearing.starts_at,
                CaseHearing.place,
                CaseHearing.version,
                Case.reference,
                Case.cause,
                Case.court,
            )
            .join(Case, Case.id == CaseHearing.case_id)
            .where(Case.status == CaseStatus.OPEN),
        ).order_by(CaseHearing.starts_at)
    )
    label = _("Hearing")
    return [
        [
            "BEGIN:VEVENT",
            f"UID:case-hearing-{row.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"SEQUENCE:{row.version}",
            f"DTSTART;TZID=Asia/Shanghai:{_local(row.starts_at)}",
            f"DTEND;TZID=Asia/Shanghai:{_local(row.starts_at + HEARING_BLOCK)}",
            f"SUMMARY:{escape(f'{label}：{row.reference} {row.cause}')}",
            f"LOCATION:{escape(row.place or row.court)}",
            f"DESCRIPTION:{escape(row.court)}",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
        for row in rows
    ]


def case_events(user, host: str, stamp: str) -> list[list[str]]:
    """What the register adds to the user's feed."""
    return deadline_events(user, host, stamp) + hearing_events(user, host, stamp)
