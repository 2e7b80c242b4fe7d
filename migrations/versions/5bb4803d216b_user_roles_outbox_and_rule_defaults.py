"""user roles, the mail outbox, and the dismissal rule's defaults stored as version 1

A user may now hold several roles (user_role); each user's former single role is copied over.
E-mail goes through an outbox sent after commit. The plan's dismissal thresholds are stored as
version 1 here, so no page has to write them on first view.

Revision ID: 5bb4803d216b
Revises: d9cbfd72ff12
Create Date: 2026-11-27 11:42:04.130289

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import core.models  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '5bb4803d216b'
down_revision = 'd9cbfd72ff12'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('created_at', core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', core.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('message_id', name=op.f('uq_outbox_message_message_id'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_status'), ['status'], unique=False)

    op.create_table('user_role',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_role_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_role'))
    )
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_role_role'), ['role'], unique=False)

    op.execute('INSERT INTO user_role (user_id, role) SELECT id, role FROM "user"')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('role')

    rule = sa.table(
        'dismissal_rule_version',
        sa.column('consecutive_absences', sa.Integer),
        sa.column('min_rate', sa.Numeric(5, 1)),
        sa.column('window_months', sa.Integer),
        sa.column('min_meetings', sa.Integer),
        sa.column('created_at', core.models.UTCDateTime(timezone=True)),
    )
    stored = op.get_bind().execute(sa.text('SELECT COUNT(*) FROM dismissal_rule_version')).scalar()
    if not stored:
        op.bulk_insert(rule, [{
            'consecutive_absences': 3, 'min_rate': 50, 'window_months': 12, 'min_meetings': 4,
            'created_at': datetime.now(UTC),
        }])


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.VARCHAR(length=20), nullable=False, server_default='viewer'))
    # keep the most powerful role each user held
    for role in ('viewer', 'liaison', 'adviser', 'office', 'admin'):
        op.execute(
            f"UPDATE \"user\" SET role = '{role}' WHERE id IN "
            f"(SELECT user_id FROM user_role WHERE role = '{role}')"
        )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('role', server_default=None)

    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_role_role'))

    op.drop_table('user_role')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_status'))

    op.drop_table('outbox_message')
