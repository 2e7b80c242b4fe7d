"""Template filters and helpers: dates, times, money and URLs for sortable tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from flask import Flask, request, url_for
from markupsafe import Markup

from core.i18n import local_time, today


def money(value: Decimal | None) -> str:
    """Show yuan with two decimals and thousands separators."""
    return "" if value is None else f"¥{value:,.2f}"


def iso_date(value: date | None) -> str:
    return value.isoformat() if value else ""


WEEKDAYS_ZH = "一二三四五六日"


def cn_date(value: date | None) -> str:
    """A date as printed on official documents: 2026年3月1日."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def cn_weekday(value: date) -> str:
    """The weekday as printed on a notice: 星期三."""
    return "星期" + WEEKDAYS_ZH[value.weekday()]


def local_clock(value) -> str:
    """The time of day of a UTC timestamp in China Standard Time: 14:30."""
    return local_time(value)[11:]


def url_with(**changes) -> str:
    """This page's URL with some query arguments changed (None removes one).

    Built from the request's own path: the route is already matched, and rebuilding it for
    every sort header and page link cost more than the table's rows.
    """
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        args.pop(key, None)
    path = request.script_root + request.path
    return f"{path}?{urlencode(args)}" if args else path


def sort_url(key: str, current: str) -> str:
    """The URL that sorts by `key`, flipping the direction when already sorted by it."""
    return url_with(sort=f"-{key}" if current == key else key, page=None)


def sort_header(label: str, key: str, current: str, class_: str = "") -> Markup:
    """A sortable column header: a link that sorts by the column, marked when sorted by it."""
    active = current.lstrip("-") == key
    descending = current.startswith("-")
    class_attribute = Markup(' class="{}"').format(class_) if class_ else ""
    if not active:
        return Markup('<th scope="col"{}><a href="{}">{}</a></th>').format(
            class_attribute, sort_url(key, current), label
        )
    return Markup(
        '<th scope="col"{} aria-sort="{}">'
        '<a href="{}">{} <span class="sort-mark">{}</span></a></th>'
    ).format(
        class_attribute,
        "descending" if descending else "ascending",
        sort_url(key, current),
        label,
        "▼" if descending else "▲",
    )


#: the addresses of pages that take no arguments, and of static files, per mount point
_FIXED_URLS: dict[tuple[str, str, str | None], str] = {}


def fixed_url(endpoint: str, filename: str | None = None) -> str:
    """url_for for an address that never changes while the app runs (menus, static files).

    Every page links to a dozen of them; building each anew costs more than the page's rows.
    """
    key = (request.script_root, endpoint, filename)
    url = _FIXED_URLS.get(key)
    if url is None:
        values = {"filename": filename} if filename is not None else {}
        url = _FIXED_URLS[key] = url_for(endpoint, **values)
    return url


#: one colour per status, the same on every page
BADGE_COLOURS = {
    "planned": "text-bg-primary",
    "held": "text-bg-success",
    "cancelled": "text-bg-secondary",
    "pending": "text-bg-warning",
    "approved": "text-bg-info",
    "refused": "text-bg-secondary",
    "open": "text-bg-danger",
    "dismissed": "text-bg-dark",
    "waived": "text-bg-success",
    "lapsed": "text-bg-secondary",
    "requested": "text-bg-warning",
    "returned": "text-bg-secondary",
    "accepted": "text-bg-info",
    "in_progress": "text-bg-primary",
    "submitted": "text-bg-info",
    "delivered": "text-bg-warning",
    "closed": "text-bg-success",
    "declined": "text-bg-secondary",
    "withdrawn": "text-bg-secondary",
    "superseded": "text-bg-secondary",
}


def _badge_colour(status) -> str:
    """A status's own colour where it names one, else the shared colour of its value."""
    return getattr(status, "badge", None) or BADGE_COLOURS.get(status, "text-bg-light")


def status_badge(record, extra: str = "", testid: str = "") -> Markup:
    """A record's status as a coloured badge, its label in the user's language."""
    classes = " ".join(filter(None, ["badge", _badge_colour(record.status), extra]))
    test_attribute = Markup(' data-testid="{}"').format(testid) if testid else ""
    return Markup('<span class="{}"{}>{}</span>').format(
        classes, test_attribute, record.status.label
    )


def register(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(iso_date)
    app.add_template_filter(cn_date)
    app.add_template_filter(cn_weekday)
    app.add_template_filter(local_clock)
    app.add_template_filter(local_time)
    app.add_template_global(url_with)
    app.add_template_global(fixed_url)
    app.add_template_global(sort_url)
    app.add_template_global(sort_header, name="th")
    app.add_template_global(today)
    app.add_template_global(status_badge)
