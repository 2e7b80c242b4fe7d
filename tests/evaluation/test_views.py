"""The dismissal pages and the attendance cards through the test client."""

from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from core.i18n import today
from core.models import Role
from evaluation.models import DismissalCandidate
from tests.conftest import log_in


def text(response):
    return response.get_data(as_text=True)


def test_an_adviser_near_the_threshold_is_told(client, login, held_series, serving, make_user):
    account = make_user(Role.ADVISER)
    serving[0].user_id = account.id
    db.session.commit()
    held_series("PPPPPAA", "PPPPPPP", "PPPPPPP")
    login(account)
    assert 'data-testid="near-threshold"' in text(client.get("/me/meetings"))


def test_candidates_and_the_decision_page(office_client, held_series, serving):
    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    page = text(office_client.get("/dismissals"))
    assert serving[0].name in page
    candidate = db.session.scalar(select(DismissalCandidate))
    refused = office_client.post(
        f"/dismissals/{candidate.id}", data={"decision": "dismiss", "note": ""}
    )
    assert refused.status_code == 400
    dismiss = {"decision": "dismiss", "note": "长期缺席"}
    approval = {"approved_on": today().isoformat(), "doc_no": "江府函〔2026〕40号"}
    form = text(office_client.get(f"/dismissals/{candidate.id}"))
    last_day = (today() - timedelta(days=1)).isoformat()
    assert last_day in form and today().isoformat() in form  # both days, before deciding
    for incomplete in (dismiss, {**dismiss, **approval}, {**dismiss, "confirm": "y"}):
        assert office_client.post(f"/dismissals/{candidate.id}", data=incomplete).status_code == 400
        assert candidate.is_open
    done = office_client.post(
        f"/dismissals/{candidate.id}", data={**dismiss, **approval, "confirm": "y"}
    )
    assert done.status_code == 302
    warning = text(office_client.get(done.location))
    assert "alert-warning" in warning  # two serving members left, fewer than five


def test_the_rule_page_and_its_versions(client, login, make_user):
    login(make_user(Role.ADMIN))
    assert 'data-testid="rule-versions"' in text(client.get("/dismissals/rule"))
    bad = client.post(
        "/dismissals/rule",
        data={
            "consecutive_absences": "abc",
            "min_rate": "50",
            "window_months": "12",
            "min_meetings": "4",
        },
    )
    assert bad.status_code == 400 and "invalid-feedback" in text(bad)
    good = client.post(
        "/dismissals/rule",
        data={
            "consecutive_absences": "4",
            "min_rate": "40",
            "window_months": "12",
            "min_meetings": "4",
            "ignored_matters": "5",
            "answer_days": "7",
        },
    )
    assert good.status_code == 302
    page = text(client.get("/dismissals/rule"))
    assert page.count("<tr><td>") == 2 and "<td>5</td><td>7</td>" in page


def test_the_adviser_page_shows_attendance_over_the_window(office_client, held_series, serving):
    held_series("PPAE", "PPPP", "PPPP")
    page = text(office_client.get(f"/advisers/{serving[0].id}"))
    summary = page[page.index('data-testid="attendance-summary"') :]
    assert "66.7%" in summary


def test_the_candidates_page_works_before_any_rule_is_stored(office_client):
    """A database built without the migrations' defaults still shows the plan's rule."""
    from evaluation.models import DismissalRuleVersion

    db.session.execute(DismissalRuleVersion.__table__.delete())
    db.session.commit()
    page = office_client.get("/dismissals")
    assert page.status_code == 200 and "1" in text(page)
    assert office_client.get("/dismissals/rule").status_code == 200


def test_one_attendance_figure_after_a_break_in_service(
    app, client, login, appoint, plan, make_user
):
    """Absent twice in an earlier term, present twice since coming back after a break: the
    office, the adviser and the rule all read 100% (only unbroken service counts)."""
    from datetime import timedelta

    from core.i18n import today
    from evaluation.services import evaluate_advisers
    from meetings import services

    first = appoint(start=today() - timedelta(days=1200))  # ended 105 days ago
    adviser = first.adviser
    appoint(adviser=adviser, start=today() - timedelta(days=60))
    for days_ago, mark in ((150, "absent"), (120, "absent"), (30, "present"), (10, "present")):
        meeting = plan(today() - timedelta(days=days_ago), held=True)
        invitation = next(i for i in meeting.invitations if i.adviser_id == adviser.id)
        services.record_attendance(None, meeting, {invitation.id: (mark, "")})
    account = make_user(Role.ADVISER)
    adviser.user_id = account.id
    db.session.commit()
    assert evaluate_advisers([adviser.id], today()) == []
    login(make_user(Role.OFFICE))
    office_view = client.get(f"/advisers/{adviser.id}").get_data(as_text=True)
    assert "100.0%" in office_view
    own = app.test_client()
    log_in(own, account.username)
    assert 'data-testid="own-rate">100.0%' in own.get("/me/meetings").get_data(as_text=True)
