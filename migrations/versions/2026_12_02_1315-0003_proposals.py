"""proposals: claims read from a report's prose, awaiting review

Revision ID: 0003_proposals
Revises: 0001
Create Date: 2026-12-02 13:15:00

`verifier ingest` keeps the report it read (documents.body, the text the proposals'
offsets point into) and its file's SHA-256 (documents.digest: re-ingesting a file changes
nothing), and its proposals in their own table, where nothing counts them until accepted.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0003_proposals'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_documents_digest'), ['digest'])

    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('source_name', sa.String(length=500), nullable=True),
    sa.Column('source_kind', sa.String(length=20), nullable=True),
    sa.Column('affiliation', sa.String(length=500), nullable=True),
    sa.Column('source_mention', sa.Text(), nullable=True),
    sa.Column('source_start', sa.Integer(), nullable=True),
    sa.Column('source_end', sa.Integer(), nullable=True),
    sa.Column('via', sa.JSON(), nullable=False),
    sa.Column('cue', sa.String(length=100), nullable=True),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('qualifier', sa.String(length=20), nullable=True),
    sa.Column('value_num', sa.Float(), nullable=True),
    sa.Column('value_high', sa.Float(), nullable=True),
    sa.Column('value_text', sa.Text(), nullable=True),
    sa.Column('unit', sa.String(length=100), nullable=True),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.Column('location', sa.String(length=500), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_proposals_claim_id_claims'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_proposals_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_proposals_source_id_sources'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_source_id'), ['source_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_source_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_document_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_claim_id'))
    op.drop_table('proposals')

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_documents_digest'), type_='unique')
        batch_op.drop_column('body')
        batch_op.drop_column('digest')
