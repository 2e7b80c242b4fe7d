"""Writes to the lawsuits register: registering and editing a case, its stages, closing it, and
turning a dispute matter into a case. Services take the actor, check the policy, flush, never
commit, and raise DomainError with a message beside the field it is about."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from advisers.models import Specialty
from cases import deadlines, particulars, team, telling
from cases.messages import REFUSALS
from cases.models import (
    Acceptance,
    Case,
    CaseCounter,
    CaseDeadline,
    CaseFile,
    CaseKind,
    CaseMember,
    CaseStage,
    CaseStatus,
    GovernmentRole,
    MemberRole,
    MemberSource,
    MemberStatus,
    Outcome,
    StageKind,
)
from cases.policy import MANAGE
from cases.queries import search_texts
from consultations.models import AssignmentStatus, Matter, MatterKind, MatterStatus
from consultations.rules import names_of
from core import search
from core.errors import DomainError, Problem
from core.extensions import db
from core.files import StoredFile, save_upload
from core.i18n import today
from core.models import Department, User
from core.policy import service
from core.services import next_in_year

SEARCH_KIND = "case"

#: the government's roles each kind of case allows
ROLES = {
    CaseKind.ADMINISTRATIVE: (
        GovernmentRole.DEFENDANT,
        GovernmentRole.PLAINTIFF,
        GovernmentRole.THIRD_PARTY,
    ),
    CaseKind.CIVIL: (
        GovernmentRole.DEFENDANT,
        GovernmentRole.PLAINTIFF,
        GovernmentRole.THIRD_PARTY,
    ),
    CaseKind.RECONSIDERATION: (
        GovernmentRole.RECONSIDERATION_BODY,
        GovernmentRole.RESPONDENT,
        GovernmentRole.APPLICANT,
        GovernmentRole.THIRD_PARTY,
    ),
    CaseKind.STATE_COMPENSATION: (
        GovernmentRole.RESPONDENT,
        GovernmentRole.DEFENDANT,
        GovernmentRole.THIRD_PARTY,
    ),
}
_COURT_STAGES = (
    StageKind.FIRST_INSTANCE,
    StageKind.SECOND_INSTANCE,
    StageKind.RETRIAL,
    StageKind.ENFORCEMENT,
)
#: the stages each kind of case goes through
STAGES = {
    CaseKind.ADMINISTRATIVE: _COURT_STAGES,
    CaseKind.CIVIL: _COURT_STAGES,
    CaseKind.RECONSIDERATION: (StageKind.RECONSIDERATION,),
    CaseKind.STATE_COMPENSATION: (StageKind.RECONSIDERATION, *_COURT_STAGES),
}
#: the stage dates in the order they happen, each with the date it may not come before
STAGE_DATES = (
    "filed_on",
    "complaint_served_on",
    "judgment_on",
    "judgment_served_on",
    "accepted_on",
)
#: the stage dates that record something received: never in the future
SERVED_DATES = ("complaint_served_on", "judgment_on", "judgment_served_on", "accepted_on")


def index_case(case: Case) -> None:
    search.index(SEARCH_KIND, case.id, *search_texts(case))


def _refused(code: str, field: str) -> DomainError:
    return DomainError(str(REFUSALS[code]), field=field)


def _checked_amount(amount: Decimal | None) -> Decimal | None:
    try:
        return particulars.check_yuan(amount)
    except particulars.Refused as refusal:
        raise _refused(refusal.code, "amount") from None


def _checked_number(number: str | None, field: str = "case_number") -> str:
    try:
        return particulars.normalise_case_number(number)
    except particulars.Refused as refusal:
        raise _refused(refusal.code, field) from None


def _check_particulars(fields: dict) -> None:
    """Refuse what cannot be: every problem at once, each beside its field."""
    problems = []
    kind, role = fields["kind"], fields["government_role"]
    if role not in ROLES[kind]:
        problems.append(
            Problem(
                "government_role",
                _(
                    "In %(kind)s the government can be: %(roles)s.",
                    kind=kind.label,
                    roles="、".join(r.label for r in ROLES[kind]),
                ),
            )
        )
    department = fields.get("department")
    if department is not None and not department.is_active:
        problems.append(Problem("department_id", _("This department is no longer in use.")))
    if not names_of(fields.get("opposing_parties", "")):
        problems.append(Problem("opposing_parties", _("Name at least one opposing party.")))
    filed_on, registered_on = fields["filed_on"], fields.get("registered_on")
    if filed_on > today():
        problems.append(Problem("filed_on", _("The filing date cannot be in the future.")))
    if registered_on is not None and registered_on > today():
        problems.append(
            Problem("registered_on", _("The registration date cannot be in the future."))
        )
    if problems:
        raise DomainError(problems=problems)


def _clean(fields: dict) -> dict:
    fields = dict(fields)
    if "amount" in fields:
        fields["amount"] = _checked_amount(fields["amount"])
    if "case_number" in fields:
        fields["case_number"] = _checked_number(fields["case_number"])
    for name in ("opposing_parties", "third_parties"):
        if name in fields:
            fields[name] = "\n".join(names_of(fields[name] or ""))
    for name in ("court", "cause", "summary"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    return fields


def attach_document(actor: User | None, case: Case, upload, *, field: str) -> StoredFile | None:
    """Store an upload as one of the case's documents (so it downloads with them, under the
    case's access check); None when no file was chosen."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    stored = save_upload(upload, actor, field=field)
    db.session.add(CaseFile(case=case, file=stored, added_by_id=actor and actor.id))
    return stored


def _attach(actor: User | None, case: Case, uploads: Iterable) -> list[StoredFile]:
    stored = (attach_document(actor, case, upload, field="files") for upload in uploads)
    return [file for file in stored if file is not None]


@service(MANAGE)
def register_case(
    actor: User | None,
    *,
    kind: CaseKind,
    court: str,
    cause: str,
    government_role: GovernmentRole,
    opposing_parties: str,
    filed_on: date,
    department: Department | None = None,
    specialty: Specialty | None = None,
    case_number: str = "",
    third_parties: str = "",
    amount: Decimal | None = None,
    registered_on: date | None = None,
    summary: str = "",
    from_matter: Matter | None = None,
    uploads: Iterable = (),
) -> Case:
    """Register a lawsuit or reconsideration; the lawyer team hook runs on its amount."""
    fields = _clean(
        {
            "kind": kind,
            "court": court,
            "cause": cause,
            "government_role": government_role,
            "opposing_parties": opposing_parties,
            "third_parties": third_parties,
            "filed_on": filed_on,
            "department": department,
            "specialty": specialty,
            "case_number": case_number,
            "amount": amount,
            "registered_on": registered_on or today(),
            "summary": summary,
        }
    )
    _check_particulars(fields)
    year = fields["registered_on"].year
    case = Case(
        reference=f"{year}-S{next_in_year(CaseCounter, year):04d}",
        created_by_id=actor.id if actor else None,
        status=CaseStatus.OPEN,
        from_matter=from_matter,
        **fields,
    )
    db.session.add(case)
    _attach(actor, case, uploads)
    if from_matter is not None:
        _carry_over_advisers(case, from_matter)
    db.session.flush()
    index_case(case)
    team.after_amount_change(actor, case, None)
    return case


@service(MANAGE)
def update_case(actor: User | None, case: Case, **fields) -> Case:
    """Correct a case's particulars; the lawyer team hook hears of the amount it had."""
    if not case.is_open:
        raise DomainError(_("A closed case cannot be changed."))
    fields = _clean(fields)
    same = fields.get("department", case.department) == case.department
    unchanged = {"department": None} if same else {}
    _check_particulars(
        {
            name: fields.get(name, getattr(case, name))
            for name in ("kind", "government_role", "opposing_parties", "filed_on", "department")
        }
        | {"registered_on": fields.get("registered_on")}
        | unchanged  # a department since retired may stay the party of its old cases
    )
    kind = fields.get("kind", case.kind)
    if any(stage.kind not in STAGES[kind] for stage in case.stages):
        raise DomainError(
            _("The case has stages that %(kind)s does not go through.", kind=kind.label),
            field="kind",
        )
    old_amount = case.amount
    for name, value in fields.items():
        setattr(case, name, value)
    db.session.flush()
    index_case(case)
    team.after_amount_change(actor, case, old_amount)
    return case


def _check_stage(case: Case, kind: StageKind, fields: dict) -> None:
    """Refuse dates out of order, served dates in the future, and a stage the kind lacks."""
    problems = []
    if kind not in STAGES[case.kind]:
        problems.append(
            Problem(
                "kind",
                _(
                    "%(kind)s goes through: %(stages)s.",
                    kind=case.kind.label,
                    stages="、".join(s.label for s in STAGES[case.kind]),
                ),
            )
        )
    if fields.get("filed_on") and fields["filed_on"] > today():
        problems.append(Problem("filed_on", _("The filing date cannot be in the future.")))
    earliest = [(case.filed_on, _("the case's filing date"))]
    if fields.get("filed_on"):
        earliest.append((fields["filed_on"], _("the stage's filing date")))
    for name in SERVED_DATES:
        day = fields.get(name)
        if day is None:
            continue
        if day > today():
            problems.append(Problem(name, _("This date cannot be in the future.")))
            continue
        for bound, what in earliest:
            if day < bound:
                problems.append(Problem(name, _("This date cannot be before %(what)s.", what=what)))
                break
    judged, served = fields.get("judgment_on"), fields.get("judgment_served_on")
    if judged and served and served < judged and served >= case.filed_on:
        problems.append(
            Problem(
                "judgment_served_on",
                _("The judgment cannot be served before the day it was given."),
            )
        )
    problems.extend(_acceptance_problems(fields))
    effective = fields.get("effective_on")
    if effective and judged and effective < judged:
        problems.append(
            Problem("effective_on", _("A judgment cannot take effect before it is given."))
        )
    if problems:
        raise DomainError(problems=problems)


def _acceptance_problems(fields: dict) -> list[Problem]:
    """The review for acceptance is decided on a day; a day alone means it was accepted."""
    if fields.get("acceptance") is not None and fields.get("accepted_on") is None:
        return [Problem("accepted_on", _("Enter the day the review for acceptance decided."))]
    return []


def _stage_fields(fields: dict) -> dict:
    fields = dict(fields)
    if "case_number" in fields:
        fields["case_number"] = _checked_number(fields["case_number"])
    for name in ("court", "notes"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    if fields.get("accepted_on") and fields.get("acceptance", ...) is None:
        fields["acceptance"] = Acceptance.ACCEPTED
    return fields


def _tell_deadlines(case: Case, counted: list[CaseDeadline]) -> None:
    """Tell the team, the office and the department of each deadline a stage's date started
    or moved, the moment it is counted."""
    for deadline in counted:
        if deadline.done_on is not None:
            continue
        telling.tell(
            telling.everyone(case),
            case,
            f"deadline-counted-{deadline.id}:{deadline.due_on.isoformat()}",
            lambda deadline=deadline: _(
                "Statutory deadline: %(deadline)s by %(day)s, %(case)s",
                deadline=deadline.rule_label,
                day=deadline.due_on.isoformat(),
                case=case.reference,
            ),
            lambda deadline=deadline: telling.about_deadline(deadline),
        )


@service(MANAGE)
def add_stage(
    actor: User | None,
    case: Case,
    *,
    kind: StageKind,
    case_number: str = "",
    court: str = "",
    filed_on: date | None = None,
    complaint_served_on: date | None = None,
    judgment_on: date | None = None,
    judgment_served_on: date | None = None,
    is_ruling: bool = False,
    acceptance: Acceptance | None = None,
    accepted_on: date | None = None,
    simplified: bool = False,
    outcome: Outcome | None = None,
    effective_on: date | None = None,
    notes: str = "",
) -> CaseStage:
    """Record a stage of an open case; its dates may start statutory deadlines."""
    if not case.is_open:
        raise DomainError(_("A closed case cannot be changed."))
    fields = _stage_fields(
        {
            "case_number": case_number,
            "court": court,
            "filed_on": filed_on,
            "complaint_served_on": complaint_served_on,
            "judgment_on": judgment_on,
            "judgment_served_on": judgment_served_on,
            "is_ruling": is_ruling,
            "acceptance": acceptance,
            "accepted_on": accepted_on,
            "simplified": simplified,
            "outcome": outcome,
            "effective_on": effective_on,
            "notes": notes,
        }
    )
    _check_stage(case, kind, fields)
    stage = CaseStage(case=case, kind=kind, **fields)
    db.session.add(stage)
    db.session.flush()
    index_case(case)
    _tell_deadlines(case, deadlines.after_stage_change(actor, stage))
    return stage


@service(MANAGE)
def update_stage(actor: User | None, stage: CaseStage, **fields) -> CaseStage:
    """Correct a stage's dates, outcome or notes."""
    case = stage.case
    if not case.is_open:
        raise DomainError(_("A closed case cannot be changed."))
    fields = _stage_fields(fields)
    current = {name: getattr(stage, name) for name in (*STAGE_DATES, "effective_on", "acceptance")}
    _check_stage(case, fields.get("kind", stage.kind), current | fields)
    for name, value in fields.items():
        setattr(stage, name, value)
    db.session.flush()
    index_case(case)
    _tell_deadlines(case, deadlines.after_stage_change(actor, stage))
    return stage


@service(MANAGE)
def close_case(actor: User | None, case: Case, *, closed_on: date | None = None) -> Case:
    """Close a case: it stays in the register, read-only."""
    if not case.is_open:
        raise DomainError(_("The case is closed already."))
    closed_on = closed_on or today()
    if closed_on > today():
        raise DomainError(_("The closing date cannot be in the future."), field="closed_on")
    if closed_on < case.filed_on:
        raise DomainError(
            _("The closing date cannot be before the filing date."), field="closed_on"
        )
    case.status = CaseStatus.CLOSED
    case.closed_on = closed_on
    db.session.flush()
    return case


@service(MANAGE)
def add_files(actor: User | None, case: Case, uploads: Iterable) -> list[StoredFile]:
    """Attach documents to a case."""
    added = _attach(actor, case, uploads)
    if not added:
        raise DomainError(_("Choose at least one file."), field="files")
    db.session.flush()
    return added


def check_convertible(matter: Matter) -> None:
    """Refuse a matter that cannot become a case: not a dispute, returned, or done already."""
    if matter.kind is not MatterKind.DISPUTE:
        raise DomainError(_("Only a dispute before litigation can become a case."))
    if matter.status is MatterStatus.RETURNED:
        raise DomainError(_("A returned request cannot become a case."))
    if getattr(matter, "voided_at", None) is not None:
        raise DomainError(_("A voided matter cannot become a case."))
    taken = db.session.scalar(db.select(Case.reference).where(Case.from_matter_id == matter.id))
    if taken is not None:
        raise DomainError(_("This matter became case %(reference)s already.", reference=taken))


def fields_from(matter: Matter) -> dict:
    """What a case takes from the dispute it grew out of: parties, department, cause."""
    return {
        "opposing_parties": matter.parties,
        "department": matter.department,
        "cause": matter.title[:200],
        "summary": matter.description,
    }


@service(MANAGE)
def case_from_matter(actor: User | None, matter: Matter, **fields) -> Case:
    """Register a case from a dispute matter: its parties, department and title by default,
    and its accepted advisers on the team (source from_matter)."""
    check_convertible(matter)
    return register_case(actor, **(fields_from(matter) | fields), from_matter=matter)


def _carry_over_advisers(case: Case, matter: Matter) -> None:
    accepted = [a for a in matter.assignments if a.status is AssignmentStatus.ACCEPTED]
    seen: set[int] = set()
    for assignment in sorted(accepted, key=lambda a: (not a.is_lead, a.id)):
        if assignment.adviser_id in seen:
            continue
        seen.add(assignment.adviser_id)
        case.members.append(
            CaseMember(
                adviser=assignment.adviser,
                role=MemberRole.LEAD if assignment.is_lead else MemberRole.MEMBER,
                category=assignment.adviser.category,
                reason=_(
                    "%(role)s on dispute matter %(reference)s",
                    role=assignment.role.label,
                    reference=matter.reference,
                )[:300],
                source=MemberSource.FROM_MATTER,
                status=MemberStatus.PROPOSED,
            )
        )
