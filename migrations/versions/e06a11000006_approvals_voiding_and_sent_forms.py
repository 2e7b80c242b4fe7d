"""government approvals of renewals and dismissals; voiding records entered by mistake;
forms sent once; topic numbers unique within a meeting

Revision ID: e06a11000006
Revises: d08a0d170008
Create Date: 2026-11-27 17:30:00

"""
from alembic import op
import sqlalchemy as sa

import core.models  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'e06a11000006'
down_revision = 'd08a0d170008'
branch_labels = None
depends_on = None

VOIDABLE = ('adviser', 'nomination', 'meeting')


def upgrade():
    with op.batch_alter_table('term', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('approval_doc_no', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('end_approved_on', sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column('end_approval_doc_no', sa.String(length=60), nullable=True)
        )
    for table in VOIDABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('voided_at', core.models.UTCDateTime(timezone=True), nullable=True)
            )
            batch_op.add_column(sa.Column('voided_by_id', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('void_reason', sa.Text(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_voided_by_id_user'), 'user', ['voided_by_id'], ['id']
            )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('topic_count', sa.Integer(), nullable=False, server_default='0')
        )
    _number_topics_afresh()
    with op.batch_alter_table('meeting_topic', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f('uq_meeting_topic_meeting_id_position'), ['meeting_id', 'position']
        )
    op.create_table(
        'form_submission',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('target', sa.String(length=500), nullable=False),
        sa.Column('created_at', core.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_form_submission_user_id_user'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('token', name=op.f('pk_form_submission')),
    )
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_form_submission_created_at'), ['created_at'], unique=False
        )


def _number_topics_afresh():
    """Topics added at the same moment may share a number: number each meeting's topics
    1, 2, 3… in the order they were added, and count them on the meeting."""
    connection = op.get_bind()
    topics = connection.execute(
        sa.text('SELECT id, meeting_id FROM meeting_topic ORDER BY meeting_id, position, id')
    ).all()
    counts = {}
    for topic_id, meeting_id in topics:
        counts[meeting_id] = counts.get(meeting_id, 0) + 1
        connection.execute(
            sa.text('UPDATE meeting_topic SET position = :n WHERE id = :id'),
            {'n': counts[meeting_id], 'id': topic_id},
        )
    for meeting_id, count in counts.items():
        connection.execute(
            sa.text('UPDATE meeting SET topic_count = :n WHERE id = :id'),
            {'n': count, 'id': meeting_id},
        )


def downgrade():
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_submission_created_at'))
    op.drop_table('form_submission')
    with op.batch_alter_table('meeting_topic', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('uq_meeting_topic_meeting_id_position'), type_='unique'
        )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('topic_count')
    for table in reversed(VOIDABLE):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_voided_by_id_user'), type_='foreignkey')
            batch_op.drop_column('void_reason')
            batch_op.drop_column('voided_by_id')
            batch_op.drop_column('voided_at')
    with op.batch_alter_table('term', schema=None) as batch_op:
        batch_op.drop_column('end_approval_doc_no')
        batch_op.drop_column('end_approved_on')
        batch_op.drop_column('approval_doc_no')
        batch_op.drop_column('approved_on')
