"""Forms for logging in, accounts, departments and settings: fields and field checks only."""

from __future__ import annotations

import re

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    fields,
    validators,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Optional,
    Regexp,
    ValidationError,
)

from core.models import DepartmentKind, Role

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]+$"
MIN_PASSWORD = 10


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip(value):
    """Trim surrounding spaces from text input."""
    return value.strip() if isinstance(value, str) else value


def no_control_characters(_form, field) -> None:
    """Refuse invisible control characters (NUL and the like) in text."""
    if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError(_l("Remove the invisible control characters from this text."))


class Length(validators.Length):
    """A length limit whose message gives the limit and the length entered.

    The browser is not told the limit (no maxlength attribute): it would cut a pasted text
    short without a word. The server refuses the text instead, and says by how much.
    """

    def __init__(self, min: int = -1, max: int = -1, message=None):
        super().__init__(min, max, message)
        self.field_flags.pop("maxlength", None)

    def __call__(self, form, field):
        length = len(field.data) if field.data else 0
        if self.message is None and self.max != -1 and length > self.max:
            raise ValidationError(
                _(
                    "Use at most %(max)d characters; this has %(length)d.",
                    max=self.max,
                    length=length,
                )
            )
        if self.message is None and length < self.min:
            raise ValidationError(
                _(
                    "Use at least %(min)d characters; this has %(length)d.",
                    min=self.min,
                    length=length,
                )
            )
        super().__call__(form, field)


class _NamesWhatItCannotRead:
    """A field that, given a value it cannot read, says so with the value."""

    def cannot_read(self, value: str) -> str:
        raise NotImplementedError

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.cannot_read(valuelist[0][:20])) from error


class DateField(_NamesWhatItCannotRead, fields.DateField):
    """A date written YYYY-MM-DD; one that is not on the calendar says so."""

    def cannot_read(self, value: str) -> str:
        return _("“%(value)s” is not a date on the calendar.", value=value)


class DateTimeLocalField(_NamesWhatItCannotRead, fields.DateTimeLocalField):
    """A date and time; a value that is not one says so."""

    def cannot_read(self, value: str) -> str:
        return _("“%(value)s” is not a date and time on the calendar.", value=value)


#: "required" for a date: a date entered but not on the calendar keeps its own message
#: (DataRequired would replace it with "required")
DateRequired = validators.InputRequired


class Form(FlaskForm):
    """The base of every form: a posted form is read as posted, and text must be printable.

    Flask-WTF treats a POST without fields as no submission, and WTForms fills fields missing
    from a POST with the record's values; here a submission is read only from what was posted,
    so an empty or partial POST fails validation instead of saving the record unchanged.
    """

    def __init__(self, formdata=_Auto, obj=None, prefix="", data=None, meta=None, **kwargs):
        if formdata is _Auto and _is_submitted():
            obj, data, kwargs = None, None, {}
        super().__init__(formdata, obj=obj, prefix=prefix, data=data, meta=meta, **kwargs)

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto and _is_submitted():
                return (
                    CombinedMultiDict([request.files, request.form])
                    if request.files
                    else (request.form or MultiDict())
                )
            return super().wrap_formdata(form, formdata)

        def bind_field(self, form, unbound_field, options):
            if unbound_field.field_class.__name__ in TEXT_FIELDS:
                options["validators"] = [
                    *unbound_field.kwargs.get("validators", []),
                    no_control_characters,
                ]
            return super().bind_field(form, unbound_field, options)


TEXT_FIELDS = {"StringField", "TextAreaField", "EmailField", "PasswordField"}


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes; a value off the list is refused in words."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        allowed = {value for value, _label in self.choices or []}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(_("Choose from the list shown."))


class LoginForm(Form):
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


class UserForm(Form):
    display_name = StringField(
        _l("Full name"), filters=[strip], validators=[DataRequired(), Length(max=100)]
    )
    email = EmailField(
        _l("E-mail"), filters=[strip], validators=[Optional(), Email(), Length(max=254)]
    )
    roles = CheckboxListField(
        _l("Roles"),
        choices=Role.choices(),
        validators=[DataRequired(message=_l("Choose at least one role."))],
    )
    department_id = SelectField(_l("Department"), coerce=int, validators=[Optional()])
    locale = SelectField(
        _l("Language"),
        choices=[("", _l("Follow the browser")), ("zh_Hans_CN", "简体中文"), ("en", "English")],
        validators=[Optional()],
    )
    is_active = BooleanField(_l("Active"), default=True)
    version = HiddenField()


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


class PasswordResetForm(NewPasswordMixin, Form):
    pass


class OwnPasswordForm(NewPasswordMixin, Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])


class DepartmentForm(Form):
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


class SettingForm(Form):
    """One setting's new value; the setting's own spec checks it further."""

    value = StringField(_l("Value"), filters=[strip], validators=[DataRequired(), Length(max=200)])


class EmptyForm(Form):
    """A form with only the CSRF token, for buttons that post."""
