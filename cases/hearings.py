"""Hearings of a case and who appeared for the government (负责人出庭应诉, seed 九.2).

In an administrative case the department's principal head appears in person; only if truly
unable, the deputy in charge or the staff who exercise the power in question, with the reason
and sealed proof. A lawyer alone is never enough, and nobody at all is 不出庭 in any kind of
case: both raise a serious event. The rules are pure functions; the services take the actor,
flush, never commit, and refuse with every problem beside its field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from cases import serious, telling
from cases.models import (
    Appearance,
    Case,
    CaseHearing,
    CaseKind,
    CaseStage,
    SeriousKind,
)
from cases.policy import MANAGE
from cases.services import attach_document
from core.errors import DomainError, Problem
from core.extensions import db
from core.files import check_upload
from core.i18n import TIMEZONE, local_time, today
from core.models import User, utcnow
from core.policy import service

#: the fields of a hearing that scheduling sets and moving changes
HEARING_FIELDS = ("stage", "starts_at", "place", "notice_received_on", "notice")


class Verdict(NamedTuple):
    """How a hearing's appearance reads on the case page: compliant or not, in words."""

    compliant: bool | None
    label: str
    badge: str


#: what an administrative case's badge says of each appearance
HEAD_VERDICTS = {
    Appearance.PRINCIPAL_HEAD: _l("Head appeared"),
    Appearance.DEPUTY_HEAD: _l("Deputy in charge appeared"),
    Appearance.OTHER_STAFF: _l("Staff appeared (相应的工作人员)"),
    Appearance.LAWYER_ONLY: _l("Non-compliant: only a lawyer"),
    Appearance.NOBODY: _l("Non-compliant: nobody appeared"),
}


def compliance(case_kind: CaseKind, appeared: Appearance | None) -> bool | None:
    """Whether the government was there as the law wants; None while unrecorded.

    Nobody at all is never enough; in an administrative case a lawyer alone is not either.
    """
    if appeared is None:
        return None
    if case_kind is CaseKind.ADMINISTRATIVE:
        return appeared.is_compliant
    return appeared is not Appearance.NOBODY


def verdict(case_kind: CaseKind, appeared: Appearance | None) -> Verdict:
    """The badge of a hearing: who appeared (administrative cases), compliant or not."""
    compliant = compliance(case_kind, appeared)
    if compliant is None:
        return Verdict(None, _("Not yet recorded"), "text-bg-light border")
    if not compliant:
        badge = "text-bg-danger"
    elif needs_reason(case_kind, appeared):  # compliant, but not the principal head
        badge = "text-bg-info"
    else:
        badge = "text-bg-success"
    if case_kind is CaseKind.ADMINISTRATIVE:
        return Verdict(compliant, str(HEAD_VERDICTS[appeared]), badge)
    return Verdict(compliant, _("Compliant") if compliant else _("Non-compliant"), badge)


def needs_reason(case_kind: CaseKind, appeared: Appearance) -> bool:
    """The principal head of an administrative case's department did not appear."""
    return case_kind is CaseKind.ADMINISTRATIVE and appeared is not Appearance.PRINCIPAL_HEAD


def needs_proof(case_kind: CaseKind, appeared: Appearance) -> bool:
    """Someone stood in for the principal head: their absence is proven under seal."""
    return case_kind is CaseKind.ADMINISTRATIVE and appeared in (
        Appearance.DEPUTY_HEAD,
        Appearance.OTHER_STAFF,
    )


def local_day(moment: datetime) -> date:
    """The day in China of a moment."""
    return moment.astimezone(TIMEZONE).date()


def has_begun(hearing: CaseHearing, now: datetime | None = None) -> bool:
    """Tell whether the hearing's start has come (now, by default)."""
    return hearing.starts_at <= (now or utcnow())


def why_not_movable(hearing: CaseHearing) -> str | None:
    """Why the hearing can no longer be moved, or None while it can."""
    if not hearing.case.is_open:
        return _("A closed case cannot be changed.")
    if hearing.appeared is not None:
        return _("The appearance is recorded: the hearing cannot be moved.")
    return None


def why_not_recordable(hearing: CaseHearing, now: datetime | None = None) -> str | None:
    """Why who appeared cannot be recorded (yet), or None when it can."""
    if not hearing.case.is_open:
        return _("A closed case cannot be changed.")
    if not has_begun(hearing, now):
        return _(
            "The hearing begins at %(when)s: record who appeared once it has begun.",
            when=local_time(hearing.starts_at),
        )
    return None


def head_line(case: Case) -> str:
    """What the department's head is told: the principal head appears in person."""
    if case.kind is not CaseKind.ADMINISTRATIVE:
        return ""
    head = case.department.principal_head if case.department else None
    if head:
        return _(
            "The principal head %(head)s must appear in person; only if truly unable, the "
            "deputy in charge, with the reason and sealed proof. A lawyer alone is never enough.",
            head=head,
        )
    return _(
        "The principal head must appear in person; only if truly unable, the deputy in charge, "
        "with the reason and sealed proof. A lawyer alone is never enough."
    )


def _aware(moment: datetime) -> datetime:
    """A time without a zone is China time, as the forms enter it."""
    return moment.replace(tzinfo=TIMEZONE) if moment.tzinfo is None else moment


def _upload_problem(upload: FileStorage | None, field: str) -> list[Problem]:
    if upload is None:
        return []
    try:
        check_upload(upload)
    except DomainError as error:
        return [Problem(field, error.message)]
    return []


def _check_open(case: Case) -> None:
    if not case.is_open:
        raise DomainError(_("A closed case cannot be changed."))


def _hearing_problems(case: Case, fields: dict) -> list[Problem]:
    """No hearing before registration; a notice neither in the future nor after the hearing."""
    problems = []
    stage = fields.get("stage")
    if stage is not None and stage.case_id != case.id:
        problems.append(Problem("stage_id", _("This stage belongs to another case.")))
    day = local_day(fields["starts_at"])
    if day < case.registered_on:
        problems.append(
            Problem(
                "starts_at",
                _(
                    "No hearing before registration: the case was registered on %(day)s.",
                    day=case.registered_on.isoformat(),
                ),
            )
        )
    received = fields.get("notice_received_on")
    if received is not None and received > today():
        problems.append(
            Problem("notice_received_on", _("The notice cannot be received in the future."))
        )
    elif received is not None and received > day:
        problems.append(
            Problem(
                "notice_received_on",
                _("The notice cannot be received after the day of the hearing."),
            )
        )
    return problems + _upload_problem(fields.get("notice"), "notice")


def _apply(actor: User | None, hearing: CaseHearing, fields: dict) -> None:
    notice = fields.pop("notice", None)
    if "place" in fields:
        fields["place"] = (fields["place"] or "").strip()
    for name, value in fields.items():
        setattr(hearing, name, value)
    if notice is not None:
        hearing.notice_file = attach_document(actor, hearing.case, notice, field="notice")


def _court_of(hearing: CaseHearing) -> str:
    stage = hearing.stage
    return (stage.court if stage is not None and stage.court else "") or hearing.case.court


def _tell_scheduled(hearing: CaseHearing) -> None:
    """Tell the department (for its head), the team and the office; once per start time, so
    a moved hearing is told again."""
    case = hearing.case
    when = local_time(hearing.starts_at)
    telling.tell(
        telling.everyone(case),
        case,
        f"hearing-set-{hearing.id}:{hearing.starts_at.astimezone(TIMEZONE).isoformat()}",
        lambda: _("Hearing on %(when)s: %(court)s", when=when, court=_court_of(hearing)),
        lambda: " ".join(
            filter(
                None,
                [
                    _(
                        "%(case)s, %(party)s, %(cause)s. Place: %(place)s.",
                        case=case.reference,
                        party=case.government_party,
                        cause=case.cause,
                        place=hearing.place or _court_of(hearing),
                    ),
                    head_line(case),
                ],
            )
        ),
    )


@service(MANAGE)
def schedule_hearing(
    actor: User | None,
    case: Case,
    *,
    stage: CaseStage | None = None,
    starts_at: datetime,
    place: str = "",
    notice_received_on: date | None = None,
    notice: FileStorage | None = None,
) -> CaseHearing:
    """Enter a hearing of an open case, with the court's appearance notice, and tell those
    who must be there."""
    _check_open(case)
    fields = {
        "stage": stage,
        "starts_at": _aware(starts_at),
        "place": place,
        "notice_received_on": notice_received_on,
        "notice": notice,
    }
    problems = _hearing_problems(case, fields)
    if problems:
        raise DomainError(problems=problems)
    hearing = CaseHearing(case=case)
    db.session.add(hearing)
    _apply(actor, hearing, fields)
    db.session.flush()
    _tell_scheduled(hearing)
    return hearing


@service(MANAGE)
def update_hearing(actor: User | None, hearing: CaseHearing, **fields) -> CaseHearing:
    """Move or correct a hearing; once its appearance is recorded it stays as it was."""
    case = hearing.case
    refusal = why_not_movable(hearing)
    if refusal:
        raise DomainError(refusal)
    unknown = set(fields) - set(HEARING_FIELDS)
    if unknown:
        raise TypeError(f"update_hearing() got unexpected fields {sorted(unknown)}")
    if fields.get("starts_at") is not None:
        fields["starts_at"] = _aware(fields["starts_at"])
    current = {name: getattr(hearing, name) for name in HEARING_FIELDS if name != "notice"}
    problems = _hearing_problems(case, current | fields)
    if problems:
        raise DomainError(problems=problems)
    _apply(actor, hearing, fields)
    db.session.flush()
    _tell_scheduled(hearing)
    return hearing


def _appearance_problems(
    case: Case, appeared: Appearance, name: str, reason: str, proof, stored_proof: bool
) -> list[Problem]:
    problems = []
    if appeared is not Appearance.NOBODY and not name:
        problems.append(
            Problem(
                "appeared_name",
                _("Name who appeared (for a lawyer alone, the lawyer).")
                if appeared is Appearance.LAWYER_ONLY
                else _("Name who appeared."),
            )
        )
    if needs_reason(case.kind, appeared) and not reason:
        problems.append(
            Problem(
                "absence_reason",
                _(
                    "Say why the principal head did not appear (force majeure, duties no one "
                    "else can perform)."
                ),
            )
        )
    if needs_proof(case.kind, appeared) and proof is None and not stored_proof:
        problems.append(
            Problem(
                "absence_proof",
                _(
                    "Upload the sealed proof (加盖公章的证明) of why the principal head could not "
                    "appear."
                ),
            )
        )
    return problems + _upload_problem(proof, "absence_proof")


@service(MANAGE)
def record_appearance(
    actor: User | None,
    hearing: CaseHearing,
    *,
    appeared: Appearance,
    appeared_name: str = "",
    absence_reason: str = "",
    absence_proof: FileStorage | None = None,
    lawyers: str = "",
    notes: str = "",
) -> CaseHearing:
    """Record who appeared for the government once the hearing has begun; recording again
    corrects it. Nobody, or a lawyer alone in an administrative case, raises a serious event."""
    case = hearing.case
    refusal = why_not_recordable(hearing)
    if refusal:
        raise DomainError(refusal)
    name = "" if appeared is Appearance.NOBODY else (appeared_name or "").strip()
    reason = (absence_reason or "").strip()
    problems = _appearance_problems(
        case, appeared, name, reason, absence_proof, hearing.absence_proof_file_id is not None
    )
    if problems:
        raise DomainError(problems=problems)
    hearing.appeared = appeared
    hearing.appeared_name = name
    hearing.absence_reason = "" if appeared is Appearance.PRINCIPAL_HEAD else reason
    if appeared is Appearance.PRINCIPAL_HEAD:
        hearing.absence_proof_file = None
    elif absence_proof is not None:
        hearing.absence_proof_file = attach_document(
            actor, case, absence_proof, field="absence_proof"
        )
    hearing.lawyers = (lawyers or "").strip()
    hearing.notes = (notes or "").strip()
    hearing.recorded_at = utcnow()
    hearing.recorded_by_id = actor.id if actor else None
    db.session.flush()
    if compliance(case.kind, appeared) is False:
        # the event tells the leaders, the office and the department, once per hearing
        serious.raise_event(case, SeriousKind.NO_APPEARANCE, hearing)
    return hearing
