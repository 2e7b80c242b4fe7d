"""Pages every role shares (home, notifications, language, own password) and administration."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core import notify, services, settings
from core.auth import ALL_ROLES, READERS, WRITERS, is_safe_next, roles_required
from core.extensions import db
from core.flow import render_form, submit
from core.forms import (
    DepartmentForm,
    EmptyForm,
    NewUserForm,
    OwnPasswordForm,
    PasswordResetForm,
    SettingForm,
    UserForm,
)
from core.i18n import TIMEZONE
from core.listing import apply_sort, int_arg, page_number
from core.models import AuditEvent, Department, DepartmentKind, Notification, Role, User

bp = Blueprint("core", __name__)

ADMIN = (Role.ADMIN,)

#: where each role lands after logging in
HOME_ENDPOINTS = {Role.ADVISER: "advisers.my_page"}


@bp.route("/")
@roles_required(*ALL_ROLES)
def home():
    return redirect(url_for(HOME_ENDPOINTS.get(current_user.role, "advisers.dashboard")))


@bp.route("/language", methods=["POST"])
@roles_required(*ALL_ROLES)
def set_language():
    """Switch the interface language and remember it for this user."""
    code = request.form.get("locale", "")
    if not EmptyForm().validate_on_submit() or code not in current_app.config["COUNSEL_LOCALES"]:
        abort(400)
    current_user.locale = code
    db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("core.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
def change_password():
    form = OwnPasswordForm()
    response = submit(
        form,
        lambda: services.change_own_password(current_user, form.current.data, form.password.data),
        _("Your password has been changed."),
        url_for("core.home"),
    )
    return response or render_form("core/password.html", form=form)


@bp.route("/notifications")
@roles_required(*ALL_ROLES)
def notifications():
    stmt = (
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PAGE_SIZE"])
    return render_template("core/notifications.html", page=page, form=EmptyForm())


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@roles_required(*ALL_ROLES)
def read_notification(notification_id: int):
    note = db.get_or_404(Notification, notification_id)
    if note.user_id != current_user.id or not EmptyForm().validate_on_submit():
        abort(404)
    notify.mark_read(current_user, note.id)
    db.session.commit()
    return redirect(note.link if is_safe_next(note.link) else url_for("core.notifications"))


@bp.route("/notifications/read-all", methods=["POST"])
@roles_required(*ALL_ROLES)
def read_all_notifications():
    if not EmptyForm().validate_on_submit():
        abort(400)
    notify.mark_read(current_user)
    db.session.commit()
    return redirect(url_for("core.notifications"))


# --- administration: users ---------------------------------------------------


def _department_choices():
    rows = db.session.execute(select(Department.id, Department.name).order_by(Department.name))
    return [(0, _("None")), *((row.id, row.name) for row in rows)]


def _user_fields(form) -> dict:
    return {
        "display_name": form.display_name.data,
        "email": form.email.data,
        "role": Role(form.role.data),
        "department_id": form.department_id.data or None,
        "locale": form.locale.data,
        "is_active": form.is_active.data,
    }


@bp.route("/admin/users")
@roles_required(*ADMIN)
def users():
    stmt, sort = apply_sort(
        select(User),
        {"username": User.username, "name": User.display_name, "role": User.role},
        "username",
    )
    page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PAGE_SIZE"])
    return render_template("core/users.html", page=page, sort=sort)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@roles_required(*ADMIN)
def new_user():
    form = NewUserForm()
    form.department_id.choices = _department_choices()
    response = submit(
        form,
        lambda: services.create_user(
            current_user,
            username=form.username.data,
            password=form.password.data,
            **_user_fields(form),
        ),
        lambda user: _("User %(name)s created.", name=user.username),
        url_for("core.users"),
    )
    return response or render_form("core/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(*ADMIN)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    form.department_id.choices = _department_choices()
    if request.method == "GET":
        form.department_id.data = user.department_id or 0
        form.locale.data = user.locale or ""
    response = submit(
        form,
        lambda: services.update_user(current_user, user, **_user_fields(form)),
        _("User %(name)s saved.", name=user.username),
        url_for("core.users"),
    )
    return response or render_form(
        "core/user_form.html", form=form, user=user, reset_form=PasswordResetForm(formdata=None)
    )


@bp.route("/admin/users/<int:user_id>/password", methods=["POST"])
@roles_required(*ADMIN)
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    response = submit(
        form,
        lambda: services.reset_password(current_user, user, form.password.data),
        _("Password of %(name)s reset; their open sessions have ended.", name=user.username),
        url_for("core.edit_user", user_id=user.id),
    )
    if response:
        return response
    edit_form = UserForm(obj=user, formdata=None)
    edit_form.department_id.choices = _department_choices()
    return render_form("core/user_form.html", form=edit_form, user=user, reset_form=form)


# --- departments ---------------------------------------------------------------


@bp.route("/departments")
@roles_required(*READERS)
def departments():
    stmt = select(Department)
    query = request.args.get("q", "").strip()[:50]
    if query:
        stmt = stmt.where(Department.name.contains(query))
    kind = request.args.get("kind", "")
    if kind in DepartmentKind.values():
        stmt = stmt.where(Department.kind == kind)
    stmt, sort = apply_sort(stmt, {"name": Department.name, "kind": Department.kind}, "kind")
    page = db.paginate(stmt, page=page_number(), per_page=50)
    return render_template(
        "core/departments.html", page=page, sort=sort, query=query, kind=kind, kinds=DepartmentKind
    )


def _department_fields(form) -> dict:
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "principal_head": form.principal_head.data,
        "deputy_head": form.deputy_head.data,
        "is_active": form.is_active.data,
    }


@bp.route("/departments/new", methods=["GET", "POST"], defaults={"department_id": None})
@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit_department(department_id: int | None):
    department = db.get_or_404(Department, department_id) if department_id else None
    form = DepartmentForm(obj=department)
    response = submit(
        form,
        lambda: services.save_department(
            current_user, department, version=form.version.data, **_department_fields(form)
        ),
        lambda saved: _("Department %(name)s saved.", name=saved.name),
        url_for("core.departments"),
    )
    return response or render_form("core/department_form.html", form=form, department=department)


# --- audit and settings --------------------------------------------------------


def _date_arg(name: str):
    try:
        return datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return None


def _local_day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TIMEZONE)


@bp.route("/audit")
@roles_required(*WRITERS)
def audit_log():
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    filters = {
        "user": int_arg("user"),
        "type": request.args.get("type", "")[:50],
        "record": request.args.get("record", "")[:64],
        "start": _date_arg("start"),
        "end": _date_arg("end"),
    }
    if filters["user"]:
        stmt = stmt.where(AuditEvent.actor_id == filters["user"])
    if filters["type"]:
        stmt = stmt.where(AuditEvent.record_type == filters["type"])
    if filters["record"]:
        stmt = stmt.where(AuditEvent.record_id == filters["record"])
    if filters["start"]:
        stmt = stmt.where(AuditEvent.at >= _local_day_start(filters["start"]))
    if filters["end"]:
        stmt = stmt.where(AuditEvent.at < _local_day_start(filters["end"] + timedelta(days=1)))
    stmt = stmt.options(selectinload(AuditEvent.actor))
    page = db.paginate(stmt, page=page_number(), per_page=50)
    users_list = db.session.execute(select(User.id, User.display_name).order_by(User.username))
    types = db.session.scalars(select(AuditEvent.record_type).distinct().order_by("record_type"))
    return render_template(
        "core/audit.html", page=page, filters=filters, users=users_list.all(), types=list(types)
    )


@bp.route("/admin/settings")
@roles_required(*WRITERS)
def settings_page():
    return render_template(
        "core/settings.html",
        specs=settings.REGISTRY.values(),
        values=settings.current_values(),
        form=SettingForm(formdata=None),
        can_edit=current_user.role == Role.ADMIN,
    )


@bp.route("/admin/settings/<key>", methods=["POST"])
@roles_required(*ADMIN)
def change_setting(key: str):
    if key not in settings.REGISTRY:
        abort(404)
    form = SettingForm()
    response = submit(
        form,
        lambda: settings.change_setting(key, form.value.data),
        _("Setting saved."),
        url_for("core.settings_page"),
    )
    return response or render_form(
        "core/settings.html",
        specs=settings.REGISTRY.values(),
        values=settings.current_values(),
        form=form,
        failed_key=key,
        can_edit=True,
    )
