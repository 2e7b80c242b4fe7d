"""The pool's entries, the trainings for the departments' legal staff and who attended."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisers.models import Adviser, Category, Specialty
from core.extensions import db
from core.models import Audited, Department, EnumText, LabelledEnum


class PoolKind(LabelledEnum):
    """What sort of legal professional an entry is."""

    PRACTISING_LAWYER = "practising_lawyer"
    PUBLIC_LAWYER = "public_lawyer"
    LEGAL_AID_LAWYER = "legal_aid_lawyer"
    JUDICIAL_STAFF = "judicial_staff"
    SCHOLAR = "scholar"
    DEPARTMENT_LEGAL = "department_legal"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.PRACTISING_LAWYER: _l("Practising lawyer (执业律师)"),
            cls.PUBLIC_LAWYER: _l("Public-sector lawyer (公职律师)"),
            cls.LEGAL_AID_LAWYER: _l("Legal-aid lawyer (法律援助律师)"),
            cls.JUDICIAL_STAFF: _l("Judicial or legal worker (司法和法律工作者)"),
            cls.SCHOLAR: _l("Legal scholar (法学专家学者)"),
            cls.DEPARTMENT_LEGAL: _l("Department legal-affairs staff (部门法律事务人员)"),
        }

    @property
    def category(self) -> Category:
        """The adviser category a recommendation from the pool starts with."""
        return {
            PoolKind.PRACTISING_LAWYER: Category.PRACTISING_LAWYER,
            PoolKind.PUBLIC_LAWYER: Category.PUBLIC_LAWYER,
            PoolKind.LEGAL_AID_LAWYER: Category.LEGAL_AID_LAWYER,
        }.get(self, Category.GOVERNMENT_STAFF)


class PoolSource(LabelledEnum):
    """How the entry came into the pool."""

    BAR_ASSOCIATION = "bar_association"
    DEPARTMENT = "department"
    SELF = "self"
    OFFICE = "office"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.BAR_ASSOCIATION: _l("Recommended by the bar association"),
            cls.DEPARTMENT: _l("Recommended by a department"),
            cls.SELF: _l("Applied in person"),
            cls.OFFICE: _l("Found by the office"),
        }


pool_entry_specialty = Table(
    "pool_entry_specialty",
    db.metadata,
    Column("entry_id", ForeignKey("pool_entry.id", ondelete="CASCADE"), primary_key=True),
    Column("specialty_id", ForeignKey("specialty.id", ondelete="CASCADE"), primary_key=True),
)


class PoolEntry(Audited, db.Model):
    """A legal professional of the district in the pool."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    kind: Mapped[PoolKind] = mapped_column(EnumText(PoolKind, 30))
    organisation: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    licence_no: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[PoolSource] = mapped_column(EnumText(PoolSource, 20))
    #: listed only with the person's consent; without it, the office alone sees the entry
    consent: Mapped[bool] = mapped_column(default=False)
    consent_on: Mapped[date | None]
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    #: the department's designated legal-affairs person (七.3): at most one per department
    designated: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: recommended to the panel: the adviser record made from the entry
    adviser_id: Mapped[int | None] = mapped_column(ForeignKey("adviser.id"), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    removed_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_pool_entry_listing", "is_active", "kind", "name"),)

    specialties: Mapped[list[Specialty]] = relationship(
        secondary=pool_entry_specialty, order_by=Specialty.name
    )
    department: Mapped[Department | None] = relationship()
    adviser: Mapped[Adviser | None] = relationship()

    def __str__(self) -> str:
        return self.name

    @property
    def in_pool(self) -> bool:
        """Listed: not removed and not yet moved to the panel."""
        return self.is_active and self.adviser_id is None


class TrainingMark(LabelledEnum):
    ATTENDED = "attended"
    EXCUSED = "excused"
    ABSENT = "absent"

    @classmethod
    def labels(cls) -> dict:
        return {cls.ATTENDED: _l("Attended"), cls.EXCUSED: _l("Excused"), cls.ABSENT: _l("Absent")}


class LegalTraining(Audited, db.Model):
    """A training the district runs for the departments' legal-affairs staff."""

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(120))
    hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    organiser: Mapped[str] = mapped_column(String(100), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    attendance: Mapped[list[TrainingAttendance]] = relationship(
        back_populates="training", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(Audited, db.Model):
    """Whether one legal-affairs person attended one training."""

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("legal_training.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("pool_entry.id"), index=True)
    mark: Mapped[TrainingMark] = mapped_column(EnumText(TrainingMark, 10))

    __table_args__ = (UniqueConstraint("training_id", "entry_id"),)

    training: Mapped[LegalTraining] = relationship(back_populates="attendance")
    entry: Mapped[PoolEntry] = relationship()
