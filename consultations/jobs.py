"""Daily job of consultations: due-soon, due-today, overdue and escalation reminders."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from consultations import queries, rules
from consultations.models import Matter
from consultations.services import telling
from consultations.settings import due_soon_days
from core import workdays
from core.scheduler import register_job

#: working days past due after which the leaders hear of a matter too
ESCALATE_AFTER = 5

_SUBJECTS = {
    rules.Due.SOON: lambda m: _("Due soon: %(title)s (%(due)s)", title=m.title, due=m.due_on),
    rules.Due.TODAY: lambda m: _("Due today: %(title)s", title=m.title),
    rules.Due.OVERDUE: lambda m: _("Overdue: %(title)s (due %(due)s)", title=m.title, due=m.due_on),
}


def _remind(matter: Matter, state: rules.Due) -> None:
    lead = matter.lead
    people = telling.office() + telling.advisers([lead.adviser] if lead else [])
    telling.tell(
        people,
        matter,
        f"{state.value}:{matter.due_on.isoformat()}",
        lambda: _SUBJECTS[state](matter),
        lambda: _("Reference %(reference)s.", reference=matter.reference),
    )


def _escalate(matter: Matter) -> None:
    telling.tell(
        telling.leaders() + telling.office(),
        matter,
        f"escalated:{matter.due_on.isoformat()}",
        lambda: _("Long overdue: %(title)s (due %(due)s)", title=matter.title, due=matter.due_on),
        lambda: _(
            "%(department)s's request %(reference)s has no opinion %(n)d working days after "
            "its due date.",
            department=matter.department.name,
            reference=matter.reference,
            n=ESCALATE_AFTER,
        ),
    )


def remind_due_matters(today: date) -> str:
    """Remind the lead and the office of matters due soon, due today or overdue; tell the
    leaders of matters long overdue. Each reminder goes once per matter and due date."""
    soon = due_soon_days()
    counts = dict.fromkeys(rules.Due, 0)
    escalated = 0
    for matter in queries.due_for_reminders(workdays.add_working_days(today, soon)):
        left = workdays.working_days_between(today, matter.due_on) if matter.due_on > today else 0
        state = rules.due_state(matter.due_on, today, left, soon)
        _remind(matter, state)
        counts[state] += 1
        late = workdays.working_days_between(matter.due_on, today) if matter.due_on < today else 0
        if late >= ESCALATE_AFTER:
            _escalate(matter)
            escalated += 1
    return (
        f"due soon {counts[rules.Due.SOON]}, due today {counts[rules.Due.TODAY]}, "
        f"overdue {counts[rules.Due.OVERDUE]}, escalated {escalated}"
    )


def register_jobs() -> None:
    register_job("remind_due_matters", remind_due_matters, hour=8, minute=30)
