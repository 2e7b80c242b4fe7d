"""seal the stored secrets: second-factor secrets and calendar keys under the secret key

Revision ID: fe40a0000014
Revises: fd30a0000013
Create Date: 2026-11-29 09:20:00.000000

Each user's second-factor secret and calendar key were kept in the clear, so every backup and
dump held them. They are sealed here with a key derived from SECRET_KEY (core.sealing), which
the upgrade therefore needs: run it with the site's own key, as `flask db upgrade` does. The
calendar key is found by its SHA-256 from now on, so subscribed addresses keep working.
"""
import hashlib
import secrets

import sqlalchemy as sa
from alembic import op
from flask import current_app

from core.sealing import seal, unseal

# revision identifiers, used by Alembic.
revision = 'fe40a0000014'
down_revision = 'fd30a0000013'
branch_labels = None
depends_on = None

users = sa.table(
    'user',
    sa.column('id', sa.Integer),
    sa.column('calendar_token', sa.String),
    sa.column('calendar_digest', sa.String),
    sa.column('totp_secret', sa.String),
)


def _rows():
    return op.get_bind().execute(
        sa.select(users.c.id, users.c.calendar_token, users.c.totp_secret)
    ).all()


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('calendar_token', existing_type=sa.String(length=64),
                              type_=sa.String(length=255), existing_nullable=False)
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64),
                              type_=sa.String(length=255), existing_nullable=True)
        batch_op.add_column(sa.Column('calendar_digest', sa.String(length=64), nullable=True))

    config = current_app.config
    for user_id, token, secret in _rows():
        op.get_bind().execute(
            users.update().where(users.c.id == user_id).values(
                calendar_token=seal(token, config),
                calendar_digest=hashlib.sha256(token.encode()).hexdigest(),
                totp_secret=secret and seal(secret, config),
            )
        )

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('calendar_digest', existing_type=sa.String(length=64),
                              nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_user_calendar_digest'),
                                          ['calendar_digest'])


def downgrade():
    config = current_app.config
    for user_id, token, secret in _rows():
        # what the key no longer opens is lost either way: a new calendar key, no app secret
        token = unseal(token, config) or secrets.token_urlsafe(24)
        op.get_bind().execute(
            users.update().where(users.c.id == user_id).values(
                calendar_token=token, totp_secret=secret and unseal(secret, config)
            )
        )

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_calendar_digest'), type_='unique')
        batch_op.drop_column('calendar_digest')
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255),
                              type_=sa.String(length=64), existing_nullable=True)
        batch_op.alter_column('calendar_token', existing_type=sa.String(length=255),
                              type_=sa.String(length=64), existing_nullable=False)
