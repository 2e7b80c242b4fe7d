"""Forms for logging in, accounts, departments and settings: fields and field checks only."""

from __future__ import annotations

import re
import secrets

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
    TextAreaField,
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
from core.password_rules import MIN_LENGTH
from core.passwords import password_error

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]+$"


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


def new_submission_token() -> str:
    return secrets.token_urlsafe(24)


class SentOnce:
    """Mixed into a form that creates something: the form carries a one-time token, and
    `core.flow.submit` acts on each token once, so sending the form twice creates once."""

    submission = HiddenField(default=new_submission_token)


def ConfirmField(label) -> BooleanField:
    """A box the user must tick to go on with a step that cannot be undone."""
    return BooleanField(
        label, validators=[validators.InputRequired(_l("Tick the box to confirm this step."))]
    )


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


def meets_password_policy(form, field) -> None:
    """Refuse a new password that breaks the policy; the service checks it again, fully."""
    names = [getattr(form, name).data for name in ("username", "display_name") if name in form]
    message = password_error(field.data or "", names)
    if message:
        raise ValidationError(message)


class NewPasswordMixin:
    password = PasswordField(
        _l("New password"),
        description=_l(
            "At least %(min)d characters; not a common password, nor the username or name.",
            min=MIN_LENGTH,
        ),
        validators=[DataRequired(), Length(max=200), meets_password_policy],
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


class NewUserForm(SentOnce, NewPasswordMixin, UserForm):
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


class DepartmentForm(SentOnce, Form):
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


class SecondFactorCodeForm(Form):
    """The login step after the password: a code from the app, or a recovery code."""

    code = StringField(
        _l("Code from the app, or a recovery code"),
        filters=[strip],
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "autofocus": True},
    )


class SecondFactorSetupForm(Form):
    """Turning the second factor on: the secret the app was given, and a code it made from it."""

    secret = HiddenField(
        validators=[
            DataRequired(),
            Regexp(r"^[A-Z2-7]{32}$", message=_l("The set-up was not recognised; start again.")),
        ]
    )
    code = StringField(
        _l("The 6-digit code the app shows"),
        filters=[strip],
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ConfirmIdentityForm(Form):
    """Proof that the person at the keyboard is the user, before a second-factor change."""

    answer = PasswordField(
        _l("A code from your app, or your password"),
        validators=[DataRequired(), Length(max=200)],
    )


class EmptyForm(Form):
    """A form with only the CSRF token, for buttons that post."""


class VoidForm(Form):
    reason = TextAreaField(
        _l("Why it is voided"),
        filters=[strip],
        validators=[DataRequired(), Length(max=2000)],
    )
