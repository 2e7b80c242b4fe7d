"""Form messages say what is wrong (issue 7, point 11), and nothing is cut short silently."""

import pytest
from sqlalchemy import func, select

from advisers import rules
from advisers.models import Adviser, Nomination
from core.extensions import db


def text(response):
    return response.get_data(as_text=True)


def new_adviser(client, **changes):
    data = {"name": "孙婷", "gender": "female", "category": "legal_aid_lawyer", **changes}
    return client.post("/advisers/new", data=data)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0512-66880001", None),
        ("12345", None),  # five digits
        ("1234", rules.PhoneProblem.DIGITS),
        ("-123", rules.PhoneProblem.DIGITS),
        ("+86 (512) 6688 0001", None),
        ("1" * 20, None),
        ("1" * 21, rules.PhoneProblem.DIGITS),
        ("0512/6688", rules.PhoneProblem.CHARACTERS),
        ("１２３４５", rules.PhoneProblem.CHARACTERS),  # full-width digits
    ],
)
def test_a_phone_number_is_digits_with_separators(value, expected):
    assert rules.phone_problem(value) == expected


def test_a_short_phone_number_is_refused_for_its_digits_not_its_characters(office_client):
    response = new_adviser(office_client, phone="-123")
    assert response.status_code == 400
    assert "电话号码应有 5 至 20 位数字，此处为 3 位。" in text(response)
    assert db.session.scalar(select(func.count(Adviser.id))) == 0


def test_an_over_long_name_is_refused_with_its_limit_not_cut(office_client):
    form = text(office_client.get("/advisers/new"))
    assert "maxlength" not in form  # the browser would cut a pasted name without a word
    response = new_adviser(office_client, name="张" * 10_000)
    assert response.status_code == 400
    assert "最多 50 个字符，此处为 10000 个。" in text(response)
    assert db.session.scalar(select(func.count(Adviser.id))) == 0


def test_a_date_not_on_the_calendar_says_so(office_client, create_adviser):
    adviser = create_adviser()
    response = office_client.post(
        f"/advisers/{adviser.id}/recommend",
        data={"post": "member", "recommended_on": "2026-02-30", "reason": "熟悉征收"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "“2026-02-30”不是日历上的日期。" in page and "必填" not in page
    assert db.session.scalar(select(func.count(Nomination.id))) == 0


def test_a_missing_date_is_still_required(office_client, create_adviser):
    adviser = create_adviser()
    response = office_client.post(
        f"/advisers/{adviser.id}/recommend", data={"post": "member", "recommended_on": ""}
    )
    assert response.status_code == 400 and "必填" in text(response)
