"""The form an administrator enters a year's holidays with: fields and field checks only."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from core.forms import Form, Length, SentOnce, strip
from core.workdays.queries import FIRST_YEAR, LAST_YEAR


class YearField(IntegerField):
    """A year; text that is not a whole number says so in words."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("“%(value)s” is not a year.", value=valuelist[0][:20])) from error


class HolidayYearForm(SentOnce, Form):
    year = YearField(
        _l("Year"),
        validators=[
            InputRequired(_l("Enter the year the notice is for.")),
            NumberRange(FIRST_YEAR, LAST_YEAR, _l("Enter a year from %(min)d to %(max)d.")),
        ],
    )
    notice = StringField(
        _l("Notice"),
        filters=[strip],
        description=_l("The notice's title, e.g. 国务院办公厅关于2027年部分节假日安排的通知."),
        validators=[InputRequired(_l("Enter the notice's title.")), Length(max=200)],
    )
    doc_no = StringField(
        _l("Document number"),
        filters=[strip],
        description=_l(
            "As printed under the title, e.g. 国办发明电〔2026〕×号; leave it empty if it is "
            "not known yet."
        ),
        validators=[Optional(), Length(max=60)],
    )
    days = TextAreaField(
        _l("Holidays, one per line"),
        filters=[strip],
        description=_l(
            "The name, the first and last day off, then 调休 and the make-up working days: "
            "国庆节 2026-10-01 2026-10-07 调休 2026-09-20 2026-10-10. One date is enough "
            "for a single day off."
        ),
        validators=[InputRequired(_l("Enter the year's holidays.")), Length(max=4000)],
    )
    reason = TextAreaField(
        _l("Why the loaded days are replaced"),
        filters=[strip],
        description=_l("Needed only when the year is loaded already."),
        validators=[Optional(), Length(max=500)],
    )
    version = HiddenField()
