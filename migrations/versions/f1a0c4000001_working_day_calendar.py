"""the working-day calendar: each year's holiday notice and the days it sets apart, seeded
from the chinese-calendar package for every year it knows

Revision ID: f1a0c4000001
Revises: e06a11000006
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa

import core.models  # noqa: F401  (custom column types such as UTCDateTime)
from core.workdays.seed import package_rows


# revision identifiers, used by Alembic.
revision = 'f1a0c4000001'
down_revision = 'e06a11000006'
branch_labels = None
depends_on = None


def upgrade():
    years = op.create_table(
        'holiday_year',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('notice', sa.String(length=200), nullable=True),
        sa.Column('doc_no', sa.String(length=60), nullable=True),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('loaded_at', core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('loaded_by_id', sa.Integer(), nullable=True),
        sa.Column('change_reason', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(
            ['loaded_by_id'], ['user.id'], name=op.f('fk_holiday_year_loaded_by_id_user')
        ),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_holiday_year')),
    )
    days = op.create_table(
        'holiday',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ['year'], ['holiday_year.year'], name=op.f('fk_holiday_year_holiday_year')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_holiday')),
        sa.UniqueConstraint('day', name=op.f('uq_holiday_day')),
    )
    with op.batch_alter_table('holiday', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holiday_year'), ['year'], unique=False)
    # every year the installed chinese-calendar knows (2004–2026 in version 1.11); later
    # years come from an administrator, or from `flask holidays seed` after an upgrade
    year_rows, day_rows = package_rows()
    op.bulk_insert(years, year_rows)
    op.bulk_insert(days, day_rows)


def downgrade():
    with op.batch_alter_table('holiday', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holiday_year'))
    op.drop_table('holiday')
    op.drop_table('holiday_year')
