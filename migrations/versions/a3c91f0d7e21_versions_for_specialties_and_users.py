"""versions for specialties and users: a stale or versionless save is refused

Revision ID: a3c91f0d7e21
Revises: e761f92c9b92
Create Date: 2026-11-27 15:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c91f0d7e21'
down_revision = 'e761f92c9b92'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('specialty', 'user'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('version', sa.Integer(), nullable=False, server_default='1')
            )


def downgrade():
    for table in ('user', 'specialty'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
