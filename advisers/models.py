"""The adviser panel: advisers, specialties, nominations and terms with their letters."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, String, Table, Text, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisers import rules
from core.extensions import db
from core.models import Audited, EnumText, LabelledEnum, User, UTCDateTime, Voidable, utcnow


class Category(LabelledEnum):
    """The six backgrounds panel members come from (seed 六.1)."""

    PUBLIC_LAWYER = "public_lawyer"
    LEGAL_AID_LAWYER = "legal_aid_lawyer"
    PRACTISING_LAWYER = "practising_lawyer"
    GOVERNMENT_STAFF = "government_staff"
    PEOPLES_CONGRESS = "peoples_congress"
    CPPCC = "cppcc"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.PUBLIC_LAWYER: _l("Public-sector lawyer"),
            cls.LEGAL_AID_LAWYER: _l("Legal-aid lawyer"),
            cls.PRACTISING_LAWYER: _l("Practising lawyer"),
            cls.GOVERNMENT_STAFF: _l("Government staff versed in law"),
            cls.PEOPLES_CONGRESS: _l("People's congress deputy"),
            cls.CPPCC: _l("CPPCC member"),
        }


class Gender(LabelledEnum):
    MALE = "male"
    FEMALE = "female"

    @classmethod
    def labels(cls) -> dict:
        return {cls.MALE: _l("Male"), cls.FEMALE: _l("Female")}


class Post(LabelledEnum):
    """A panel post; the order is the order of precedence."""

    DIRECTOR = "director"
    DEPUTY_DIRECTOR = "deputy_director"
    MEMBER = "member"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.DIRECTOR: _l("Director"),
            cls.DEPUTY_DIRECTOR: _l("Deputy director"),
            cls.MEMBER: _l("Member"),
        }

    @property
    def official_name(self) -> str:
        """The post as official documents print it, always in Chinese."""
        return {"director": "主任", "deputy_director": "副主任", "member": "成员"}[self.value]


class NominationStatus(LabelledEnum):
    RECOMMENDED = "recommended"
    APPROVED = "approved"
    DECLINED = "declined"
    APPOINTED = "appointed"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.RECOMMENDED: _l("Recommended, awaiting approval"),
            cls.APPROVED: _l("Approved, awaiting appointment"),
            cls.DECLINED: _l("Declined"),
            cls.APPOINTED: _l("Appointed"),
        }


class EndReason(LabelledEnum):
    EXPIRED = "expired"
    RESIGNED = "resigned"
    DISMISSED = "dismissed"
    #: a renewal recorded ahead of its start and withdrawn before it began
    WITHDRAWN = "withdrawn"

    @classmethod
    def labels(cls) -> dict:
        return {
            cls.EXPIRED: _l("Term expired"),
            cls.RESIGNED: _l("Resigned"),
            cls.DISMISSED: _l("Dismissed"),
            cls.WITHDRAWN: _l("Renewal withdrawn"),
        }


adviser_specialty = Table(
    "adviser_specialty",
    db.metadata,
    Column("adviser_id", ForeignKey("adviser.id", ondelete="CASCADE"), primary_key=True),
    Column("specialty_id", ForeignKey("specialty.id", ondelete="CASCADE"), primary_key=True),
)


class Specialty(Audited, db.Model):
    """A field of law from the office's managed list."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    is_active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    def label(self, locale: str) -> str:
        return self.name_in(locale, self.name, self.name_en)

    @staticmethod
    def name_in(locale: str, name: str, name_en: str | None) -> str:
        """The English name in English when there is one, else the Chinese name."""
        return name_en if locale.startswith("en") and name_en else name


class Adviser(Voidable, Audited, db.Model):
    """A person who is, was or may become a member of the panel."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[Gender] = mapped_column(EnumText(Gender, 10))
    category: Mapped[Category] = mapped_column(EnumText(Category, 30))
    #: employer, law firm or body the adviser belongs to
    organisation: Mapped[str | None] = mapped_column(String(100))
    #: practising-licence number (执业证号), unique when given
    licence_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    #: declared conflicts of interest
    conflicts: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: the login account of the adviser, when they have one
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    specialties: Mapped[list[Specialty]] = relationship(
        secondary=adviser_specialty, order_by=Specialty.name
    )
    terms: Mapped[list[Term]] = relationship(
        back_populates="adviser", order_by="Term.start_on", foreign_keys="Term.adviser_id"
    )
    nominations: Mapped[list[Nomination]] = relationship(
        back_populates="adviser", order_by="Nomination.recommended_on"
    )
    user: Mapped[User | None] = relationship(foreign_keys="Adviser.user_id")

    def term_on(self, day: date) -> Term | None:
        """The term the adviser serves on this day, if any (uses loaded terms)."""
        return next((t for t in self.terms if t.is_serving_on(day)), None)

    @property
    def latest_term(self) -> Term | None:
        return self.terms[-1] if self.terms else None

    @property
    def pending_nomination(self) -> Nomination | None:
        return next((n for n in self.nominations if n.is_pending), None)

    def term_from(self, day: date) -> Term | None:
        """The term the adviser serves on this day or will serve later, if any."""
        return next((t for t in self.terms if t.last_day >= day), None)

    def can_be_recommended(self, day: date) -> bool:
        """Only an adviser with no term now or ahead and no recommendation in progress."""
        return self.pending_nomination is None and self.term_from(day) is None

    def status_on(self, day: date) -> rules.Status:
        """serving, pending (a recommendation in progress), upcoming, former or new."""
        return rules.standing_on(day, self.terms, self.pending_nomination).status


class Nomination(Voidable, Audited, db.Model):
    """A recommendation by the legal affairs office, through approval to appointment."""

    id: Mapped[int] = mapped_column(primary_key=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("adviser.id"), index=True)
    post: Mapped[Post] = mapped_column(EnumText(Post, 20))
    status: Mapped[NominationStatus] = mapped_column(EnumText(NominationStatus, 20), index=True)
    #: 法制办推荐
    recommended_on: Mapped[date]
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    #: 报政府同意: the date and number of the government's approval
    approved_on: Mapped[date | None]
    approval_doc_no: Mapped[str | None] = mapped_column(String(60))
    declined_on: Mapped[date | None]
    decline_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    adviser: Mapped[Adviser] = relationship(back_populates="nominations")
    recommended_by: Mapped[User | None] = relationship(foreign_keys="Nomination.recommended_by_id")
    term: Mapped[Term | None] = relationship(back_populates="nomination")

    @property
    def is_pending(self) -> bool:
        return self.status in (NominationStatus.RECOMMENDED, NominationStatus.APPROVED)


class Term(Audited, db.Model):
    """One appointment to the panel: a post for three years, under one letter number."""

    id: Mapped[int] = mapped_column(primary_key=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("adviser.id"), index=True)
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nomination.id"), unique=True)
    #: the term this one renews (连聘连任), if any
    renewal_of_id: Mapped[int | None] = mapped_column(ForeignKey("term.id"), unique=True)
    post: Mapped[Post] = mapped_column(EnumText(Post, 20))
    start_on: Mapped[date] = mapped_column(index=True)
    #: the last day of the full term, three years after the start less one day
    end_on: Mapped[date] = mapped_column(index=True)
    #: 聘任书 number, never reused
    letter_no: Mapped[str] = mapped_column(String(60), unique=True)
    #: the last day actually served, once the term has ended
    ended_on: Mapped[date | None]
    end_reason: Mapped[EndReason | None] = mapped_column(EnumText(EndReason, 20))
    end_note: Mapped[str | None] = mapped_column(Text)
    #: the district government's approval (报政府同意) of a renewal; an appointment's is on
    #: its nomination
    approved_on: Mapped[date | None]
    approval_doc_no: Mapped[str | None] = mapped_column(String(60))
    #: the government's approval of a dismissal (解聘)
    end_approved_on: Mapped[date | None]
    end_approval_doc_no: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    adviser: Mapped[Adviser] = relationship(back_populates="terms", foreign_keys=[adviser_id])
    nomination: Mapped[Nomination | None] = relationship(back_populates="term")
    renewal_of: Mapped[Term | None] = relationship(remote_side=[id])

    @hybrid_property
    def last_day(self) -> date:
        """The last day served: the end date, or the earlier day the term was ended."""
        return self.ended_on or self.end_on

    @last_day.inplace.expression
    @classmethod
    def _last_day_expression(cls):
        return func.coalesce(cls.ended_on, cls.end_on)

    def is_serving_on(self, day: date) -> bool:
        return self.start_on <= day <= self.last_day

    @property
    def is_ended(self) -> bool:
        return self.end_reason is not None

    @property
    def effective_end(self) -> date | None:
        """The first day no longer served (解聘生效日 for a dismissal), once ended."""
        return rules.day_after(self.ended_on) if self.ended_on else None

    def has_started(self, day: date) -> bool:
        return self.start_on <= day

    def can_end(self, day: date) -> bool:
        """A term that has begun can be ended early until it has ended; a recorded renewal
        that has not begun is withdrawn instead."""
        return not self.is_ended and self.has_started(day)

    def can_withdraw(self, day: date) -> bool:
        """A renewal can be withdrawn until the day it begins."""
        return self.renewal_of_id is not None and not self.is_ended and not self.has_started(day)

    def can_renew(self, has_successor: bool) -> bool:
        """A term can be renewed unless already renewed, or ended by resignation or dismissal."""
        return not has_successor and self.end_reason in (None, EndReason.EXPIRED)


class LetterCounter(db.Model):
    """The last appointment-letter sequence number issued in a year."""

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(default=0)
