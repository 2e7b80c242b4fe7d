"""full-text search: one entry of normalised text and bigram tokens per record, and its index

SQLite: an FTS5 table over the tokens, kept in step by triggers. PostgreSQL: the tokens as a
text[] with a GIN index, and no statistics kept on them. The statements are those `core.search` runs after `db.create_all()`,
written out here so that this migration does not change when that module does. A later
migration that rebuilds search_entry in SQLite batch mode drops its triggers and must create
them again.

The index starts empty: `flask search rebuild` fills it from the records.

Revision ID: f3e4c0000003
Revises: f2f11e500002
Create Date: 2026-12-10 11:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import core.models  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'f3e4c0000003'
down_revision = 'f2f11e500002'
branch_labels = None
depends_on = None

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
POSTGRESQL_INDEX = (
    "CREATE INDEX ix_search_entry_grams ON search_entry USING gin (grams)",
    "ALTER TABLE search_entry ALTER COLUMN grams SET STATISTICS 0",
)


def upgrade():
    dialect = op.get_bind().dialect.name
    op.create_table(
        'search_entry',
        sa.Column(
            'id',
            sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('updated_at', core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            'grams',
            postgresql.ARRAY(sa.Text()) if dialect == 'postgresql' else sa.Text(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entry')),
        sa.UniqueConstraint('kind', 'record_id', name=op.f('uq_search_entry_kind_record_id')),
    )
    for statement in {'postgresql': POSTGRESQL_INDEX, 'sqlite': SQLITE_INDEX}.get(dialect, ()):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("DROP TABLE IF EXISTS search_gram")
    op.drop_table('search_entry')  # its index and triggers go with it
