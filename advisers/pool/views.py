"""The talent pool's pages: the list with its search and filters, an entry, the
recommendation to the panel, the departments without a designated legal-affairs person, and
the trainings for the departments' legal staff. Thin: load, check, call one service, redirect."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from advisers import queries as panel_queries
from advisers.models import Category, Gender, Post
from advisers.policy import POOL_MANAGE, POOL_READ
from advisers.pool import queries, services
from advisers.pool.forms import EntryForm, PoolRecommendForm, RemoveEntryForm, TrainingForm
from advisers.pool.models import LegalTraining, PoolEntry, PoolKind, TrainingMark
from core.errors import DomainError
from core.extensions import db
from core.flow import render_form, submit
from core.forms import EmptyForm
from core.i18n import today
from core.listing import apply_sort, choice_arg, int_arg, paginate
from core.policy import can, requires
from core.queries import department_choices

bp = Blueprint("pool", __name__)


def _office() -> bool:
    return can(current_user, POOL_MANAGE)


def _filters() -> queries.PoolFilters:
    return queries.PoolFilters(
        query=request.args.get("q", "").strip()[:50],
        kind=choice_arg("kind", PoolKind.values()),
        specialty_id=int_arg("specialty"),
        department_id=int_arg("department"),
        consent=choice_arg("consent", {"yes", "no"}) if _office() else "",
        designated=choice_arg("designated", {"1"}) == "1",
        state=choice_arg("state", {"listed", "moved", "removed"}, "listed")
        if _office()
        else "listed",
    )


@bp.route("/pool")
@requires(POOL_READ)
def pool():
    filters = _filters()
    stmt, sort = apply_sort(
        queries.pool_statement(filters, consented_only=not _office()), queries.POOL_SORTS, "name"
    )
    return render_template(
        "advisers/pool/pool.html",
        page=paginate(stmt),
        sort=sort,
        filters=filters,
        specialties=panel_queries.specialty_choices(str(get_locale())),
        departments=department_choices(),
        missing=queries.count_units_without_legal_staff(),
        pool_kinds=PoolKind.choices(),
        locale=str(get_locale()),
    )


def _entry_or_404(entry_id: int) -> PoolEntry:
    entry = db.get_or_404(PoolEntry, entry_id)
    if not entry.consent and not _office():
        abort(404)  # listed without consent: the office's alone
    return entry


@bp.route("/pool/<int:entry_id>")
@requires(POOL_READ)
def entry(entry_id: int):
    record = _entry_or_404(entry_id)
    return render_template(
        "advisers/pool/entry.html",
        entry=record,
        remove_form=RemoveEntryForm(),
        locale=str(get_locale()),
    )


def _entry_form(record: PoolEntry | None) -> EntryForm:
    form = EntryForm(obj=record)
    if record is not None and not form.is_submitted():
        form.specialties.data = [s.id for s in record.specialties]
        form.department_id.data = record.department_id or 0
    form.specialties.choices = panel_queries.specialty_choices(str(get_locale()))
    form.department_id.choices = [(0, _("None")), *department_choices()]
    return form


def _entry_fields(form: EntryForm) -> dict:
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "organisation": form.organisation.data,
        "phone": form.phone.data,
        "email": form.email.data,
        "licence_no": form.licence_no.data,
        "source": form.source.data,
        "consent": form.consent.data,
        "department_id": form.department_id.data or None,
        "designated": form.designated.data,
        "notes": form.notes.data or "",
    }


@bp.route("/pool/new", methods=["GET", "POST"])
@bp.route("/pool/<int:entry_id>/edit", methods=["GET", "POST"])
@requires(POOL_MANAGE)
def edit_entry(entry_id: int | None = None):
    record = db.get_or_404(PoolEntry, entry_id) if entry_id else None
    form = _entry_form(record)
    response = submit(
        form,
        lambda: services.save_entry(
            current_user,
            record,
            specialty_ids=form.specialties.data or [],
            version=form.version.data,
            **_entry_fields(form),
        ),
        _("The entry is saved."),
        lambda saved: url_for("pool.entry", entry_id=saved.id),
    )
    return response or render_form("advisers/pool/entry_form.html", form=form, entry=record)


@bp.route("/pool/<int:entry_id>/remove", methods=["POST"])
@requires(POOL_MANAGE)
def remove_entry(entry_id: int):
    record = db.get_or_404(PoolEntry, entry_id)
    form = RemoveEntryForm()
    response = submit(
        form,
        lambda: services.remove_entry(current_user, record, reason=form.reason.data),
        _("The entry is removed from the pool."),
        url_for("pool.pool"),
    )
    return response or render_form(
        "advisers/pool/entry.html", entry=record, remove_form=form, locale=str(get_locale())
    )


@bp.route("/pool/<int:entry_id>/recommend", methods=["GET", "POST"])
@requires(POOL_MANAGE)
def recommend(entry_id: int):
    record = db.get_or_404(PoolEntry, entry_id)
    form = PoolRecommendForm(category=record.kind.category.value)
    response = submit(
        form,
        lambda: services.recommend_from_pool(
            current_user,
            record,
            gender=Gender(form.gender.data),
            category=Category(form.category.data),
            post=Post(form.post.data),
            recommended_on=form.recommended_on.data,
            reason=form.reason.data or "",
        ),
        _("Recommendation recorded; it now awaits the district government's approval."),
        lambda made: url_for("advisers.adviser", adviser_id=made.adviser_id),
    )
    return response or render_form("advisers/pool/recommend.html", form=form, entry=record)


@bp.route("/pool/missing")
@requires(POOL_READ)
def missing():
    """Departments, towns and sub-districts without a designated legal-affairs person."""
    return render_template("advisers/pool/missing.html", units=queries.units_without_legal_staff())


# --- the trainings for the departments' legal staff ------------------------------------------


@bp.route("/pool/trainings")
@requires(POOL_READ)
def trainings():
    year = int_arg("year", 2000, 2100) or today().year
    return render_template(
        "advisers/pool/trainings.html", year=year, lines=queries.trainings_of(year)
    )


@bp.route("/pool/trainings/new", methods=["GET", "POST"])
@bp.route("/pool/trainings/<int:training_id>/edit", methods=["GET", "POST"])
@requires(POOL_MANAGE)
def edit_training(training_id: int | None = None):
    record = db.get_or_404(LegalTraining, training_id) if training_id else None
    form = TrainingForm(obj=record)
    response = submit(
        form,
        lambda: services.save_training(
            current_user,
            record,
            version=form.version.data,
            held_on=form.held_on.data,
            title=form.title.data,
            hours=form.hours.data,
            organiser=form.organiser.data,
            place=form.place.data,
        ),
        _("The training is saved."),
        lambda saved: url_for("pool.training", training_id=saved.id),
    )
    return response or render_form("advisers/pool/training_form.html", form=form, training=record)


def _training_page(record: LegalTraining, form: EmptyForm):
    marks = {a.entry_id: a.mark.value for a in record.attendance}
    staff = queries.designated_staff()
    shown = {e.id for e in staff}
    former = [a.entry for a in record.attendance if a.entry_id not in shown]
    return render_form(
        "advisers/pool/training.html",
        training=record,
        staff=[*staff, *former],
        marks=marks,
        mark_choices=TrainingMark.choices(),
        mark_labels=dict(TrainingMark.choices()),
        form=form,
    )


@bp.route("/pool/trainings/<int:training_id>")
@requires(POOL_READ)
def training(training_id: int):
    return _training_page(db.get_or_404(LegalTraining, training_id), EmptyForm())


def _posted_marks() -> dict[int, str]:
    marks = {}
    for key, value in request.form.items():
        if key.startswith("mark-"):
            entry_id = key.removeprefix("mark-")
            if not entry_id.isdigit():
                raise DomainError(_("Only the legal-affairs staff in the pool can be marked."))
            marks[int(entry_id)] = value
    if not marks:
        raise DomainError(_("Mark who attended, was excused or was absent."))
    return marks


@bp.route("/pool/trainings/<int:training_id>/attendance", methods=["POST"])
@requires(POOL_MANAGE)
def training_attendance(training_id: int):
    record = db.get_or_404(LegalTraining, training_id)
    form = EmptyForm()
    response = submit(
        form,
        lambda: services.record_training_attendance(current_user, record, _posted_marks()),
        _("Attendance saved."),
        url_for("pool.training", training_id=record.id),
    )
    return response or _training_page(record, form)
