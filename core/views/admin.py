"""Administration: login accounts, the departments register and the rule settings."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import notify, queries, services, settings
from core.extensions import db
from core.flow import render_form, submit
from core.forms import (
    DepartmentForm,
    EmptyForm,
    NewUserForm,
    PasswordResetForm,
    SettingForm,
    UserForm,
)
from core.listing import apply_sort, choice_arg, paginate
from core.models import Department, DepartmentKind, MailStatus, OutboxMessage, Role, User
from core.policy import (
    CHANGE_SETTINGS,
    MANAGE_DEPARTMENTS,
    MANAGE_USERS,
    READ_DEPARTMENTS,
    READ_SETTINGS,
    requires,
)

bp = Blueprint("admin", __name__)


def _department_choices():
    return [(0, _("None")), *queries.department_choices()]


def _user_fields(form) -> dict:
    return {
        "display_name": form.display_name.data,
        "email": form.email.data,
        "roles": [Role(role) for role in form.roles.data],
        "department_id": form.department_id.data or None,
        "locale": form.locale.data,
        "is_active": form.is_active.data,
    }


@bp.route("/admin/users")
@requires(MANAGE_USERS)
def users():
    stmt, sort = apply_sort(
        queries.users_statement(),
        {"username": User.username, "name": User.display_name},
        "username",
    )
    page = paginate(stmt)
    return render_template("core/users.html", page=page, sort=sort)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@requires(MANAGE_USERS)
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
        url_for("admin.users"),
    )
    return response or render_form("core/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@requires(MANAGE_USERS)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    form.department_id.choices = _department_choices()
    if request.method == "GET":
        form.roles.data = [role.value for role in user.roles]
        form.department_id.data = user.department_id or 0
        form.locale.data = user.locale or ""
    response = submit(
        form,
        lambda: services.update_user(
            current_user, user, version=form.version.data, **_user_fields(form)
        ),
        _("User %(name)s saved.", name=user.username),
        url_for("admin.users"),
    )
    return response or render_form(
        "core/user_form.html", form=form, user=user, reset_form=PasswordResetForm(formdata=None)
    )


@bp.route("/admin/users/<int:user_id>/password", methods=["POST"])
@requires(MANAGE_USERS)
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    response = submit(
        form,
        lambda: services.reset_password(current_user, user, form.password.data),
        _("Password of %(name)s reset; their open sessions have ended.", name=user.username),
        url_for("admin.edit_user", user_id=user.id),
    )
    if response:
        return response
    edit_form = UserForm(obj=user, formdata=None)
    edit_form.department_id.choices = _department_choices()
    return render_form("core/user_form.html", form=edit_form, user=user, reset_form=form)


@bp.route("/admin/users/<int:user_id>/second-factor/reset", methods=["POST"])
@requires(MANAGE_USERS)
def reset_second_factor(user_id: int):
    user = db.get_or_404(User, user_id)
    response = submit(
        EmptyForm(),
        lambda: services.reset_second_factor(current_user, user),
        _(
            "The second factor of %(name)s is off and their open sessions have ended.",
            name=user.username,
        ),
        url_for("admin.edit_user", user_id=user.id),
    )
    return response or redirect(url_for("admin.edit_user", user_id=user.id))


# --- departments ---------------------------------------------------------------


@bp.route("/departments")
@requires(READ_DEPARTMENTS)
def departments():
    query = request.args.get("q", "").strip()[:50]
    kind = choice_arg("kind", DepartmentKind.values())
    stmt, sort = apply_sort(
        queries.departments_statement(query, kind),
        {"name": Department.name, "kind": Department.kind},
        "kind",
    )
    page = paginate(stmt, per_page=50)
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
@requires(MANAGE_DEPARTMENTS)
def edit_department(department_id: int | None):
    department = db.get_or_404(Department, department_id) if department_id else None
    form = DepartmentForm(obj=department)
    response = submit(
        form,
        lambda: services.save_department(
            current_user, department, version=form.version.data, **_department_fields(form)
        ),
        lambda saved: _("Department %(name)s saved.", name=saved.name),
        url_for("admin.departments"),
    )
    return response or render_form("core/department_form.html", form=form, department=department)


@bp.route("/admin/settings")
@requires(READ_SETTINGS)
def settings_page():
    return render_template(
        "core/settings.html",
        specs=settings.REGISTRY.values(),
        values=settings.current_values(),
        form=SettingForm(formdata=None),
    )


@bp.route("/admin/settings/<key>", methods=["POST"])
@requires(CHANGE_SETTINGS)
def change_setting(key: str):
    if key not in settings.REGISTRY:
        abort(404)
    form = SettingForm()
    response = submit(
        form,
        lambda: settings.change_setting(current_user, key, form.value.data),
        _("Setting saved."),
        url_for("admin.settings_page"),
    )
    return response or render_form(
        "core/settings.html",
        specs=settings.REGISTRY.values(),
        values=settings.current_values(),
        form=form,
        failed_key=key,
    )


# --- outgoing mail -----------------------------------------------------------------------


@bp.route("/admin/mail")
@requires(MANAGE_USERS)
def outbox():
    status = choice_arg("status", MailStatus.values())
    page = paginate(queries.outbox_statement(status))
    return render_template(
        "core/outbox.html", page=page, status=status, statuses=MailStatus, form=EmptyForm()
    )


@bp.route("/admin/mail/<int:message_id>/retry", methods=["POST"])
@requires(MANAGE_USERS)
def retry_mail(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    form = EmptyForm()
    response = submit(
        form,
        lambda: notify.retry_message(current_user, message),
        _("The message will be sent again within a minute."),
        url_for("admin.outbox"),
    )
    return response or redirect(url_for("admin.outbox"))
