"""Forms of the dismissal rule and the decisions on candidates: fields and field checks only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from core.forms import Form, Length, strip


class CandidateDecisionForm(Form):
    decision = SelectField(
        _l("Decision"),
        choices=[
            ("", _l("Choose…")),
            ("dismiss", _l("Dismiss the adviser")),
            ("keep", _l("Keep the adviser")),
        ],
        validators=[DataRequired()],
    )
    note = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class RuleForm(Form):
    consecutive_absences = StringField(
        _l("Consecutive unexcused absences"), filters=[strip], validators=[DataRequired()]
    )
    min_rate = StringField(
        _l("Lowest attendance rate (%)"), filters=[strip], validators=[DataRequired()]
    )
    window_months = StringField(
        _l("Window for the rate (months)"), filters=[strip], validators=[DataRequired()]
    )
    min_meetings = StringField(
        _l("Meetings needed in the window to judge the rate"),
        filters=[strip],
        validators=[DataRequired()],
    )
