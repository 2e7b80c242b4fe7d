"""How cases, their stages, teams, deadlines and files read in the audit trail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from advisers.models import Adviser
from cases.models import (
    Case,
    CaseDeadline,
    CaseFile,
    CaseHearing,
    CaseMember,
    CasePerformance,
    CaseStage,
    CaseStatus,
    FollowUp,
    MemberStatus,
    PerformanceStatus,
    SeriousEvent,
    TeamRuleVersion,
    TeamStatus,
)
from core.audit import ANY_VALUE, Page, describe

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
    _describe_follow_through()
    _describe_hearings()
    _describe_serious_events()
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
            "team_kept_on": _l("Amount fell below the threshold on"),
            "team_kept_below": _l("Threshold it fell below"),
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
            "acceptance": _l("Review for acceptance"),
            "accepted_on": _l("Review decided on"),
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
            "extension_reason": _l("Reason for the extension"),
        },
        parent=_case_of,
        page=CASE_PAGE,
        phrases={"create": _l("set the deadline %(rule)s, due %(due_on)s")},
    )


def _hearing_names():
    return select(CaseHearing.id, Case.reference + " · " + CaseHearing.place).join(
        Case, Case.id == CaseHearing.case_id
    )


def _describe_hearings() -> None:
    describe(
        CaseHearing,
        _l("Hearing"),
        names=_hearing_names,
        fields={
            "case_id": _l("Case"),
            "stage_id": _l("Stage"),
            "starts_at": _l("Starts at"),
            "place": _l("Court and courtroom"),
            "notice_received_on": _l("Appearance notice received on"),
            "notice_file_id": _l("Appearance notice"),
            "appeared": _l("Who appeared for the government"),
            "appeared_name": _l("Name of who appeared"),
            "absence_reason": _l("Why the principal head did not appear"),
            "absence_proof_file_id": _l("Sealed proof"),
            "lawyers": _l("Lawyers and advisers who appeared with them"),
            "notes": _l("Notes"),
            "recorded_at": _l("Recorded at"),
            "recorded_by_id": _l("Recorded by"),
        },
        parent=_case_of,
        page=CASE_PAGE,
        phrases={"create": _l("scheduled a hearing at %(starts_at)s")},
        transitions={("appeared", ANY_VALUE): _l("recorded who appeared: %(appeared)s")},
    )


def _performance_names():
    return select(CasePerformance.id, Case.reference + " · " + CasePerformance.obligation).join(
        Case, Case.id == CasePerformance.case_id
    )


def _follow_up_names():
    return select(FollowUp.id, FollowUp.issued_by + " " + FollowUp.document_number)


def _describe_follow_through() -> None:
    """Performing effective judgments, and court suggestions and reconsideration decisions."""
    describe(
        CasePerformance,
        _l("Performance of a judgment"),
        names=_performance_names,
        fields={
            "case_id": _l("Case"),
            "stage_id": _l("Stage"),
            "obligation": _l("Obligation"),
            "description": _l("What the judgment orders"),
            "amount": _l("Amount to pay"),
            "due_on": _l("To perform by"),
            "status": _l("Status"),
            "performed_on": _l("Performed on"),
            "proof": _l("Proof"),
            "proof_file_id": _l("Proof file"),
        },
        parent=_case_of,
        page=CASE_PAGE,
        phrases={"create": _l("ordered %(obligation)s by %(due_on)s")},
        transitions={
            ("status", PerformanceStatus.PERFORMED.value): _l(
                "recorded %(record)s performed on %(performed_on)s"
            ),
        },
    )
    describe(
        FollowUp,
        _l("Court suggestion or reconsideration decision"),
        names=_follow_up_names,
        title=lambda record: f"{record.issued_by} {record.document_number}".strip(),
        fields={
            "kind": _l("Kind"),
            "case_id": _l("Case"),
            "issued_by": _l("Issued by"),
            "document_number": _l("Document number"),
            "received_on": _l("Received on"),
            "content": _l("What it says"),
            "department_id": _l("Department to answer"),
            "reply_due_on": _l("Reply due on"),
            "replied_on": _l("Replied on"),
            "reply": _l("Reply"),
            "measures": _l("Measures taken"),
            "file_id": _l("Document"),
            "reply_file_id": _l("Reply document"),
            "created_at": _l("Created at"),
        },
        parent=_case_of,
        page=Page("cases.follow_up", "follow_up_id"),
        phrases={"create": _l("recorded %(kind)s from %(issued_by)s")},
        transitions={("replied_on", ANY_VALUE): _l("recorded the reply to %(record)s")},
    )


def _event_names():
    return select(SeriousEvent.id, Case.reference + " · " + SeriousEvent.kind).join(
        Case, Case.id == SeriousEvent.case_id
    )


def _describe_serious_events() -> None:
    """The flags to the leaders (不应诉、不举证、不出庭、不履行) and their closing."""
    describe(
        SeriousEvent,
        _l("Serious event"),
        names=_event_names,
        fields={
            "case_id": _l("Case"),
            "kind": _l("Kind"),
            "source": _l("Raised by"),
            "raised_on": _l("Raised on"),
            "closed_on": _l("Closed on"),
            "closed_by_id": _l("Closed by"),
            "explanation": _l("Explanation"),
        },
        parent=_case_of,
        page=CASE_PAGE,
        phrases={"create": _l("raised the serious event %(kind)s")},
        transitions={("closed_on", ANY_VALUE): _l("closed %(record)s with an explanation")},
    )
