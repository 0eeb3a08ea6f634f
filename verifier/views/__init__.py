"""The read side: queries that return frozen rows (``views.rows``) for the CLI, the TUI and
reports, and the one converter that turns them into JSON (``views.convert``).

Each function takes a SQLAlchemy session (from a read-only unit of work). Big listings page
(limit/offset) in the database. By subject: ``source`` (the listing, exports), ``claim``
(listings, one claim, its links), ``record`` (one source's track record), ``audit`` (the log,
totals, documents), ``pairs`` (near-duplicates).
"""

from __future__ import annotations

from verifier.views import rows
from verifier.views.audit import all_events, audit_events, audit_head, document_detail, summary
from verifier.views.claim import claim_detail, claim_links, claims, count_claims, linked_claim_keys
from verifier.views.common import VERDICTS
from verifier.views.convert import plain
from verifier.views.display import display_pieces
from verifier.views.pairs import duplicate_queue, similar, similar_to_claim
from verifier.views.record import source_detail, topics, track_record, track_records
from verifier.views.source import export, source_ids, sources

__all__ = [
    "VERDICTS", "all_events", "audit_events", "audit_head", "claim_detail", "claim_links", "claims", "count_claims", "display_pieces",
    "document_detail", "duplicate_queue", "export", "linked_claim_keys", "plain", "rows", "similar", "similar_to_claim",
    "source_detail", "source_ids", "sources", "summary", "topics", "track_record", "track_records",
]
