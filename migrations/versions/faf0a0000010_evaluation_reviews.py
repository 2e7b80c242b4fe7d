"""the adviser's comment and review of a yearly evaluation, and the office's answer

Revision ID: faf0a0000010
Revises: f9e0a0000009
Create Date: 2026-11-28 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import core.models  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'faf0a0000010'
down_revision = 'f9e0a0000009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('annual_evaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('commented_at', core.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('review_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('review_requested_at', core.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('review_answer', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('review_answered_at', core.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('review_answered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('grade_before_review', sa.String(length=20), nullable=True))
        batch_op.create_foreign_key(
            'fk_annual_evaluation_review_answered_by_id_user', 'user', ['review_answered_by_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('annual_evaluation', schema=None) as batch_op:
        batch_op.drop_constraint('fk_annual_evaluation_review_answered_by_id_user', type_='foreignkey')
        batch_op.drop_column('grade_before_review')
        batch_op.drop_column('review_answered_by_id')
        batch_op.drop_column('review_answered_at')
        batch_op.drop_column('review_answer')
        batch_op.drop_column('review_requested_at')
        batch_op.drop_column('review_reason')
        batch_op.drop_column('commented_at')
        batch_op.drop_column('comment')
