"""Pages of the panel: dashboard, roster, advisers, the appointment workflow and letters."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from advisers import exports, queries, services
from advisers.forms import (
    AdviserForm,
    AppointForm,
    ApproveForm,
    DeclineForm,
    EndTermForm,
    ImportForm,
    RecommendForm,
    RenewForm,
    SpecialtyForm,
)
from advisers.models import Adviser, Category, EndReason, Nomination, Post, Specialty, Term
from advisers.policy import MANAGE, OWN, READ, VIEW
from advisers.settings import panel_limits
from core import pdf, tables
from core.extensions import db
from core.flow import render_form, submit
from core.i18n import today
from core.listing import apply_sort, choice_arg, int_arg, paginate_rows
from core.policy import check_or_403, requires

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
    table = exports.roster_table(terms, _locale(), today())
    return tables.download(table, fmt, f"roster-{today()}")


@bp.route("/advisers/import", methods=["GET", "POST"])
@requires(MANAGE)
def import_roster():
    form = ImportForm()
    response = submit(
        form,
        lambda: exports.import_roster(current_user, form.file.data.read()),
        lambda result: _(
            "Imported %(a)d adviser(s) and %(t)d term(s).", a=result.advisers, t=result.terms
        ),
        url_for("advisers.advisers"),
    )
    row_errors = getattr(form, "row_errors", [])
    column_names = dict(
        zip([c[0] for c in exports.COLUMNS], exports.headers(_locale()), strict=True)
    )
    return response or render_form(
        "advisers/import.html",
        status_if_posted=422 if row_errors else 400,
        form=form,
        row_errors=row_errors,
        column_names=column_names,
        headers=exports.headers(_locale()),
    )


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
        lambda: services.renew_term(current_user, term, post=Post(form.post.data)),
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
        ),
        lambda ended: _("The term has ended: %(reason)s.", reason=ended.end_reason.label),
        adviser=term.adviser,
        title=_("End the term of %(name)s", name=term.adviser.name),
        step="end",
        term=term,
    )


def _visible_term(term_id: int) -> Term:
    term = db.get_or_404(Term, term_id)
    check_or_403(VIEW, term.adviser)
    return term


@bp.route("/terms/<int:term_id>/letter")
@requires(VIEW)
def letter(term_id: int):
    term = _visible_term(term_id)
    return render_template("advisers/letter.html", term=term, pdf_ready=pdf.pdf_available())


@bp.route("/terms/<int:term_id>/letter.pdf")
@requires(VIEW)
def letter_pdf(term_id: int):
    term = _visible_term(term_id)
    if not pdf.pdf_available():
        flash(
            _(
                "The PDF cannot be made: the server lacks a Chinese font or the PDF "
                "library (install fonts-noto-cjk and libpangoft2-1.0-0). Print this page instead."
            ),
            "warning",
        )
        return redirect(url_for("advisers.letter", term_id=term.id))
    html = render_template("advisers/letter_document.html", term=term, for_pdf=True)
    return pdf.pdf_response(html, request.url_root, f"appointment-letter-{term.id}.pdf")


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
