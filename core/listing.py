"""Helpers for list pages: sorting by a whitelisted column and reading filter arguments."""

from __future__ import annotations

from flask import request


def sort_key(allowed: dict, default: str) -> str:
    """The requested sort key ('name' or '-name') if allowed, else the default."""
    key = request.args.get("sort", default)
    return key if key.lstrip("-") in allowed else default


def apply_sort(stmt, allowed: dict, default: str):
    """Order the statement by the requested column; `-` sorts descending."""
    key = sort_key(allowed, default)
    column = allowed[key.lstrip("-")]
    return stmt.order_by(column.desc() if key.startswith("-") else column.asc()), key


def page_number() -> int:
    """The requested page, 1 when missing or malformed."""
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 100000 else 1


def int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None
