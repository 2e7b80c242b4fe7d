"""The helpers templates use for tables: sort headers, page links and status badges."""

from types import SimpleNamespace

from core.filters import sort_header, status_badge, url_with


def test_a_sort_header_links_to_sorting_by_its_column(app):
    with app.test_request_context("/roster?q=%E5%BC%A0&page=3"):
        header = str(sort_header("姓名", "name", "post"))
    assert header == '<th scope="col"><a href="/roster?q=%E5%BC%A0&amp;sort=name">姓名</a></th>'


def test_the_sorted_column_is_marked_and_its_link_flips_the_direction(app):
    with app.test_request_context("/roster?sort=name"):
        header = str(sort_header("姓名", "name", "name", "d-none"))
    assert 'class="d-none"' in header and 'aria-sort="ascending"' in header
    assert "sort=-name" in header and "▲" in header
    with app.test_request_context("/roster?sort=-name"):
        assert 'aria-sort="descending"' in str(sort_header("姓名", "name", "-name"))


def test_a_header_label_is_escaped(app):
    with app.test_request_context("/roster"):
        assert "&lt;b&gt;" in str(sort_header("<b>", "name", "post"))


def test_page_links_keep_the_other_arguments_and_drop_what_is_cleared(app):
    with app.test_request_context("/meetings?status=held&page=2"):
        assert url_with(page=3) == "/meetings?status=held&page=3"
        assert url_with(page=None, status=None) == "/meetings"


def test_page_links_keep_the_mount_point(app):
    with app.test_request_context("/meetings", base_url="http://intranet/counsel/"):
        assert url_with(page=2) == "/counsel/meetings?page=2"


def test_a_status_badge_has_its_colour_and_label(app):
    record = SimpleNamespace(status=_Status("held", "<已举行>"))
    with app.test_request_context("/"):
        badge = str(status_badge(record, "fs-6", "meeting-status"))
    assert badge == (
        '<span class="badge text-bg-success fs-6" data-testid="meeting-status">'
        "&lt;已举行&gt;</span>"
    )


class _Status(str):
    def __new__(cls, value, label):
        member = super().__new__(cls, value)
        member.label = label
        return member
