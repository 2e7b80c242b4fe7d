"""Forms of the lawsuits register: fields and field checks only."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from cases import particulars
from cases.messages import REFUSALS
from cases.models import (
    Acceptance,
    CaseKind,
    FollowUpKind,
    GovernmentRole,
    Obligation,
    Outcome,
    StageKind,
)
from core.files import MultipleUploadField, UploadField
from core.forms import (
    DateField,
    DateRequired,
    DateTimeLocalField,
    Form,
    Length,
    SentOnce,
    strip,
)

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
    acceptance = SelectField(
        _l("Review for acceptance"),
        choices=[("", _l("— not yet —")), *Acceptance.choices()],
        default="",
    )
    accepted_on = DateField(
        _l("Review decided on"),
        validators=[Optional()],
        description=_l("Reconsideration: once accepted, the decision period starts here."),
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


class ExplanationForm(Form):
    explanation = _area(
        _l("Explanation"),
        5000,
        required=True,
        description=_l("What happened, who is accountable, and what was done about it."),
    )


class TeamRuleForm(Form):
    threshold = StringField(
        _l("Amount that brings a lawyer team (yuan)"),
        filters=[strip],
        validators=[DataRequired(), Length(max=20)],
        description=_l("以上 includes the number: a case of exactly this amount gets a team."),
    )
    size = IntegerField(_l("Advisers on a team"), validators=[DataRequired()])


#: a datetime-local input's value, to the minute
MINUTE = "%Y-%m-%dT%H:%M"


class HearingFields(Form):
    """A hearing: when and where, and the court's appearance notice."""

    starts_at = DateTimeLocalField(
        _l("Starts at"),
        format=MINUTE,
        validators=[DateRequired()],
        description=_l("China time, as the court's notice gives it."),
    )
    place = _text(
        _l("Court and courtroom"),
        200,
        required=False,
        description=_l("Such as 第三法庭; leave empty for the case's court."),
    )
    stage_id = SelectField(_l("Stage"), coerce=int, default=0)
    notice_received_on = DateField(
        _l("Appearance notice received on"),
        validators=[Optional()],
        description=_l("The day the court's notice (出庭通知书) reached the government."),
    )
    notice = UploadField(_l("Appearance notice (出庭通知书)"))


class HearingForm(SentOnce, HearingFields):
    """Schedule a hearing."""


class HearingEditForm(HearingFields):
    version = HiddenField()


class AppearanceForm(Form):
    """Who appeared for the government at a hearing (负责人出庭应诉)."""

    appeared = SelectField(_l("Who appeared for the government"), validators=[DataRequired()])
    appeared_name = _text(
        _l("Name of who appeared"),
        100,
        required=False,
        description=_l("For a lawyer alone, the lawyer; leave empty when nobody appeared."),
    )
    absence_reason = _area(
        _l("Why the principal head did not appear"),
        2000,
        description=_l(
            "Administrative cases: required whenever the principal head did not appear. Only "
            "force majeure or duties no one else can perform excuse them."
        ),
    )
    absence_proof = UploadField(_l("Sealed proof (加盖公章的证明)"))
    lawyers = _text(_l("Lawyers and advisers who appeared with them"), 300, required=False)
    notes = _area(_l("Notes"), 5000)
    version = HiddenField()


class PerformanceForm(SentOnce, Form):
    """What an effective judgment obliges the government to do (履行生效判决)."""

    stage_id = SelectField(
        _l("Effective judgment or decision"),
        coerce=int,
        validators=[DataRequired()],
        description=_l("The stage whose judgment or decision took effect."),
    )
    obligation = SelectField(
        _l("Obligation"), choices=Obligation.choices(), validators=[DataRequired()]
    )
    description = _area(_l("What the judgment orders"), 5000, required=True)
    amount = _text(
        _l("Amount to pay"),
        40,
        required=False,
        description=_l("For a payment only; leave empty for any other act."),
    )
    amount_unit = SelectField(_l("Unit"), choices=UNIT_CHOICES, default=particulars.YUAN)
    due_on = DateField(_l("To perform by"), validators=[DateRequired()])

    validate_amount = CaseFields.validate_amount
    yuan = CaseFields.yuan


class PerformedForm(Form):
    performed_on = DateField(_l("Performed on"), validators=[DateRequired()])
    proof = _area(_l("Proof"), 2000, required=True)
    proof_file = UploadField(_l("Proof document"))


class FollowUpFields(Form):
    """A court's suggestion or a reconsideration decision to perform, as recorded."""

    kind = SelectField(_l("Kind"), choices=FollowUpKind.choices(), validators=[DataRequired()])
    case_reference = _text(
        _l("Case"),
        20,
        required=False,
        description=_l(
            "The register's reference, such as 2026-S0001; leave empty when the case is not in "
            "the register."
        ),
    )
    issued_by = _text(_l("Court or reconsideration body"), 200)
    document_number = _text(_l("Document number"), 64, required=False)
    received_on = DateField(_l("Received on"), validators=[DateRequired()])
    content = _area(_l("What it says"), 10000, required=True)
    department_id = SelectField(
        _l("Department to answer"),
        coerce=int,
        description=_l("Left as the district government, a case's own department answers."),
    )
    reply_due_on = DateField(
        _l("Reply due on"),
        validators=[DateRequired()],
        description=_l("The day the court or the body set for the reply."),
    )
    file = UploadField(_l("Document"))


class FollowUpForm(SentOnce, FollowUpFields):
    pass


class FollowUpEditForm(FollowUpFields):
    version = HiddenField()


class ReplyForm(Form):
    replied_on = DateField(_l("Replied on"), validators=[DateRequired()])
    reply = _area(_l("Reply"), 5000, required=True)
    measures = _area(_l("Measures taken"), 5000, required=True)
    reply_file = UploadField(_l("Reply document"))
    version = HiddenField()
