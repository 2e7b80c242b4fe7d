"""The reports page and the yearly report: every report of a year or quarter read at once —
the panel, attendance, workload, consultations, litigation, rewards and the 顾而不问 lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from flask_babel import gettext as _

from consultations.settings import idle_days
from evaluation.rewards import queries as reward_queries
from meetings.rules import rate_of
from reports import cases as case_queries
from reports import consultations as consultation_queries
from reports import panel, queries

#: advisers listed with the lowest attendance on the reports page (the export lists all)
LOWEST_SHOWN = 10


class Overview:
    """Every report of a year or quarter. Each section is read when first used, in a constant
    number of queries: the leader's page, which shows only the key figures, reads neither the
    per-adviser workload nor the lists it does not show."""

    def __init__(self, year: int, quarter: int | None, today: date, every_adviser: bool):
        self.year, self.quarter = year, quarter
        self.first, self.last = queries.period_bounds(year, quarter)
        #: the day the lists of today's state are read on (the panel, 顾而不问)
        self.as_of = min(self.last, max(today, self.first))
        self.idle_days = idle_days()
        self._today = today
        self._every_adviser = every_adviser

    @cached_property
    def panel(self) -> panel.PanelReport:
        return panel.panel_report(self.first, self.last, self._today)

    @cached_property
    def attendance(self) -> queries.AttendanceReport:
        """Each adviser's attendance (the export), or only the lowest rates (the page)."""
        if self._every_adviser:
            return queries.attendance_report(self.year, self.quarter)
        return queries.attendance_report(self.year, self.quarter, "rate", 1, LOWEST_SHOWN)

    @cached_property
    def consultations(self) -> consultation_queries.ConsultationReport:
        return consultation_queries.consultation_report(self.year, self.quarter)

    @cached_property
    def cases(self) -> case_queries.CaseReport:
        return case_queries.case_report_between(self.first, self.last, self._today)

    @cached_property
    def idle_advisers(self) -> list:
        return consultation_queries.idle_advisers(self.as_of, self.idle_days)

    @cached_property
    def idle_departments(self) -> list:
        return consultation_queries.idle_departments(self.as_of, self.idle_days)

    @cached_property
    def rewards(self) -> reward_queries.FundStanding:
        return reward_queries.fund_standing(self.year)

    @cached_property
    def nominations(self) -> list:
        return reward_queries.open_nominations(self.year)

    @property
    def meetings_held(self) -> int:
        return len(self.attendance.meetings)

    @property
    def attendance_rate(self) -> Decimal | None:
        meetings = self.attendance.meetings
        return rate_of(
            sum(m.present_count for m in meetings), sum(m.absent_count for m in meetings)
        )


def overview(year: int, quarter: int | None, today: date, *, every_adviser: bool) -> Overview:
    """Every figure of the period; `every_adviser` reads each adviser's attendance (the
    export), otherwise only the lowest rates (the page)."""
    return Overview(year, quarter, today, every_adviser)


@dataclass(frozen=True)
class KeyFigure:
    """One figure at the head of the reports page and on the leader's page."""

    key: str
    label: str
    value: Decimal | int | None
    #: "%" for a rate, "" for a count
    unit: str
    #: the section of the reports page it comes from
    section: str
    #: whether more is better (a trend up is good news)
    higher_is_better: bool = True


def key_figures(report: Overview) -> list[KeyFigure]:
    """The figures leaders read first, each from a section of the report."""
    requests = report.consultations.department_total
    kinds = report.consultations.kind_total
    cases = report.cases
    return [
        KeyFigure("members", _("Members serving"), report.panel.total, "", "panel"),
        KeyFigure("meetings", _("Meetings held"), report.meetings_held, "", "attendance"),
        KeyFigure("attendance", _("Attendance rate"), report.attendance_rate, "%", "attendance"),
        KeyFigure("requests", _("Consultation requests"), requests.requests, "", "consultations"),
        KeyFigure("delivered", _("Opinions delivered"), kinds.delivered, "", "consultations"),
        KeyFigure("on_time", _("Opinions on time"), kinds.on_time_rate, "%", "consultations"),
        KeyFigure("adoption", _("Adoption rate"), requests.adoptions.rate, "%", "consultations"),
        KeyFigure("cases", _("Lawsuits"), cases.cases.total.cases, "", "litigation"),
        KeyFigure("win_rate", _("Win rate"), cases.cases.total.win_rate, "%", "litigation"),
        KeyFigure(
            "appearance",
            _("Principal head in court"),
            cases.appearance_total.principal_rate,
            "%",
            "litigation",
        ),
        KeyFigure(
            "deadlines", _("Deadlines met"), cases.deadline_total.on_time_rate, "%", "litigation"
        ),
        KeyFigure("rewards", _("Rewards paid (yuan)"), report.rewards.paid, "", "rewards"),
        KeyFigure(
            "idle",
            _("Advisers not consulted"),
            len(report.idle_advisers),
            "",
            "idle",
            higher_is_better=False,
        ),
    ]
