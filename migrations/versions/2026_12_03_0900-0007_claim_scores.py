"""claim_scores: belief and credibility move out of the wide claims rows

A full ``verifier score`` rewrites the belief and credibility of up to every claim. Kept in
``claims``, each such update writes a new version of the whole wide row (text, norm, tags):
at a million claims on PostgreSQL the bare UPDATE took 15 s. In a narrow table of their own,
on pages half left free (fillfactor 50), the same rewrite is a HOT update in place and took
4-5 s. Existing scores are carried over; a claim without a row has not been scored.
SQLite drops the two columns with its own ALTER TABLE ... DROP COLUMN (3.35+), which keeps
the full-text triggers on claims that a batch rebuild of the table would lose; an older SQLite
keeps them, unused (nothing reads or writes them after this revision).

Revision ID: 0007_claim_scores
Revises: 0006_fillfactor
Create Date: 2026-12-03 09:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_claim_scores'
down_revision: str | None = '0006_fillfactor'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _can_drop_columns() -> bool:
    bind = op.get_bind()
    return bind.dialect.name != "sqlite" or bind.dialect.dbapi.sqlite_version_info >= (3, 35)


def upgrade() -> None:
    op.create_table('claim_scores',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('belief', sa.Float(), nullable=False),
    sa.Column('credibility', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_scores_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', name=op.f('pk_claim_scores'))
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE claim_scores SET (fillfactor = 50)")
    op.execute("INSERT INTO claim_scores (claim_id, belief, credibility) "
               "SELECT id, belief, coalesce(credibility, 6) FROM claims WHERE belief IS NOT NULL")
    if _can_drop_columns():
        op.execute("ALTER TABLE claims DROP COLUMN belief")
        op.execute("ALTER TABLE claims DROP COLUMN credibility")


def downgrade() -> None:
    if _can_drop_columns():
        op.execute("ALTER TABLE claims ADD COLUMN belief FLOAT")
        op.execute("ALTER TABLE claims ADD COLUMN credibility INTEGER")
    op.execute("UPDATE claims SET belief = (SELECT s.belief FROM claim_scores s WHERE s.claim_id = claims.id), "
               "credibility = (SELECT s.credibility FROM claim_scores s WHERE s.claim_id = claims.id)")
    op.drop_table('claim_scores')
