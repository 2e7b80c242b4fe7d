"""The lawyer team (律师团, seed 六.4) of a case, formed when its amount reaches the threshold.

`after_amount_change` runs on every registration and edit: an amount that reaches the
threshold (¥500,000.00 by default: 以上 includes the number) forms the team from the serving
advisers (`cases.rules.choose_team`), each choice explained in one line. A required category
nobody free can fill leaves the team incomplete, says which, and tells the office. An amount
that falls below the threshold keeps the team and records the change on the case.

The office confirms the team, adds a member by hand, or replaces one with a reason; a member
who declares a conflict is replaced by the next suggestion, and the conflict is recorded on
their profile. Below the threshold the office may still form a team by hand.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import func, select

from advisers.models import Adviser, Category
from advisers.queries import advisers_serving_on
from cases import rules
from cases.models import (
    Case,
    CaseMember,
    CaseStatus,
    MemberRole,
    MemberSource,
    MemberStatus,
    TeamRuleVersion,
    TeamStatus,
)
from cases.policy import DECLARE_CONFLICT, MANAGE, TEAM_RULE
from consultations.models import Assignment, AssignmentStatus, Matter, MatterStatus
from consultations.rules import conflicts, names_of
from consultations.suggestions import fitting
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import Role, User
from core.notify import notify, path_for, users_with_roles
from core.policy import service

#: the bounds an office may set
SIZE_RANGE = (2, 9)
THRESHOLD_RANGE = (Decimal("1.00"), Decimal("999999999999.99"))


# --- the rule ---------------------------------------------------------------------------


def current_team_rule() -> TeamRuleVersion:
    """The rule in force: the latest version, or the plan's defaults before any is stored."""
    version = db.session.scalar(
        select(TeamRuleVersion).order_by(TeamRuleVersion.id.desc()).limit(1)
    )
    if version is not None:
        return version
    return TeamRuleVersion(threshold=rules.DEFAULT_THRESHOLD, size=rules.DEFAULT_TEAM_SIZE)


def rule_versions() -> list[TeamRuleVersion]:
    """Every stored version of the rule, newest first."""
    return list(db.session.scalars(select(TeamRuleVersion).order_by(TeamRuleVersion.id.desc())))


@service(TEAM_RULE)
def change_team_rule(actor: User, *, threshold: str, size: str) -> TeamRuleVersion:
    """Store a new threshold and team size as a new version; earlier versions stay."""
    try:
        amount = Decimal(str(threshold).strip().replace(",", ""))
    except InvalidOperation:
        amount = None
    low, high = THRESHOLD_RANGE
    if amount is None or not amount.is_finite() or not low <= amount <= high:
        raise DomainError(_("Enter an amount in yuan, more than zero."), field="threshold")
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("Enter at most two decimals."), field="threshold")
    raw = str(size).strip()
    if not raw.isdigit() or not SIZE_RANGE[0] <= int(raw) <= SIZE_RANGE[1]:
        raise DomainError(
            _(
                "Enter a whole number from %(low)d to %(high)d.",
                low=SIZE_RANGE[0],
                high=SIZE_RANGE[1],
            ),
            field="size",
        )
    version = TeamRuleVersion(
        threshold=amount.quantize(Decimal("0.01")), size=int(raw), created_by_id=actor.id
    )
    db.session.add(version)
    db.session.flush()
    return version


# --- the facts about each serving adviser -------------------------------------------------


def _open_work(adviser_ids: list[int]) -> Counter:
    """Each adviser's open matters and open cases."""
    matters = db.session.execute(
        select(Assignment.adviser_id, func.count())
        .join(Matter, Matter.id == Assignment.matter_id)
        .where(
            Assignment.adviser_id.in_(adviser_ids),
            Assignment.status.in_((AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED)),
            Matter.status.in_(MatterStatus.open_values()),
        )
        .group_by(Assignment.adviser_id)
    )
    cases = db.session.execute(
        select(CaseMember.adviser_id, func.count())
        .join(Case, Case.id == CaseMember.case_id)
        .where(
            CaseMember.adviser_id.in_(adviser_ids),
            CaseMember.status != MemberStatus.REPLACED,
            Case.status == CaseStatus.OPEN,
        )
        .group_by(CaseMember.adviser_id)
    )
    work = Counter()
    for adviser_id, count in [*matters, *cases]:
        work[adviser_id] += count
    return work


def _last_team(adviser_ids: list[int]) -> dict[int, date]:
    """The day each adviser was last put on a lawyer team (the case's registration)."""
    rows = db.session.execute(
        select(CaseMember.adviser_id, func.max(Case.registered_on))
        .join(Case, Case.id == CaseMember.case_id)
        .where(CaseMember.adviser_id.in_(adviser_ids))
        .group_by(CaseMember.adviser_id)
    )
    return dict(rows.all())


def candidates(case: Case, day: date | None = None) -> list[rules.Candidate]:
    """The facts about every adviser serving today, for this case (five queries)."""
    day = day or today()
    serving = advisers_serving_on(day)
    ids = [adviser.id for adviser in serving]
    work, last, fits = _open_work(ids), _last_team(ids), fitting(ids, case.specialty_id)
    parties = case.party_names
    return [
        rules.Candidate(
            adviser_id=adviser.id,
            name=adviser.name,
            category=adviser.category.value,
            fits=adviser.id in fits,
            open_work=work[adviser.id],
            days_since_last_team=(day - last[adviser.id]).days if adviser.id in last else None,
            conflicts=tuple(
                found.party
                for found in conflicts(parties, names_of(adviser.conflicts), adviser.organisation)
            ),
        )
        for adviser in serving
    ]


def reason_line(candidate: rules.Candidate, specialty: str | None) -> str:
    """One line the office reads: 公职律师 · 行政法 · 2 件在办 · 无利益冲突."""
    parts = [str(Category(candidate.category).label)]
    if specialty:
        parts.append(specialty if candidate.fits else _("not %(specialty)s", specialty=specialty))
    parts.append(
        _("%(n)d open", n=candidate.open_work) if candidate.open_work else _("no open work")
    )
    if candidate.days_since_last_team is None:
        parts.append(_("never on a lawyer team"))
    else:
        parts.append(_("last on a team %(n)d days ago", n=candidate.days_since_last_team))
    parts.append(_("conflict of interest") if candidate.conflicts else _("no conflict of interest"))
    return " · ".join(parts)


# --- forming and changing the team -----------------------------------------------------


def _specialty_name(case: Case) -> str | None:
    return case.specialty.name if case.specialty is not None else None


def _seat(case: Case, candidate: rules.Candidate, source: MemberSource, specialty) -> CaseMember:
    member = CaseMember(
        case=case,
        adviser_id=candidate.adviser_id,
        category=Category(candidate.category),
        reason=reason_line(candidate, specialty),
        source=source,
        status=MemberStatus.PROPOSED,
    )
    db.session.add(member)
    return member


def _settle(case: Case, choice: rules.Choice) -> None:
    """Name the lead, and mark the team formed or incomplete with what it lacks."""
    lead_id = choice.lead.adviser_id if choice.lead else None
    active = case.active_members
    if lead_id is None and active:
        lead_id = active[0].adviser_id
    for member in active:
        member.role = MemberRole.LEAD if member.adviser_id == lead_id else MemberRole.MEMBER
    held = {member.category.value for member in active}
    case.team_missing = ",".join(c for c in rules.REQUIRED_CATEGORIES if c not in held)
    case.team_status = TeamStatus.INCOMPLETE if case.team_missing else TeamStatus.FORMED
    if case.team_status is TeamStatus.INCOMPLETE:
        _tell_office_incomplete(case)


def _choose(case: Case, size: int, exclude: set[int] = frozenset()) -> rules.Choice:
    keep = [member.adviser_id for member in case.active_members]
    found = [c for c in candidates(case) if c.adviser_id not in exclude]
    return rules.choose_team(found, max(size, len(keep)), keep=keep)


def form_team(
    actor: User | None, case: Case, source=MemberSource.AUTOMATIC, size: int | None = None
) -> rules.Choice:
    """Fill the case's team up to the rule's size: members already on it stay."""
    choice = _choose(case, size or current_team_rule().size)
    seated = {member.adviser_id for member in case.active_members}
    specialty = _specialty_name(case)
    for candidate in choice.members:
        if candidate.adviser_id not in seated:
            _seat(case, candidate, source, specialty)
    db.session.flush()
    db.session.expire(case, ["members"])
    _settle(case, choice)
    db.session.flush()
    return choice


def after_amount_change(actor: User | None, case: Case, old_amount: Decimal | None) -> None:
    """Form the team when a registration or an edit brings the amount to the threshold; when
    an edit takes it below, keep the team and record the change on the case."""
    rule = current_team_rule()
    threshold = rule.threshold
    if rules.crosses_threshold(old_amount, case.amount, threshold):
        form_team(actor, case, size=rule.size)
    elif case.active_members and rules.falls_below(old_amount, case.amount, threshold):
        case.team_kept_on, case.team_kept_below = today(), threshold


@service(MANAGE)
def form_team_by_hand(actor: User, case: Case) -> rules.Choice:
    """The office forms a team for a case below the threshold (or refills one)."""
    if not case.is_open:
        raise DomainError(_("The case is closed."))
    return form_team(actor, case, MemberSource.MANUAL)


@service(MANAGE)
def confirm_team(actor: User, case: Case) -> Case:
    """The office confirms the team as it stands; an incomplete one must be filled first."""
    if not case.active_members:
        raise DomainError(_("The case has no lawyer team to confirm."))
    if case.team_missing:
        raise DomainError(
            _(
                "The team still lacks a %(category)s: add or replace a member first.",
                category=missing_labels(case),
            ),
        )
    for member in case.active_members:
        member.status = MemberStatus.CONFIRMED
    case.team_status = TeamStatus.CONFIRMED
    db.session.flush()
    return case


@service(MANAGE)
def add_member(actor: User, case: Case, adviser_id: int) -> CaseMember:
    """The office puts a serving adviser on the team by hand."""
    found = {c.adviser_id: c for c in candidates(case)}
    candidate = found.get(adviser_id)
    if candidate is None:
        raise DomainError(_("Choose an adviser who is serving today."), field="adviser_id")
    if adviser_id in {member.adviser_id for member in case.active_members}:
        raise DomainError(_("The adviser is already on the team."), field="adviser_id")
    member = _seat(case, candidate, MemberSource.MANUAL, _specialty_name(case))
    db.session.flush()
    db.session.expire(case, ["members"])
    _settle(case, rules.Choice())
    return member


@service(MANAGE)
def replace_member(actor: User, member: CaseMember, reason: str) -> CaseMember | None:
    """Take a member off the team with a reason; the next suggestion takes the seat."""
    return _replace(actor, member, reason)


def _replace(actor, member: CaseMember, reason: str) -> CaseMember | None:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason."), field="reason")
    if member.status is MemberStatus.REPLACED:
        raise DomainError(_("The member was already replaced."))
    case = member.case
    size = len(case.active_members)
    member.status = MemberStatus.REPLACED
    member.replaced_reason = reason
    db.session.flush()
    db.session.expire(case, ["members"])
    replaced_ids = {m.adviser_id for m in case.members if m.status is MemberStatus.REPLACED}
    choice = _choose(case, size, exclude=replaced_ids)
    seated = {m.adviser_id for m in case.active_members}
    newcomer = None
    for candidate in choice.members:
        if candidate.adviser_id not in seated:
            newcomer = _seat(case, candidate, MemberSource.AUTOMATIC, _specialty_name(case))
            break
    db.session.flush()
    member.replaced_by = newcomer
    db.session.expire(case, ["members"])
    if case.team_status is TeamStatus.CONFIRMED and newcomer is not None:
        case.team_status = TeamStatus.FORMED
    _settle(case, choice)
    db.session.flush()
    return newcomer


@service(DECLARE_CONFLICT)
def declare_conflict(actor: User, member: CaseMember, reason: str) -> CaseMember | None:
    """A member declares a conflict: the case's parties are added to their declared conflicts,
    so the next check finds it, and the next suggestion takes their seat."""
    adviser: Adviser = member.adviser
    known = set(names_of(adviser.conflicts))
    added = [name for name in member.case.party_names if name not in known]
    if added:
        adviser.conflicts = "\n".join([*names_of(adviser.conflicts), *added])
    return _replace(actor, member, reason)


# --- telling ----------------------------------------------------------------------------


def missing_labels(case: Case) -> str:
    """The required categories the team lacks, in the reader's language."""
    codes = [code for code in (case.team_missing or "").split(",") if code]
    return "、".join(str(Category(code).label) for code in codes)


def _tell_office_incomplete(case: Case) -> None:
    notify(
        users_with_roles(Role.OFFICE),
        lambda: (
            _("Lawyer team incomplete: %(case)s", case=case.reference),
            _(
                "No serving adviser free of conflicts is a %(category)s. Add one by hand or "
                "record why the team stays short.",
                category=missing_labels(case),
            ),
        ),
        link=path_for("cases.case", case_id=case.id),
        key=f"case-team-incomplete:{case.id}:{case.team_missing}",
    )
