"""stored files: attachments kept in the database, bytes and all

Revision ID: f2f11e500002
Revises: f1a0c4000001
Create Date: 2026-12-10 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import core.models

# revision identifiers, used by Alembic.
revision = 'f2f11e500002'
down_revision = 'f1a0c4000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_stored_file_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file'))
    )


def downgrade():
    op.drop_table('stored_file')
