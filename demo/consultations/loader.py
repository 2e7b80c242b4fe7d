"""Load the demo's year of matters through the services, step by step in the order of the days
they happened, with the office, the liaisons and the advisers as the actors.

The services stamp some dates with today (the day a request is accepted, an adviser assigned,
an opinion signed, forwarded or adopted, a matter closed) and timestamps with now. The loader
therefore notes, step by step, the stored values to set back to the day the step is meant to
have happened, and the notifications the step sent (those older than two weeks are read),
and writes them once the year has been played, with plain UPDATEs that neither bump a
record's version nor write an audit event. Only the day an adviser was assigned is set back
at once, because the next suggestions count from it. The audit trail is left as written: it
records the demo being loaded, today. Opinion numbers are given in the
order of signing with today's year; at the end they are numbered again within the year each
was signed (and re-indexed for search), so an opinion signed last December reads 〔last year〕.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import Table, bindparam, func, select
from werkzeug.datastructures import FileStorage

from advisers import services as adviser_services
from advisers.models import Adviser, Specialty
from advisers.rules import letter_number
from consultations import services
from consultations.jobs import remind_due_matters
from consultations.models import (
    Activity,
    ActivityKind,
    Adoption,
    Assignment,
    Matter,
    MatterFile,
    MatterKind,
    Opinion,
    OpinionComment,
    OpinionCounter,
    WorkLog,
)
from consultations.services.intake import due_date
from consultations.services.opinions import index_opinion
from consultations.settings import opinion_pattern
from consultations.suggestions import Suggested, suggest
from core import audit, workdays
from core.auth import hash_password
from core.extensions import db
from core.files import StoredFile
from core.i18n import TIMEZONE
from core.models import Department, DepartmentKind, Notification, Role, User, UserRole
from demo.consultations import texts
from demo.consultations.matters import PLANS, STAND_ALONE, Plan, State

#: the director, whose own matters the demo names, so the `adviser` login has real work
DIRECTOR = "王建国"
#: advisers the suggestions do not pick: they show on the list of advisers with no matter
RESTING = frozenset({"胡斌", "赵敏", "马俊"})
#: a declared conflict, so that one matter is assigned despite it with the office's reason
CONFLICTS = {"黄海涛": "江南建设集团有限公司"}
#: notifications older than this many days were read by the day of loading
READ_AFTER_DAYS = 14

#: liaisons of departments that ask for themselves: (username, department, name)
LIAISONS = [
    ("fanyun", "区住房和城乡建设局", "范云"),
    ("kongyan", "白鹭镇人民政府", "孔燕"),
    ("hemin", "区市场监督管理局", "贺敏"),
    ("jiangnan", "区教育局", "蒋楠"),
]
#: the advisers' own logins (the director's is `adviser`)
ADVISER_LOGINS = [
    ("lixuemei", "李雪梅"),
    ("zhangzhiqiang", "张志强"),
    ("chenjing", "陈静"),
    ("liuyang", "刘洋"),
    ("yangfan", "杨帆"),
    ("zhaomin", "赵敏"),
    ("huanghaitao", "黄海涛"),
    ("zhoulihua", "周丽华"),
    ("wuxiaodong", "吴晓东"),
    ("xuming", "徐明"),
    ("sunting", "孙婷"),
    ("majun", "马俊"),
    ("zhuhong", "朱红"),
    ("hubin", "胡斌"),
]
#: every login this module adds, for `flask demo logins`: (username, role, display name)
MORE_USERS = [(u, Role.LIAISON, f"{d} {n}") for u, d, n in LIAISONS] + [
    (u, Role.ADVISER, n) for u, n in ADVISER_LOGINS
]

#: a one-page PDF standing in for a request's materials
_PDF = (
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    "/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    "4 0 obj<</Length {length}>>stream\n{content}\nendstream endobj\n"
    "5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    "trailer<</Root 1 0 R>>\n%%EOF\n"
)


def demo_pdf(name: str) -> FileStorage:
    """A one-page PDF standing in for a scanned document, under the name the office gives it."""
    content = "BT /F1 18 Tf 72 760 Td (Request materials - demo) Tj ET"
    data = _PDF.format(length=len(content), content=content).encode("ascii")
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="application/pdf")


def _at(day: date, minutes: int) -> datetime:
    """A moment of the working day: `minutes` after 9:00, Beijing time."""
    minutes = min(minutes, 8 * 60)
    return datetime.combine(day, time(9), tzinfo=TIMEZONE) + timedelta(minutes=minutes)


class Stamps:
    """Stored values to set back to the day of their step, written together once the year has
    been played: a plain UPDATE of the table, which bumps no version and writes no audit."""

    def __init__(self):
        self.values: dict[tuple[Table, int], dict] = {}
        self.notifications: list[dict] = []

    def add(self, model, record_id: int, **values) -> None:
        """Set these columns of the record (a later value of a column wins)."""
        self.values.setdefault((model.__table__, record_id), {}).update(values)

    def notified(self, after_id: int, last_id: int, when: datetime, read: datetime | None):
        """Date the notifications with ids after `after_id` up to `last_id`."""
        if last_id > after_id:
            self.notifications.append({"lo": after_id, "hi": last_id, "at": when, "read": read})

    def write(self) -> None:
        groups: dict[tuple[Table, tuple[str, ...]], list[dict]] = {}
        for (table, record_id), values in self.values.items():
            row = {"record_id": record_id, **{f"v_{k}": v for k, v in values.items()}}
            groups.setdefault((table, tuple(sorted(values))), []).append(row)
        for (table, columns), rows in groups.items():
            db.session.execute(
                table.update()
                .where(table.c.id == bindparam("record_id"))
                .values({c: bindparam(f"v_{c}", type_=table.c[c].type) for c in columns}),
                rows,
            )
        notes = Notification.__table__
        if self.notifications:
            db.session.execute(
                notes.update()
                .where(notes.c.id > bindparam("lo"), notes.c.id <= bindparam("hi"))
                .values(
                    created_at=bindparam("at", type_=notes.c.created_at.type),
                    read_at=bindparam("read", type_=notes.c.read_at.type),
                ),
                self.notifications,
            )
        self.values, self.notifications = {}, []
        db.session.expire_all()


def _working_day_before(day: date) -> date:
    while not workdays.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _wd(day: date, n: int) -> date:
    return workdays.add_working_days(day, n)


# --- the people ---------------------------------------------------------------------


@dataclass
class People:
    office: User
    liaisons: dict[int, User]  # by department id
    departments: dict[str, Department]
    advisers: dict[str, Adviser]  # by name
    accounts: dict[int, User]  # by adviser id
    specialties: dict[str, int]
    #: assignments made so far, to spread the work
    load: Counter = field(default_factory=Counter)

    def user_of(self, adviser_id: int) -> User:
        return self.accounts[adviser_id]


def _departments() -> dict[str, Department]:
    found = {d.name: d for d in db.session.scalars(select(Department))}
    for plan in PLANS:
        if plan.department not in found:  # the panel's district has them all; kept safe
            kind = DepartmentKind.TOWN if plan.department.endswith("镇人民政府") else (
                DepartmentKind.SUBDISTRICT if plan.department.endswith("街道办事处")
                else DepartmentKind.BUREAU
            )  # fmt: skip
            found[plan.department] = Department(name=plan.department, kind=kind)
            db.session.add(found[plan.department])
    db.session.flush()
    return found


def _account(username: str, display: str, role: Role, password_hash: str, **fields) -> User:
    user = User(
        username=username,
        display_name=display,
        password_hash=password_hash,
        email=f"{username}@jiangnan.gov.example",
        **fields,
    )
    user.roles = [role]
    db.session.add(user)
    return user


def _people(office: User, password: str) -> People:
    """The actors: the office, a liaison for each department that asks for itself, and a login
    for every adviser.

    The accounts share the demo's one password, so they share one hash: argon2 spends a good
    part of a second on each hash by design, and the demo must load in seconds.
    """
    departments = _departments()
    password_hash = hash_password(password)
    liaisons = {
        user.department_id: user
        for user in db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.LIAISON, User.department_id.is_not(None))
            .order_by(User.id)
        )
    }
    for username, department, name in LIAISONS:
        user = _account(
            username, f"{department} {name}", Role.LIAISON, password_hash,
            department_id=departments[department].id,
        )  # fmt: skip
        db.session.flush()
        liaisons[user.department_id] = user
    advisers = {a.name: a for a in db.session.scalars(select(Adviser))}
    accounts = {
        a.id: db.session.get(User, a.user_id) for a in advisers.values() if a.user_id is not None
    }
    for username, name in ADVISER_LOGINS:
        adviser = advisers.get(name)
        if adviser is None or adviser.user_id is not None:
            continue
        user = accounts[adviser.id] = _account(username, name, Role.ADVISER, password_hash)
        db.session.flush()
        adviser_services.save_adviser(
            office, adviser, version=adviser.version, user_id=user.id,
            conflicts=CONFLICTS.get(name, adviser.conflicts),
            specialty_ids=[s.id for s in adviser.specialties],
        )  # fmt: skip
    specialties = dict(db.session.execute(select(Specialty.name, Specialty.id)).all())
    return People(office, liaisons, departments, advisers, accounts, specialties)


# --- one matter's story ---------------------------------------------------------------


@dataclass
class Story:
    """One planned matter on its way: its dates, and its records once made."""

    plan: Plan
    order: int
    received: date
    due: date
    matter: Matter | None = None
    made: list[Assignment] = field(default_factory=list)

    @property
    def department(self) -> str:
        return self.plan.department


Step = Callable[[date], None]


class Loader:
    """Turns the plans into dated steps and runs every step of every matter in date order."""

    def __init__(self, people: People, today: date):
        self.people = people
        self.today = today
        self.steps: list[tuple[date, int, int, Step]] = []
        self.stamps = Stamps()

    # -- the schedule --

    def plan(self, story: Story) -> None:
        """Add the matter's steps, from its request to the state its plan names."""
        p, r = story.plan, story.received
        liaison = self._liaison(story)
        steps: list[tuple[date, Step]] = [(r, lambda day: self.request(story, day))]
        if p.state is State.REQUESTED:
            return self._add(story, steps)
        if p.state is State.RETURNED:
            steps.append((_wd(r, 1), lambda day: self.return_(story)))
            return self._add(story, steps)
        accepted = r
        if liaison is not None:
            accepted = _wd(r, 1)
            steps.append((accepted, lambda day: self.accept(story, day)))
        if p.state is State.ACCEPTED:
            return self._add(story, steps)
        assigned = accepted if p.urgency.value != "normal" else _wd(accepted, 1)
        steps.append((assigned, lambda day: self.assign(story, day)))
        if p.state is State.PENDING:
            return self._add(story, steps)
        answered = _wd(assigned, 1)
        if p.state is State.DECLINED:
            steps.append((answered, lambda day: self.decline_and_replace(story, day)))
            answered = _wd(answered, 1)
        steps.append((answered, lambda day: self.answer(story, day)))
        steps.append((_wd(answered, 1), lambda day: self.log_work(story, day, 0)))
        if p.kind.rule.is_activity:
            if p.state is State.HELD:
                held = _wd(answered, 8)
                steps.append((held, lambda day: self.log_work(story, day, 1)))
                steps.append((held, lambda day: self.hold_activity(story, day)))
            return self._add(story, steps)
        if p.state in (State.WORKING, State.OVERRIDE, State.DECLINED):
            return self._add(story, steps)
        drafted = _wd(answered, 2)
        steps.append((drafted, lambda day: self.draft(story, day)))
        if p.co:
            steps.append((_wd(drafted, 1), lambda day: self.comment(story, day)))
        if p.state is State.DRAFTING:
            return self._add(story, steps)
        signed = _wd(story.due, 2) if p.late else _wd(story.due, -1)
        signed = max(signed, _wd(drafted, 2))
        steps.append((signed, lambda day: self.log_work(story, day, 2)))
        steps.append((signed, lambda day: self.submit(story, day)))
        if p.state is State.SUBMITTED:
            return self._add(story, steps)
        forwarded = _wd(signed, 1)
        steps.append((forwarded, lambda day: self.forward(story, day)))
        if p.state is State.CORRECTED:
            corrected = _wd(forwarded, 4)
            steps.append((corrected, lambda day: self.correct(story, day)))
            steps.append((_wd(corrected, 1), lambda day: self.submit(story, day)))
            forwarded = _wd(corrected, 2)
            steps.append((forwarded, lambda day: self.forward(story, day)))
        if p.state is State.DELIVERED:
            return self._add(story, steps)
        adopted = _wd(forwarded, 5 + story.order % 8)
        steps.append((adopted, lambda day: self.record_adoption(story, day)))
        return self._add(story, steps)

    def _add(self, story: Story, steps: list[tuple[date, Step]]) -> None:
        """Keep the steps in order and none after today: a late step happens today."""
        latest = steps[0][0]
        for index, (day, step) in enumerate(steps):
            latest = min(max(day, latest), self.today)
            self.steps.append((latest, story.order, index, step))

    def run(self) -> None:
        """Run every step in the order of its day; date what each one stamped and notified."""
        mark = _last_notification()
        for day, order, index, step in sorted(self.steps, key=lambda s: s[:3]):
            step(day)
            db.session.flush()
            when = _at(day, 30 + 20 * index + order % 30)
            read = when + timedelta(hours=2) if (self.today - day).days > READ_AFTER_DAYS else None
            last = _last_notification()
            self.stamps.notified(mark, last, when, read)
            mark = last
        self.stamps.write()

    # -- the steps --

    def _liaison(self, story: Story) -> User | None:
        department = self.people.departments[story.department]
        return self.people.liaisons.get(department.id)

    def _lead_user(self, story: Story) -> User:
        return self.people.user_of(story.matter.lead.adviser_id)

    def request(self, story: Story, day: date) -> None:
        p = story.plan
        liaison = self._liaison(story)
        if liaison is None and p.state in (State.REQUESTED, State.RETURNED):
            raise ValueError(f"{p.title}: only a department with a liaison asks for itself")
        department = self.people.departments[p.department]
        requester = liaison.display_name.split()[-1] if liaison else department.deputy_head
        actor = liaison or self.people.office
        first, *more = [demo_pdf(name) for name in p.files] or [None]
        with audit.acting_as(db.session, actor.id):  # the service is the requester's
            matter = self._request(story, actor, department, requester, first)
            for upload in more:  # one at a time: materials sent after the request
                services.add_files(actor, matter, [upload])
        story.matter = matter
        when = _at(day, 20 + story.order % 60)
        self.stamps.add(
            Matter, matter.id, created_at=when, **({} if liaison else {"accepted_on": day})
        )
        for attached in matter.files:
            self.stamps.add(MatterFile, attached.id, added_at=when)
            self.stamps.add(StoredFile, attached.file_id, uploaded_at=when)

    def _request(self, story: Story, actor: User, department: Department, requester: str, upload):
        p = story.plan
        return services.request_matter(
            actor,
            department=department,
            kind=p.kind,
            title=p.title,
            requester=requester or "办公室",
            requester_phone=f"0512-6{story.order * 7919 % 10_000_000:07d}",
            description=p.description,
            received_on=story.received,
            urgency=p.urgency,
            parties=p.parties,
            specialty=db.session.get(Specialty, self.people.specialties[p.specialty])
            if p.specialty
            else None,
            uploads=[upload] if upload else [],
        )

    def return_(self, story: Story) -> None:
        services.return_matter(self.people.office, story.matter, reason=story.plan.reason)

    def accept(self, story: Story, day: date) -> None:
        services.accept_matter(self.people.office, story.matter)
        self.stamps.add(Matter, story.matter.id, accepted_on=day)

    def _choose(self, story: Story, day: date, count: int) -> list[Suggested]:
        """The advisers the office picks from the suggestions of the day: the named ones, else
        those that fit the field and have had the least work so far."""
        p = story.plan
        ranked = suggest(story.matter, day)
        named = [p.lead, *p.co][:count] if p.lead else []
        if named:
            return [_named(ranked, name, day) for name in named]
        usable = [
            s for s in ranked if not s.blocked and s.name not in RESTING and s.name != DIRECTOR
        ]
        fitting = [s for s in usable if s.suggestion.candidate.fits] or usable
        fitting.sort(key=lambda s: (self.people.load[s.adviser_id], ranked.index(s)))
        return fitting[:count]

    def _assign(self, story: Story, day: date, picked: list[Suggested], reason: str = "") -> None:
        lead, *co = picked
        made = services.assign(
            self.people.office,
            story.matter,
            lead_id=lead.adviser_id,
            co_ids=[s.adviser_id for s in co],
            override_reason=reason,
        )
        lines = {s.adviser_id: s.line[:300] for s in picked}
        for assignment in made:
            self.people.load[assignment.adviser_id] += 1
            # now, not with the other stamps: the next suggestions count from this day
            db.session.execute(
                Assignment.__table__.update()
                .where(Assignment.__table__.c.id == assignment.id)
                .values(assigned_on=day)
            )
            # the suggestion's line as the office read it that day
            self.stamps.add(Assignment, assignment.id, reason=lines[assignment.adviser_id])
        story.made = made

    def assign(self, story: Story, day: date) -> None:
        p = story.plan
        if p.state is State.DECLINED:  # the first lead alone; the replacement comes later
            return self._assign(story, day, self._choose(story, day, 1))
        wanted = 1 + (len(p.co) if p.lead else int(p.kind in _WITH_CO_ADVISER))
        reason = p.reason if p.state is State.OVERRIDE else ""
        self._assign(story, day, self._choose(story, day, wanted), reason)

    def answer(self, story: Story, day: date) -> None:
        for n, assignment in enumerate(story.made):
            services.answer_assignment(
                self.people.user_of(assignment.adviser_id), assignment, accept=True
            )
            self.stamps.add(Assignment, assignment.id, answered_at=_at(day, 40 + 30 * n))

    def decline_and_replace(self, story: Story, day: date) -> None:
        (first,) = story.made
        services.answer_assignment(
            self.people.user_of(first.adviser_id),
            first,
            accept=False,
            reason=story.plan.reason,
            conflict=True,
        )
        self.stamps.add(Assignment, first.id, answered_at=_at(day, 15))
        self._assign(story, day, [_named(suggest(story.matter, day), story.plan.co[0], day)])

    def log_work(self, story: Story, day: date, which: int) -> None:
        hours, note = texts.WORK[story.plan.kind][which % len(texts.WORK[story.plan.kind])]
        for n, assignment in enumerate(story.made if which == 0 else story.made[:1]):
            entry = services.log_work(
                self.people.user_of(assignment.adviser_id),
                story.matter,
                worked_on=day,
                hours=Decimal(hours) / (n + 1),
                note=note,
            )
            self.stamps.add(WorkLog, entry.id, created_at=_at(day, 7 * 60 + 10 * n))

    def _sections(self, story: Story, laws: tuple[str, ...]) -> dict[str, str]:
        p = story.plan
        return texts.sections(
            p.kind,
            department=p.department,
            title=p.title,
            description=p.description,
            parties=story.matter.party_names,
            received_on=story.received,
            laws=laws,
            analysis=p.analysis,
            conclusion=p.conclusion,
        )

    def draft(self, story: Story, day: date) -> None:
        laws = story.plan.laws
        if story.plan.state is State.CORRECTED:  # the first version misses the rule it corrects
            laws = tuple(key for key in laws if key != "土地管理法63")
        opinion = services.save_draft(
            self._lead_user(story), story.matter, **self._sections(story, laws)
        )
        when = _at(day, 60)
        self.stamps.add(Opinion, opinion.id, created_at=when, updated_at=when)

    def comment(self, story: Story, day: date) -> None:
        for n, assignment in enumerate(story.made[1:]):
            comment = services.comment_on(
                self.people.user_of(assignment.adviser_id),
                story.matter,
                body=texts.COMMENTS[story.plan.kind],
            )
            self.stamps.add(OpinionComment, comment.id, created_at=_at(day, 90 + 45 * n))

    def submit(self, story: Story, day: date) -> None:
        opinion = services.submit_opinion(self._lead_user(story), story.matter)
        when = _at(day, 6 * 60)
        self.stamps.add(Opinion, opinion.id, submitted_at=when, submitted_on=day, updated_at=when)

    def forward(self, story: Story, day: date) -> None:
        opinion = services.forward_opinion(self.people.office, story.matter.current_opinion)
        self.stamps.add(Opinion, opinion.id, delivered_on=day, updated_at=_at(day, 90))

    def correct(self, story: Story, day: date) -> None:
        lead = self._lead_user(story)
        services.start_correction(lead, story.matter, reason=story.plan.reason)
        sections = self._sections(story, story.plan.laws)
        sections["analysis"] += (
            "\n四、出租程序。集体经营性建设用地出租，须经新桥村村民会议三分之二以上成员或者三分之二"
            "以上村民代表同意，并将表决记录作为合同附件。"
        )
        opinion = services.save_draft(lead, story.matter, **sections)
        when = _at(day, 120)
        self.stamps.add(Opinion, opinion.id, created_at=when, updated_at=when)

    def record_adoption(self, story: Story, day: date) -> None:
        p = story.plan
        matter = story.matter
        opinion = services.record_adoption(
            self._liaison(story) or self.people.office,
            matter,
            adoption=p.outcome,
            reason="" if p.outcome is Adoption.ADOPTED else p.reason,
            final_decision=texts.final_decision(p.kind, p.outcome, p.final_decision),
        )
        self.stamps.add(Opinion, opinion.id, adoption_recorded_on=day, updated_at=_at(day, 5 * 60))
        self.stamps.add(Matter, matter.id, closed_on=day)

    def hold_activity(self, story: Story, day: date) -> None:
        p = story.plan
        activity = services.record_activity(
            self.people.office,
            kind=ActivityKind(p.kind.value),
            title=p.title,
            held_on=day,
            place=p.place,
            audience=p.audience,
            attendance=p.attendance,
            adviser_ids=[a.adviser_id for a in story.made],
            matter=story.matter,
        )
        self.stamps.add(Activity, activity.id, created_at=_at(day, 7 * 60))
        self.stamps.add(Matter, story.matter.id, closed_on=day)


def _named(ranked: list[Suggested], name: str, day: date) -> Suggested:
    found = next((s for s in ranked if s.name == name), None)
    if found is None:
        raise ValueError(f"the demo names {name}, who did not serve on {day}")
    return found


#: kinds whose matters the office gives a co-adviser as well as a lead
_WITH_CO_ADVISER = frozenset({MatterKind.DECISION, MatterKind.NORMATIVE})


def _last_notification() -> int:
    return db.session.scalar(select(func.max(Notification.id))) or 0


def _stand_alone(people: People, today: date) -> None:
    """Training and publicity the advisers gave without a request."""
    stamps = Stamps()
    for kind, days, title, place, audience, attendance, names in STAND_ALONE:
        held = _working_day_before(today - timedelta(days=days))
        activity = services.record_activity(
            people.office,
            kind=ActivityKind(kind.value),
            title=title,
            held_on=held,
            place=place,
            audience=audience,
            attendance=attendance,
            adviser_ids=[people.advisers[name].id for name in names],
        )
        stamps.add(Activity, activity.id, created_at=_at(held, 7 * 60))
    stamps.write()


def _renumber_opinions() -> None:
    """Number the signed opinions again within the year each was signed, in signing order."""
    pattern = opinion_pattern()
    signed = list(
        db.session.scalars(
            select(Opinion)
            .where(Opinion.number.is_not(None))
            .order_by(Opinion.submitted_at, Opinion.id)
        )
    )
    seqs: Counter = Counter()
    numbers = {}
    for opinion in signed:
        year = opinion.submitted_on.year
        seqs[year] += 1
        numbers[opinion.id] = letter_number(pattern, year, seqs[year])
    changed = {o.id: o.updated_at for o in signed if o.number != numbers[o.id]}
    for final in (False, True):  # out of the way first: numbers are unique
        stamps = Stamps()
        for opinion_id, updated_at in changed.items():
            number = numbers[opinion_id] if final else f"demo-{opinion_id}"
            stamps.add(Opinion, opinion_id, number=number, updated_at=updated_at)
        stamps.write()
    for opinion in signed:
        if opinion.id in changed:
            index_opinion(opinion)
    for year, last in seqs.items():
        counter = db.session.get(OpinionCounter, year)
        if counter is None:
            db.session.add(OpinionCounter(year=year, last_seq=last))
        else:
            counter.last_seq = last
    db.session.flush()


def load_consultations(office: User, today: date, password: str) -> None:
    """Load a year of matters in every state, with their people, work and activities; the new
    logins get the demo's password."""
    people = _people(office, password)
    loader = Loader(people, today)
    plans = sorted(PLANS, key=lambda p: -p.days)
    for order, plan in enumerate(plans):
        received = _working_day_before(today - timedelta(days=plan.days))
        due, _provisional = due_date(plan.kind, received)
        loader.plan(Story(plan, order, received, due))
    loader.run()
    _stand_alone(people, today)
    _renumber_opinions()
    remind_due_matters(today)
    db.session.flush()
