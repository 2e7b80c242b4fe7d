"""The pool's forms: fields and field checks only; the rules are the services'."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Optional

from advisers.forms import RecommendForm, phone_number
from advisers.models import Category, Gender
from advisers.pool.models import PoolKind, PoolSource
from core.forms import DateField, DateRequired, Form, Length, SentOnce, strip


class EntryForm(SentOnce, Form):
    name = StringField(
        _l("Full name"), filters=[strip], validators=[DataRequired(), Length(max=50)]
    )
    kind = SelectField(_l("Kind"), choices=PoolKind.choices(), validators=[DataRequired()])
    organisation = StringField(
        _l("Organisation"), filters=[strip], validators=[Optional(), Length(max=100)]
    )
    phone = StringField(
        _l("Phone"), filters=[strip], validators=[Optional(), Length(max=30), phone_number]
    )
    email = EmailField(
        _l("E-mail"), filters=[strip], validators=[Optional(), Email(), Length(max=254)]
    )
    licence_no = StringField(
        _l("Practising-licence or work-permit number"),
        filters=[strip],
        validators=[Optional(), Length(max=40)],
    )
    specialties = SelectMultipleField(_l("Specialties"), coerce=int, validators=[Optional()])
    source = SelectField(_l("Source of the entry"), choices=PoolSource.choices())
    consent = BooleanField(
        _l("Agrees to be listed"),
        description=_l("Without it, only the office sees the entry."),
    )
    department_id = SelectField(_l("Department, town or sub-district"), coerce=int)
    designated = BooleanField(_l("The department's designated legal-affairs person"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class RemoveEntryForm(Form):
    reason = TextAreaField(
        _l("Why the entry is removed"), validators=[DataRequired(), Length(max=1000)]
    )


class PoolRecommendForm(RecommendForm):
    """The appointment workflow's recommendation, with what the adviser record needs besides."""

    gender = SelectField(_l("Gender"), choices=Gender.choices(), validators=[DataRequired()])
    category = SelectField(_l("Category"), choices=Category.choices(), validators=[DataRequired()])


class TrainingForm(SentOnce, Form):
    held_on = DateField(_l("Held on"), validators=[DateRequired()])
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    hours = StringField(_l("Hours"), filters=[strip], validators=[DataRequired(), Length(max=6)])
    organiser = StringField(
        _l("Organised by"), filters=[strip], validators=[Optional(), Length(max=100)]
    )
    place = StringField(_l("Place"), filters=[strip], validators=[Optional(), Length(max=100)])
    version = HiddenField()
