"""Odd addresses answer 400 or 404, never 500 (issue 7, point 29)."""

import pytest

from core.models import Role

LIST_PAGES = {
    "/roster": ["sort", "category", "post", "specialty", "page"],
    "/advisers": ["sort", "category", "page"],
    "/meetings": ["sort", "status", "year", "page"],
    "/reports/attendance": ["sort", "year", "quarter", "page"],
    "/reports/consultations": ["year", "quarter"],
    "/reports/idle": ["year"],
    "/dismissals": ["status", "page"],
    "/departments": ["sort", "kind", "page"],
    "/audit": ["user", "start", "end", "page", "kind"],
    "/notifications": ["page"],
}
GARBAGE = {
    "page": ["²", "0", "-3", "abc", "100001"],
    "sort": ["nonsense", "--name"],
    "category": ["nonsense"],
    "post": ["nonsense"],
    "kind": ["nonsense"],
    "status": ["nonsense"],
    "specialty": ["-1", "99999999999"],
    "year": ["1999", "2101", "二〇二六"],
    "quarter": ["0", "5"],
    "user": ["x", "99999999999"],
    "start": ["garbage", "2026-02-30", "26-1-1"],
    "end": ["9999-12-31", "0001-01-01"],
}


@pytest.mark.parametrize("url", list(LIST_PAGES))
def test_a_value_a_page_cannot_read_answers_400_and_names_it(client, login, make_user, url):
    login(make_user(Role.OFFICE))
    assert client.get(url).status_code == 200
    for name in LIST_PAGES[url]:
        for value in GARBAGE[name]:
            response = client.get(url, query_string={name: value})
            assert response.status_code == 400, (url, name, value)
            assert f"{name}={value}" in response.get_data(as_text=True)


def test_an_id_too_large_for_the_database_is_no_record(app, client, login, make_user):
    login(make_user(Role.OFFICE))
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not any(
            type(c).__name__ == "RecordIdConverter" for c in rule._converters.values()
        ):
            continue
        _domain, path = rule.build(dict.fromkeys(rule.arguments, 99999999999))
        assert client.get(path).status_code == 404, rule.rule
        checked += 1
    assert checked >= 5
