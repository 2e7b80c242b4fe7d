"""Full-text search for every package: which records of a kind match the words typed in a box.

Each package feeds the index the text of its records (`index`, `remove`, `reindex`) and asks
it which record ids of a kind match (`matching`); the package then scopes the ids by its own
access rules. The index knows nothing of records beyond their kind, id and text.

How Chinese is found without a word segmenter. Text is normalised (NFKC, so full-width forms
become half-width; case-folded) and cut into runs of letters and digits at spaces and
punctuation; a search term is such a run, and all terms must match. Every two adjacent
characters of a run (a bigram) become a token, so a term of two characters, such as 合同, is
one token, and a longer one the tokens of its bigrams. User input never reaches a query
language: the index is asked only for tokens this module made from it.

- SQLite: an FTS5 table `search_gram` over `search_entry.grams`, each run's bigrams in order,
  then its last character (which also keeps runs apart). A longer term is the phrase of its
  bigrams, so it matches exactly where the term stands in the text, and a single character is
  a prefix query. The FTS5 table is external content kept in step by triggers, so any delete
  of an entry, even a bulk one, leaves the index right. An entry's id is its kind's number
  times 2**31 plus the record's id: a search reads the FTS5 index alone, never the rows.
- PostgreSQL: `search_entry.grams` is the set of bigrams as a text[] with a GIN index, and
  the rows found are checked for each term longer than two characters, or of one, with
  strpos. No extension is needed and, unlike pg_trgm, nothing depends on the database's locale
  (in the C locale pg_trgm takes Chinese characters for punctuation and indexes none). The
  column keeps no statistics, so the planner always reads the GIN index, even for a bigram in
  most rows, rather than unpacking every row's array in a sequential scan.

A term of one character alone is refused with a message asking for two; beside other terms it
narrows what they find.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from itertools import pairwise

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import (
    DDL,
    BigInteger,
    Integer,
    Select,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    column,
    delete,
    event,
    func,
    or_,
    select,
    table,
    text,
    type_coerce,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from core.errors import DomainError
from core.extensions import db
from core.flow import commit
from core.models import UTCDateTime, utcnow

#: the most terms one search may have
MAX_TERMS = 10
#: the most characters one term may have
MAX_TERM_LENGTH = 50
#: rows written per statement by `reindex`
BATCH = 1000
#: record ids run from 1 to ID_SPAN - 1 within a kind's span of entry ids
ID_SPAN = 2**31

#: a run of letters and digits: what a term is, and what tokens are taken from
_WORD = re.compile(r"[^\W_]+")
#: characters a token holds as they are: the SQLite tokenizer's Unicode 6.1 tables know them
#: as letters. Any other is written þ<code point in hex>þ, so that no character the tokenizer
#: does not know can split or drop a token; þ starts no plain character, so a prefix query for
#: one character finds exactly the tokens that begin with it.
_PLAIN = re.compile(r"[0-9a-z\u3400-\u4db5\u4e00-\u9fa5]")
#: kind numbers seen by this process, to refuse two kinds that would share a span of ids
_KINDS: dict[int, str] = {}


def normalise(text: str) -> str:
    """Return the text as the index stores and compares it: NFKC, then case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def terms(words: str) -> list[str]:
    """Return the distinct search terms in what was typed: runs of letters and digits."""
    return list(dict.fromkeys(_WORD.findall(normalise(words or ""))))


def _char(char: str) -> str:
    return char if _PLAIN.match(char) else f"þ{ord(char):x}þ"


def _run_tokens(run: str) -> list[str]:
    """The run's bigrams in order, then its last character alone."""
    chars = [_char(char) for char in run]
    return [a + b for a, b in pairwise(chars)] + chars[-1:]


def sequence(text: str) -> list[str]:
    """Return the tokens of normalised text in order, as the SQLite index holds them."""
    return [token for run in _WORD.findall(text) for token in _run_tokens(run)]


def bigrams(text: str) -> list[str]:
    """Return the distinct bigram tokens of normalised text, as PostgreSQL's index holds them."""
    return sorted({token for run in _WORD.findall(text) for token in _run_tokens(run)[:-1]})


class Grams(TypeDecorator):
    """A list of tokens: text[] on PostgreSQL, space-separated text on SQLite (for FTS5)."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(Text()))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value, dialect):
        if value is None or dialect.name == "postgresql":
            return value
        return " ".join(value)

    def process_result_value(self, value, dialect):
        if value is None or dialect.name == "postgresql":
            return value
        return value.split()


class SearchEntry(db.Model):
    """The searchable text of one record, normalised, and its tokens."""

    __tablename__ = "search_entry"

    #: the kind's number times ID_SPAN plus the record's id (see `entry_id`)
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    )
    #: what the record is, named by its package ("matter", "opinion")
    kind: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    #: the record's other texts, one a line
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the tokens of title and body: in order on SQLite, the distinct bigrams on PostgreSQL
    grams: Mapped[list[str]] = mapped_column(Grams)

    __table_args__ = (UniqueConstraint("kind", "record_id"),)


#: the SQLite index, created with the table by `db.create_all()` and by the migration, which
#: holds the same statements
SQLITE_INDEX = (
    "CREATE VIRTUAL TABLE search_gram USING fts5(grams, content='search_entry', "
    "content_rowid='id', columnsize=0, tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_entry_gram_insert AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_gram(rowid, grams) VALUES (new.id, new.grams); END",
    "CREATE TRIGGER search_entry_gram_delete AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_gram(search_gram, rowid, grams) VALUES ('delete', old.id, old.grams); "
    "END",
    "CREATE TRIGGER search_entry_gram_update AFTER UPDATE OF grams ON search_entry BEGIN "
    "INSERT INTO search_gram(search_gram, rowid, grams) VALUES ('delete', old.id, old.grams); "
    "INSERT INTO search_gram(rowid, grams) VALUES (new.id, new.grams); END",
)
SQLITE_DROP = "DROP TABLE IF EXISTS search_gram"
#: the PostgreSQL index, likewise
POSTGRESQL_INDEX = (
    "CREATE INDEX ix_search_entry_grams ON search_entry USING gin (grams)",
    "ALTER TABLE search_entry ALTER COLUMN grams SET STATISTICS 0",
)

for _dialect_name, _statements in (("sqlite", SQLITE_INDEX), ("postgresql", POSTGRESQL_INDEX)):
    for _statement in _statements:
        event.listen(
            SearchEntry.__table__,
            "after_create",
            DDL(_statement).execute_if(dialect=_dialect_name),
        )
event.listen(SearchEntry.__table__, "after_drop", DDL(SQLITE_DROP).execute_if(dialect="sqlite"))

#: the FTS5 table as a query sees it: its rowid is the entry's id
_GRAM = table("search_gram", column("rowid", BigInteger), column("search_gram"))


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave each dialect's search index out of schema comparisons: no model describes it.

    SQLite: the FTS5 table and the shadow tables FTS5 makes for it (search_gram_data, ...).
    PostgreSQL: the GIN index, which a model's Index would also create, uselessly, on SQLite.
    """
    if type_ == "table":
        return not (name == "search_gram" or name.startswith("search_gram_"))
    return not (type_ == "index" and name == "ix_search_entry_grams")


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def kind_base(kind: str) -> int:
    """Return the first entry id of the kind's span: a number the kind's name fixes."""
    if not kind or len(kind) > 30:
        raise ValueError(f"a search kind has 1 to 30 characters: {kind!r}")
    number = zlib.crc32(kind.encode())
    if _KINDS.setdefault(number, kind) != kind:
        raise RuntimeError(f"search kinds {kind!r} and {_KINDS[number]!r} share a number")
    return number * ID_SPAN


def entry_id(kind: str, record_id: int) -> int:
    """Return the id of the record's entry."""
    if not 0 < record_id < ID_SPAN:
        raise ValueError(f"a record id runs from 1 to {ID_SPAN - 1}: {record_id}")
    return kind_base(kind) + record_id


def _values(title: str | None, texts: Sequence[str | None], dialect: str) -> dict:
    title = normalise(title or "")
    body = normalise("\n".join(part for part in texts if part))
    tokens = bigrams if dialect == "postgresql" else sequence
    return {"title": title, "body": body, "grams": tokens(f"{title}\n{body}")}


def index(kind: str, record_id: int, title: str | None, *texts: str | None) -> None:
    """Make the record findable by the words of its title and texts, replacing what it had."""
    key = entry_id(kind, record_id)
    dialect = _dialect()
    values = _values(title, texts, dialect)
    current = db.session.execute(
        select(SearchEntry.title, SearchEntry.body).where(SearchEntry.id == key)
    ).one_or_none()
    if current is not None and tuple(current) == (values["title"], values["body"]):
        return
    values["updated_at"] = utcnow()
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    db.session.execute(
        insert(SearchEntry)
        .values(id=key, kind=kind, record_id=record_id, **values)
        .on_conflict_do_update(index_elements=["id"], set_=values)
    )


def remove(kind: str, record_id: int) -> None:
    """Make the record unfindable."""
    db.session.execute(delete(SearchEntry).where(SearchEntry.id == entry_id(kind, record_id)))


def reindex(kind: str, rows: Iterable[tuple[int, str | None, Sequence[str | None]]]) -> int:
    """Replace every entry of the kind with the given (record id, title, texts); return how
    many were indexed."""
    kind_base(kind)
    dialect = _dialect()
    db.session.execute(delete(SearchEntry).where(SearchEntry.kind == kind))
    seen: set[int] = set()
    batch: list[dict] = []
    now = utcnow()
    for record_id, title, texts in rows:
        if record_id in seen:
            raise ValueError(f"{kind} {record_id} was given twice")
        seen.add(record_id)
        batch.append(
            {
                "id": entry_id(kind, record_id),
                "kind": kind,
                "record_id": record_id,
                "updated_at": now,
                **_values(title, texts, dialect),
            }
        )
        if len(batch) == BATCH:
            db.session.execute(SearchEntry.__table__.insert(), batch)
            batch = []
    if batch:
        db.session.execute(SearchEntry.__table__.insert(), batch)
    if dialect == "sqlite" and seen:  # one merged index answers faster than many segments
        db.session.execute(text("INSERT INTO search_gram(search_gram) VALUES ('optimize')"))
    return len(seen)


def _terms(words: str) -> list[str]:
    found = terms(words)
    if not any(len(term) >= 2 for term in found):
        raise DomainError(_("Enter at least two characters to search."), field="q")
    if len(found) > MAX_TERMS:
        raise DomainError(_("Search with at most %(count)d words.", count=MAX_TERMS), field="q")
    if any(len(term) > MAX_TERM_LENGTH for term in found):
        raise DomainError(
            _(
                "A search word can have at most %(count)d characters: separate the words"
                " with spaces.",
                count=MAX_TERM_LENGTH,
            ),
            field="q",
        )
    return found


def matching(kind: str, words: str) -> Select:
    """Return a select of the ids of the kind's records whose text holds every term.

    Use it as `Model.id.in_(matching(kind, words))`. Refused (DomainError on the field "q")
    when no term has two characters or more, when there are more than MAX_TERMS terms, or when
    a term is longer than MAX_TERM_LENGTH.
    """
    found = _terms(words)
    base = kind_base(kind)
    if _dialect() == "postgresql":
        return _matching_postgresql(kind, found)
    phrases = [
        # a phrase of the term's bigrams; a single character: the tokens that begin with it
        f'"{_char(term)}" *' if len(term) == 1 else f'"{" ".join(_run_tokens(term)[:-1])}"'
        for term in found  # tokens hold letters and digits only: nothing to escape
    ]
    return select((_GRAM.c.rowid - base).label("record_id")).where(
        _GRAM.c.search_gram.match(" AND ".join(phrases)),
        _GRAM.c.rowid.between(base + 1, base + ID_SPAN - 1),
    )


def _matching_postgresql(kind: str, found: list[str]) -> Select:
    tokens = sorted({token for term in found for token in _run_tokens(term)[:-1]})
    stmt = select(SearchEntry.record_id).where(
        SearchEntry.kind == kind,
        type_coerce(SearchEntry.grams, postgresql.ARRAY(Text)).contains(tokens),
    )
    for term in found:
        if len(term) != 2:  # a two-character term is its token; any other is checked whole
            stmt = stmt.where(
                or_(
                    func.strpos(SearchEntry.title, term) > 0,
                    func.strpos(SearchEntry.body, term) > 0,
                )
            )
    return stmt


#: what each kind's package gives `flask search rebuild`: a callable yielding
#: (record id, title, texts) for every record of the kind
INDEXERS: dict[str, Callable[[], Iterable[tuple[int, str | None, Sequence[str | None]]]]] = {}


def register_indexer(
    kind: str, rows: Callable[[], Iterable[tuple[int, str | None, Sequence[str | None]]]]
) -> None:
    """Name the callable that yields every record of the kind for a rebuild of the index."""
    kind_base(kind)
    INDEXERS[kind] = rows


search_cli = AppGroup("search", help="Maintain the full-text search index.")


@search_cli.command("rebuild")
@click.argument("kinds", nargs=-1)
def rebuild(kinds: tuple[str, ...]):
    """Index every record again, of the named kinds or of all."""
    unknown = sorted(set(kinds) - set(INDEXERS))
    if unknown:
        raise click.BadParameter(f"unknown kind {', '.join(unknown)}; known: {', '.join(INDEXERS)}")
    for kind in kinds or sorted(INDEXERS):
        count = reindex(kind, INDEXERS[kind]())
        commit()
        click.echo(f"{kind}: {count} records indexed")


def init_app(app: Flask) -> None:
    """Add `flask search`, and keep the search index out of `flask db migrate`'s comparison."""
    app.cli.add_command(search_cli)
    app.extensions["migrate"].configure_args.setdefault("include_object", include_object)
