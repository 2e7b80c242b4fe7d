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


def register(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(iso_date)
    app.add_template_filter(local_time)
    app.add_template_global(url_with)
    app.add_template_global(sort_url)
    app.add_template_global(today)
