"""the register of advisers that departments, towns and sub-districts engage on their own

Revision ID: f5e9a0000005
Revises: f4c0a0000004
Create Date: 2026-12-10 12:00:00

"""
from alembic import op
import sqlalchemy as sa

import core.models  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'f5e9a0000005'
down_revision = 'f4c0a0000004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'engagement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('person_name', sa.String(length=50), nullable=False),
        sa.Column('engaged_as', sa.String(length=30), nullable=False),
        sa.Column('organisation', sa.String(length=100), nullable=True),
        sa.Column('start_on', sa.Date(), nullable=False),
        sa.Column('end_on', sa.Date(), nullable=False),
        sa.Column('scope', sa.Text(), nullable=False),
        sa.Column('fee', sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column('contract_file_id', sa.Integer(), nullable=True),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('created_at', core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('voided_at', core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('voided_by_id', sa.Integer(), nullable=True),
        sa.Column('void_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ['contract_file_id'], ['stored_file.id'],
            name=op.f('fk_engagement_contract_file_id_stored_file'),
        ),
        sa.ForeignKeyConstraint(
            ['department_id'], ['department.id'],
            name=op.f('fk_engagement_department_id_department'),
        ),
        sa.ForeignKeyConstraint(
            ['voided_by_id'], ['user.id'], name=op.f('fk_engagement_voided_by_id_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement')),
    )
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_engagement_department_id'), ['department_id'], unique=False
        )
        batch_op.create_index(batch_op.f('ix_engagement_end_on'), ['end_on'], unique=False)


def downgrade():
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagement_end_on'))
        batch_op.drop_index(batch_op.f('ix_engagement_department_id'))
    op.drop_table('engagement')
