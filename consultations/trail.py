"""How matters, assignments, opinions, the work log and activities read in the audit trail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from advisers.models import Adviser
from consultations.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    Matter,
    MatterFile,
    MatterStatus,
    Opinion,
    OpinionComment,
    OpinionStatus,
    WorkLog,
)
from core.audit import Page, describe

MATTER_PAGE = Page("consultations.matter", "matter_id", "matter_id")


def _assignment_names():
    return (
        select(Assignment.id, Adviser.name + " · " + Matter.reference)
        .join(Adviser, Adviser.id == Assignment.adviser_id)
        .join(Matter, Matter.id == Assignment.matter_id)
    )


def _opinion_names():
    return select(Opinion.id, Matter.reference + " · " + Matter.title).join(
        Matter, Matter.id == Opinion.matter_id
    )


def _worklog_names():
    return (
        select(WorkLog.id, Adviser.name + " · " + Matter.reference)
        .join(Adviser, Adviser.id == WorkLog.adviser_id)
        .join(Matter, Matter.id == WorkLog.matter_id)
    )


def _matter_of(record) -> tuple[str, int] | None:
    return (Matter.__name__, record.matter_id) if record.matter_id else None


def _matter_of_comment(comment: OpinionComment) -> tuple[str, int] | None:
    opinion = comment.opinion
    return (Matter.__name__, opinion.matter_id) if opinion is not None else None


OPINION_TEXT = {
    "facts": _l("Facts"),
    "legal_basis": _l("Legal basis"),
    "analysis": _l("Analysis"),
    "conclusion": _l("Conclusion and recommendations"),
    "risks": _l("Risks"),
}


def register() -> None:
    """Describe the consultations' records."""
    _describe_matters()
    _describe_opinions()
    _describe_records()


def _describe_matters() -> None:
    describe(
        Matter,
        _l("Matter"),
        name=Matter.title,
        fields={
            "reference": _l("Reference"),
            "kind": _l("Kind of matter"),
            "title": _l("Matter title"),
            "department_id": _l("Requesting department"),
            "requester": _l("Requested by"),
            "requester_phone": _l("Requester's phone"),
            "description": _l("What is asked"),
            "parties": _l("Parties and counterparties"),
            "specialty_id": _l("Field of law"),
            "urgency": _l("Urgency"),
            "received_on": _l("Received on"),
            "due_on": _l("Due on"),
            "due_provisional": _l("Due date provisional"),
            "status": _l("Status"),
            "return_reason": _l("Why it is returned"),
            "accepted_on": _l("Accepted on"),
            "closed_on": _l("Closed on"),
            "created_by_id": _l("Entered by"),
            "created_at": _l("Created at"),
        },
        page=Page("consultations.matter", "matter_id"),
        phrases={"create": _l("recorded the request %(record)s")},
        transitions={
            ("status", MatterStatus.ACCEPTED.value): _l("accepted %(record)s"),
            ("status", MatterStatus.RETURNED.value): _l("returned %(record)s: %(return_reason)s"),
            ("status", MatterStatus.CLOSED.value): _l("closed %(record)s"),
        },
    )
    describe(
        MatterFile,
        _l("Material"),
        fields={
            "matter_id": _l("Matter"),
            "file_id": _l("File"),
            "added_by_id": _l("Added by"),
            "added_at": _l("Added at"),
        },
        parent=_matter_of,
        page=MATTER_PAGE,
        phrases={"create": _l("attached %(file_id)s")},
    )
    describe(
        Assignment,
        _l("Assignment"),
        names=_assignment_names,
        fields={
            "matter_id": _l("Matter"),
            "adviser_id": _l("Adviser"),
            "role": _l("Role"),
            "status": _l("Status"),
            "assigned_on": _l("Assigned on"),
            "assigned_by_id": _l("Assigned by"),
            "reason": _l("Why suggested"),
            "override_reason": _l("Reason for assigning despite a conflict"),
            "answered_at": _l("Answered at"),
            "decline_reason": _l("Reason"),
            "declined_for_conflict": _l("Declined for a conflict of interest"),
        },
        parent=_matter_of,
        page=MATTER_PAGE,
        phrases={"create": _l("put %(adviser_id)s on %(matter_id)s")},
        transitions={
            ("status", AssignmentStatus.ACCEPTED.value): _l("accepted %(record)s"),
            ("status", AssignmentStatus.DECLINED.value): _l(
                "declined %(record)s: %(decline_reason)s"
            ),
            ("status", AssignmentStatus.WITHDRAWN.value): _l(
                "took %(record)s off the matter: %(decline_reason)s"
            ),
        },
    )


def _describe_opinions() -> None:
    describe(
        Opinion,
        _l("Legal opinion"),
        names=_opinion_names,
        fields={
            "matter_id": _l("Matter"),
            "revision": _l("Version"),
            "status": _l("Status"),
            "author_id": _l("Lead adviser"),
            **OPINION_TEXT,
            "correction_reason": _l("Why the opinion is corrected"),
            "number": _l("Opinion number"),
            "submitted_at": _l("Submitted at"),
            "submitted_on": _l("Submitted on"),
            "signed_by_id": _l("Signed by"),
            "delivered_on": _l("Delivered on"),
            "delivered_by_id": _l("Forwarded by"),
            "adoption": _l("Adoption"),
            "adoption_reason": _l("Reason"),
            "final_decision": _l("The decision finally taken"),
            "adoption_recorded_on": _l("Adoption recorded on"),
            "adoption_recorded_by_id": _l("Adoption recorded by"),
            "created_at": _l("Created at"),
        },
        parent=_matter_of,
        page=MATTER_PAGE,
        phrases={"create": _l("started the draft of %(record)s")},
        transitions={
            ("status", OpinionStatus.SUBMITTED.value): _l("signed and submitted %(number)s"),
            ("status", OpinionStatus.DELIVERED.value): _l("forwarded %(number)s to the department"),
        },
    )
    describe(
        OpinionComment,
        _l("Comment"),
        fields={
            "opinion_id": _l("Legal opinion"),
            "author_id": _l("Adviser"),
            "body": _l("Comment"),
            "created_at": _l("Created at"),
        },
        parent=_matter_of_comment,
        phrases={"create": _l("commented: %(body)s")},
    )


def _describe_records() -> None:
    describe(
        WorkLog,
        _l("Work log entry"),
        names=_worklog_names,
        fields={
            "matter_id": _l("Matter"),
            "adviser_id": _l("Adviser"),
            "worked_on": _l("Day"),
            "hours": _l("Hours"),
            "note": _l("What was done"),
            "created_at": _l("Created at"),
        },
        parent=_matter_of,
        page=MATTER_PAGE,
        phrases={"create": _l("logged %(hours)s hours on %(worked_on)s: %(note)s")},
    )
    describe(
        Activity,
        _l("Activity"),
        name=Activity.title,
        fields={
            "kind": _l("Kind"),
            "title": _l("Activity title"),
            "held_on": _l("Held on"),
            "place": _l("Place"),
            "audience": _l("Audience"),
            "attendance": _l("Number attending"),
            "department_id": _l("Department"),
            "matter_id": _l("Matter"),
            "notes": _l("Notes"),
            "created_at": _l("Created at"),
        },
        page=Page("consultations.activity", "activity_id"),
        phrases={"create": _l("recorded the activity %(record)s")},
    )
