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


class Pagination(SelectPagination):
    """A page of a select of one entity, counted only when the page cannot tell the total.

    A page holding some rows but fewer than a full page is the last one: the total follows
    from it, with no count query. Most lists of a small office fit on one page.
    """

    def _query_count(self) -> int:
        known = self._total_from_last_page()
        return known if known is not None else self._count()

    def _total_from_last_page(self) -> int | None:
        shown = len(self.items)
        if 0 < shown < self.per_page or (shown == 0 and self.page == 1):
            return self._query_offset + shown
        return None

    def _count(self) -> int:
        return super()._query_count()


class RowsPagination(Pagination):
    """Pagination of a select of several columns: each item is a row, not one entity.

    A `count` select, when given, counts the rows more cheaply than wrapping the select; a
    number is taken as the count already known.
    """

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())

    def _count(self) -> int:
        count = self._query_args.get("count_select")
        if count is None:
            return super()._count()
        if isinstance(count, int):
            return count
        return self._query_args["session"].scalar(count)


def paginate_rows(
    stmt, page: int | None = None, per_page: int | None = None, count=None
) -> RowsPagination:
    """Paginate a select whose rows hold several columns (an entity and its aggregates).

    The requested page and PAGE_SIZE rows unless told otherwise.
    """
    return RowsPagination(
        select=stmt,
        session=db.session,
        page=page or page_number(),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        error_out=False,
        count_select=count,
    )


def paginate(stmt, per_page: int | None = None) -> Pagination:
    """The requested page of a select of one entity; PAGE_SIZE rows unless told otherwise."""
    return Pagination(
        select=stmt,
        session=db.session,
        page=page_number(),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        error_out=False,
    )
