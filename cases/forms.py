"""Forms of the lawsuits register: fields and field checks only."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from cases import particulars
from cases.messages import REFUSALS
from cases.models import CaseKind, GovernmentRole, Outcome, StageKind
from core.files import MultipleUploadField
from core.forms import DateField, DateRequired, Form, Length, SentOnce, strip

UNIT_CHOICES = [
    (particulars.YUAN, _l("元 (yuan)")),
    (particulars.WAN, _l("万元 (ten thousand yuan)")),
]


def _text(label, limit: int, required: bool = True, **kwargs):
    checks = [DataRequired() if required else Optional(), Length(max=limit)]
    return StringField(label, filters=[strip], validators=checks, **kwargs)


def _area(label, limit: int, required: bool = False, **kwargs):
    checks = [DataRequired() if required else Optional(), Length(max=limit)]
    return TextAreaField(label, filters=[strip], validators=checks, **kwargs)


def _case_number(_form, field) -> None:
    try:
        particulars.normalise_case_number(field.data)
    except particulars.Refused as refusal:
        raise ValidationError(REFUSALS[refusal.code]) from None


class CaseFields(Form):
    """A case's particulars, as registered and as corrected."""

    kind = SelectField(_l("Kind of case"), choices=CaseKind.choices(), validators=[DataRequired()])
    case_number = StringField(
        _l("Case number"),
        filters=[strip],
        validators=[Optional(), Length(max=64), _case_number],
        description=_l("Such as （2026）桂0105行初123号; leave empty until the court gives one."),
    )
    court = _text(_l("Court or reconsideration body"), 200)
    cause = _text(_l("Cause of action"), 200)
    department_id = SelectField(_l("Government party"), coerce=int)
    specialty_id = SelectField(
        _l("Field of law"),
        coerce=int,
        default=0,
        description=_l("The lawyer team is chosen from advisers of this field first."),
    )
    government_role = SelectField(
        _l("The government's role"), choices=GovernmentRole.choices(), validators=[DataRequired()]
    )
    opposing_parties = _area(
        _l("Opposing parties"),
        2000,
        required=True,
        description=_l("One per line; the lawyer team is checked against them for conflicts."),
    )
    third_parties = _area(_l("Third parties"), 2000, description=_l("One per line."))
    amount = _text(
        _l("Amount involved"),
        40,
        required=False,
        description=_l("Leave empty when no property is involved."),
    )
    amount_unit = SelectField(_l("Unit"), choices=UNIT_CHOICES, default=particulars.YUAN)
    filed_on = DateField(_l("Filed on"), validators=[DateRequired()])
    registered_on = DateField(_l("Registered on"), validators=[DateRequired()])
    summary = _area(_l("Summary"), 10000)

    def validate_amount(self, field) -> None:
        unit = self.amount_unit.data if self.amount_unit.data in particulars.UNITS else "yuan"
        try:
            particulars.to_yuan(field.data, unit)
        except particulars.Refused as refusal:
            raise ValidationError(REFUSALS[refusal.code]) from None

    def yuan(self) -> Decimal | None:
        """The amount entered, in yuan (call after validation)."""
        return particulars.to_yuan(self.amount.data, self.amount_unit.data)


class CaseForm(SentOnce, CaseFields):
    """Register a case, with its first documents."""

    files = MultipleUploadField(_l("Documents"))


class CaseEditForm(CaseFields):
    version = HiddenField()


class StageForm(Form):
    kind = SelectField(_l("Stage"), choices=StageKind.choices(), validators=[DataRequired()])
    case_number = StringField(
        _l("Case number of the stage"),
        filters=[strip],
        validators=[Optional(), Length(max=64), _case_number],
    )
    court = _text(_l("Court or body"), 200, required=False)
    filed_on = DateField(_l("Filed on"), validators=[Optional()])
    complaint_served_on = DateField(
        _l("Complaint or application copy served on"),
        validators=[Optional()],
        description=_l("The day the government received it: statutory periods start here."),
    )
    judgment_on = DateField(_l("Judgment or decision given on"), validators=[Optional()])
    judgment_served_on = DateField(_l("Judgment served on"), validators=[Optional()])
    is_ruling = BooleanField(
        _l("The decision served is a ruling (裁定)"),
        description=_l("An appeal against a ruling has 10 days, against a judgment 15."),
    )
    accepted_on = DateField(
        _l("Application accepted on"),
        validators=[Optional()],
        description=_l("Reconsideration: the decision period starts here."),
    )
    simplified = BooleanField(_l("Simplified procedure (简易程序)"))
    outcome = SelectField(
        _l("Outcome"), choices=[("", _l("— not yet —")), *Outcome.choices()], default=""
    )
    effective_on = DateField(_l("Effective on"), validators=[Optional()])
    notes = _area(_l("Notes"), 5000)
    version = HiddenField()


class CloseForm(Form):
    closed_on = DateField(_l("Closed on"), validators=[DateRequired()])


class FilesForm(Form):
    files = MultipleUploadField(_l("Documents"), required=True)


class ReasonForm(Form):
    reason = _area(_l("Reason"), 2000, required=True)


class AddMemberForm(Form):
    adviser_id = SelectField(_l("Adviser"), coerce=int, validators=[DataRequired()])


class DoneForm(Form):
    done_on = DateField(_l("Done on"), validators=[DateRequired()])
    postmarked_on = DateField(
        _l("Postmarked on"),
        validators=[Optional()],
        description=_l("A document posted before the deadline is on time by its postmark."),
    )
    proof = _area(_l("Proof"), 2000, required=True)


class TeamRuleForm(Form):
    threshold = StringField(
        _l("Amount that brings a lawyer team (yuan)"),
        filters=[strip],
        validators=[DataRequired(), Length(max=20)],
        description=_l("以上 includes the number: a case of exactly this amount gets a team."),
    )
    size = IntegerField(_l("Advisers on a team"), validators=[DataRequired()])
