"""An iCalendar (RFC 5545) feed of meetings, in China Standard Time with stable UIDs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from core.i18n import TIMEZONE
from core.models import utcnow
from meetings.models import Meeting, MeetingStatus

VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    parts, current = [], ""
    for char in line:
        limit = 75 if not parts else 74
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = char
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)


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


def calendar(meetings: Iterable[Meeting], host: str, name: str) -> str:
    """The whole feed as text with CRLF line ends."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Counsel//Legal Adviser Office//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
        *VTIMEZONE,
    ]
    for meeting in meetings:
        lines.extend(_event(meeting, host, stamp))
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
