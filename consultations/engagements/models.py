"""The register of advisers that towns and departments engage on their own (seed 六.2)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultations.engagements.rules import State
from core.extensions import db
from core.files import StoredFile
from core.models import (
    Audited,
    Department,
    EnumText,
    LabelledEnum,
    UTCDateTime,
    Voidable,
    utcnow,
)


class EngagedAs(LabelledEnum):
    """What the engaged adviser is (seed 六.2): a practising or public-sector lawyer, or
    another legal professional."""

    PRACTISING_LAWYER = "practising_lawyer"
    PUBLIC_LAWYER = "public_lawyer"
    OTHER_PROFESSIONAL = "other_professional"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.PRACTISING_LAWYER: _l("Practising lawyer"),
            cls.PUBLIC_LAWYER: _l("Public-sector lawyer"),
            cls.OTHER_PROFESSIONAL: _l("Other legal professional"),
        }


class StateLabel(LabelledEnum):
    """A contract's state (the values are rules.State's) with its label."""

    UPCOMING = State.UPCOMING.value
    IN_FORCE = State.IN_FORCE.value
    ENDING = State.ENDING.value
    ENDED = State.ENDED.value

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.UPCOMING: _l("Not yet in force"),
            cls.IN_FORCE: _l("In force"),
            cls.ENDING: _l("Ending soon"),
            cls.ENDED: _l("Expired"),
        }


class Engagement(Voidable, Audited, db.Model):
    """An adviser a department, town or sub-district engaged on its own, under a contract."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the department, town or sub-district that engaged the adviser
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    #: the engaged person's full name
    person_name: Mapped[str] = mapped_column(String(50))
    engaged_as: Mapped[EngagedAs] = mapped_column(EnumText(EngagedAs, 30))
    #: the law firm or organisation the person works for
    organisation: Mapped[str | None] = mapped_column(String(100))
    #: the contract's first and last days
    start_on: Mapped[date] = mapped_column()
    end_on: Mapped[date] = mapped_column(index=True)
    #: what the adviser does for the department under the contract
    scope: Mapped[str] = mapped_column(Text, default="")
    #: the contract's fee in yuan; None when not recorded (a public-sector lawyer serves unpaid)
    fee: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    #: the signed contract; a replaced file stays in stored_file, only this points elsewhere
    contract_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    department: Mapped[Department] = relationship()
    contract_file: Mapped[StoredFile | None] = relationship()
