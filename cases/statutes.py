"""The statutory periods (法定期限) of lawsuits and reconsiderations, as data: pure, no Flask,
no database.

Each `Rule` names its article, the date that starts it (`Trigger`), its period, who must act
(`Party`) and the kinds of case it applies to. When a case records a trigger's date, every
automatic rule of that trigger and kind becomes one of the case's deadlines (cases.deadlines);
the other rules are shown for reference (the opponent's and the court's periods).

Laws as in force now: 行政诉讼法 (2017), its SPC interpretation 法释〔2018〕1号, 民事诉讼法
(2023), 行政复议法 (2023), 国家赔偿法 (2012). Counting: core.workdays.periods.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.workdays.periods import Period


def N_(message: str) -> str:
    """Mark a label for translation where it is defined (translated where shown)."""
    return message


class Kind(StrEnum):
    """The kinds of case (the values are cases.models.CaseKind's)."""

    ADMINISTRATIVE = "administrative"
    CIVIL = "civil"
    RECONSIDERATION = "reconsideration"
    STATE_COMPENSATION = "state_compensation"


class Trigger(StrEnum):
    """The dates that start periods, each recorded on a case or one of its stages."""

    COMPLAINT_SERVED = "complaint_served"
    JUDGMENT_SERVED = "judgment_served"
    RULING_SERVED = "ruling_served"
    APPEAL_COPY_SERVED = "appeal_copy_served"
    JUDGMENT_EFFECTIVE = "judgment_effective"
    PERFORMANCE_ENDS = "performance_ends"
    APPLICATION_RECEIVED = "application_received"
    APPLICATION_COPY_SERVED = "application_copy_served"
    ACCEPTED = "accepted"
    KNEW_OF_ACT = "knew_of_act"
    DECISION_RECEIVED = "decision_received"
    CASE_FILED = "case_filed"
    APPEAL_RECEIVED = "appeal_received"


TRIGGER_LABELS = {
    Trigger.COMPLAINT_SERVED: N_("Complaint copy received"),
    Trigger.JUDGMENT_SERVED: N_("Judgment served"),
    Trigger.RULING_SERVED: N_("Ruling served"),
    Trigger.APPEAL_COPY_SERVED: N_("Appeal copy received"),
    Trigger.JUDGMENT_EFFECTIVE: N_("Judgment effective"),
    Trigger.PERFORMANCE_ENDS: N_("Last day of the performance period"),
    Trigger.APPLICATION_RECEIVED: N_("Application received"),
    Trigger.APPLICATION_COPY_SERVED: N_("Application copy received"),
    Trigger.ACCEPTED: N_("Application accepted"),
    Trigger.KNEW_OF_ACT: N_("Knew of the act"),
    Trigger.DECISION_RECEIVED: N_("Reconsideration decision received"),
    Trigger.CASE_FILED: N_("Case filed"),
    Trigger.APPEAL_RECEIVED: N_("Appeal received"),
}


class Party(StrEnum):
    """Who must act before a period ends."""

    GOVERNMENT = "government"
    EITHER = "either"
    WINNER = "winner"
    RECONSIDERATION_BODY = "reconsideration_body"
    RESPONDENT = "respondent"
    OPPONENT = "opponent"
    COURT = "court"


PARTY_LABELS = {
    Party.GOVERNMENT: N_("The government"),
    Party.EITHER: N_("Either party"),
    Party.WINNER: N_("The winning party"),
    Party.RECONSIDERATION_BODY: N_("The reconsideration body"),
    Party.RESPONDENT: N_("The respondent department"),
    Party.OPPONENT: N_("The opponent"),
    Party.COURT: N_("The court"),
}

LITIGATION = (Kind.ADMINISTRATIVE, Kind.CIVIL)


@dataclass(frozen=True)
class Rule:
    """One statutory period."""

    code: str
    label: str
    article: str
    trigger: Trigger
    period: Period
    party: Party
    kinds: tuple[Kind, ...]
    #: becomes a deadline of the case when its trigger's date is recorded
    automatic: bool = True
    #: the longest extension the law allows, if any
    extension: Period | None = None
    #: only under the simplified procedure (简易程序); the ordinary rule has the same trigger
    simplified: bool = False


def _rule(code, label, article, trigger, period, party, kinds, **more) -> Rule:
    return Rule(code, label, article, trigger, Period.parse(period), party, kinds, **more)


RULES: tuple[Rule, ...] = (
    # --- administrative litigation: the government is the defendant
    _rule(
        "admin_defence",
        N_("Defence, evidence and normative documents"),
        "行政诉讼法 第六十七条、第三十四条",
        Trigger.COMPLAINT_SERVED,
        "15d",
        Party.GOVERNMENT,
        (Kind.ADMINISTRATIVE,),
    ),
    _rule(
        "admin_evidence_extension",
        N_("Application to extend the time for evidence"),
        "行政诉讼法 第三十六条；法释〔2018〕1号 第三十四条",
        Trigger.COMPLAINT_SERVED,
        "15d",
        Party.GOVERNMENT,
        (Kind.ADMINISTRATIVE,),
    ),
    _rule(
        "admin_jurisdiction",
        N_("Objection to jurisdiction"),
        "法释〔2018〕1号 第十条",
        Trigger.COMPLAINT_SERVED,
        "15d",
        Party.GOVERNMENT,
        (Kind.ADMINISTRATIVE,),
    ),
    _rule(
        "admin_appeal_judgment",
        N_("Appeal against a judgment"),
        "行政诉讼法 第八十五条",
        Trigger.JUDGMENT_SERVED,
        "15d",
        Party.EITHER,
        (Kind.ADMINISTRATIVE,),
    ),
    _rule(
        "admin_appeal_ruling",
        N_("Appeal against a ruling"),
        "行政诉讼法 第八十五条",
        Trigger.RULING_SERVED,
        "10d",
        Party.EITHER,
        (Kind.ADMINISTRATIVE,),
    ),
    # --- civil litigation
    _rule(
        "civil_defence",
        N_("Defence"),
        "民事诉讼法 第一百二十八条",
        Trigger.COMPLAINT_SERVED,
        "15d",
        Party.GOVERNMENT,
        (Kind.CIVIL,),
    ),
    _rule(
        "civil_jurisdiction",
        N_("Objection to jurisdiction"),
        "民事诉讼法 第一百三十条",
        Trigger.COMPLAINT_SERVED,
        "15d",
        Party.GOVERNMENT,
        (Kind.CIVIL,),
    ),
    _rule(
        "civil_appeal_judgment",
        N_("Appeal against a judgment"),
        "民事诉讼法 第一百七十一条",
        Trigger.JUDGMENT_SERVED,
        "15d",
        Party.EITHER,
        (Kind.CIVIL,),
    ),
    _rule(
        "civil_appeal_ruling",
        N_("Appeal against a ruling"),
        "民事诉讼法 第一百七十一条",
        Trigger.RULING_SERVED,
        "10d",
        Party.EITHER,
        (Kind.CIVIL,),
    ),
    _rule(
        "civil_appeal_reply",
        N_("Reply to the appeal"),
        "民事诉讼法 第一百七十四条",
        Trigger.APPEAL_COPY_SERVED,
        "15d",
        Party.GOVERNMENT,
        (Kind.CIVIL,),
    ),
    # --- after judgment, both kinds of litigation
    _rule(
        "retrial",
        N_("Application for retrial"),
        "法释〔2018〕1号 第一百一十条；民事诉讼法 第二百一十六条",
        Trigger.JUDGMENT_EFFECTIVE,
        "6m",
        Party.EITHER,
        LITIGATION,
    ),
    _rule(
        "enforcement",
        N_("Application for enforcement"),
        "法释〔2018〕1号 第一百五十三条；民事诉讼法 第二百五十条",
        Trigger.PERFORMANCE_ENDS,
        "2y",
        Party.WINNER,
        LITIGATION,
    ),
    # --- administrative reconsideration: the district is the reconsideration body
    _rule(
        "reconsideration_acceptance",
        N_("Review of an application for acceptance"),
        "行政复议法 第三十条",
        Trigger.APPLICATION_RECEIVED,
        "5wd",
        Party.RECONSIDERATION_BODY,
        (Kind.RECONSIDERATION,),
    ),
    _rule(
        "reconsideration_reply",
        N_("Respondent's reply and evidence"),
        "行政复议法 第四十八条",
        Trigger.APPLICATION_COPY_SERVED,
        "10wd",
        Party.RESPONDENT,
        (Kind.RECONSIDERATION,),
    ),
    _rule(
        "reconsideration_reply_simplified",
        N_("Respondent's reply and evidence (simplified procedure)"),
        "行政复议法 第五十四条",
        Trigger.APPLICATION_COPY_SERVED,
        "5wd",
        Party.RESPONDENT,
        (Kind.RECONSIDERATION,),
        simplified=True,
    ),
    _rule(
        "reconsideration_decision",
        N_("Reconsideration decision"),
        "行政复议法 第六十二条",
        Trigger.ACCEPTED,
        "60d",
        Party.RECONSIDERATION_BODY,
        (Kind.RECONSIDERATION,),
        extension=Period.parse("30d"),
    ),
    _rule(
        "reconsideration_decision_simplified",
        N_("Reconsideration decision (simplified procedure)"),
        "行政复议法 第六十二条",
        Trigger.ACCEPTED,
        "30d",
        Party.RECONSIDERATION_BODY,
        (Kind.RECONSIDERATION,),
        simplified=True,
    ),
    # --- state compensation
    _rule(
        "compensation_decision",
        N_("Decision on state compensation"),
        "国家赔偿法 第十三条",
        Trigger.APPLICATION_RECEIVED,
        "2m",
        Party.GOVERNMENT,
        (Kind.STATE_COMPENSATION,),
    ),
    # --- for reference: the opponent's and the court's periods
    _rule(
        "plaintiff_filing",
        N_("Plaintiff's time to sue"),
        "行政诉讼法 第四十六条",
        Trigger.KNEW_OF_ACT,
        "6m",
        Party.OPPONENT,
        (Kind.ADMINISTRATIVE,),
        automatic=False,
    ),
    _rule(
        "plaintiff_filing_after_reconsideration",
        N_("Plaintiff's time to sue after reconsideration"),
        "行政诉讼法 第四十五条",
        Trigger.DECISION_RECEIVED,
        "15d",
        Party.OPPONENT,
        (Kind.ADMINISTRATIVE,),
        automatic=False,
    ),
    _rule(
        "reconsideration_application",
        N_("Time to apply for reconsideration"),
        "行政复议法 第二十条",
        Trigger.KNEW_OF_ACT,
        "60d",
        Party.OPPONENT,
        (Kind.RECONSIDERATION,),
        automatic=False,
    ),
    _rule(
        "first_instance_trial",
        N_("First-instance trial period"),
        "行政诉讼法 第八十一条",
        Trigger.CASE_FILED,
        "6m",
        Party.COURT,
        (Kind.ADMINISTRATIVE,),
        automatic=False,
    ),
    _rule(
        "appeal_trial",
        N_("Appeal trial period"),
        "行政诉讼法 第八十八条",
        Trigger.APPEAL_RECEIVED,
        "3m",
        Party.COURT,
        (Kind.ADMINISTRATIVE,),
        automatic=False,
    ),
)

BY_CODE = {rule.code: rule for rule in RULES}


def rules_for(kind: str, trigger: Trigger, simplified: bool = False) -> list[Rule]:
    """The automatic rules a trigger's date starts in a case of this kind.

    A rule with a simplified-procedure twin (its code + `_simplified`) counts only under its
    own procedure.
    """
    found = [rule for rule in RULES if rule.automatic and rule.trigger is trigger]
    found = [rule for rule in found if kind in rule.kinds]
    twinned = {rule.code.removesuffix("_simplified") for rule in found if rule.simplified}
    return [
        rule
        for rule in found
        if rule.code.removesuffix("_simplified") not in twinned or rule.simplified == simplified
    ]
