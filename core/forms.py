"""Forms for logging in, accounts, departments and settings: fields and field checks only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from core.models import DepartmentKind, Role

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]+$"
MIN_PASSWORD = 10


def strip(value):
    """Trim surrounding spaces from text input."""
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class NewPasswordMixin:
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=_l("Use between %(min)d and %(max)d characters."),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class UserForm(FlaskForm):
    display_name = StringField(
        _l("Full name"), filters=[strip], validators=[DataRequired(), Length(max=100)]
    )
    email = EmailField(
        _l("E-mail"), filters=[strip], validators=[Optional(), Email(), Length(max=254)]
    )
    role = SelectField(_l("Role"), choices=Role.choices(), validators=[DataRequired()])
    department_id = SelectField(_l("Department"), coerce=int, validators=[Optional()])
    locale = SelectField(
        _l("Language"),
        choices=[("", _l("Follow the browser")), ("zh_Hans_CN", "简体中文"), ("en", "English")],
        validators=[Optional()],
    )
    is_active = BooleanField(_l("Active"), default=True)


class NewUserForm(NewPasswordMixin, UserForm):
    username = StringField(
        _l("Username"),
        filters=[strip],
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(USERNAME_PATTERN, message=_l("Use letters, digits, dot, dash or underscore.")),
        ],
    )


class PasswordResetForm(NewPasswordMixin, FlaskForm):
    pass


class OwnPasswordForm(NewPasswordMixin, FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])


class DepartmentForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(), Length(max=100)])
    kind = SelectField(_l("Kind"), choices=DepartmentKind.choices(), validators=[DataRequired()])
    principal_head = StringField(
        _l("Principal head"), filters=[strip], validators=[Optional(), Length(max=50)]
    )
    deputy_head = StringField(
        _l("Deputy head in charge"), filters=[strip], validators=[Optional(), Length(max=50)]
    )
    is_active = BooleanField(_l("In use"), default=True)
    version = HiddenField()


class SettingForm(FlaskForm):
    """One setting's new value; the setting's own spec checks it further."""

    value = StringField(_l("Value"), filters=[strip], validators=[DataRequired(), Length(max=200)])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that post."""

