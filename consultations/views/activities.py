"""Training and publicity activities (duties 6 and 7): the list, a record and its materials."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from advisers.queries import advisers_serving_on
from consultations import services
from consultations.forms import ActivityForm
from consultations.models import Activity, ActivityKind, activity_adviser
from consultations.policy import MANAGE, READ_ACTIVITIES
from consultations.views import bp
from consultations.views.common import department_choices, matter_or_404
from core.extensions import db
from core.files import send_stored
from core.flow import render_form, submit
from core.i18n import today
from core.listing import apply_sort, choice_arg, int_arg, paginate
from core.policy import requires
from core.services import check_version

ACTIVITY_SORTS = {"held": Activity.held_on, "title": Activity.title, "kind": Activity.kind}


def _activity_or_404(activity_id: int) -> Activity:
    activity = db.session.scalar(
        select(Activity)
        .where(Activity.id == activity_id)
        .options(selectinload(Activity.advisers), selectinload(Activity.files))
    )
    if activity is None:
        abort(404)
    return activity


@bp.route("/activities")
@requires(READ_ACTIVITIES)
def activities():
    kind = choice_arg("kind", ActivityKind.values())
    year = int_arg("year", 2000, 2100)
    stmt = select(Activity).options(selectinload(Activity.advisers))
    if kind:
        stmt = stmt.where(Activity.kind == kind)
    if year:
        stmt = stmt.where(Activity.held_on.between(date(year, 1, 1), date(year, 12, 31)))
    adviser_id = int_arg("adviser")
    if adviser_id:
        stmt = stmt.join(activity_adviser).where(activity_adviser.c.adviser_id == adviser_id)
    stmt, sort = apply_sort(stmt, ACTIVITY_SORTS, "-held")
    return render_template(
        "consultations/activities.html",
        page=paginate(stmt),
        sort=sort,
        kind=kind,
        year=year,
        kinds=ActivityKind,
    )


@bp.route("/activities/<int:activity_id>")
@requires(READ_ACTIVITIES)
def activity(activity_id: int):
    return render_template("consultations/activity.html", activity=_activity_or_404(activity_id))


@bp.route("/activities/<int:activity_id>/files/<int:file_id>")
@requires(READ_ACTIVITIES)
def activity_file(activity_id: int, file_id: int):
    stored = next((f for f in _activity_or_404(activity_id).files if f.id == file_id), None)
    if stored is None:
        abort(404)
    return send_stored(stored)


def _adviser_choices(activity: Activity | None = None) -> list[tuple[int, str]]:
    """Advisers serving today, and those already recorded on the activity."""
    people = {a.id: a.name for a in advisers_serving_on(today())}
    if activity is not None:
        people.update({a.id: a.name for a in activity.advisers})
    return sorted(people.items(), key=lambda pair: pair[1])


def _activity_fields(form: ActivityForm) -> dict:
    return {
        "kind": ActivityKind(form.kind.data),
        "title": form.title.data,
        "held_on": form.held_on.data,
        "place": form.place.data,
        "audience": form.audience.data,
        "attendance": form.attendance.data,
        "notes": form.notes.data or "",
        "adviser_ids": form.adviser_ids.data or [],
        "uploads": [f for f in form.files.data or [] if f and f.filename],
    }


@bp.route("/activities/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_activity():
    matter_id = int_arg("matter")
    matter = matter_or_404(matter_id) if matter_id else None
    form = ActivityForm()
    form.department_id.choices = [(0, _("— none —")), *department_choices()]
    form.adviser_ids.choices = _adviser_choices()
    if request.method == "GET" and matter is not None:
        form.kind.data, form.title.data = matter.kind.value, matter.title
        form.department_id.data = matter.department_id
        form.adviser_ids.data = [a.adviser_id for a in matter.active_assignments]
    response = submit(
        form,
        lambda: services.record_activity(
            current_user,
            matter=matter,
            department_id=form.department_id.data or None,
            **_activity_fields(form),
        ),
        _("Activity recorded."),
        lambda activity: url_for("consultations.activity", activity_id=activity.id),
    )
    return response or render_form("consultations/activity_form.html", form=form, matter=matter)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_activity(activity_id: int):
    activity = _activity_or_404(activity_id)
    form = ActivityForm(obj=activity)
    form.department_id.choices = [(0, _("— none —")), *department_choices()]
    form.adviser_ids.choices = _adviser_choices(activity)
    if request.method == "GET":
        form.kind.data = activity.kind.value
        form.department_id.data = activity.department_id or 0
        form.adviser_ids.data = [a.id for a in activity.advisers]

    def save():
        check_version(activity, form.version.data)
        fields = _activity_fields(form)
        return services.update_activity(
            current_user,
            activity,
            adviser_ids=fields.pop("adviser_ids"),
            uploads=fields.pop("uploads"),
            department_id=form.department_id.data or None,
            **fields,
        )

    response = submit(
        form, save, _("Activity saved."), url_for("consultations.activity", activity_id=activity.id)
    )
    return response or render_form(
        "consultations/activity_form.html", form=form, activity=activity, matter=activity.matter
    )
