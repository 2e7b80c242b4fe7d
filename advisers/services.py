"""Every write to the panel: advisers, nominations, appointments, renewals and ends of terms.

Each service takes the acting user, checks the rules, flushes and never commits; the audit
listener records the change. A refusal raises DomainError with a message for the screen.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import false, func, select, text, update

from advisers import queries, rules
from advisers.messages import limit_message
from advisers.models import (
    Adviser,
    EndReason,
    LetterCounter,
    Nomination,
    NominationStatus,
    Post,
    Specialty,
    Term,
)
from advisers.policy import MANAGE
from advisers.settings import letter_pattern, panel_limits
from advisers.signals import term_ended
from core import i18n, voiding
from core.errors import DomainError
from core.extensions import db
from core.models import User
from core.policy import service
from core.services import check_version, is_taken, next_in_year

ADVISER_FIELDS = (
    "name",
    "gender",
    "category",
    "organisation",
    "licence_no",
    "phone",
    "email",
    "conflicts",
    "notes",
    "user_id",
)


# --- advisers --------------------------------------------------------------------


def check_panel_settings(values: dict, changed: str) -> None:
    """The panel's limits must make sense together, and with who serves today."""
    if not changed.startswith("panel."):
        return
    limits = panel_limits(values)
    serving = queries.panel_summary(i18n.today())
    problems = rules.limit_problems(limits, serving.members, serving.directors, serving.deputies)
    if problems:
        raise DomainError(limit_message(problems[0], limits, serving), field="value")


@service(MANAGE)
def save_adviser(
    actor: User | None,
    adviser: Adviser | None,
    *,
    specialty_ids: list[int] = (),
    version=None,
    **fields,
) -> Adviser:
    """Create an adviser record, or update one unless someone else saved it meanwhile."""
    unknown = set(fields) - set(ADVISER_FIELDS)
    if unknown:
        raise TypeError(f"unknown adviser fields: {sorted(unknown)}")
    except_id = adviser.id if adviser else None
    if fields.get("licence_no") and is_taken(Adviser.licence_no, fields["licence_no"], except_id):
        raise DomainError(
            _("Another adviser, perhaps a voided record, has this practising-licence number."),
            field="licence_no",
        )
    if fields.get("user_id") and is_taken(Adviser.user_id, fields["user_id"], except_id):
        raise DomainError(_("This login account belongs to another adviser."), field="user_id")
    if adviser is None:
        adviser = Adviser()
        db.session.add(adviser)
    else:
        check_version(adviser, version)
    for name, value in fields.items():
        setattr(adviser, name, value if value != "" or name in ("conflicts", "notes") else None)
    adviser.specialties = list(
        db.session.scalars(select(Specialty).where(Specialty.id.in_(list(specialty_ids))))
    )
    db.session.flush()
    return adviser


@service(MANAGE)
def save_specialty(actor: User, specialty: Specialty | None, version=None, **fields) -> Specialty:
    """Add a specialty to the managed list, or rename or retire one."""
    if specialty is not None:
        check_version(specialty, version)
    if is_taken(Specialty.name, fields["name"], specialty.id if specialty else None):
        raise DomainError(_("This specialty is on the list already."), field="name")
    if specialty is None:
        specialty = Specialty()
        db.session.add(specialty)
    for name, value in fields.items():
        setattr(specialty, name, value)
    db.session.flush()
    return specialty


# --- the appointment workflow -------------------------------------------------------


@service(MANAGE)
def recommend_adviser(
    actor: User | None, adviser: Adviser, *, post: Post, recommended_on: date, reason: str = ""
) -> Nomination:
    """Record the legal affairs office's recommendation (法制办推荐) of an adviser."""
    if adviser.pending_nomination is not None:
        raise DomainError(
            _("This adviser already has a recommendation in progress; finish or decline it."),
        )
    if adviser.term_from(recommended_on) is not None:
        raise DomainError(
            _("This adviser is serving already; renew the term instead of recommending again."),
        )
    nomination = Nomination(
        adviser=adviser,
        post=Post(post),
        status=NominationStatus.RECOMMENDED,
        recommended_on=recommended_on,
        recommended_by_id=actor.id if actor else None,
        reason=reason or "",
    )
    db.session.add(nomination)
    db.session.flush()
    return nomination


def _require_status(nomination: Nomination, *allowed: NominationStatus) -> None:
    if nomination.status not in allowed:
        raise DomainError(
            _(
                "This recommendation is %(status)s; that step is not open now.",
                status=nomination.status.label,
            )
        )


def _require_not_before(day: date, earliest: date, message: str, field: str) -> None:
    if day < earliest:
        raise DomainError(message, field=field)


@service(MANAGE)
def approve_nomination(
    actor: User | None, nomination: Nomination, *, approved_on: date, doc_no: str
) -> Nomination:
    """Record the district government's approval (报政府同意) with its document number."""
    _require_status(nomination, NominationStatus.RECOMMENDED)
    _require_not_before(
        approved_on,
        nomination.recommended_on,
        _(
            "Approval cannot come before the recommendation (%(day)s).",
            day=nomination.recommended_on.isoformat(),
        ),
        field="approved_on",
    )
    nomination.status = NominationStatus.APPROVED
    nomination.approved_on = approved_on
    nomination.approval_doc_no = doc_no
    db.session.flush()
    return nomination


@service(MANAGE)
def decline_nomination(
    actor: User | None, nomination: Nomination, *, declined_on: date, reason: str
) -> Nomination:
    """Close a recommendation that will not lead to an appointment."""
    _require_status(nomination, NominationStatus.RECOMMENDED, NominationStatus.APPROVED)
    _require_not_before(
        declined_on,
        nomination.recommended_on,
        _(
            "The decision cannot come before the recommendation (%(day)s).",
            day=nomination.recommended_on.isoformat(),
        ),
        field="declined_on",
    )
    nomination.status = NominationStatus.DECLINED
    nomination.declined_on = declined_on
    nomination.decline_reason = reason
    db.session.flush()
    return nomination


@service(MANAGE)
def appoint_adviser(
    actor: User | None, nomination: Nomination, *, post: Post, start_on: date
) -> Term:
    """Appoint an approved nominee: open a term and issue its appointment letter number."""
    _require_status(nomination, NominationStatus.APPROVED)
    _require_not_before(
        start_on,
        nomination.approved_on,
        _(
            "The term cannot start before the government's approval (%(day)s).",
            day=nomination.approved_on.isoformat(),
        ),
        field="start_on",
    )
    term = open_term(actor, nomination.adviser, post=post, start_on=start_on)
    term.nomination = nomination
    nomination.status = NominationStatus.APPOINTED
    db.session.flush()
    return term


def successor_of(term: Term) -> Term | None:
    return db.session.scalar(select(Term).where(Term.renewal_of_id == term.id))


@service(MANAGE)
def renew_term(
    actor: User | None,
    term: Term,
    *,
    approved_on: date,
    doc_no: str,
    post: Post | None = None,
) -> Term:
    """Renew a term (连聘连任) with the government's approval: a new term from the day after
    it ends, with a new letter."""
    if not term.can_renew(has_successor=successor_of(term) is not None):
        raise DomainError(
            _(
                "This term cannot be renewed: it was renewed already, or ended by %(reason)s.",
                reason=term.end_reason.label if term.end_reason else "?",
            )
        )
    _require_not_before(
        approved_on,
        term.start_on,
        _(
            "The approval cannot come before the current term began (%(day)s).",
            day=term.start_on.isoformat(),
        ),
        field="approved_on",
    )
    new = open_term(
        actor,
        term.adviser,
        post=post or Post(term.post),
        start_on=rules.renewal_start(term.end_on),
        renewal_of=term,
    )
    new.approved_on, new.approval_doc_no = approved_on, doc_no
    db.session.flush()
    return new


def _require_dismissal_approval(approved_on: date | None, doc_no: str | None) -> None:
    if approved_on is None:
        raise DomainError(
            _("Give the date of the government's approval of the dismissal."),
            field="approved_on",
        )
    if not (doc_no or "").strip():
        raise DomainError(
            _("Give the document number of the government's approval."), field="doc_no"
        )


@service(MANAGE)
def end_term(
    actor: User | None,
    term: Term,
    *,
    reason: EndReason,
    ended_on: date,
    note: str = "",
    approved_on: date | None = None,
    doc_no: str | None = None,
) -> Term:
    """End a term early by resignation or dismissal (a reason is required), or on expiry.

    A dismissal needs the government's approval. A renewal recorded ahead of this term's end
    is withdrawn in the same step, with the same reason: the adviser leaves the panel.
    """
    reason = EndReason(reason)
    if term.is_ended:
        raise DomainError(_("This term has ended already."))
    if reason == EndReason.DISMISSED:
        if not note.strip():
            raise DomainError(_("Give the reason for the dismissal."), field="note")
        _require_dismissal_approval(approved_on, doc_no)
        term.end_approved_on, term.end_approval_doc_no = approved_on, doc_no.strip()
    if not term.start_on <= ended_on <= term.end_on:
        raise DomainError(
            _(
                "The last day must fall within the term, %(start)s to %(end)s.",
                start=term.start_on.isoformat(),
                end=term.end_on.isoformat(),
            ),
            field="ended_on",
        )
    renewal = successor_of(term)
    if renewal is not None and not renewal.is_ended:
        _withdraw(renewal, f"{reason.label}: {note.strip()}" if note.strip() else reason.label)
    term.ended_on = ended_on
    term.end_reason = reason
    term.end_note = note.strip() or None
    db.session.flush()
    term_ended.send(term)
    return term


def _withdraw(renewal: Term, note: str) -> None:
    renewal.ended_on = rules.withdrawn_last_day(renewal.start_on)
    renewal.end_reason = EndReason.WITHDRAWN
    renewal.end_note = note


@service(MANAGE)
def withdraw_renewal(actor: User | None, renewal: Term, *, day: date, note: str) -> Term:
    """Withdraw a renewal before it begins; its letter number stays used, never reissued."""
    if not renewal.can_withdraw(day):
        raise DomainError(_("Only a renewal that has not begun can be withdrawn."))
    if not note.strip():
        raise DomainError(_("Say why the renewal is withdrawn."), field="note")
    _withdraw(renewal, note.strip())
    db.session.flush()
    return renewal


def expire_terms(today: date) -> int:
    """End, as expired, every term whose last day has passed."""
    expired = list(
        db.session.scalars(select(Term).where(Term.ended_on.is_(None), Term.end_on < today))
    )
    for term in expired:
        term.ended_on = term.end_on
        term.end_reason = EndReason.EXPIRED
    db.session.flush()
    for term in expired:
        term_ended.send(term)
    return len(expired)


# --- opening a term ------------------------------------------------------------------


def _spans_overlapping(start: date, last: date) -> list[rules.Span]:
    rows = db.session.execute(
        select(Term.adviser_id, Term.post, Term.start_on, Term.last_day).where(
            Term.start_on <= last, Term.last_day >= start
        )
    )
    return [rules.Span(a, p, s, e) for a, p, s, e in rows]


def _refusal_message(refusal: rules.Refusal, limits: rules.PanelLimits) -> DomainError:
    messages = {
        rules.Refusal.OVERLAP: (
            _("This adviser already holds a term in that period; terms may not overlap."),
            "start_on",
        ),
        rules.Refusal.PANEL_FULL: (
            _(
                "The panel would have more than %(n)d serving members on some day of this term. "
                "End or wait for another term first.",
                n=limits.max_members,
            ),
            None,
        ),
        rules.Refusal.DIRECTOR_TAKEN: (
            _(
                "The panel already has %(n)d director(s) in that period; choose another post.",
                n=limits.max_directors,
            ),
            "post",
        ),
        rules.Refusal.DEPUTIES_FULL: (
            _(
                "The panel already has %(n)d deputy directors in that period; choose another post.",
                n=limits.max_deputies,
            ),
            "post",
        ),
        rules.Refusal.BAD_DATES: (_("The term would end before it starts."), "start_on"),
    }
    message, field = messages[refusal]
    return DomainError(message, field=field)


@service(MANAGE)
def open_term(
    actor: User | None,
    adviser: Adviser,
    *,
    post: Post,
    start_on: date,
    renewal_of: Term | None = None,
    letter_no: str | None = None,
) -> Term:
    """Open a term after checking every panel rule; number its letter unless one is given."""
    lock_panel()
    limits = panel_limits()
    new = rules.Span(
        adviser.id, Post(post).value, start_on, rules.term_end(start_on, limits.term_years)
    )
    refusal = rules.check_appointment(_spans_overlapping(new.start, new.last), new, limits)
    if refusal is not None:
        raise _refusal_message(refusal, limits)
    if letter_no is not None and _letter_taken(letter_no):
        raise DomainError(
            _("Letter number %(no)s is used already.", no=letter_no), field="letter_no"
        )
    term = Term(
        adviser=adviser,
        post=Post(post),
        start_on=new.start,
        end_on=new.last,
        renewal_of=renewal_of,
        letter_no=letter_no or next_letter_number(start_on.year),
    )
    db.session.add(term)
    db.session.flush()
    return term


#: the PostgreSQL advisory lock that serialises changes to the panel's membership
PANEL_LOCK = 7_316_001


def lock_panel() -> None:
    """Take the panel for this transaction, so two appointments cannot both take the last seat.

    PostgreSQL: an advisory lock held until commit. SQLite: an empty write takes the database's
    write lock now, before the rules read the panel, instead of at the first insert.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PANEL_LOCK})
    else:
        db.session.execute(update(LetterCounter).where(false()).values(last_seq=0))


def _letter_taken(letter_no: str) -> bool:
    return db.session.scalar(select(Term.id).where(Term.letter_no == letter_no)) is not None


def next_letter_number(year: int) -> str:
    """Issue the next letter number of the year; a number once used is never issued again."""
    pattern = letter_pattern()
    while True:
        number = rules.letter_number(pattern, year, next_in_year(LetterCounter, year))
        if not _letter_taken(number):
            return number


def serving_count(day: date) -> int:
    return db.session.scalar(
        select(func.count(Term.id)).where(Term.start_on <= day, Term.last_day >= day)
    )


# --- voiding records entered by mistake ---------------------------------------------------


@service(MANAGE)
def void_adviser(actor: User | None, adviser: Adviser, *, reason: str) -> None:
    """Void an adviser entered by mistake; one who has held a term is ended, not voided."""
    if adviser.terms:
        raise DomainError(
            _("An adviser who has held a term cannot be voided; end the term instead.")
        )
    voiding.mark_voided(adviser, actor, reason)
    adviser.user_id = None  # the login may belong with the right record
    db.session.flush()


@service(MANAGE)
def restore_adviser(actor: User | None, adviser: Adviser) -> None:
    voiding.clear_void(adviser)
    db.session.flush()


@service(MANAGE)
def void_nomination(actor: User | None, nomination: Nomination, *, reason: str) -> None:
    """Void a recommendation entered by mistake; an appointment stands on its own term."""
    if nomination.status == NominationStatus.APPOINTED:
        raise DomainError(
            _("This recommendation led to an appointment; end the term instead of voiding it.")
        )
    voiding.mark_voided(nomination, actor, reason)
    db.session.flush()


@service(MANAGE)
def restore_nomination(actor: User | None, nomination: Nomination) -> None:
    others = [n for n in nomination.adviser.nominations if n is not nomination]
    if nomination.is_pending and any(n.is_pending and not n.is_voided for n in others):
        raise DomainError(
            _("The adviser has another recommendation in progress; void or decline it first.")
        )
    voiding.clear_void(nomination)
    db.session.flush()
