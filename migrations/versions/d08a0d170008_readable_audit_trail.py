"""a readable audit trail: change sets, record names, parents and client addresses

Revision ID: d08a0d170008
Revises: c27f0a000027
Create Date: 2026-11-28 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd08a0d170008'
down_revision = 'c27f0a000027'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_label', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('parent_type', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('parent_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('change_set', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('client_ip', sa.String(length=64), nullable=True))
        batch_op.alter_column(
            'action', existing_type=sa.String(length=20), type_=sa.String(length=40),
            existing_nullable=False,
        )
    # an event written before change sets is an action of its own
    op.execute("UPDATE audit_event SET change_set = CAST(id AS VARCHAR(32))")
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('change_set', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_index('ix_audit_event_change_set', ['change_set'], unique=False)
        batch_op.create_index('ix_audit_event_parent', ['parent_type', 'parent_id'], unique=False)


def downgrade():
    # the old column holds 20 characters: longer account events are cut, not lost
    op.execute("UPDATE audit_event SET action = SUBSTR(action, 1, 20) WHERE LENGTH(action) > 20")
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_parent')
        batch_op.drop_index('ix_audit_event_change_set')
        batch_op.alter_column(
            'action', existing_type=sa.String(length=40), type_=sa.String(length=20),
            existing_nullable=False,
        )
        batch_op.drop_column('client_ip')
        batch_op.drop_column('change_set')
        batch_op.drop_column('parent_id')
        batch_op.drop_column('parent_type')
        batch_op.drop_column('record_label')
