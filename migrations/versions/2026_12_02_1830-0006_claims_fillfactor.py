"""claims fillfactor 80 on PostgreSQL: room on each page for scoring's belief updates

``verifier score`` rewrites the belief and credibility of up to every claim. On full pages
PostgreSQL cannot update a row in place (HOT), so each update writes a new entry into
every index of claims, the full-text GIN index included (its expression re-tokenised):
at a million claims the write back took 140 s. With a fifth of each page free the updates
stay on their page and no index is touched. Pages written before this migration keep
their layout until rewritten (VACUUM FULL, or a dump and restore). SQLite: nothing to do.

Revision ID: 0006_fillfactor
Revises: 0005_records
Create Date: 2026-12-02 18:30:00

"""
from typing import Sequence, Union

from alembic import op


revision: str = '0006_fillfactor'
down_revision: Union[str, None] = '0005_records'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE claims SET (fillfactor = 80)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE claims RESET (fillfactor)")
