"""The working-day calendar's pages: the loaded years, a year's days, entering a year."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.errors import DomainError
from core.flow import apply_errors, render_form, submit
from core.i18n import today
from core.listing import int_arg
from core.policy import requires
from core.workdays import missing_next_year, queries, services
from core.workdays.forms import HolidayYearForm
from core.workdays.notice import NOTICE_TITLE, group_days, write_notice
from core.workdays.policy import MANAGE_HOLIDAYS, READ_HOLIDAYS

bp = Blueprint("holidays", __name__)


@bp.route("/admin/holidays")
@requires(READ_HOLIDAYS)
def years():
    return render_template(
        "core/holidays.html", years=queries.years_overview(), missing=missing_next_year(today())
    )


@bp.route("/admin/holidays/<int:year>")
@requires(READ_HOLIDAYS)
def year(year: int):
    record = queries.holiday_year(year)
    if record is None:
        abort(404)
    return render_template(
        "core/holiday_year.html",
        record=record,
        holidays=group_days(queries.year_days(year)),
        missing=missing_next_year(today()),
    )


def _prefill(form: HolidayYearForm) -> None:
    """Open the form on a year: a loaded one with its days as lines, to correct; else empty."""
    year = int_arg("year", queries.FIRST_YEAR, queries.LAST_YEAR) or today().year + 1
    record = queries.holiday_year(year)
    form.year.data = year
    form.notice.data = (record.notice if record else None) or NOTICE_TITLE.format(year=year)
    if record is not None:
        form.doc_no.data = record.doc_no
        form.days.data = write_notice(queries.year_days(year))
        form.version.data = record.version


def _preview(form: HolidayYearForm):
    """The year as entered, checked against the rules and the table; None with errors shown."""
    if not form.validate_on_submit():
        return None
    try:
        return queries.preview_year(form.year.data, form.days.data)
    except DomainError as error:
        apply_errors(form, error)
        return None


def _loaded(form: HolidayYearForm):
    year = form.year.data
    if isinstance(year, int) and queries.FIRST_YEAR <= year <= queries.LAST_YEAR:
        return queries.holiday_year(year)
    return None


@bp.route("/admin/holidays/enter", methods=["GET", "POST"])
@requires(MANAGE_HOLIDAYS)
def enter_year():
    form = HolidayYearForm()
    if request.method == "GET":
        _prefill(form)
    if request.form.get("step") == "preview":
        preview = _preview(form)
        return render_form(
            "core/holiday_form.html",
            status_if_posted=200 if preview else 400,
            form=form,
            preview=preview,
            loaded=_loaded(form),
        )
    response = submit(
        form,
        lambda: services.enter_holiday_year(
            current_user,
            form.year.data,
            text=form.days.data,
            notice=form.notice.data,
            doc_no=form.doc_no.data,
            reason=form.reason.data,
            version=form.version.data,
        ),
        lambda record: _("The holidays of %(year)d are saved.", year=record.year),
        lambda record: url_for("holidays.year", year=record.year),
    )
    return response or render_form(
        "core/holiday_form.html", form=form, preview=None, loaded=_loaded(form)
    )
