"""Forms of the meetings pages: fields and field checks only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional

from core.forms import (
    CheckboxListField,
    ConfirmField,
    DateRequired,
    DateTimeLocalField,
    Form,
    Length,
    SentOnce,
    strip,
)
from meetings.models import MeetingKind

MINUTE = "%Y-%m-%dT%H:%M"


class MeetingForm(SentOnce, Form):
    kind = SelectField(_l("Kind"), choices=MeetingKind.choices(), validators=[DataRequired()])
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts at"), format=MINUTE, validators=[DateRequired()])
    ends_at = DateTimeLocalField(_l("Ends at"), format=MINUTE, validators=[DateRequired()])
    place = StringField(_l("Place"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    convened_by = StringField(
        _l("Convened by"), filters=[strip], validators=[Optional(), Length(max=100)]
    )
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=5000)])
    invitees = CheckboxListField(_l("Invitees"), coerce=int, validators=[Optional()])
    version = HiddenField()


class CancelForm(Form):
    reason = TextAreaField(_l("Why it is cancelled"), validators=[DataRequired(), Length(max=2000)])
    confirm = ConfirmField(
        _l("I understand that a cancelled meeting cannot be reopened; the invitees are told.")
    )


class MinutesForm(Form):
    minutes = TextAreaField(_l("Minutes"), validators=[Optional(), Length(max=20000)])
    version = HiddenField()


class TopicForm(SentOnce, Form):
    title = StringField(_l("Topic"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    opinion = TextAreaField(_l("The panel's opinion"), validators=[Optional(), Length(max=10000)])


class LeaveForm(SentOnce, Form):
    reason = TextAreaField(_l("Reason for leave"), validators=[DataRequired(), Length(max=2000)])


class LeaveDecisionForm(Form):
    decision = SelectField(
        _l("Decision"),
        choices=[
            ("", _l("Choose…")),
            ("approve", _l("Approve the leave")),
            ("refuse", _l("Refuse the leave")),
        ],
        validators=[DataRequired()],
    )
    answer = TextAreaField(_l("Answer to the adviser"), validators=[Optional(), Length(max=2000)])


class AttendanceForm(Form):
    """The marks arrive as mark-<invitation id> and reason-<invitation id>; see the view."""
