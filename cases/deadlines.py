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
from sqlalchemy import or_, select

from cases import serious, statutes
from cases.models import (
    PROOF_ON_STAGE,
    Acceptance,
    Case,
    CaseDeadline,
    CaseStage,
    SeriousKind,
    StageKind,
)
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
    if stage.accepted_on and stage.acceptance in (None, Acceptance.ACCEPTED):
        found[Trigger.ACCEPTED] = stage.accepted_on
    if stage.judgment_served_on:
        key = Trigger.RULING_SERVED if stage.is_ruling else Trigger.JUDGMENT_SERVED
        found[key] = stage.judgment_served_on
    if stage.effective_on and case.kind.is_litigation:
        found[Trigger.JUDGMENT_EFFECTIVE] = stage.effective_on
    return found


#: the stage date that records the act a deadline asks for: the body's own acts are done when
#: the stage says so, with no separate entry
DONE_BY_STAGE = {
    "reconsideration_acceptance": "accepted_on",
    "reconsideration_decision": "judgment_on",
    "reconsideration_decision_simplified": "judgment_on",
    "compensation_decision": "judgment_on",
}


def _done_by_stage(deadline: CaseDeadline, stage: CaseStage) -> None:
    """Mark done a deadline whose act is a date on the stage (the review, the decision)."""
    name = DONE_BY_STAGE.get(deadline.rule)
    day = getattr(stage, name) if name else None
    if day is not None and deadline.done_on is None:
        deadline.done_on = day
        deadline.proof = PROOF_ON_STAGE


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
        if deadline is None or (deadline.done_on is None and deadline.starts_on != start):
            end = _end(rule, start, deadline)  # reads the calendar: before a row joins the session
            if deadline is None:
                deadline = CaseDeadline(rule=code)
                deadline.case, deadline.stage = case, stage
                db.session.add(deadline)
            _apply(deadline, rule, start, end)
            changed.append(deadline)
        _done_by_stage(deadline, stage)
    db.session.flush()
    db.session.expire(case, ["deadlines"])
    return changed


def recount_for_year(year: int) -> int:
    """Recount the open deadlines a change to the year's holidays may move: those counted
    while it was not loaded, and those whose period reaches into it. Returns how many moved."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    moved = 0
    for deadline in db.session.scalars(
        select(CaseDeadline).where(
            CaseDeadline.done_on.is_(None),
            or_(
                CaseDeadline.is_provisional.is_(True),
                (CaseDeadline.due_on >= first) & (CaseDeadline.starts_on <= last),
            ),
        )
    ):
        rule = statutes.BY_CODE.get(deadline.rule)
        if rule is None:
            continue
        before = deadline.due_on
        _apply(deadline, rule, deadline.starts_on, _end(rule, deadline.starts_on, deadline))
        moved += deadline.due_on != before
    db.session.flush()
    return moved


def on_calendar_changed(year: int, **_extra) -> None:
    """The receiver of core.signals.calendar_changed."""
    recount_for_year(year)


def _end(rule: statutes.Rule, start: date, deadline: CaseDeadline | None) -> PeriodEnd:
    """Where the period ends: with its extension once the deadline was extended."""
    end = count(rule, start)
    if deadline is not None and deadline.extension_reason and rule.extension is not None:
        return extended(current_calendar(), end, rule.extension)
    return end


def extension(deadline: CaseDeadline) -> PeriodEnd | None:
    """The latest day the law allows when the period is extended (复议 60 + 30 days)."""
    rule = statutes.BY_CODE.get(deadline.rule)
    if rule is None or rule.extension is None:
        return None
    return extended(current_calendar(), count(rule, deadline.starts_on), rule.extension)


@service(MANAGE)
def extend(actor: User, deadline: CaseDeadline, *, reason: str) -> CaseDeadline:
    """Extend a period the law lets the body extend (复议决定 延长), once, with the reason."""
    rule = statutes.BY_CODE.get(deadline.rule)
    if rule is None or rule.extension is None:
        raise DomainError(_("The law allows no extension of this period."))
    if deadline.extension_reason:
        raise DomainError(_("The period was extended already; the law allows it once."))
    if deadline.done_on is not None:
        raise DomainError(_("The act is done: there is nothing to extend."))
    if deadline.due_on < today():
        raise DomainError(_("The period has ended: it can only be extended before it does."))
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for the extension."), field="reason")
    end = extended(current_calendar(), count(rule, deadline.starts_on), rule.extension)
    deadline.extension_reason = reason.strip()
    _apply(deadline, rule, deadline.starts_on, end)
    db.session.flush()
    return deadline


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
    if not on_time(deadline) and deadline.rule in serious.DEFENCE_RULES:
        serious.raise_event(deadline.case, SeriousKind.MISSED_DEADLINE, deadline)
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
