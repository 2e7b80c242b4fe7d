"""Helpers for list pages: sorting by a whitelisted column, reading query arguments strictly
(a value that cannot be read answers 400, never a guess or a 500), and pagination."""

from __future__ import annotations

from datetime import date

from flask import current_app, request
from flask_sqlalchemy.pagination import SelectPagination
from werkzeug.routing import IntegerConverter

from core.errors import BadArgument
from core.extensions import db

#: the largest id a record can have (PostgreSQL's integer)
MAX_ID = 2**31 - 1
#: dates the office's lists can be filtered by
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


class RecordIdConverter(IntegerConverter):
    """`<int:…>` in every route: an id from 1 to MAX_ID; a larger number is no record (404),
    not a database error."""

    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def _arg(name: str) -> str:
    return request.args.get(name, "").strip()


def sort_key(allowed: dict, default: str) -> str:
    """The requested sort key ('name' or '-name'); an unknown one is refused (400)."""
    key = _arg("sort") or default
    if key.removeprefix("-") not in allowed:
        raise BadArgument("sort", key)
    return key


def apply_sort(stmt, allowed: dict, default: str):
    """Order the statement by the requested column; `-` sorts descending."""
    key = sort_key(allowed, default)
    column = allowed[key.removeprefix("-")]
    return stmt.order_by(column.desc() if key.startswith("-") else column.asc()), key


def int_arg(name: str, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole-number argument from `low` to `high`; None when absent; anything else is 400.

    Only ASCII digits count: "²" passes str.isdigit() but is no number.
    """
    value = _arg(name)
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 10 and low <= int(value) <= high):
        raise BadArgument(name, value)
    return int(value)


def page_number() -> int:
    """The requested page, 1 when absent."""
    return int_arg("page", 1, 100_000) or 1


def date_arg(name: str) -> date | None:
    """A date argument written YYYY-MM-DD, within the years lists reach; None when absent."""
    value = _arg(name)
    if not value:
        return None
    try:
        day = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= LATEST:
        raise BadArgument(name, value)
    return day


def text_arg(name: str, longest: int) -> str:
    """A text argument of at most `longest` characters; "" when absent; a longer one is 400."""
    value = _arg(name)
    if len(value) > longest:
        raise BadArgument(name, value)
    return value


def choice_arg(name: str, allowed, default: str = "") -> str:
    """One of the allowed values; the default when absent; anything else is 400."""
    value = _arg(name)
    if not value:
        return default
    if value not in allowed:
        raise BadArgument(name, value)
    return value


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
    return RowsPagination(**_page_of(stmt, page, per_page), count_select=count)


def paginate(stmt, per_page: int | None = None) -> Pagination:
    """The requested page of a select of one entity; PAGE_SIZE rows unless told otherwise."""
    return Pagination(**_page_of(stmt, None, per_page))


class ListPagination(Pagination):
    """A page of rows already in hand (figures worked out in Python for the whole list)."""

    def _query_items(self) -> list:
        return self._query_args["rows"][self._query_offset : self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


def paginate_list(rows: list, per_page: int | None = None) -> ListPagination:
    """The requested page of a list; PAGE_SIZE rows unless told otherwise."""
    return ListPagination(
        rows=rows,
        page=page_number(),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        error_out=False,
    )


def _page_of(stmt, page: int | None, per_page: int | None) -> dict:
    return {
        "select": stmt,
        "session": db.session,
        "page": page or page_number(),
        "per_page": per_page or current_app.config["PAGE_SIZE"],
        "error_out": False,
    }
