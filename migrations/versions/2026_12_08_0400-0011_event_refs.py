"""event_refs: audit events are sequenced at commit, so what points at one waits for its seq

Writers no longer hold a database-wide lock for their whole transaction; the audit log's
events are numbered and chained in a short step at commit (``adapters.repository.EventLog``).
A claim or source made in a transaction records the event that made it before that event has
a number: ``created_event`` then holds ``-ref``, a row here that the commit fills with the
event's seq (one row per transaction, whatever its size). Older rows keep the seq itself.

Revision ID: 0011_event_refs
Revises: 0010_web_sessions
Create Date: 2026-12-08 04:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011_event_refs'
down_revision: str | None = '0010_web_sessions'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('event_refs',
    sa.Column('ref', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('ref', name=op.f('pk_event_refs'))
    )


def downgrade() -> None:
    # references to events numbered at commit become the seq itself again
    for table in ("claims", "sources"):
        op.execute(f"UPDATE {table} SET created_event = (SELECT r.seq FROM event_refs r "
                   f"WHERE r.ref = -{table}.created_event) WHERE created_event < 0")
    op.drop_table('event_refs')
