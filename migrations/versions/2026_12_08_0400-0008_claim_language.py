"""claims.language: the language a claim is written in ("ar", "en"; NULL when it cannot be told)

Detected from the text by ``verifier.domain.language.detect`` on every path that creates or
edits a claim; this revision adds the column and fills it for the claims already stored. The
claims with Arabic text also get their ``norm`` again (``normalise`` now folds alef maqsura,
ta marbuta, tatweel and the digits of every script), so the text index finds them as it finds
new ones; the index follows by its own triggers (SQLite) or expression index (PostgreSQL).
A downgrade keeps the folded ``norm``: it still holds the same words.
The column is added and dropped with the database's own ALTER TABLE (no batch rebuild on
SQLite, which would lose the full-text triggers on claims; see 0007).

Revision ID: 0008
Revises: 0007_claim_scores
Create Date: 2026-12-08 04:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from verifier.domain.language import detect
from verifier.domain.normalisation import has_arabic, normalise_uncached

revision: str = '0008'
down_revision: str | None = '0007_claim_scores'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 10_000


def upgrade() -> None:
    op.execute("ALTER TABLE claims ADD COLUMN language VARCHAR(8)")
    bind = op.get_bind()
    claims = sa.table("claims", sa.column("id", sa.Integer), sa.column("text", sa.Text),
                      sa.column("norm", sa.Text), sa.column("language", sa.String(8)))
    last = 0
    while True:
        rows = bind.execute(sa.select(claims.c.id, claims.c.text).where(claims.c.id > last)
                            .order_by(claims.c.id).limit(BATCH)).all()
        if not rows:
            break
        known = [{"cid": cid, "lang": lang} for cid, text in rows if (lang := detect(text)) is not None]
        if known:
            bind.execute(claims.update().where(claims.c.id == sa.bindparam("cid"))
                         .values(language=sa.bindparam("lang")), known)
        arabic = [{"cid": cid, "new_norm": normalise_uncached(text)} for cid, text in rows if has_arabic(text)]
        if arabic:
            bind.execute(claims.update().where(claims.c.id == sa.bindparam("cid"))
                         .values(norm=sa.bindparam("new_norm")), arabic)
        last = rows[-1][0]


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite" or bind.dialect.dbapi.sqlite_version_info >= (3, 35):
        op.execute("ALTER TABLE claims DROP COLUMN language")
