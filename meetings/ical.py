"""Meetings in the iCalendar feed (RFC 5545), in China Standard Time with stable UIDs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from core.i18n import TIMEZONE
from core.ical import document, escape, events_for, fold
from core.models import utcnow
from meetings.models import Meeting, MeetingStatus

__all__ = ["calendar", "escape", "fold"]


def _local(value: datetime) -> str:
    return value.astimezone(TIMEZONE).strftime("%Y%m%dT%H%M%S")


def _event(meeting: Meeting, host: str, stamp: str) -> list[str]:
    status = {MeetingStatus.CANCELLED: "CANCELLED"}.get(meeting.status, "CONFIRMED")
    return [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.id}@{host}",
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{meeting.version}",
        f"DTSTART;TZID=Asia/Shanghai:{_local(meeting.starts_at)}",
        f"DTEND;TZID=Asia/Shanghai:{_local(meeting.ends_at)}",
        f"SUMMARY:{escape(meeting.title)}",
        f"LOCATION:{escape(meeting.place)}",
        f"DESCRIPTION:{escape(meeting.agenda or '')}",
        f"STATUS:{status}",
        "END:VEVENT",
    ]


def calendar(meetings: Iterable[Meeting], host: str, name: str, user=None) -> str:
    """The user's feed: their meetings, then what the other packages add for them (the due
    dates of their matters)."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    events = [_event(meeting, host, stamp) for meeting in meetings]
    if user is not None:
        events.extend(events_for(user, host, stamp))
    return document(name, events)
