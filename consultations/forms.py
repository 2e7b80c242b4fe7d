"""Forms of the consultations pages: fields and field checks only."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from consultations.models import ActivityKind, Adoption, MatterKind, Urgency
from core.files import MultipleUploadField
from core.forms import (
    CheckboxListField,
    ConfirmField,
    DateField,
    DateRequired,
    Form,
    Length,
    SentOnce,
    no_control_characters,
    strip,
)

TEXT = [no_control_characters]


def _text(label, limit: int, required: bool = True, **kwargs):
    checks = [DataRequired() if required else Optional(), Length(max=limit), *TEXT]
    return StringField(label, filters=[strip], validators=checks, **kwargs)


def _area(label, limit: int, required: bool = False, **kwargs):
    checks = [DataRequired() if required else Optional(), Length(max=limit), *TEXT]
    return TextAreaField(label, filters=[strip], validators=checks, **kwargs)


class MatterForm(SentOnce, Form):
    """A request for the advisers' work, by a department or by the office on its behalf."""

    department_id = SelectField(
        _l("Requesting department"), coerce=int, validators=[DataRequired()]
    )
    kind = SelectField(
        _l("Kind of matter"), choices=MatterKind.choices(), validators=[DataRequired()]
    )
    title = _text(_l("Matter title"), 200)
    requester = _text(_l("Requested by"), 50)
    requester_phone = _text(_l("Requester's phone"), 30, required=False)
    description = _area(_l("What is asked"), 10000, required=True)
    parties = _area(
        _l("Parties and counterparties"),
        2000,
        description=_l("One per line; the office checks them against the advisers' conflicts."),
    )
    specialty_id = SelectField(_l("Field of law"), coerce=int, validators=[Optional()])
    urgency = SelectField(_l("Urgency"), choices=Urgency.choices(), default=Urgency.NORMAL.value)
    received_on = DateField(_l("Received on"), validators=[DateRequired()])
    due_on = DateField(
        _l("Due on"),
        validators=[Optional()],
        description=_l("Leave empty to count the kind's period in working days."),
    )
    files = MultipleUploadField(_l("Materials"))
    no_secrets = ConfirmField(
        _l("The request and its materials hold no classified (涉密) information.")
    )


class MatterEditForm(Form):
    """The office corrects a matter's particulars."""

    kind = SelectField(
        _l("Kind of matter"), choices=MatterKind.choices(), validators=[DataRequired()]
    )
    title = _text(_l("Matter title"), 200)
    requester = _text(_l("Requested by"), 50)
    requester_phone = _text(_l("Requester's phone"), 30, required=False)
    description = _area(_l("What is asked"), 10000, required=True)
    parties = _area(_l("Parties and counterparties"), 2000)
    specialty_id = SelectField(_l("Field of law"), coerce=int, validators=[Optional()])
    urgency = SelectField(_l("Urgency"), choices=Urgency.choices())
    received_on = DateField(_l("Received on"), validators=[DateRequired()])
    due_on = DateField(_l("Due on"), validators=[DateRequired()])
    version = HiddenField()


class ReturnForm(Form):
    reason = _area(
        _l("Why it is returned"),
        2000,
        required=True,
        description=_l("For example: outside the advisers' duties, or materials incomplete."),
    )


class AssignForm(Form):
    lead_id = RadioField(_l("Lead adviser"), coerce=int, validators=[Optional()])
    co_ids = CheckboxListField(_l("Co-advisers"), coerce=int, validators=[Optional()])
    override_reason = _area(
        _l("Reason for assigning despite a conflict"),
        2000,
        description=_l("Needed only when an adviser chosen has a conflict; it is audited."),
    )


class AnswerForm(Form):
    answer = RadioField(
        _l("Your answer"),
        choices=[("accept", _l("I accept the matter")), ("decline", _l("I decline"))],
        validators=[DataRequired()],
    )
    reason = _area(_l("Why you decline"), 2000)
    conflict = BooleanField(_l("I decline because of a conflict of interest"))


class WithdrawForm(Form):
    reason = _area(_l("Why the adviser is taken off the matter"), 2000, required=True)


class DraftForm(Form):
    facts = _area(_l("Facts"), 20000)
    legal_basis = _area(_l("Legal basis"), 20000)
    analysis = _area(_l("Analysis"), 40000)
    conclusion = _area(_l("Conclusion and recommendations"), 20000)
    risks = _area(_l("Risks"), 20000)
    version = HiddenField()


class SubmitForm(Form):
    version = HiddenField()
    confirm = ConfirmField(
        _l("I sign this opinion. Once submitted it cannot be edited, only corrected.")
    )


class CommentForm(SentOnce, Form):
    body = _area(_l("Comment"), 5000, required=True)


class CorrectionForm(Form):
    reason = _area(_l("Why the opinion is corrected"), 2000, required=True)


class AdoptionForm(Form):
    adoption = RadioField(
        _l("Was the opinion adopted?"), choices=Adoption.choices(), validators=[DataRequired()]
    )
    reason = _area(
        _l("Reason"), 2000, description=_l("Needed when the opinion was not fully adopted.")
    )
    final_decision = _area(_l("The decision finally taken"), 5000)


class WorkLogForm(SentOnce, Form):
    worked_on = DateField(_l("Day"), validators=[DateRequired()])
    hours = DecimalField(
        _l("Hours"),
        places=2,
        validators=[DataRequired(), NumberRange(min=Decimal("0.25"), max=Decimal(24))],
    )
    note = _text(_l("What was done"), 300)


class FilesForm(Form):
    files = MultipleUploadField(_l("Materials"), required=True)


class ActivityForm(SentOnce, Form):
    kind = SelectField(_l("Kind"), choices=ActivityKind.choices(), validators=[DataRequired()])
    title = _text(_l("Activity title"), 200)
    held_on = DateField(_l("Held on"), validators=[DateRequired()])
    place = _text(_l("Place"), 200)
    audience = _text(_l("Audience"), 200)
    attendance = IntegerField(
        _l("Number attending"), validators=[InputRequired(), NumberRange(min=0, max=100000)]
    )
    department_id = SelectField(_l("Department"), coerce=int, validators=[Optional()])
    adviser_ids = CheckboxListField(_l("Given by"), coerce=int, validators=[DataRequired()])
    notes = _area(_l("Notes"), 5000)
    files = MultipleUploadField(_l("Materials"))
    version = HiddenField()
