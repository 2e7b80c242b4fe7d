"""Opinions: the lead's draft with the co-advisers' comments, signing, correction,
forwarding, the department's adoption record, and the printed opinion."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consultations import queries, services
from consultations.forms import AdoptionForm, CommentForm, CorrectionForm, DraftForm, SubmitForm
from consultations.models import Adoption, MatterStatus, OpinionStatus
from consultations.policy import COMMENT, DRAFT, MANAGE, READ_OPINION, RECORD_ADOPTION
from consultations.views import bp
from consultations.views.common import matter_or_404, not_now
from consultations.views.matters import matter_page
from core import pdf
from core.flow import render_form, submit
from core.forms import EmptyForm
from core.policy import check_or_403, requires
from core.settings import office_names


def _working_matter(matter_id: int, action: str):
    matter = matter_or_404(matter_id, queries.matter_detail)
    check_or_403(action, matter)
    return matter


def _open_draft(matter):
    """The draft the lead works on now, or None when there is none yet."""
    opinion = matter.current_opinion
    return opinion if opinion is not None and opinion.is_draft else None


def _may_draft(matter) -> bool:
    """A matter in progress whose opinion is still to be written or being corrected."""
    signed = matter.current_opinion is not None and not matter.current_opinion.is_draft
    return matter.status is MatterStatus.IN_PROGRESS and not matter.gives_activity and not signed


def _draft_page(matter, form: DraftForm, submit_form: SubmitForm | None = None):
    opinion = _open_draft(matter)
    return render_form(
        "consultations/draft.html",
        form=form,
        matter=matter,
        opinion=opinion,
        submit_form=submit_form or SubmitForm(version=opinion.version if opinion else ""),
    )


@bp.route("/consultations/<int:matter_id>/draft", methods=["GET", "POST"])
@requires(DRAFT)
def draft(matter_id: int):
    matter = _working_matter(matter_id, DRAFT)
    if request.method == "GET" and not _may_draft(matter):
        return not_now(matter, _("There is no opinion to draft on this matter now."))
    opinion = _open_draft(matter)
    form = DraftForm(obj=opinion)
    response = submit(
        form,
        lambda: services.save_draft(
            current_user,
            matter,
            # a save that names no version would overwrite whatever is there
            version=form.version.data or "",
            **{name: getattr(form, name).data for name in DRAFT_SECTIONS},
        ),
        _("Draft saved."),
        url_for("consultations.draft", matter_id=matter.id),
    )
    return response or _draft_page(matter, form)


DRAFT_SECTIONS = ("facts", "legal_basis", "analysis", "conclusion", "risks")


@bp.route("/consultations/<int:matter_id>/comment", methods=["POST"])
@requires(COMMENT)
def comment(matter_id: int):
    matter = _working_matter(matter_id, COMMENT)
    if _open_draft(matter) is None:  # the page shows no comment box to put an error beside
        flash(_("There is no draft to comment on."), "danger")
        return matter_page(matter, status=400)
    form = CommentForm()
    response = submit(
        form,
        lambda: services.comment_on(current_user, matter, body=form.body.data),
        _("Comment added; the lead adviser is told."),
        url_for("consultations.matter", matter_id=matter.id) + "#draft",
    )
    return response or matter_page(matter, comment_form=form, status=400)


@bp.route("/consultations/<int:matter_id>/submit", methods=["POST"])
@requires(DRAFT)
def submit_opinion(matter_id: int):
    matter = _working_matter(matter_id, DRAFT)
    if _open_draft(matter) is None:  # nothing to sign, and no box to put an error beside
        flash(_("There is no draft to submit."), "danger")
        return matter_page(matter, status=400)
    form = SubmitForm()
    response = submit(
        form,
        lambda: services.submit_opinion(current_user, matter, version=form.version.data),
        lambda opinion: _(
            "Opinion %(number)s signed and submitted; the office is told.", number=opinion.number
        ),
        url_for("consultations.matter", matter_id=matter.id),
    )
    if response is not None:
        return response
    draft_form = DraftForm(obj=_open_draft(matter), formdata=None)
    # a section the signature needs is shown missing beside its box
    for name, message in getattr(form, "other_errors", {}).items():
        if name in DRAFT_SECTIONS:
            draft_form[name].errors = [message]
    return _draft_page(matter, draft_form, submit_form=form)


@bp.route("/consultations/<int:matter_id>/correct", methods=["GET", "POST"])
@requires(DRAFT)
def correct(matter_id: int):
    matter = _working_matter(matter_id, DRAFT)
    signed = matter.current_opinion is not None and not matter.current_opinion.is_draft
    if request.method == "GET" and (not signed or matter.status is MatterStatus.CLOSED):
        return not_now(matter, _("There is no signed opinion to correct on this matter now."))
    form = CorrectionForm()
    response = submit(
        form,
        lambda: services.start_correction(current_user, matter, reason=form.reason.data),
        _("A corrected version is started from the signed text; sign it when it is ready."),
        url_for("consultations.draft", matter_id=matter.id),
    )
    return response or render_form(
        "consultations/step_form.html",
        form=form,
        matter=matter,
        title=_("Correct the signed opinion"),
        action=_("Start a corrected version"),
    )


def _opinion_or_404(opinion_id: int):
    opinion = queries.opinion_detail(opinion_id)
    if opinion is None:
        abort(404)
    check_or_403(READ_OPINION, opinion)
    return opinion


@bp.route("/consultations/opinions/<int:opinion_id>/forward", methods=["POST"])
@requires(MANAGE)
def forward(opinion_id: int):
    opinion = _opinion_or_404(opinion_id)
    response = submit(
        EmptyForm(),
        lambda: services.forward_opinion(current_user, opinion),
        _("Opinion forwarded; the department is asked to record whether it is adopted."),
        url_for("consultations.matter", matter_id=opinion.matter_id),
    )
    return response or redirect(url_for("consultations.matter", matter_id=opinion.matter_id))


def _awaits_adoption(matter) -> bool:
    opinion = matter.current_opinion
    return (
        opinion is not None
        and opinion.status is OpinionStatus.DELIVERED
        and opinion.adoption is None
    )


@bp.route("/consultations/<int:matter_id>/adoption", methods=["GET", "POST"])
@requires(RECORD_ADOPTION)
def adoption(matter_id: int):
    matter = _working_matter(matter_id, RECORD_ADOPTION)
    if request.method == "GET" and not _awaits_adoption(matter):
        return not_now(matter, _("Adoption can be recorded only for an opinion delivered to you."))
    form = AdoptionForm()
    response = submit(
        form,
        lambda: services.record_adoption(
            current_user,
            matter,
            adoption=Adoption(form.adoption.data),
            reason=form.reason.data or "",
            final_decision=form.final_decision.data or "",
        ),
        _("Adoption recorded; the matter is closed."),
        url_for("consultations.matter", matter_id=matter.id),
    )
    return response or render_form(
        "consultations/adoption.html", form=form, matter=matter, opinion=matter.current_opinion
    )


@bp.route("/consultations/opinions/<int:opinion_id>")
@requires(READ_OPINION)
def opinion(opinion_id: int):
    opinion = _opinion_or_404(opinion_id)
    return render_template(
        "consultations/opinion.html",
        opinion=opinion,
        pdf_ready=pdf.pdf_available(),
        office=office_names(),
    )


@bp.route("/consultations/opinions/<int:opinion_id>.pdf")
@requires(READ_OPINION)
def opinion_pdf(opinion_id: int):
    opinion = _opinion_or_404(opinion_id)
    if opinion.number is None:
        abort(404)  # a draft is read on its page; only a signed opinion is a document
    return pdf.document_response(
        "consultations/opinion_document.html",
        url_for("consultations.opinion", opinion_id=opinion.id),
        f"legal-opinion-{opinion.id}.pdf",
        opinion=opinion,
        office=office_names(),
    )
