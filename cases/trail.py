"""How cases, their stages, teams, deadlines and files read in the audit trail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from advisers.models import Adviser
from cases.models import (
    Case,
    CaseDeadline,
    CaseFile,
    CaseMember,
    CaseStage,
    CaseStatus,
    MemberStatus,
    TeamRuleVersion,
    TeamStatus,
)
from core.audit import Page, describe

CASE_PAGE = Page("cases.case", "case_id", "case_id")


def _case_of(record) -> tuple[str, int] | None:
    return (Case.__name__, record.case_id) if record.case_id else None


def _stage_names():
    return select(CaseStage.id, Case.reference + " · " + CaseStage.kind).join(
        Case, Case.id == CaseStage.case_id
    )


def _member_names():
    return (
        select(CaseMember.id, Adviser.name + " · " + Case.reference)
        .join(Adviser, Adviser.id == CaseMember.adviser_id)
        .join(Case, Case.id == CaseMember.case_id)
    )


def _deadline_names():
    return select(CaseDeadline.id, Case.reference + " · " + CaseDeadline.rule).join(
        Case, Case.id == CaseDeadline.case_id
    )


def register() -> None:
    """Describe the register's records."""
    _describe_cases()
    _describe_teams()
    describe(
        TeamRuleVersion,
        _l("Lawyer team rule"),
        fields={
            "threshold": _l("Amount that brings a team"),
            "size": _l("Advisers on a team"),
            "created_at": _l("Created at"),
            "created_by_id": _l("Changed by"),
        },
        page=Page("cases.team_rule", None),
        phrases={"create": _l("changed the lawyer team rule")},
    )


def _describe_cases() -> None:
    describe(
        Case,
        _l("Case"),
        name=Case.reference,
        fields={
            "reference": _l("Reference"),
            "kind": _l("Kind of case"),
            "case_number": _l("Case number"),
            "court": _l("Court or reconsideration body"),
            "cause": _l("Cause of action"),
            "department_id": _l("Government party"),
            "government_role": _l("The government's role"),
            "opposing_parties": _l("Opposing parties"),
            "third_parties": _l("Third parties"),
            "amount": _l("Amount involved"),
            "filed_on": _l("Filed on"),
            "registered_on": _l("Registered on"),
            "summary": _l("Summary"),
            "status": _l("Status"),
            "closed_on": _l("Closed on"),
            "from_matter_id": _l("From the dispute matter"),
            "created_by_id": _l("Entered by"),
            "created_at": _l("Created at"),
            "team_status": _l("Lawyer team"),
            "team_note": _l("About the lawyer team"),
            "team_missing": _l("The lawyer team lacks"),
            "specialty_id": _l("Field of law"),
        },
        page=Page("cases.case", "case_id"),
        phrases={"create": _l("registered the case %(record)s")},
        transitions={
            ("status", CaseStatus.CLOSED.value): _l("closed %(record)s"),
            ("team_status", TeamStatus.INCOMPLETE.value): _l(
                "marked the lawyer team of %(record)s incomplete"
            ),
            ("team_status", TeamStatus.CONFIRMED.value): _l(
                "confirmed the lawyer team of %(record)s"
            ),
        },
    )
    describe(
        CaseStage,
        _l("Stage"),
        names=_stage_names,
        fields={
            "case_id": _l("Case"),
            "kind": _l("Stage"),
            "case_number": _l("Case number of the stage"),
            "court": _l("Court or body"),
            "filed_on": _l("Filed on"),
            "complaint_served_on": _l("Complaint or application copy served on"),
            "judgment_on": _l("Judgment or decision given on"),
            "judgment_served_on": _l("Judgment served on"),
            "is_ruling": _l("The decision is a ruling"),
            "accepted_on": _l("Accepted on"),
            "simplified": _l("Simplified procedure"),
            "outcome": _l("Outcome"),
            "effective_on": _l("Effective on"),
            "notes": _l("Notes"),
        },
        parent=_case_of,
        page=CASE_PAGE,
        phrases={"create": _l("recorded the stage %(kind)s")},
    )
    describe(
        CaseFile,
        _l("Document"),
        fields={
            "case_id": _l("Case"),
            "file_id": _l("File"),
            "added_by_id": _l("Added by"),
            "added_at": _l("Added at"),
        },
        parent=_case_of,
        page=CASE_PAGE,
        phrases={"create": _l("attached %(file_id)s")},
    )


def _describe_teams() -> None:
    describe(
        CaseMember,
        _l("Lawyer team member"),
        names=_member_names,
        fields={
            "case_id": _l("Case"),
            "adviser_id": _l("Adviser"),
            "role": _l("Role"),
            "category": _l("Category"),
            "reason": _l("Why chosen"),
            "source": _l("How chosen"),
            "status": _l("Status"),
            "replaced_reason": _l("Why replaced"),
            "replaced_by_id": _l("Replaced by"),
        },
        parent=_case_of,
        page=CASE_PAGE,
        phrases={"create": _l("put %(adviser_id)s on the lawyer team of %(case_id)s")},
        transitions={
            ("status", MemberStatus.CONFIRMED.value): _l("confirmed %(record)s"),
            ("status", MemberStatus.REPLACED.value): _l("replaced %(record)s: %(replaced_reason)s"),
        },
    )
    describe(
        CaseDeadline,
        _l("Statutory deadline"),
        names=_deadline_names,
        fields={
            "case_id": _l("Case"),
            "stage_id": _l("Stage"),
            "rule": _l("Rule"),
            "article": _l("Article"),
            "party": _l("Who must act"),
            "starts_on": _l("Counted from"),
            "due_on": _l("Due on"),
            "is_provisional": _l("Due date provisional"),
            "why": _l("How it was counted"),
            "done_on": _l("Done on"),
            "postmarked_on": _l("Postmarked on"),
            "proof": _l("Proof"),
            "proof_file_id": _l("Proof file"),
        },
        parent=_case_of,
        page=CASE_PAGE,
        phrases={"create": _l("set the deadline %(rule)s, due %(due_on)s")},
    )
