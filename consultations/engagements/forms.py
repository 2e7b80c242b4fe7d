"""The engagement form: fields and field checks only; the service reads the fee and checks
the contract period."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from consultations.engagements import rules
from consultations.engagements.messages import fee_message
from consultations.engagements.models import EngagedAs
from core.files import UploadField
from core.forms import DateField, DateRequired, Form, Length, SentOnce, strip


def fee_amount(_form, field) -> None:
    """An amount of yuan, with at most two places; the service reads it again."""
    try:
        rules.parse_fee(field.data or "")
    except rules.FeeError as error:
        raise ValidationError(fee_message(error)) from None


class EngagementForm(SentOnce, Form):
    department_id = SelectField(
        _l("Engaging department, town or sub-district"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose a department from the list."))],
    )
    person_name = StringField(
        _l("Full name"), filters=[strip], validators=[DataRequired(), Length(max=50)]
    )
    engaged_as = SelectField(
        _l("Type of adviser"), choices=EngagedAs.choices(), validators=[DataRequired()]
    )
    organisation = StringField(
        _l("Law firm or organisation"), filters=[strip], validators=[Optional(), Length(max=100)]
    )
    start_on = DateField(_l("Contract starts on"), validators=[DateRequired()])
    end_on = DateField(_l("Contract ends on"), validators=[DateRequired()])
    scope = TextAreaField(
        _l("Scope of service"), filters=[strip], validators=[DataRequired(), Length(max=5000)]
    )
    fee = StringField(
        _l("Fee (yuan)"),
        filters=[strip],
        description=_l(
            "In yuan, e.g. 120000 or 120,000.00. Leave empty when the service is unpaid or "
            "the fee is not known."
        ),
        validators=[Optional(), Length(max=30), fee_amount],
    )
    contract = UploadField(_l("Signed contract"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()
