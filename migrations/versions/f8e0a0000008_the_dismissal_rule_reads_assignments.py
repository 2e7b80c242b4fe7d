"""the dismissal rule reads assignments declined or left unanswered

Revision ID: f8e0a0000008
Revises: f7a0e0000007
Create Date: 2026-11-28 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f8e0a0000008'
down_revision = 'f7a0e0000007'
branch_labels = None
depends_on = None


def upgrade():
    # the versions stored so far keep their meaning with the plan's defaults for the new parts
    with op.batch_alter_table('dismissal_rule_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ignored_matters', sa.Integer(), nullable=False, server_default='3'))
        batch_op.add_column(sa.Column('answer_days', sa.Integer(), nullable=False, server_default='10'))


def downgrade():
    with op.batch_alter_table('dismissal_rule_version', schema=None) as batch_op:
        batch_op.drop_column('answer_days')
        batch_op.drop_column('ignored_matters')
