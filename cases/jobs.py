"""The register's daily job: deadlines, hearings, performance and follow-ups reminded at 7, 3
and 1 days before and on the day; overdue deadlines told to the leaders; the serious events the
calendar raises (a defence deadline passed undone, a judgment not performed in time).

Each reminder goes once per record, due date and step, so a run repeated the same day, or a
date moved, never tells twice, and a moved date is told again.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cases import follow_ups, hearings, performance, serious, telling
from cases.models import (
    Case,
    CaseDeadline,
    CaseHearing,
    CaseMember,
    CaseStatus,
    SeriousKind,
)
from core.extensions import db
from core.i18n import TIMEZONE
from core.notify import notify, path_for
from core.scheduler import register_job
from meetings.queries import between_days

#: days before a due date (and the day itself) on which everyone concerned is reminded
REMIND_DAYS = (7, 3, 1, 0)
#: an unanswered follow-up past its reply date is reminded this often
OVERDUE_EVERY = 7


def _due_text(days: int) -> str:
    if days == 0:
        return _("due today")
    return _("due in %(n)d day(s)", n=days)


def _with_people():
    """Load what telling needs with the case: its team's advisers and their accounts."""
    return joinedload(CaseDeadline.case).selectinload(Case.members).joinedload(CaseMember.adviser)


def _open_deadlines(until: date) -> list[CaseDeadline]:
    return list(
        db.session.scalars(
            select(CaseDeadline)
            .join(Case, Case.id == CaseDeadline.case_id)
            .where(
                CaseDeadline.done_on.is_(None),
                CaseDeadline.due_on <= until,
                Case.status == CaseStatus.OPEN,
            )
            .options(_with_people(), joinedload(CaseDeadline.case).joinedload(Case.department))
            .order_by(CaseDeadline.due_on)
        ).unique()
    )


def _remind_deadline(deadline: CaseDeadline, days: int) -> None:
    case = deadline.case
    telling.tell(
        telling.everyone(case),
        case,
        f"deadline-{deadline.id}:{deadline.due_on.isoformat()}:{days}",
        lambda: _(
            "%(deadline)s %(when)s (%(day)s): %(case)s",
            deadline=deadline.rule_label,
            when=_due_text(days),
            day=deadline.due_on.isoformat(),
            case=case.reference,
        ),
        lambda: telling.about_deadline(deadline),
    )


def _tell_overdue(deadline: CaseDeadline) -> None:
    case = deadline.case
    telling.tell(
        telling.leaders() + telling.office() + telling.department(case),
        case,
        f"deadline-overdue-{deadline.id}:{deadline.due_on.isoformat()}",
        lambda: _(
            "Deadline missed: %(deadline)s (due %(day)s), %(case)s",
            deadline=deadline.rule_label,
            day=deadline.due_on.isoformat(),
            case=case.reference,
        ),
        lambda: _(
            "%(party)s, %(cause)s. Nothing is recorded as done by the due date.",
            party=case.government_party,
            cause=case.cause,
        ),
    )


def remind_deadlines(today: date) -> tuple[int, int]:
    """Remind the team, the office and the department of deadlines coming; tell the leaders
    of those passed undone, and raise a serious event for a missed defence or reply."""
    reminded = overdue = 0
    for deadline in _open_deadlines(today + timedelta(days=max(REMIND_DAYS))):
        days = (deadline.due_on - today).days
        if days in REMIND_DAYS:
            _remind_deadline(deadline, days)
            reminded += 1
        elif days < 0:
            _tell_overdue(deadline)
            if deadline.rule in serious.DEFENCE_RULES:
                serious.raise_event(deadline.case, SeriousKind.MISSED_DEADLINE, deadline, today)
            overdue += 1
    return reminded, overdue


def _remind_hearing(hearing: CaseHearing, days: int) -> None:
    case = hearing.case
    local = hearing.starts_at.astimezone(TIMEZONE)
    telling.tell(
        telling.everyone(case),
        case,
        f"hearing-{hearing.id}:{local.isoformat()}:{days}",
        lambda: _(
            "Hearing %(when)s (%(at)s, %(place)s): %(case)s",
            when=_("in %(n)d day(s)", n=days) if days else _("today"),
            at=local.strftime("%Y-%m-%d %H:%M"),
            place=hearing.place or case.court,
            case=case.reference,
        ),
        lambda: hearings.head_line(case),
    )


def remind_hearings(today: date) -> int:
    """Remind the department (for its head), the team and the office of hearings coming."""
    last = today + timedelta(days=max(REMIND_DAYS))
    hearings = db.session.scalars(
        select(CaseHearing)
        .join(Case, Case.id == CaseHearing.case_id)
        .where(
            CaseHearing.appeared.is_(None),
            Case.status == CaseStatus.OPEN,
            between_days(CaseHearing.starts_at, today, last),
        )
        .options(
            joinedload(CaseHearing.case).joinedload(Case.department),
            joinedload(CaseHearing.case).selectinload(Case.members).joinedload(CaseMember.adviser),
        )
    ).unique()
    reminded = 0
    for hearing in hearings:
        days = (hearing.starts_at.astimezone(TIMEZONE).date() - today).days
        if days in REMIND_DAYS:
            _remind_hearing(hearing, days)
            reminded += 1
    return reminded


def _remind_performance(item, days: int) -> None:
    telling.tell(
        telling.office() + telling.department(item.case),
        item.case,
        f"performance-{item.id}:{item.due_on.isoformat()}:{days}",
        lambda: _(
            "Judgment to perform %(when)s (%(day)s): %(case)s",
            when=_due_text(days),
            day=item.due_on.isoformat(),
            case=item.case.reference,
        ),
        lambda: item.description,
    )


def check_performance(today: date) -> tuple[int, int]:
    """Remind the department and the office of performance coming due; flag the overdue."""
    reminded = flagged = 0
    for item in performance.due_within(today, max(REMIND_DAYS)):
        days = (item.due_on - today).days
        if days in REMIND_DAYS:
            _remind_performance(item, days)
            reminded += 1
    for item in performance.overdue(today):
        serious.raise_event(item.case, SeriousKind.NOT_PERFORMED, item, today)
        flagged += 1
    return reminded, flagged


def _follow_up_due(days: int, late_every: int = 7) -> bool:
    """Before the reply date on the reminder days, then every week it stays unanswered."""
    return days in REMIND_DAYS or (days < 0 and -days % late_every == 0)


def _remind_follow_up(item, days: int) -> None:
    people = telling.office()
    if item.department_id is not None:
        people += telling.liaisons_of(item.department_id)
    notify(
        telling.unique(people),
        lambda: (
            _(
                "%(kind)s awaits its reply, %(when)s (%(day)s)",
                kind=item.kind.label,
                when=_due_text(days) if days >= 0 else _("overdue"),
                day=item.reply_due_on.isoformat(),
            ),
            item.issued_by,
        ),
        link=path_for("cases.follow_up", follow_up_id=item.id),
        key=f"follow-up-{item.id}:{item.reply_due_on.isoformat()}:{days}",
    )


def remind_follow_ups(today: date) -> int:
    """Remind the office and the department of every follow-up until it is answered."""
    reminded = 0
    for item in follow_ups.open_follow_ups():
        days = (item.reply_due_on - today).days
        if _follow_up_due(days, OVERDUE_EVERY):
            _remind_follow_up(item, days)
            reminded += 1
    return reminded


def run_daily(today: date) -> str:
    reminded, overdue = remind_deadlines(today)
    hearings = remind_hearings(today)
    performed, flagged = check_performance(today)
    follow = remind_follow_ups(today)
    return (
        f"deadlines reminded {reminded}, overdue {overdue}; hearings reminded {hearings}; "
        f"performance reminded {performed}, flagged {flagged}; follow-ups reminded {follow}"
    )


def register_jobs() -> None:
    register_job("remind_case_deadlines", run_daily, hour=8, minute=15)
