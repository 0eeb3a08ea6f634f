"""proposals.denial: a proposal whose source denies the content it was read from

"The Defence Ministry denied that any civilians were hurt" is proposed as the ministry asserting
"No civilians were hurt"; the flag says so on the proposal (shown by ``proposals`` and the review
screen). Existing proposals were read as assertions: false.

Revision ID: 0009_proposal_denial
Revises: 0008
Create Date: 2026-12-08 04:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_proposal_denial'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('proposals') as batch:
        batch.add_column(sa.Column('denial', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('proposals') as batch:
        batch.drop_column('denial')
