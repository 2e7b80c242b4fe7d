"""The day's work: the adviser's own page, the department's page, and the work log."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advisers import queries as panel_queries
from consultations import queries, services
from consultations.forms import WorkLogForm
from consultations.policy import DEPARTMENT, LOG_WORK, OWN
from consultations.views import bp
from consultations.views.common import matter_or_404
from core.flow import render_form, submit
from core.i18n import today
from core.policy import check_or_403, requires


@bp.route("/consultations/<int:matter_id>/work", methods=["GET", "POST"])
@requires(LOG_WORK)
def log_work(matter_id: int):
    matter = matter_or_404(matter_id, queries.matter_detail)
    check_or_403(LOG_WORK, matter)
    form = WorkLogForm()
    if request.method == "GET":
        form.worked_on.data = today()
    response = submit(
        form,
        lambda: services.log_work(
            current_user,
            matter,
            worked_on=form.worked_on.data,
            hours=form.hours.data,
            note=form.note.data,
        ),
        _("Work logged."),
        url_for("consultations.matter", matter_id=matter.id),
    )
    return response or render_form(
        "consultations/step_form.html",
        form=form,
        matter=matter,
        title=_("Log work"),
        action=_("Log work"),
    )


@bp.route("/consultations/mine")
@requires(OWN)
def my_matters():
    adviser = panel_queries.adviser_for_user(current_user.id)
    if adviser is None:
        return render_template("advisers/not_linked.html")
    return render_template(
        "consultations/my_matters.html", day=queries.adviser_day(adviser), today=today()
    )


@bp.route("/consultations/department")
@requires(DEPARTMENT)
def department():
    department_id = current_user.department_id
    day = queries.department_day(department_id) if department_id else queries.DepartmentDay()
    return render_template(
        "consultations/department.html",
        day=day,
        department=current_user.department,
        today=today(),
    )
