"""Legal opinions: the lead drafts, co-advisers comment, the lead signs and submits, the office
forwards, the department records whether it was adopted. A submitted opinion is never edited;
a correction is a new revision with its reason."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from advisers.queries import adviser_for_user
from advisers.rules import letter_number
from consultations import rules
from consultations.models import (
    Adoption,
    Matter,
    MatterStatus,
    Opinion,
    OpinionComment,
    OpinionCounter,
    OpinionStatus,
)
from consultations.policy import COMMENT, DRAFT, MANAGE, RECORD_ADOPTION
from consultations.services import telling
from consultations.settings import opinion_pattern
from core import search
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import User, utcnow
from core.policy import service
from core.services import check_version, next_in_year

SEARCH_KIND = "opinion"
#: the sections a signed opinion must have
REQUIRED = ("facts", "analysis", "conclusion")


def _own_adviser(actor: User | None, matter: Matter):
    if actor is None:
        return matter.lead.adviser
    return adviser_for_user(actor.id)


def index_opinion(opinion: Opinion) -> None:
    search.index(
        SEARCH_KIND,
        opinion.id,
        opinion.matter.title,
        opinion.number or "",
        *(getattr(opinion, name) for name in Opinion.SECTIONS),
    )


@service(DRAFT)
def save_draft(actor: User | None, matter: Matter, *, version=None, **sections) -> Opinion:
    """The lead writes the draft: the first one, or the correction they started."""
    if matter.status is not MatterStatus.IN_PROGRESS:
        raise DomainError(_("An opinion can be drafted only while the matter is in progress."))
    if matter.gives_activity:
        raise DomainError(_("Training and publicity are recorded as activities, not opinions."))
    author_id = _own_adviser(actor, matter).id
    opinion = matter.current_opinion
    if opinion is None or not opinion.is_draft:
        if opinion is not None:
            raise DomainError(_("Start a correction to change a submitted opinion."))
        opinion = Opinion(matter=matter, revision=1, author_id=author_id)
        db.session.add(opinion)
    elif version is not None:
        check_version(opinion, version)
    opinion.author_id = author_id
    for name in Opinion.SECTIONS:
        if name in sections:
            setattr(opinion, name, (sections[name] or "").strip())
    db.session.flush()
    return opinion


@service(COMMENT)
def comment_on(actor: User | None, matter: Matter, *, body: str) -> OpinionComment:
    """An adviser on the matter comments on the draft."""
    opinion = matter.current_opinion
    if opinion is None or not opinion.is_draft:
        raise DomainError(_("There is no draft to comment on."))
    if not (body or "").strip():
        raise DomainError(_("Write the comment."), field="body")
    comment = OpinionComment(
        opinion=opinion, author_id=_own_adviser(actor, matter).id, body=body.strip()
    )
    db.session.add(comment)
    db.session.flush()
    if opinion.author.user_id != (actor and actor.id):
        telling.tell(
            telling.advisers([opinion.author]),
            matter,
            f"comment-{comment.id}",
            lambda: _("A comment on your draft: %(title)s", title=matter.title),
            lambda: comment.body[:200],
        )
    return comment


def next_opinion_number(year: int) -> str:
    """The next opinion number of the year; a number once given is never given again."""
    pattern = opinion_pattern()
    while True:
        number = letter_number(pattern, year, next_in_year(OpinionCounter, year))
        if db.session.scalar(select(Opinion.id).where(Opinion.number == number)) is None:
            return number


@service(DRAFT)
def submit_opinion(actor: User | None, matter: Matter, *, version=None) -> Opinion:
    """The lead signs and submits the draft: it gets its number and is never edited again."""
    opinion = matter.current_opinion
    if opinion is None or not opinion.is_draft:
        raise DomainError(_("There is no draft to submit."))
    if version is not None:
        check_version(opinion, version)
    missing = [name for name in REQUIRED if not getattr(opinion, name).strip()]
    if missing:
        raise DomainError(
            _("Write the facts, the analysis and the conclusion before signing."),
            field=missing[0],
        )
    day = today()
    opinion.number = next_opinion_number(day.year)
    opinion.status = OpinionStatus.SUBMITTED
    opinion.submitted_at, opinion.submitted_on = utcnow(), day
    opinion.signed_by_id = actor.id if actor else None
    for earlier in matter.opinions:
        if earlier is not opinion and earlier.status is not OpinionStatus.SUPERSEDED:
            earlier.status = OpinionStatus.SUPERSEDED
    matter.status = MatterStatus.SUBMITTED
    db.session.flush()
    index_opinion(opinion)
    telling.tell(
        telling.office(),
        matter,
        f"submitted-{opinion.id}",
        lambda: _("Opinion submitted: %(number)s", number=opinion.number),
        lambda: _("%(title)s. Forward it to the department.", title=matter.title),
    )
    return opinion


@service(DRAFT)
def start_correction(actor: User | None, matter: Matter, *, reason: str) -> Opinion:
    """The lead starts a corrected revision of the signed opinion, with the reason; the text
    is copied to work on, and the signed one stays as it was."""
    signed = matter.current_opinion
    if signed is None or signed.is_draft:
        raise DomainError(_("Only a signed opinion can be corrected."))
    if matter.status is MatterStatus.CLOSED:
        raise DomainError(_("The department has recorded its decision; the matter is closed."))
    if not (reason or "").strip():
        raise DomainError(_("Say why the opinion is corrected."), field="reason")
    draft = Opinion(
        matter=matter,
        revision=signed.revision + 1,
        author_id=_own_adviser(actor, matter).id,
        correction_reason=reason.strip(),
        **{name: getattr(signed, name) for name in Opinion.SECTIONS},
    )
    db.session.add(draft)
    matter.status = MatterStatus.IN_PROGRESS
    db.session.flush()
    return draft


@service(MANAGE)
def forward_opinion(actor: User | None, opinion: Opinion) -> Opinion:
    """The office forwards the signed opinion to the department, which is told."""
    if opinion.status is not OpinionStatus.SUBMITTED:
        raise DomainError(_("Only a signed opinion that has not been forwarded can be forwarded."))
    matter = opinion.matter
    opinion.status = OpinionStatus.DELIVERED
    opinion.delivered_on, opinion.delivered_by_id = today(), actor.id if actor else None
    matter.status = MatterStatus.DELIVERED
    db.session.flush()
    telling.tell(
        telling.department(matter),
        matter,
        f"delivered-{opinion.id}",
        lambda: _("Legal opinion delivered: %(number)s", number=opinion.number),
        lambda: _("%(title)s. Record whether it was adopted.", title=matter.title),
    )
    return opinion


@service(RECORD_ADOPTION)
def record_adoption(
    actor: User | None,
    matter: Matter,
    *,
    adoption: Adoption,
    reason: str = "",
    final_decision: str = "",
) -> Opinion:
    """The department records whether it adopted the delivered opinion, why, and what it
    finally decided; a major decision taken against the advice goes before the leaders."""
    opinion = matter.current_opinion
    if opinion is None or opinion.status is not OpinionStatus.DELIVERED:
        raise DomainError(_("Adoption can be recorded only for an opinion delivered to you."))
    if opinion.adoption is not None:
        raise DomainError(_("Adoption has been recorded already."))
    if adoption is not Adoption.ADOPTED and not (reason or "").strip():
        raise DomainError(_("Say why the opinion was not fully adopted."), field="reason")
    opinion.adoption = adoption
    opinion.adoption_reason = (reason or "").strip() or None
    opinion.final_decision = (final_decision or "").strip() or None
    opinion.adoption_recorded_on = today()
    opinion.adoption_recorded_by_id = actor.id if actor else None
    matter.status = MatterStatus.CLOSED
    matter.closed_on = today()
    db.session.flush()
    if rules.needs_leaders(matter.kind.rule, rules.Adoption(adoption.value)):
        _flag_to_leaders(matter, opinion)
    return opinion


def _flag_to_leaders(matter: Matter, opinion: Opinion) -> None:
    telling.tell(
        telling.leaders() + telling.office(),
        matter,
        f"not-adopted-{opinion.id}",
        lambda: _("Major decision taken against the legal opinion: %(title)s", title=matter.title),
        lambda: _(
            "%(department)s did not adopt opinion %(number)s. Reason: %(reason)s",
            department=matter.department.name,
            number=opinion.number,
            reason=opinion.adoption_reason or "",
        ),
    )
