"""Tables and the imperative mapping of the domain classes onto them.

The schema is owned by Alembic (``migrations/``); ``metadata`` here is what the migrations
and ``alembic check`` compare against. Bulk paths use these Table objects with Core.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import composite, registry, relationship

from verifier.domain import model
from verifier.domain.values import Value
from verifier.domain.vocabulary import Qualifier

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def _analyst_column(name: str = "analyst", **options) -> Column:
    """A column naming an analyst (a user, on a shared server): who acted, or for whom."""
    return Column(name, String(200), **options)


def _claim_id_key() -> Column:
    """``claim_id``, the primary key (or its first part) of a table of what belongs to one
    claim: the rows go when the claim does."""
    return Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)

sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("name", String(500), nullable=False),
    Column("kind", String(20), nullable=False, default="unknown"),
    Column("aliases", JSON, nullable=False, default=list),
    Column("affiliation", String(500)),
    Column("parent_id", Integer, ForeignKey("sources.id", ondelete="SET NULL"), index=True),
    Column("grade", String(1)),
    Column("notes", Text),
    Column("created_at", DateTime, nullable=False),
    Column("created_event", Integer),  # the audit event that created it (an add or an import)
    # derived caches, recomputed by the scoring service
    Column("score", Float),
    Column("score_low", Float),
    Column("score_high", Float),
    Column("letter", String(1)),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("title", Text),
    Column("url", Text),
    Column("publisher_id", Integer, ForeignKey("sources.id", ondelete="SET NULL"), index=True),
    Column("published", Date),
    Column("retrieved", Date),
    Column("created_at", DateTime, nullable=False),
    # a report read by `verifier ingest`: its file's SHA-256 (re-ingesting it changes nothing)
    # and the text the proposals' offsets point into
    Column("digest", String(64), unique=True),
    Column("body", Text),
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("norm", Text, nullable=False, default=""),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False, index=True),
    Column("language", String(8)),  # "ar", "en"; NULL when it cannot be told (domain.language)
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL"), index=True),
    Column("published", Date),
    Column("event_date", Date),
    Column("location", String(500)),
    Column("tags", JSON, nullable=False, default=list),
    Column("subject", String(1000), index=True),
    Column("qualifier", String(20)),
    Column("value_num", Float),
    Column("value_high", Float),
    Column("value_text", Text),
    Column("unit", String(100)),
    Column("status", String(20), nullable=False, default="unresolved"),
    Column("created_at", DateTime, nullable=False),
    Column("created_event", Integer),
    # derived caches for the triage queue, recomputed by services
    Column("support", Integer, nullable=False, default=0),
    Column("contradicted", Integer, nullable=False, default=0),
    Index("ix_claims_queue", "status", "contradicted", "support", "published", "id"),
)

claim_relays = Table(
    "claim_relays", metadata,
    _claim_id_key(),
    Column("position", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False, index=True),
)

links = Table(
    "links", metadata,
    Column("id", Integer, primary_key=True),
    Column("from_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("to_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("relation", String(20), nullable=False),
    Column("origin", String(20), nullable=False, default="analyst"),
    Column("state", String(20), nullable=False, default="confirmed"),
    Column("score", Float),
    Column("note", Text),
    _analyst_column(),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("from_id", "to_id", "relation"),
    Index("ix_links_relation_state", "relation", "state", "score"),
)

resolutions = Table(
    "resolutions", metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("verdict", String(20), nullable=False),
    Column("at", DateTime, nullable=False, index=True),
    Column("rationale", Text),
    Column("evidence", Text),
    _analyst_column(),
    Column("created_at", DateTime, nullable=False),
)


def _pairs(name: str, of: str, first: str, second: str) -> Table:
    """A table of pairs of rows of table ``of`` an analyst set down (each pair once), with a
    note, who and when; a pair goes when either of its rows does."""
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True),
        Column(first, Integer, ForeignKey(f"{of}.id", ondelete="CASCADE"), nullable=False),
        Column(second, Integer, ForeignKey(f"{of}.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("note", Text),
        _analyst_column(),
        Column("created_at", DateTime, nullable=False),
        UniqueConstraint(first, second),
    )


# An analyst's declarations that a source depends on another (source_id on on_id): their reports count once.
source_dependencies = _pairs("source_dependencies", "sources", "source_id", "on_id")
# Pairs of claims (a_id < b_id) the copy detector called copies and an analyst said are not.
copy_overrules = _pairs("copy_overrules", "claims", "a_id", "b_id")
# Pairs of claims an analyst confirmed are copies (one reuses the other's report): they count once.
copy_confirmations = _pairs("copy_confirmations", "claims", "a_id", "b_id")

# Claims read from a document's prose by `verifier ingest`, awaiting review. Nothing reads
# this table but the proposal commands and the review screen: a proposal counts in nothing
# until accepted, when it becomes an ordinary claim (claim_id).
proposals = Table(
    "proposals", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL"), index=True),
    Column("source_name", String(500)),  # a new source's name (source_id is None) or the match's name
    Column("source_kind", String(20)),
    Column("affiliation", String(500)),
    Column("source_mention", Text),
    Column("source_start", Integer),
    Column("source_end", Integer),
    Column("via", JSON, nullable=False, default=list),  # source ids or new names, nearest first
    Column("cue", String(100)),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("confidence", Float, nullable=False, default=0.5),
    Column("qualifier", String(20)),
    Column("value_num", Float),
    Column("value_high", Float),
    Column("value_text", Text),
    Column("unit", String(100)),
    Column("event_date", Date),
    Column("location", String(500)),
    Column("denial", Boolean, nullable=False, default=False, server_default=false()),  # the source denies it
    Column("state", String(20), nullable=False, default="proposed"),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="SET NULL"), index=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

events = Table(
    "events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", DateTime, nullable=False),
    _analyst_column(nullable=False),
    Column("action", String(40), nullable=False),
    Column("entity", String(20), nullable=False),
    Column("key", String(400), index=True),
    Column("before", Text),
    Column("after", Text),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# audit events are numbered at commit (adapters.repository.EventLog); a row made before then
# that names its event (claims', sources' created_event) holds -ref, and the commit fills seq
event_refs = Table(
    "event_refs", metadata,
    Column("ref", Integer, primary_key=True, autoincrement=True),
    Column("seq", Integer),
)

settings = Table(
    "settings", metadata,
    Column("name", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

# belief and Admiralty credibility, written by scoring (services.scoring through adapters.scores).
# A narrow table of its own: a full score rewrites up to every row, and on PostgreSQL a
# rewrite of narrow rows on half-full pages (fillfactor 50, migration 0007) stays in place;
# in the wide claims rows the same rewrite took 15 s at a million claims. No row: not scored.
claim_scores = Table(
    "claim_scores", metadata,
    _claim_id_key(),
    Column("belief", Float, nullable=False),
    Column("credibility", Integer, nullable=False),
)

claim_embeddings = Table(
    "claim_embeddings", metadata,
    _claim_id_key(),
    Column("model", String(100), nullable=False),
    Column("vector", LargeBinary, nullable=False),
)

# ---- a team on one server (verifier serve): users, assignment, watches, inbox
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    _analyst_column("name", nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(400), nullable=False),  # argon2id (PHC string), never the password
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failures", Integer, nullable=False, default=0),  # failed sign-ins since the last success
    Column("locked_until", DateTime),  # no sign-in is tried before this (backoff)
    Column("last_sign_in", DateTime),
    Column("created_at", DateTime, nullable=False),
)

claim_assignments = Table(
    "claim_assignments", metadata,
    _claim_id_key(),
    _analyst_column(nullable=False, index=True),
    _analyst_column("assigned_by", nullable=False),
    Column("at", DateTime, nullable=False),
)

watches = Table(
    "watches", metadata,
    Column("id", Integer, primary_key=True),
    _analyst_column(nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("value", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

inbox = Table(
    "inbox", metadata,
    Column("id", Integer, primary_key=True),
    _analyst_column(nullable=False),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("watch_id", Integer, ForeignKey("watches.id", ondelete="SET NULL"), index=True),
    Column("why", Text, nullable=False),
    Column("score", Float),
    Column("created_at", DateTime, nullable=False),
    Column("read_at", DateTime),
    UniqueConstraint("analyst", "claim_id"),
    Index("ix_inbox_unread", "analyst", "read_at"),
)

# ---- signing in to `verifier serve` at the web server: sessions and throttling, shared by
# every server process on the same database
web_sessions = Table(
    "web_sessions", metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the cookie's token, never the token
    _analyst_column(nullable=False, index=True),
    Column("address", String(64), nullable=False),  # where the sign-in came from
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

sign_in_throttle = Table(
    "sign_in_throttle", metadata,
    _analyst_column("account", primary_key=True),  # a typed name ("" for the address's own count)
    Column("address", String(64), primary_key=True),  # the client address (an IPv6 /64)
    Column("failures", Integer, nullable=False),
    Column("locked_until", DateTime),  # no password is checked for this bucket before then
    Column("updated_at", DateTime, nullable=False),
)

mapper_registry = registry(metadata=metadata)
_mapped = False


def value_factory(qualifier, number, high, text, unit):
    if qualifier is None and number is None and text is None:
        return None
    q = Qualifier.parse(qualifier, "qualifier") if qualifier else Qualifier.EXACT
    return Value(q, number, high, text, unit)


def start_mappers() -> None:
    """Map the domain classes onto the tables (idempotent)."""
    global _mapped
    if _mapped:
        return
    _mapped = True
    mapper_registry.map_imperatively(
        model.Source, sources,
        properties={
            "parent": relationship(model.Source, remote_side=[sources.c.id], lazy="joined", join_depth=3),
        },
        exclude_properties=["score", "score_low", "score_high", "letter", "created_event"],
    )
    mapper_registry.map_imperatively(
        model.Document, documents,
        properties={"publisher": relationship(model.Source, lazy="joined")},
        exclude_properties=["digest", "body"],  # an ingested report's; read and written by the proposals repository
    )
    mapper_registry.map_imperatively(
        model.Relay, claim_relays,
        properties={"source": relationship(model.Source, lazy="joined")},
    )
    mapper_registry.map_imperatively(
        model.Claim, claims,
        properties={
            "source": relationship(model.Source, lazy="joined"),
            "document": relationship(model.Document, lazy="joined"),
            "relays": relationship(
                model.Relay, order_by=claim_relays.c.position, cascade="all, delete-orphan", lazy="selectin",
            ),
            "value": composite(
                value_factory, claims.c.qualifier, claims.c.value_num, claims.c.value_high,
                claims.c.value_text, claims.c.unit,
            ),
        },
        exclude_properties=["support", "contradicted", "created_event"],
    )
    event.listen(model.Claim, "after_insert", _index_new_claim)
    mapper_registry.map_imperatively(
        model.Link, links,
        properties={
            "a": relationship(model.Claim, foreign_keys=[links.c.from_id], lazy="joined"),
            "b": relationship(model.Claim, foreign_keys=[links.c.to_id], lazy="joined"),
        },
    )
    mapper_registry.map_imperatively(
        model.Resolution, resolutions,
        properties={"claim": relationship(model.Claim, lazy="joined")},
    )


def _index_new_claim(mapper, connection, target) -> None:
    """SQLite FTS5 has no insert trigger (bulk imports index in one statement); a claim
    added through the ORM is indexed here, in the same transaction."""
    if connection.dialect.name == "sqlite":
        connection.execute(
            text("INSERT INTO claim_fts(rowid, norm) SELECT id, norm FROM claims WHERE key = :k"), {"k": target.key}
        )
