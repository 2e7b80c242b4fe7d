"""Applying the dismissal rule to the panel: gather attendance, judge, raise candidates; and
the office's decisions on them.

The rule runs every night and whenever meetings report changed attendance. It is idempotent:
a candidate is keyed by its evidence, so the same absences never raise the same adviser twice
while the case is open or once a person has decided it (dismissed or kept). A case that lapsed
(a mark corrected, a threshold raised, the window moved on) opens again when its evidence
holds again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from advisers import rules as panel_rules
from advisers import services as panel_services
from advisers.messages import ending_days
from advisers.models import Adviser, EndReason, Term
from advisers.queries import accounts_of, serving_on
from core.errors import DomainError
from core.extensions import db
from core.i18n import TIMEZONE, today
from core.models import Role, User, utcnow
from core.notify import notify, path_for, users_with_roles
from core.policy import service
from evaluation import rules
from evaluation.assignments import asks_of, matters_of
from evaluation.models import CandidateStatus, DismissalCandidate, DismissalRuleVersion
from evaluation.policy import CHANGE_RULE, DECIDE
from meetings.models import Meeting
from meetings.queries import attendance_records


def current_rule_version() -> DismissalRuleVersion:
    """The rule in force: the latest version, or the plan's defaults before any is stored.

    A migration stores the defaults as version 1, so a read never writes.
    """
    version = db.session.scalar(
        select(DismissalRuleVersion).order_by(DismissalRuleVersion.id.desc()).limit(1)
    )
    return version if version is not None else default_rule_version()


def default_rule_version() -> DismissalRuleVersion:
    """The plan's thresholds as an unsaved version."""
    default = rules.DismissalRule()
    return DismissalRuleVersion(
        consecutive_absences=default.consecutive_absences,
        min_rate=default.min_rate,
        window_months=default.window_months,
        min_meetings=default.min_meetings,
        ignored_matters=default.ignored_matters,
        answer_days=default.answer_days,
    )


def _stored_rule_version() -> DismissalRuleVersion:
    """The rule in force, stored when it is still the unsaved default (candidates cite it)."""
    version = current_rule_version()
    if version.id is None:
        db.session.add(version)
        db.session.flush()
    return version


def serving_since(terms: list[Term], current: Term) -> date:
    """The first day of the adviser's unbroken service up to the current term (renewals join)."""
    start = current.start_on
    for term in sorted(terms, key=lambda t: t.start_on, reverse=True):
        if term.start_on < start and (start - term.last_day).days == 1:
            start = term.start_on
    return start


def _serving_terms(adviser_ids: Iterable[int] | None, day: date) -> list[Term]:
    stmt = (
        select(Term)
        .where(serving_on(day))
        .options(selectinload(Term.adviser).selectinload(Adviser.terms))
    )
    if adviser_ids is not None:
        stmt = stmt.where(Term.adviser_id.in_(list(set(adviser_ids))))
    return list(db.session.scalars(stmt))


def _meeting_titles(findings) -> dict[int, tuple[str, date]]:
    ids = {a.meeting_id for f in findings for a in (*f.run, *f.window)}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Meeting.id, Meeting.title, Meeting.starts_at).where(Meeting.id.in_(ids))
    )
    return {i: (title, at.astimezone(TIMEZONE).date()) for i, title, at in rows}


def _ignored_evidence(finding: rules.Finding, rule: rules.DismissalRule, today: date) -> list:
    matters = matters_of(finding.ignored_ids)
    return [
        {
            "assignment_id": ask.assignment_id,
            "matter_id": matters.get(ask.assignment_id, (None, ""))[0],
            "title": matters.get(ask.assignment_id, (None, ""))[1],
            "assigned_on": ask.assigned_on.isoformat(),
            "day": rules.ignored_on(ask, rule, today).isoformat(),
            "outcome": "declined" if ask.declined else "unanswered",
        }
        for ask in finding.ignored
    ]


def _evidence(finding: rules.Finding, titles, rule: rules.DismissalRule, today: date) -> dict:
    def listed(records):
        return [
            {
                "meeting_id": r.meeting_id,
                "day": r.day.isoformat(),
                "title": titles.get(r.meeting_id, ("", None))[0],
                "mark": r.mark or "",
            }
            for r in records
        ]

    return {
        "reasons": list(finding.reasons),
        "run": listed(finding.run),
        "window": listed(finding.window),
        "rate": str(finding.rate) if finding.rate is not None else None,
        "window_start": finding.window_start.isoformat() if finding.window_start else None,
        "ignored": _ignored_evidence(finding, rule, today),
    }


def evidence_summary(evidence: dict) -> str:
    """The evidence in one paragraph, for the term's end note and the adviser's history."""
    parts = []
    if evidence.get("run"):
        days = "、".join(r["day"] for r in evidence["run"] if r["mark"] == "absent")
        parts.append(_("Absent without excuse from consecutive meetings on %(days)s.", days=days))
    if "low_rate" in evidence.get("reasons", []):
        parts.append(
            _(
                "Attendance rate %(rate)s%% since %(start)s.",
                rate=evidence["rate"],
                start=evidence["window_start"],
            )
        )
    if evidence.get("graded"):
        parts.append(
            _(
                "Graded 不称职 in the yearly evaluation for %(year)d.",
                year=evidence["graded"]["year"],
            )
        )
    ignored = evidence.get("ignored", [])
    if ignored:
        declined = sum(1 for item in ignored if item["outcome"] == "declined")
        parts.append(
            _(
                "Declined %(declined)d and left %(unanswered)d unanswered of the matters "
                "assigned since %(start)s.",
                declined=declined,
                unanswered=len(ignored) - declined,
                start=evidence["window_start"],
            )
        )
    return " ".join(parts)


def waived_absences(candidates: list[DismissalCandidate]) -> set[int]:
    """The absences already weighed in waivers: they do not raise the adviser again."""
    return {
        record["meeting_id"]
        for c in candidates
        if c.status == CandidateStatus.WAIVED
        for record in (*c.evidence.get("run", []), *c.evidence.get("window", []))
        if record["mark"] == "absent"
    }


def waived_assignments(candidates: list[DismissalCandidate]) -> set[int]:
    """The assignments already weighed in waivers: they do not raise the adviser again."""
    return {
        item["assignment_id"]
        for c in candidates
        if c.status == CandidateStatus.WAIVED
        for item in c.evidence.get("ignored", [])
    }


def _weighed_already(finding: rules.Finding, candidates: list[DismissalCandidate]) -> bool:
    """A person already weighed every absence and every ignored matter, and kept the adviser."""
    return finding.missed_ids <= waived_absences(candidates) and (
        finding.ignored_ids <= waived_assignments(candidates)
    )


def _existing_candidates(adviser_ids) -> dict[int, list[DismissalCandidate]]:
    found = defaultdict(list)
    stmt = select(DismissalCandidate).where(DismissalCandidate.adviser_id.in_(list(adviser_ids)))
    for candidate in db.session.scalars(stmt):
        found[candidate.adviser_id].append(candidate)
    return found


#: a person has weighed this evidence: the same absences never raise the adviser again
DECIDED = (CandidateStatus.DISMISSED, CandidateStatus.WAIVED)


def evaluate_advisers(adviser_ids: Iterable[int] | None, today: date) -> list[DismissalCandidate]:
    """Judge these advisers (None: all of them) against the rule.

    A serving adviser who meets it gets a case, unless the same evidence is open or was decided
    already; a case that lapsed comes back when its evidence does. Open cases whose evidence no
    longer holds, or whose adviser no longer serves, lapse.
    """
    version = _stored_rule_version()
    rule = version.as_rule()
    terms = _serving_terms(adviser_ids, today)
    _lapse_unserved(adviser_ids, {t.adviser_id for t in terms})
    if not terms:
        return []
    records = attendance_records(t.adviser_id for t in terms)
    asks = asks_of(t.adviser_id for t in terms)
    existing = _existing_candidates(t.adviser_id for t in terms)
    findings = {}
    for term in terms:
        since = serving_since(term.adviser.terms, term)
        finding = rules.evaluate(
            records[term.adviser_id], rule, today, since, asks[term.adviser_id]
        )
        findings[term.adviser_id] = (term, finding)
    titles = _meeting_titles([f for _t, f in findings.values() if f])
    raised = []
    for adviser_id, (term, finding) in findings.items():
        candidates = existing[adviser_id]
        key = finding.key if finding else None
        for candidate in candidates:
            if candidate.is_open and candidate.evidence_key != key and not is_graded(candidate):
                candidate.status = CandidateStatus.LAPSED
        if finding is None or _already_raised(candidates, key):
            continue
        if _weighed_already(finding, candidates):
            continue
        case = next((c for c in candidates if c.evidence_key == key), None)
        case = case or DismissalCandidate(adviser_id=adviser_id, evidence_key=key)
        _raise(case, term, version, finding, titles, today)
        raised.append(case)
    db.session.flush()
    _tell_office(raised)
    return raised


#: a case raised by a 不称职 grade is keyed by the year evaluated, not by attendance
GRADED_KEY = "graded:"


def is_graded(candidate: DismissalCandidate) -> bool:
    return candidate.evidence_key.startswith(GRADED_KEY)


def raise_for_grade(adviser: Adviser, *, year: int, evaluation_id: int, day: date) -> None:
    """A final 不称职 grade raises a dismissal case for a serving adviser, once per year
    evaluated; like any case it waits for a person's decision."""
    term = db.session.scalar(select(Term).where(Term.adviser_id == adviser.id, serving_on(day)))
    if term is None:
        return
    key = f"{GRADED_KEY}{year}"
    case = db.session.scalar(
        select(DismissalCandidate).where(
            DismissalCandidate.adviser_id == adviser.id, DismissalCandidate.evidence_key == key
        )
    )
    if case is not None and (case.is_open or case.status in DECIDED):
        return
    case = case or DismissalCandidate(adviser_id=adviser.id, evidence_key=key)
    case.term = term
    case.rule_version_id = _stored_rule_version().id
    case.reasons = rules.Reason.INCOMPETENT.value
    case.evidence = {
        "reasons": [rules.Reason.INCOMPETENT.value],
        "run": [],
        "window": [],
        "ignored": [],
        "rate": None,
        "window_start": None,
        "graded": {"year": year, "evaluation_id": evaluation_id, "adviser_id": adviser.id},
    }
    case.raised_on = day
    case.status = CandidateStatus.OPEN
    db.session.add(case)
    db.session.flush()
    _tell_office([case])


def lapse_grade_case(adviser: Adviser, *, year: int) -> None:
    """The grade was changed on review: an open case it raised no longer applies."""
    case = db.session.scalar(
        select(DismissalCandidate).where(
            DismissalCandidate.adviser_id == adviser.id,
            DismissalCandidate.evidence_key == f"{GRADED_KEY}{year}",
            DismissalCandidate.status == CandidateStatus.OPEN,
        )
    )
    if case is not None:
        case.status = CandidateStatus.LAPSED
        db.session.flush()


def _already_raised(candidates: list[DismissalCandidate], key: str) -> bool:
    """The evidence is open already, or a person has decided on it."""
    return any(c.evidence_key == key and (c.is_open or c.status in DECIDED) for c in candidates)


def _raise(case, term, version, finding, titles, today: date) -> None:
    """Open the case, new or lapsed before, on today's evidence under the rule in force."""
    case.term = term
    case.rule_version_id = version.id
    case.reasons = ",".join(finding.reasons)
    case.evidence = _evidence(finding, titles, version.as_rule(), today)
    case.raised_on = today
    case.status = CandidateStatus.OPEN
    db.session.add(case)


def _lapse_unserved(adviser_ids: Iterable[int] | None, serving_ids: set[int]) -> None:
    """Open cases of advisers who no longer serve lapse: there is no term left to end."""
    stmt = select(DismissalCandidate).where(DismissalCandidate.status == CandidateStatus.OPEN)
    if adviser_ids is not None:
        stmt = stmt.where(DismissalCandidate.adviser_id.in_(list(set(adviser_ids))))
    for candidate in db.session.scalars(stmt):
        if candidate.adviser_id not in serving_ids:
            candidate.status = CandidateStatus.LAPSED


def lapse_cases_of_term(term: Term) -> None:
    """The term has ended (resigned, expired, dismissed): its open cases no longer apply,
    unless the adviser serves on in a renewal, where the cases follow them."""
    renewal = db.session.scalar(select(Term).where(Term.renewal_of_id == term.id))
    stmt = select(DismissalCandidate).where(
        DismissalCandidate.term_id == term.id,
        DismissalCandidate.status == CandidateStatus.OPEN,
    )
    for candidate in db.session.scalars(stmt):
        if renewal is not None and term.end_reason == EndReason.EXPIRED:
            candidate.term = renewal
        else:
            candidate.status = CandidateStatus.LAPSED
    db.session.flush()


def _tell_office(raised: list[DismissalCandidate]) -> None:
    if not raised:
        return
    staff = users_with_roles(Role.OFFICE)
    for candidate in raised:

        def render(candidate=candidate):
            return (
                _("Dismissal candidate: %(name)s", name=candidate.adviser.name),
                evidence_summary(candidate.evidence),
            )

        # a case that lapsed and came back is news again: the key holds the day it was raised
        key = f"candidate:{candidate.id}:{candidate.raised_on.isoformat()}"
        notify(staff, render, link=path_for("evaluation.candidates"), key=key)


# --- the dismissal rule and decisions --------------------------------------------------

RULE_LIMITS = {
    "consecutive_absences": (1, 50),
    "window_months": (1, 60),
    "min_meetings": (1, 100),
    "ignored_matters": (1, 100),
    "answer_days": (1, 90),
}


@service(CHANGE_RULE)
def change_dismissal_rule(actor: User, **values: str) -> DismissalRuleVersion:
    """Store new thresholds as a new version of the rule; a part not given keeps its value."""
    current = current_rule_version()
    numbers = {}
    for name, (low, high) in RULE_LIMITS.items():
        raw = str(values.get(name, getattr(current, name))).strip()
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise DomainError(
                _("Enter a whole number from %(low)d to %(high)d.", low=low, high=high), field=name
            )
        numbers[name] = int(raw)
    try:
        rate = Decimal(str(values.get("min_rate", current.min_rate)).strip())
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not Decimal(0) <= rate <= Decimal(100):
        raise DomainError(_("Enter a percentage from 0 to 100."), field="min_rate")
    version = DismissalRuleVersion(
        min_rate=rate.quantize(Decimal("0.1")), created_by_id=actor.id, **numbers
    )
    db.session.add(version)
    db.session.flush()
    return version


def _open_candidate(candidate: DismissalCandidate) -> None:
    if not candidate.is_open:
        raise DomainError(_("This case has been decided already."))


@service(DECIDE)
def dismiss_candidate(
    actor: User,
    candidate: DismissalCandidate,
    *,
    reason: str,
    approved_on: date | None,
    doc_no: str | None,
) -> Term:
    """Dismiss (解聘) with the government's approval: the dismissal takes effect today, so the
    last day served is yesterday; the term ends with the reason and the evidence, and the
    adviser is told both days."""
    _open_candidate(candidate)
    if not reason.strip():
        raise DomainError(_("Give the reason for the dismissal."), field="note")
    note = reason.strip() + "\n" + evidence_summary(candidate.evidence)
    # decided first: ending the term lapses the term's open cases, and this one is decided
    candidate.status = CandidateStatus.DISMISSED
    candidate.decided_at, candidate.decided_by_id = utcnow(), actor.id
    candidate.decision_note = reason.strip()
    term = panel_services.end_term(
        actor,
        candidate.term,
        reason=EndReason.DISMISSED,
        ended_on=panel_rules.dismissal_last_day(today(), candidate.term.start_on),
        note=note,
        approved_on=approved_on,
        doc_no=doc_no,
    )

    def render():
        return _("Your appointment as legal adviser has ended"), ending_days(term)

    notify(accounts_of([candidate.adviser]), render, key=f"dismissed:{candidate.id}")
    return term


@service(DECIDE)
def waive_candidate(actor: User, candidate: DismissalCandidate, *, reason: str) -> None:
    """Keep the adviser: the same evidence will not raise them again; new absences will."""
    _open_candidate(candidate)
    if not reason.strip():
        raise DomainError(_("Say why the adviser is kept."), field="note")
    candidate.status = CandidateStatus.WAIVED
    candidate.decided_at, candidate.decided_by_id = utcnow(), actor.id
    candidate.decision_note = reason.strip()
    db.session.flush()
