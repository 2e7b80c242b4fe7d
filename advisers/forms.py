"""Forms of the panel: fields and field checks only; the rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Optional, ValidationError

from advisers.messages import phone_message
from advisers.models import Category, EndReason, Gender, Post
from core.forms import ConfirmField, DateField, DateRequired, Form, Length, SentOnce, strip
from core.i18n import today


def phone_number(_form, field) -> None:
    """Digits with spaces, +, - or brackets between them; 5 to 20 digits."""
    message = phone_message(field.data or "")
    if message:
        raise ValidationError(message)


class AdviserForm(SentOnce, Form):
    name = StringField(
        _l("Full name"), filters=[strip], validators=[DataRequired(), Length(max=50)]
    )
    gender = SelectField(_l("Gender"), choices=Gender.choices(), validators=[DataRequired()])
    category = SelectField(_l("Category"), choices=Category.choices(), validators=[DataRequired()])
    organisation = StringField(
        _l("Organisation or law firm"), filters=[strip], validators=[Optional(), Length(max=100)]
    )
    licence_no = StringField(
        _l("Practising-licence number"), filters=[strip], validators=[Optional(), Length(max=40)]
    )
    phone = StringField(
        _l("Phone"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=30),
            phone_number,
        ],
    )
    email = EmailField(
        _l("E-mail"), filters=[strip], validators=[Optional(), Email(), Length(max=254)]
    )
    specialties = SelectMultipleField(_l("Specialties"), coerce=int, validators=[Optional()])
    conflicts = TextAreaField(
        _l("Declared conflicts of interest"), validators=[Optional(), Length(max=2000)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    user_id = SelectField(_l("Login account"), coerce=int, validators=[Optional()])
    version = HiddenField()


def approval_date(required: bool = True, default=None) -> DateField:
    """The date of the district government's approval (报政府同意)."""
    return DateField(
        _l("Government approved on"),
        default=default,
        validators=[DateRequired() if required else Optional()],
    )


def approval_doc_no(required: bool = True) -> StringField:
    """The document number of the government's approval."""
    return StringField(
        _l("Approval document number"),
        filters=[strip],
        validators=[DataRequired() if required else Optional(), Length(max=60)],
    )


class RecommendForm(SentOnce, Form):
    post = SelectField(
        _l("Proposed post"),
        choices=[("", _l("Choose…")), *Post.choices()],
        validators=[DataRequired()],
    )
    recommended_on = DateField(_l("Recommended on"), default=today, validators=[DateRequired()])
    reason = TextAreaField(_l("Grounds"), validators=[Optional(), Length(max=2000)])


class ApproveForm(Form):
    approved_on = approval_date(default=today)
    doc_no = approval_doc_no()


class DeclineForm(Form):
    declined_on = DateField(_l("Decided on"), default=today, validators=[DateRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class AppointForm(Form):
    post = SelectField(_l("Post"), choices=Post.choices(), validators=[DataRequired()])
    start_on = DateField(_l("Term starts on"), validators=[DateRequired()])


class RenewForm(Form):
    post = SelectField(
        _l("Post in the new term"), choices=Post.choices(), validators=[DataRequired()]
    )
    approved_on = approval_date()
    doc_no = approval_doc_no()


class EndTermForm(Form):
    reason = SelectField(
        _l("Why the term ends"),
        choices=[
            ("", _l("Choose…")),
            *((r.value, EndReason.labels()[r]) for r in (EndReason.RESIGNED, EndReason.DISMISSED)),
        ],
        validators=[DataRequired()],
    )
    ended_on = DateField(_l("Last day served"), validators=[DateRequired()])
    note = TextAreaField(_l("Reason and details"), validators=[Optional(), Length(max=2000)])
    approved_on = approval_date(required=False)
    doc_no = approval_doc_no(required=False)
    confirm = ConfirmField(_l("I understand that an ended term cannot be reopened."))


class WithdrawRenewalForm(Form):
    note = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    confirm = ConfirmField(_l("I understand that a withdrawn renewal cannot be restored."))


class ImportForm(Form):
    file = FileField(
        _l("Roster workbook (.xlsx)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["xlsx"], _l("Only .xlsx workbooks can be imported.")),
        ],
    )


class ConfirmImportForm(Form):
    """Confirms a previewed import: the token names the upload kept since the preview."""

    token = HiddenField(validators=[DataRequired()])


class SpecialtyForm(SentOnce, Form):
    name = StringField(
        _l("Name (Chinese)"), filters=[strip], validators=[DataRequired(), Length(max=50)]
    )
    name_en = StringField(
        _l("Name (English)"), filters=[strip], validators=[DataRequired(), Length(max=80)]
    )
    is_active = BooleanField(_l("In use"), default=True)
    version = HiddenField()
