"""The rule table of statutory periods (issue 9, point 3), and `flask deadlines`."""

from datetime import date

import pytest

from cases.statutes import BY_CODE, PARTY_LABELS, RULES, TRIGGER_LABELS, Kind, Trigger, rules_for


def codes(rules) -> list[str]:
    return [rule.code for rule in rules]


def test_every_rule_has_an_article_a_label_a_trigger_and_a_party():
    assert len(BY_CODE) == len(RULES)
    for rule in RULES:
        assert rule.article and rule.label and rule.kinds
        assert rule.trigger in TRIGGER_LABELS and rule.party in PARTY_LABELS


def test_a_served_complaint_starts_the_defence_evidence_and_jurisdiction_periods():
    administrative = rules_for(Kind.ADMINISTRATIVE, Trigger.COMPLAINT_SERVED)
    assert codes(administrative) == [
        "admin_defence",
        "admin_evidence_extension",
        "admin_jurisdiction",
    ]
    assert all(str(rule.period) == "15d" for rule in administrative)
    assert codes(rules_for(Kind.CIVIL, Trigger.COMPLAINT_SERVED)) == [
        "civil_defence",
        "civil_jurisdiction",
    ]


def test_an_appeal_is_15_days_from_a_judgment_and_10_from_a_ruling():
    judgment = rules_for(Kind.ADMINISTRATIVE, Trigger.JUDGMENT_SERVED)
    ruling = rules_for(Kind.ADMINISTRATIVE, Trigger.RULING_SERVED)
    assert [str(rule.period) for rule in judgment + ruling] == ["15d", "10d"]
    assert judgment[0].article == "行政诉讼法 第八十五条"


def test_reconsideration_periods_are_working_days_except_the_decision():
    """行政复议法 第八十八条: 3, 5, 7 and 10 days are working days; 30 and 60 are not."""
    assert str(BY_CODE["reconsideration_acceptance"].period) == "5wd"
    assert str(BY_CODE["reconsideration_reply"].period) == "10wd"
    assert str(BY_CODE["reconsideration_reply_simplified"].period) == "5wd"
    decision = BY_CODE["reconsideration_decision"]
    assert (str(decision.period), str(decision.extension)) == ("60d", "30d")


def test_only_the_cases_procedure_counts_where_a_rule_has_a_simplified_twin():
    assert codes(rules_for(Kind.RECONSIDERATION, Trigger.ACCEPTED)) == ["reconsideration_decision"]
    assert codes(rules_for(Kind.RECONSIDERATION, Trigger.ACCEPTED, simplified=True)) == [
        "reconsideration_decision_simplified"
    ]
    assert codes(rules_for(Kind.RECONSIDERATION, Trigger.APPLICATION_COPY_SERVED, True)) == [
        "reconsideration_reply_simplified"
    ]


def test_the_opponents_and_the_courts_periods_are_for_reference_only():
    assert rules_for(Kind.ADMINISTRATIVE, Trigger.KNEW_OF_ACT) == []
    assert not BY_CODE["first_instance_trial"].automatic


def test_retrial_and_enforcement_follow_a_judgment_in_both_kinds_of_litigation():
    for kind in (Kind.ADMINISTRATIVE, Kind.CIVIL):
        assert codes(rules_for(kind, Trigger.JUDGMENT_EFFECTIVE)) == ["retrial"]
        assert codes(rules_for(kind, Trigger.PERFORMANCE_ENDS)) == ["enforcement"]
    assert rules_for(Kind.RECONSIDERATION, Trigger.JUDGMENT_EFFECTIVE) == []


# --- flask deadlines -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "period", "printed"),
    [
        ("2025-09-16", "15d", "2025-10-09"),
        ("2025-09-26", "15d", "2025-10-11"),
        ("2025-09-30", "10wd", "2025-10-21"),
        ("2025-08-31", "6m", "2026-02-28"),
        ("2024-02-29", "2y", "2026-02-28"),
        ("2026-12-20", "15d", "2027-01-04 provisional"),
        ("2026-08-31", "6m", "2027-03-01 provisional"),
    ],
)
def test_deadlines_due_prints_the_day_and_whether_it_is_provisional(runner, start, period, printed):
    result = runner.invoke(args=["deadlines", "due", start, period])
    assert result.exit_code == 0, result.output
    assert result.output == printed + "\n"
    assert date.fromisoformat(result.output[:10])


@pytest.mark.parametrize(
    ("start", "period", "complaint"),
    [
        ("2025-13-01", "15d", "not a date"),
        ("2025-09-16", "15", "not a period"),
        ("2025-09-16", "0d", "out of range"),
        ("yesterday", "15d", "not a date"),
    ],
)
def test_deadlines_due_refuses_a_bad_date_or_period(runner, start, period, complaint):
    result = runner.invoke(args=["deadlines", "due", start, period])
    assert result.exit_code == 2
    assert complaint in result.output


def test_deadlines_rules_prints_each_rule_with_its_article(runner):
    result = runner.invoke(args=["deadlines", "rules"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(RULES)
    defence = next(line for line in lines if line.startswith("admin_defence\t"))
    assert "15d" in defence and "行政诉讼法 第六十七条" in defence
    decision = next(line for line in lines if line.startswith("reconsideration_decision\t"))
    assert "60d +30d" in decision
