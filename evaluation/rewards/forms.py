"""The reward forms: fields and field checks only; the rules are the services'."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from advisers.forms import approval_date, approval_doc_no
from core.forms import DateField, DateRequired, Form, Length, SentOnce, strip


class FundForm(Form):
    amount = StringField(
        _l("The year's fund (yuan)"),
        description=_l("Never less than what is allocated already."),
        filters=[strip],
        validators=[DataRequired(), Length(max=20)],
    )
    note = TextAreaField(
        _l("Where it comes from"),
        description=_l("The budget line or the document that grants it."),
        validators=[Optional(), Length(max=500)],
    )


class NominateForm(SentOnce, Form):
    adviser_id = SelectField(_l("Adviser"), coerce=int, validators=[DataRequired()])
    justification = TextAreaField(
        _l("Why the adviser is rewarded"),
        description=_l("Drafted from the year's evidence; say what was outstanding."),
        validators=[DataRequired(), Length(max=3000)],
    )


class ApproveForm(Form):
    approved_on = approval_date()
    doc_no = approval_doc_no()


class AllocateForm(Form):
    amount = StringField(
        _l("Amount (yuan)"), filters=[strip], validators=[DataRequired(), Length(max=20)]
    )


class PayForm(Form):
    paid_on = DateField(_l("Paid on"), validators=[DateRequired()])
    reference = StringField(
        _l("Voucher or transfer reference"),
        filters=[strip],
        validators=[DataRequired(), Length(max=60)],
    )


class WithdrawForm(Form):
    reason = TextAreaField(
        _l("Why the nomination is withdrawn"), validators=[DataRequired(), Length(max=1000)]
    )
