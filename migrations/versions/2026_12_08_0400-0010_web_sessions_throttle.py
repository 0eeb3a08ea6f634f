"""web sessions and sign-in throttling: `verifier serve` signs people in at the web server

Sessions (the hash of each browser's cookie token, its user and expiry) and the sign-in
throttle (failures per client address and per typed name from that address) live in the
database, so `user disable` / `user passwd` revoke sessions at once and several server
processes share both.

Revision ID: 0010_web_sessions
Revises: 0009_proposal_denial
Create Date: 2026-12-08 04:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_web_sessions'
down_revision: str | None = '0009_proposal_denial'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('web_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('analyst', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions'))
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_analyst'), ['analyst'], unique=False)

    op.create_table('sign_in_throttle',
    sa.Column('account', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('account', 'address', name=op.f('pk_sign_in_throttle'))
    )


def downgrade() -> None:
    op.drop_table('sign_in_throttle')
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_analyst'))
    op.drop_table('web_sessions')
