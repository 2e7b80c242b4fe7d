"""The statutory deadlines of a case, created when a triggering date is entered.

A stage's dates start the rules of `cases.statutes` (complaint copy received: defence,
evidence extension, jurisdiction objection; judgment or ruling served: appeal; judgment
effective: retrial; application received: acceptance review; and so on). Each becomes a
`CaseDeadline` counted on the working-day calendar (`core.workdays.periods`), with the steps
that placed it, so the page can say why it falls where it does. Changing a date recounts the
deadlines it started that are not done; clearing it removes them. A deadline is done on a day,
with its proof; a document posted before expiry is on time by its postmark.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cases import statutes
from cases.models import Case, CaseDeadline, CaseStage, StageKind
from cases.policy import MANAGE
from cases.statutes import Trigger
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import User
from core.policy import service
from core.workdays import current_calendar
from core.workdays.periods import PeriodEnd, Step, extended, period_end


def _copy_served(kind: StageKind) -> Trigger:
    """What the copy served on the government at a stage is: the complaint, the appeal (in
    second instance), or the reconsideration application."""
    if kind is StageKind.RECONSIDERATION:
        return Trigger.APPLICATION_COPY_SERVED
    if kind is StageKind.SECOND_INSTANCE:
        return Trigger.APPEAL_COPY_SERVED
    return Trigger.COMPLAINT_SERVED


def triggers_of(case: Case, stage: CaseStage) -> dict[Trigger, date]:
    """The dates on a stage that start statutory periods, by what they are."""
    found: dict[Trigger, date] = {}
    reconsideration = stage.kind is StageKind.RECONSIDERATION
    if stage.filed_on and (reconsideration or not case.kind.is_litigation):
        found[Trigger.APPLICATION_RECEIVED] = stage.filed_on
    if stage.complaint_served_on:
        found[_copy_served(stage.kind)] = stage.complaint_served_on
    if stage.accepted_on:
        found[Trigger.ACCEPTED] = stage.accepted_on
    if stage.judgment_served_on:
        key = Trigger.RULING_SERVED if stage.is_ruling else Trigger.JUDGMENT_SERVED
        found[key] = stage.judgment_served_on
    if stage.effective_on and case.kind.is_litigation:
        found[Trigger.JUDGMENT_EFFECTIVE] = stage.effective_on
    return found


def count(rule: statutes.Rule, start: date) -> PeriodEnd:
    """The day a rule's period from `start` ends, on the calendar as loaded."""
    return period_end(current_calendar(), start, rule.period)


def _apply(deadline: CaseDeadline, rule: statutes.Rule, start: date, end: PeriodEnd) -> None:
    deadline.starts_on = start
    deadline.due_on = end.day
    deadline.is_provisional = end.is_provisional
    deadline.why = ",".join(step.value for step in end.steps)
    deadline.article = rule.article
    deadline.party = rule.party.value


def after_stage_change(actor: User | None, stage: CaseStage) -> list[CaseDeadline]:
    """Create, recount or remove the deadlines the stage's dates start; done ones stay."""
    case = stage.case
    wanted: dict[str, tuple[statutes.Rule, date]] = {}
    for trigger, day in triggers_of(case, stage).items():
        for rule in statutes.rules_for(case.kind.value, trigger, stage.simplified):
            wanted[rule.code] = (rule, day)
    existing = {d.rule: d for d in case.deadlines if d.stage_id == stage.id}
    for code, deadline in existing.items():
        if code not in wanted and deadline.done_on is None:
            db.session.delete(deadline)
    changed = []
    for code, (rule, start) in wanted.items():
        deadline = existing.get(code)
        if deadline is not None and (deadline.done_on is not None or deadline.starts_on == start):
            continue
        end = count(rule, start)  # reads the calendar: before a new row joins the session
        if deadline is None:
            deadline = CaseDeadline(rule=code)
            _apply(deadline, rule, start, end)
            deadline.case, deadline.stage = case, stage
            db.session.add(deadline)
        else:
            _apply(deadline, rule, start, end)
        changed.append(deadline)
    db.session.flush()
    db.session.expire(case, ["deadlines"])
    return changed


def recount_provisional() -> int:
    """Recount every open deadline counted on a year not loaded then; the calendar changed."""
    moved = 0
    for deadline in db.session.scalars(
        select(CaseDeadline).where(
            CaseDeadline.is_provisional.is_(True), CaseDeadline.done_on.is_(None)
        )
    ):
        rule = statutes.BY_CODE.get(deadline.rule)
        if rule is None:
            continue
        before = deadline.due_on
        _apply(deadline, rule, deadline.starts_on, count(rule, deadline.starts_on))
        moved += deadline.due_on != before
    db.session.flush()
    return moved


def extension(deadline: CaseDeadline) -> PeriodEnd | None:
    """The latest day the law allows when the period is extended (复议 60 + 30 days)."""
    rule = statutes.BY_CODE.get(deadline.rule)
    if rule is None or rule.extension is None:
        return None
    return extended(current_calendar(), count(rule, deadline.starts_on), rule.extension)


@service(MANAGE)
def record_done(
    actor: User,
    deadline: CaseDeadline,
    *,
    done_on: date | None,
    postmarked_on: date | None = None,
    proof: str = "",
) -> CaseDeadline:
    """Record the day the act was done, its proof, and the postmark if it was posted."""
    if done_on is None:
        raise DomainError(_("Enter the day it was done."), field="done_on")
    if done_on > today():
        raise DomainError(_("The day cannot be in the future."), field="done_on")
    if done_on < deadline.starts_on:
        raise DomainError(_("The day cannot be before the period started."), field="done_on")
    if postmarked_on is not None and not deadline.starts_on <= postmarked_on <= done_on:
        raise DomainError(
            _("The postmark must fall between the start of the period and the day it was done."),
            field="postmarked_on",
        )
    if not (proof or "").strip():
        raise DomainError(_("Describe the proof (the receipt, the court's stamp)."), field="proof")
    deadline.done_on = done_on
    deadline.postmarked_on = postmarked_on
    deadline.proof = proof.strip()
    db.session.flush()
    return deadline


def on_time(deadline: CaseDeadline) -> bool | None:
    """Whether it was done in time (a posted document by its postmark); None while open."""
    if deadline.done_on is None:
        return None
    return (deadline.postmarked_on or deadline.done_on) <= deadline.due_on


#: why a deadline falls on its day, one sentence per step of the count
STEP_SENTENCES = {
    Step.ROLLED_FORWARD: _l("The last day is a rest day: the period ends on the next working day."),
    Step.MAKE_UP_DAY: _l(
        "The last day is a make-up working day (调休上班): the period ends on it, the earlier date."
    ),
    Step.MONTH_END: _l("The end month has no such day: the period ends on its last day."),
    Step.WORKING_DAYS: _l("Counted in working days (行政复议法 第八十八条)."),
    Step.EXTENDED_FROM_NOMINAL: _l(
        "The extension counts from the period's last day before any move, the earlier date."
    ),
}


def explain(deadline: CaseDeadline) -> list[str]:
    """Why the deadline falls on its day, sentence by sentence, in the reader's language."""
    sentences = [
        str(STEP_SENTENCES[Step(code)]) for code in (deadline.why or "").split(",") if code
    ]
    if deadline.is_provisional:
        sentences.append(
            _(
                "Provisional: a year on the way has no holiday notice loaded; it is recounted "
                "when one is."
            )
        )
    return sentences
