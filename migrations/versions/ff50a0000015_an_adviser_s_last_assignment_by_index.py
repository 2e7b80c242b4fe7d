"""an adviser's last assignment by index

Revision ID: ff50a0000015
Revises: fe40a0000014
Create Date: 2026-11-29 09:50:34.288129

The 顾而不问 list reads each serving adviser's newest assignment; without this index it
grouped every assignment of every year to find them.

"""
from alembic import op
import sqlalchemy as sa

import core.models  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'ff50a0000015'
down_revision = 'fe40a0000014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index('ix_assignment_adviser_assigned', ['adviser_id', 'assigned_on'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_assignment_adviser_assigned')
