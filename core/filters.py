"""Template filters and helpers: dates, times, money and URLs for sortable tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask, request, url_for

from core.i18n import local_time, today


def money(value: Decimal | None) -> str:
    """Show yuan with two decimals and thousands separators."""
    return "" if value is None else f"¥{value:,.2f}"


def iso_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def url_with(**changes) -> str:
    """This page's URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        args.pop(key, None)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def sort_url(key: str, current: str) -> str:
    """The URL that sorts by `key`, flipping the direction when already sorted by it."""
    return url_with(sort=f"-{key}" if current == key else key, page=None)


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


def register(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(iso_date)
    app.add_template_filter(local_time)
    app.add_template_global(url_with)
    app.add_template_global(fixed_url)
    app.add_template_global(sort_url)
    app.add_template_global(today)
