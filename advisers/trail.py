"""How the panel's records read in the audit trail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from advisers.models import Adviser, EndReason, Nomination, NominationStatus, Specialty, Term
from core.audit import BOOKKEEPING, Page, describe

ADVISER_PAGE = Page("advisers.adviser", "adviser_id", "adviser_id")


def _term_names():
    return select(Term.id, Adviser.name + " · " + Term.letter_no).join(
        Adviser, Adviser.id == Term.adviser_id
    )


def _nomination_names():
    return select(Nomination.id, Adviser.name).join(Adviser, Adviser.id == Nomination.adviser_id)


def register() -> None:
    """Describe specialties, advisers, recommendations and terms."""
    describe(
        Specialty,
        _l("Specialty"),
        name=Specialty.name,
        fields={
            "name": _l("Name (Chinese)"),
            "name_en": _l("Name (English)"),
            "is_active": _l("In use"),
        },
        page=Page("advisers.edit_specialty", "specialty_id"),
    )
    describe(
        Adviser,
        _l("Adviser"),
        name=Adviser.name,
        fields={
            "name": _l("Full name"),
            "gender": _l("Gender"),
            "category": _l("Category"),
            "organisation": _l("Organisation or law firm"),
            "licence_no": _l("Practising-licence number"),
            "phone": _l("Phone"),
            "email": _l("E-mail"),
            "conflicts": _l("Declared conflicts of interest"),
            "notes": _l("Notes"),
            "user_id": _l("Login account"),
            "created_at": _l("Created at"),
        },
        page=Page("advisers.adviser", "adviser_id"),
        many={"create": lambda n: ngettext("added %(num)d adviser", "added %(num)d advisers", n)},
    )
    describe(
        Nomination,
        _l("Recommendation"),
        names=_nomination_names,
        display_name=lambda shown: shown["adviser_id"],
        fields={
            "adviser_id": _l("Adviser"),
            "post": _l("Proposed post"),
            "status": _l("Status"),
            "recommended_on": _l("Recommended on"),
            "recommended_by_id": _l("Recommended by"),
            "reason": _l("Reason"),
            "approved_on": _l("Government approved on"),
            "approval_doc_no": _l("Approval document number"),
            "declined_on": _l("Declined on"),
            "decline_reason": _l("Reason for declining"),
        },
        parent="adviser_id",
        page=ADVISER_PAGE,
        phrases={"create": _l("recommended %(adviser_id)s as %(post)s")},
        transitions={
            ("status", NominationStatus.APPROVED.value): _l(
                "recorded the government's approval of %(record)s (%(approval_doc_no)s)"
            ),
            ("status", NominationStatus.DECLINED.value): _l("recorded %(record)s as declined"),
        },
    )
    describe(
        Term,
        _l("Term"),
        names=_term_names,
        display_name=lambda shown: f"{shown['adviser_id']} · {shown['letter_no']}",
        fields={
            "adviser_id": _l("Adviser"),
            "nomination_id": _l("Recommendation"),
            "renewal_of_id": _l("Renewal of"),
            "post": _l("Post"),
            "start_on": _l("Term starts on"),
            "end_on": _l("Term ends on"),
            "letter_no": _l("Letter number"),
            "ended_on": _l("Last day served"),
            "end_reason": _l("Why the term ends"),
            "end_note": _l("Reason and details"),
            "approved_on": _l("Government approved on"),
            "approval_doc_no": _l("Approval document number"),
            "end_approved_on": _l("Government approved the dismissal on"),
            "end_approval_doc_no": _l("Dismissal approval document number"),
            "created_at": _l("Created at"),
        },
        #: the recommendation a term came from is linked by the appointment itself
        quiet=BOOKKEEPING | {"nomination_id"},
        parent="adviser_id",
        page=ADVISER_PAGE,
        phrases={"create": _l("appointed %(adviser_id)s as %(post)s (%(letter_no)s)")},
        transitions={
            ("end_reason", EndReason.DISMISSED.value): _l(
                "recorded the dismissal of %(adviser_id)s; last day served: %(ended_on)s"
            ),
            ("end_reason", EndReason.RESIGNED.value): _l(
                "recorded the resignation of %(adviser_id)s; last day served: %(ended_on)s"
            ),
            ("end_reason", EndReason.EXPIRED.value): _l(
                "recorded the end of the term %(record)s on %(ended_on)s"
            ),
            ("end_reason", EndReason.WITHDRAWN.value): _l("withdrew the renewal %(record)s"),
        },
    )
