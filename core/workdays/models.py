"""The holiday table: each year's notice, and the days it sets apart from the ordinary week."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Audited, EnumText, LabelledEnum, User, UTCDateTime, utcnow


class DayKind(LabelledEnum):
    """What a notice makes of a day: a day off (放假), or a make-up working day (调休上班)."""

    OFF = "off"
    WORK = "work"

    @classmethod
    def labels(cls) -> dict:
        return {cls.OFF: _l("Day off"), cls.WORK: _l("Make-up working day")}


class CalendarSource(LabelledEnum):
    """Where a year's days came from."""

    #: seeded from the chinese-calendar package, which copies the State Council's notices
    PACKAGE = "package"
    #: entered by an administrator from the State Council's notice
    ADMIN = "admin"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.PACKAGE: _l("chinese-calendar package"),
            cls.ADMIN: _l("Entered by an administrator"),
        }


class HolidayYear(Audited, db.Model):
    """A year whose holidays are loaded: a date in a year without one is provisional."""

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: the notice's title, e.g. 国务院办公厅关于2027年部分节假日安排的通知
    notice: Mapped[str | None] = mapped_column(String(200))
    #: the notice's document number, e.g. 国办发明电〔2026〕7号
    doc_no: Mapped[str | None] = mapped_column(String(60))
    source: Mapped[CalendarSource] = mapped_column(EnumText(CalendarSource, 20))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the administrator who entered the year; None when it was seeded
    loaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: why the year's days were replaced, when they were
    change_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    loaded_by: Mapped[User | None] = relationship()
    days: Mapped[list[Holiday]] = relationship(
        back_populates="notice_year", cascade="all, delete-orphan", order_by="Holiday.day"
    )


class Holiday(Audited, db.Model):
    """A day a year's notice sets apart: a day off of a holiday, or a make-up working day.

    Every other day is a working day from Monday to Friday and a rest day at the weekend.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    #: the notice that set the day: a notice may reach back into the last days of December
    year: Mapped[int] = mapped_column(ForeignKey("holiday_year.year"), index=True)
    kind: Mapped[DayKind] = mapped_column(EnumText(DayKind, 10))
    #: the holiday as the notice names it: 国庆节, 春节, 中秋节、国庆节
    name: Mapped[str] = mapped_column(String(60))

    notice_year: Mapped[HolidayYear] = relationship(back_populates="days")
