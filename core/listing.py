"""Helpers for list pages: sorting by a whitelisted column and reading filter arguments."""

from __future__ import annotations

from flask import current_app, request
from flask_sqlalchemy.pagination import SelectPagination

from core.extensions import db


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


class RowsPagination(SelectPagination):
    """Pagination of a select of several columns: each item is a row, not one entity.

    A `count` select, when given, counts the rows more cheaply than wrapping the select.
    """

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())

    def _query_count(self) -> int:
        count = self._query_args.get("count_select")
        if count is None:
            return super()._query_count()
        return self._query_args["session"].scalar(count)


def paginate_rows(stmt, page: int, per_page: int, count=None) -> RowsPagination:
    """Paginate a select whose rows hold several columns (an entity and its aggregates)."""
    return RowsPagination(
        select=stmt,
        session=db.session,
        page=page,
        per_page=per_page,
        error_out=False,
        count_select=count,
    )


def paginate(stmt, per_page: int | None = None):
    """The requested page of a select of one entity; PAGE_SIZE rows unless told otherwise."""
    size = per_page or current_app.config["PAGE_SIZE"]
    return db.paginate(stmt, page=page_number(), per_page=size, error_out=False)
