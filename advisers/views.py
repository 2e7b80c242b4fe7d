"""Pages of the panel: dashboard, roster, advisers, the appointment workflow and letters."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from advisers import exports, queries, services
from advisers.forms import (
    AdviserForm,
    AppointForm,
    ApproveForm,
    ConfirmImportForm,
    DeclineForm,
    EndTermForm,
    ImportForm,
    RecommendForm,
    RenewForm,
    SpecialtyForm,
    WithdrawRenewalForm,
)
from advisers.imports import pending as pending_imports
from advisers.imports import roster as roster_import
from advisers.messages import ending_days
from advisers.models import Adviser, Category, EndReason, Nomination, Post, Specialty, Term
from advisers.policy import MANAGE, OWN, READ, SEE_PRIVATE, VIEW
from advisers.settings import panel_limits
from core import pdf, tables, voiding
from core.errors import DomainError
from core.extensions import db
from core.flow import apply_errors, render_form, rollback, submit
from core.i18n import today
from core.listing import apply_sort, choice_arg, int_arg, paginate_rows
from core.policy import can, check_or_403, requires
from core.settings import office_names

bp = Blueprint("advisers", __name__)


def _locale() -> str:
    return str(get_locale())


def _roster_filters() -> queries.RosterFilters:
    return queries.RosterFilters(
        category=choice_arg("category", Category.values()),
        post=choice_arg("post", Post.values()),
        specialty_id=int_arg("specialty"),
        query=request.args.get("q", "").strip()[:50],
    )


@bp.route("/roster")
@requires(READ)
def roster():
    day = today()
    filters = _roster_filters()
    stmt, sort = apply_sort(queries.roster_statement(day, filters), queries.ROSTER_SORTS, "post")
    summary = queries.panel_summary(day)
    # unfiltered, the roster is the whole panel, which the summary has counted already
    count = summary.members if filters.is_empty else queries.roster_count(day, filters)
    page = paginate_rows(stmt, count=count)
    return render_template(
        "advisers/roster.html",
        page=page,
        specialty_names=queries.specialty_names_of(
            [row.adviser_id for row in page.items], _locale()
        ),
        sort=sort,
        filters=filters,
        summary=summary,
        specialties=queries.specialty_choices(_locale()),
    )


@bp.route("/roster.<any(csv, xlsx):fmt>")
@requires(READ)
def roster_export(fmt: str):
    terms = queries.roster_terms(today(), _roster_filters())
    private = can(current_user, SEE_PRIVATE)
    table = exports.roster_table(terms, _locale(), today(), private=private)
    return tables.download(table, fmt, f"roster-{today()}")


def _import_page(status: int = 200, *, form=None, outcome=None, token=None):
    """The import page: the upload form, or a preview of what a file changes."""
    page = render_template(
        "advisers/import.html",
        form=form or ImportForm(),
        outcome=outcome,
        token=token,
        confirm_form=ConfirmImportForm(formdata=None, token=token),
        column_names=exports.column_names(),
        headers=exports.headers(),
    )
    return page, status


@bp.route("/advisers/import", methods=["GET", "POST"])
@requires(MANAGE)
def import_roster():
    """Check an uploaded workbook by trying every row, show what it would change, keep it."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(400 if form.is_submitted() else 200, form=form)
    try:
        data = pending_imports.read_upload(form.file.data)
        outcome = roster_import.apply_roster(current_user, data)
    except DomainError as error:
        rollback()
        apply_errors(form, error)
        return _import_page(400, form=form)
    rollback()  # a preview writes nothing: the trial of every row is undone
    if outcome.errors or not outcome.has_changes:
        return _import_page(422 if outcome.errors else 200, outcome=outcome)
    token = pending_imports.keep(current_user.id, data, outcome.digest)
    return _import_page(outcome=outcome, token=token)


@bp.route("/advisers/import/confirm", methods=["POST"])
@requires(MANAGE)
def confirm_import():
    """Import the previewed workbook, if it still changes exactly what the preview showed."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(pending_imports.PreviewGone().message, "danger")
        return _import_page(400)
    try:
        kept = pending_imports.load(current_user.id, form.token.data)
        pending_imports.claim(kept)
        outcome = roster_import.confirm_roster(current_user, kept.data, kept.digest)
    except pending_imports.AlreadyConfirmed as error:
        flash(error.message, "info")
        return redirect(url_for("advisers.advisers"), 303)
    except pending_imports.PreviewGone as error:
        flash(error.message, "danger")
        return _import_page(404)
    except roster_import.PreviewChanged as error:
        rollback()
        pending_imports.replace_digest(kept, error.outcome.digest)
        flash(error.message, "warning")
        return _import_page(409, outcome=error.outcome, token=kept.token)
    except DomainError as error:
        rollback()
        flash(getattr(error, "summary", error.message), "danger")
        return _import_page(422, outcome=getattr(error, "outcome", None))
    flash(_("Imported: %(summary)s", summary=outcome.summary()), "success")
    return redirect(url_for("advisers.advisers"), 303)


@bp.route("/advisers/import/template.xlsx")
@requires(MANAGE)
def import_template():
    names = [name for _id, name in queries.specialty_choices(_locale())]
    return tables.xlsx_response(exports.template_workbook(names), "adviser-import-template")


@bp.route("/advisers")
@requires(READ)
def advisers():
    query = request.args.get("q", "").strip()[:50]
    category = choice_arg("category", Category.values())
    stmt, sort = apply_sort(
        queries.advisers_statement(query, category), queries.ADVISER_SORTS, "name"
    )
    page = paginate_rows(stmt, count=queries.advisers_count(query, category))
    return render_template(
        "advisers/advisers.html",
        page=page,
        lines=queries.adviser_lines(page.items, today()),
        sort=sort,
        query=query,
        category=category,
        day=today(),
    )


@bp.route("/advisers/<int:adviser_id>")
@requires(VIEW)
def adviser(adviser_id: int):
    record = db.get_or_404(Adviser, adviser_id)
    check_or_403(VIEW, record)
    renewed = queries.renewed_term_ids(record.terms)
    return render_template(
        "advisers/adviser.html",
        adviser=record,
        renewed=renewed,
        timeline=queries.adviser_timeline(record),
        day=today(),
    )


@bp.route("/me")
@requires(OWN)
def my_page():
    record = queries.adviser_for_user(current_user.id)
    if record is None:
        return render_template("advisers/not_linked.html")
    return redirect(url_for("advisers.adviser", adviser_id=record.id))


def _adviser_account_choices():
    return [(0, _("None")), *queries.adviser_account_choices()]


def _adviser_fields(form: AdviserForm) -> dict:
    return {
        "name": form.name.data,
        "gender": form.gender.data,
        "category": form.category.data,
        "organisation": form.organisation.data,
        "licence_no": form.licence_no.data,
        "phone": form.phone.data,
        "email": form.email.data,
        "conflicts": form.conflicts.data or "",
        "notes": form.notes.data or "",
        "user_id": form.user_id.data or None,
    }


@bp.route("/advisers/new", methods=["GET", "POST"], defaults={"adviser_id": None})
@bp.route("/advisers/<int:adviser_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_adviser(adviser_id: int | None):
    record = db.get_or_404(Adviser, adviser_id) if adviser_id else None
    form = AdviserForm(obj=record)
    form.specialties.choices = queries.specialty_choices(_locale(), active_only=False)
    form.user_id.choices = _adviser_account_choices()
    if request.method == "GET" and record is not None:
        form.specialties.data = [s.id for s in record.specialties]
        form.user_id.data = record.user_id or 0
    response = submit(
        form,
        lambda: services.save_adviser(
            current_user,
            record,
            version=form.version.data,
            specialty_ids=form.specialties.data or [],
            **_adviser_fields(form),
        ),
        lambda a: _("Adviser %(name)s saved.", name=a.name),
        lambda a: url_for("advisers.adviser", adviser_id=a.id),
    )
    return response or render_form("advisers/adviser_form.html", form=form, adviser=record)


def _step_page(form, action, message, *, adviser: Adviser, title: str, step: str, **context):
    """Run one workflow step's form; back to the adviser's page once it succeeds."""
    target = url_for("advisers.adviser", adviser_id=adviser.id)
    response = submit(form, action, message, target)
    return response or render_form(
        "advisers/step_form.html", form=form, adviser=adviser, title=title, step=step, **context
    )


@bp.route("/advisers/<int:adviser_id>/recommend", methods=["GET", "POST"])
@requires(MANAGE)
def recommend(adviser_id: int):
    record = db.get_or_404(Adviser, adviser_id)
    form = RecommendForm()
    return _step_page(
        form,
        lambda: services.recommend_adviser(
            current_user,
            record,
            post=Post(form.post.data),
            recommended_on=form.recommended_on.data,
            reason=form.reason.data or "",
        ),
        _("Recommendation recorded; it now awaits the district government's approval."),
        adviser=record,
        title=_("Recommend %(name)s", name=record.name),
        step="recommend",
    )


@bp.route("/nominations/<int:nomination_id>/approve", methods=["GET", "POST"])
@requires(MANAGE)
def approve(nomination_id: int):
    nomination = db.get_or_404(Nomination, nomination_id)
    form = ApproveForm()
    return _step_page(
        form,
        lambda: services.approve_nomination(
            current_user, nomination, approved_on=form.approved_on.data, doc_no=form.doc_no.data
        ),
        _("Approval recorded; the adviser can now be appointed."),
        adviser=nomination.adviser,
        title=_("Record the government's approval of %(name)s", name=nomination.adviser.name),
        step="approve",
    )


@bp.route("/nominations/<int:nomination_id>/decline", methods=["GET", "POST"])
@requires(MANAGE)
def decline(nomination_id: int):
    nomination = db.get_or_404(Nomination, nomination_id)
    form = DeclineForm()
    return _step_page(
        form,
        lambda: services.decline_nomination(
            current_user, nomination, declined_on=form.declined_on.data, reason=form.reason.data
        ),
        _("The recommendation was declined."),
        adviser=nomination.adviser,
        title=_("Decline the recommendation of %(name)s", name=nomination.adviser.name),
        step="decline",
    )


@bp.route("/nominations/<int:nomination_id>/appoint", methods=["GET", "POST"])
@requires(MANAGE)
def appoint(nomination_id: int):
    nomination = db.get_or_404(Nomination, nomination_id)
    form = AppointForm(
        post=nomination.post, start_on=max(today(), nomination.approved_on or today())
    )
    return _step_page(
        form,
        lambda: services.appoint_adviser(
            current_user, nomination, post=Post(form.post.data), start_on=form.start_on.data
        ),
        _("Appointed. The appointment letter is ready to print."),
        adviser=nomination.adviser,
        title=_("Appoint %(name)s", name=nomination.adviser.name),
        step="appoint",
        term_years=panel_limits().term_years,
    )


@bp.route("/terms/<int:term_id>/renew", methods=["GET", "POST"])
@requires(MANAGE)
def renew(term_id: int):
    term = db.get_or_404(Term, term_id)
    form = RenewForm(post=term.post)
    return _step_page(
        form,
        lambda: services.renew_term(
            current_user,
            term,
            post=Post(form.post.data),
            approved_on=form.approved_on.data,
            doc_no=form.doc_no.data,
        ),
        lambda new: _(
            "Renewed until %(day)s under letter %(no)s.",
            day=new.end_on.isoformat(),
            no=new.letter_no,
        ),
        adviser=term.adviser,
        title=_("Renew the term of %(name)s", name=term.adviser.name),
        step="renew",
        term=term,
    )


@bp.route("/terms/<int:term_id>/end", methods=["GET", "POST"])
@requires(MANAGE)
def end_term(term_id: int):
    term = db.get_or_404(Term, term_id)
    form = EndTermForm(ended_on=min(today(), term.end_on))
    return _step_page(
        form,
        lambda: services.end_term(
            current_user,
            term,
            reason=EndReason(form.reason.data),
            ended_on=form.ended_on.data,
            note=form.note.data or "",
            approved_on=form.approved_on.data,
            doc_no=form.doc_no.data,
        ),
        lambda ended: _(
            "The term has ended: %(reason)s. %(days)s",
            reason=ended.end_reason.label,
            days=ending_days(ended),
        ),
        adviser=term.adviser,
        title=_("End the term of %(name)s", name=term.adviser.name),
        step="end",
        term=term,
        renewal=services.successor_of(term),
        button=_("Confirm: end the term"),
        danger=True,
    )


@bp.route("/terms/<int:term_id>/withdraw", methods=["GET", "POST"])
@requires(MANAGE)
def withdraw_renewal(term_id: int):
    term = db.get_or_404(Term, term_id)
    form = WithdrawRenewalForm()
    return _step_page(
        form,
        lambda: services.withdraw_renewal(current_user, term, day=today(), note=form.note.data),
        _("The renewal was withdrawn; its letter number stays used."),
        adviser=term.adviser,
        title=_("Withdraw the renewal of %(name)s", name=term.adviser.name),
        step="withdraw",
        term=term,
        button=_("Confirm: withdraw the renewal"),
        danger=True,
    )


def _visible_term(term_id: int, *reasons: EndReason) -> Term:
    term = db.get_or_404(Term, term_id)
    check_or_403(VIEW, term.adviser)
    if reasons and term.end_reason not in reasons:
        abort(404)
    return term


#: the printed documents of a term: (title, the sheet's template, the PDF's file name)
DOCUMENTS = {
    "letter": (_l("Appointment letter"), "advisers/letter_document.html", "appointment-letter"),
    "dismissal_notice": (
        _l("Dismissal notice"),
        "advisers/dismissal_document.html",
        "dismissal-notice",
    ),
}


def _print_page(term: Term, kind: str):
    title, sheet, _file = DOCUMENTS[kind]
    return render_template(
        "advisers/letter.html",
        term=term,
        kind=kind,
        title=title,
        sheet=sheet,
        pdf_ready=pdf.pdf_available(),
        office=office_names(),
    )


def _pdf(term: Term, kind: str):
    _title, sheet, file_name = DOCUMENTS[kind]
    return pdf.document_response(
        sheet,
        url_for(f"advisers.{kind}", term_id=term.id),
        f"{file_name}-{term.id}.pdf",
        term=term,
        office=office_names(),
    )


@bp.route("/terms/<int:term_id>/letter")
@requires(VIEW)
def letter(term_id: int):
    return _print_page(_visible_term(term_id), "letter")


@bp.route("/terms/<int:term_id>/letter.pdf")
@requires(VIEW)
def letter_pdf(term_id: int):
    return _pdf(_visible_term(term_id), "letter")


@bp.route("/terms/<int:term_id>/dismissal-notice")
@requires(VIEW)
def dismissal_notice(term_id: int):
    return _print_page(_visible_term(term_id, EndReason.DISMISSED), "dismissal_notice")


@bp.route("/terms/<int:term_id>/dismissal-notice.pdf")
@requires(VIEW)
def dismissal_pdf(term_id: int):
    return _pdf(_visible_term(term_id, EndReason.DISMISSED), "dismissal_notice")


@bp.route("/specialties")
@requires(MANAGE)
def specialties():
    return render_template("advisers/specialties.html", items=queries.specialties(False))


@bp.route("/specialties/new", methods=["GET", "POST"], defaults={"specialty_id": None})
@bp.route("/specialties/<int:specialty_id>", methods=["GET", "POST"])
@requires(MANAGE)
def edit_specialty(specialty_id: int | None):
    item = db.get_or_404(Specialty, specialty_id) if specialty_id else None
    form = SpecialtyForm(obj=item)
    response = submit(
        form,
        lambda: services.save_specialty(
            current_user,
            item,
            version=form.version.data,
            name=form.name.data,
            name_en=form.name_en.data,
            is_active=form.is_active.data,
        ),
        _("Specialty saved."),
        url_for("advisers.specialties"),
    )
    return response or render_form("advisers/specialty_form.html", form=form, item=item)


def register_void_kinds() -> None:
    """What the office may void in the panel: advisers and recommendations entered by mistake."""
    voiding.register(
        voiding.VoidKind(
            name="adviser",
            model=Adviser,
            label=_l("Adviser"),
            describe=lambda a: a.name,
            void=services.void_adviser,
            restore=services.restore_adviser,
            link=lambda a: url_for("advisers.adviser", adviser_id=a.id),
        )
    )
    voiding.register(
        voiding.VoidKind(
            name="nomination",
            model=Nomination,
            label=_l("Recommendation"),
            describe=lambda n: f"{n.adviser.name} · {n.post.label} · {n.recommended_on}",
            void=services.void_nomination,
            restore=services.restore_nomination,
            link=lambda n: url_for("advisers.adviser", adviser_id=n.adviser_id),
        )
    )
