"""copy confirmations: pairs of claims an analyst confirmed are copies

Revision ID: 0005_records
Revises: 0004_team
Create Date: 2026-12-02 13:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005_records'
down_revision: Union[str, None] = '0004_team'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('copy_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('a_id', sa.Integer(), nullable=False),
    sa.Column('b_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('analyst', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['a_id'], ['claims.id'], name=op.f('fk_copy_confirmations_a_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['b_id'], ['claims.id'], name=op.f('fk_copy_confirmations_b_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_copy_confirmations')),
    sa.UniqueConstraint('a_id', 'b_id', name=op.f('uq_copy_confirmations_a_id_b_id'))
    )
    with op.batch_alter_table('copy_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_copy_confirmations_b_id'), ['b_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('copy_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_copy_confirmations_b_id'))
    op.drop_table('copy_confirmations')
