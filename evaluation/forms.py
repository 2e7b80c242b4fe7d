"""Forms of the dismissal rule, the decisions on candidates and the yearly evaluation: fields
and field checks only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from advisers.forms import approval_date, approval_doc_no
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
    approved_on = approval_date(required=False)
    doc_no = approval_doc_no(required=False)
    confirm = BooleanField(_l("I understand that a dismissal ends the term and cannot be undone."))

    def validate_confirm(self, field) -> None:
        if self.decision.data == "dismiss" and not field.data:
            raise ValidationError(_l("Tick the box to confirm this step."))


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
    ignored_matters = StringField(
        _l("Matters declined or left unanswered in the window"),
        description=_l("A decline for a declared conflict of interest does not count."),
        filters=[strip],
        validators=[DataRequired()],
    )
    answer_days = StringField(
        _l("Days to answer an assignment"),
        description=_l("An assignment still unanswered after these days counts as ignored."),
        filters=[strip],
        validators=[DataRequired()],
    )


class SchemeForm(Form):
    attendance = StringField(_l("Weight of attendance (%)"), filters=[strip])
    answered = StringField(_l("Weight of assignments accepted (%)"), filters=[strip])
    on_time = StringField(_l("Weight of opinions on time (%)"), filters=[strip])
    adoption = StringField(_l("Weight of opinions adopted (%)"), filters=[strip])
    excellent = StringField(_l("Lowest score for 优秀"), filters=[strip])
    competent = StringField(_l("Lowest score for 称职"), filters=[strip])
    basic = StringField(_l("Lowest score for 基本称职"), filters=[strip])
    review_days = StringField(
        _l("Days to ask for a review"),
        description=_l("Counted from the day the evaluation is made final."),
        filters=[strip],
    )


class EvaluationForm(Form):
    grade = SelectField(_l("Grade"), validators=[DataRequired()])
    assessment = TextAreaField(
        _l("The office's assessment"), validators=[DataRequired(), Length(max=5000)]
    )


class FinaliseForm(Form):
    early_reason = TextAreaField(
        _l("Why now, before the year is over"),
        description=_l("Needed only while the year is still running."),
        validators=[Length(max=2000)],
    )


class CommentForm(Form):
    comment = TextAreaField(
        _l("Your comment"),
        description=_l("Kept beside the office's assessment; a new comment replaces the last."),
        validators=[Length(max=2000)],
    )


class ReviewRequestForm(Form):
    reason = TextAreaField(
        _l("Why the grade should be looked at again"), validators=[Length(max=2000)]
    )


class ReviewAnswerForm(Form):
    grade = SelectField(_l("Grade after the review"), validators=[DataRequired()])
    answer = TextAreaField(_l("The office's answer"), validators=[Length(max=2000)])
