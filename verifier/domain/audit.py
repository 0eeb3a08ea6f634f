"""The audit log's hash chain: pure functions, no storage.

Each event's hash covers its sequence number, its content and the previous event's hash,
so editing, removing or reordering an event breaks the chain at that event.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from attrs import frozen

GENESIS = "0" * 64


def canonical(value: Any) -> str | None:
    """The one JSON spelling of a value that the chain hashes (sorted keys, no spaces)."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


@frozen
class Event:
    seq: int
    at: datetime
    analyst: str
    action: str
    entity: str
    key: str | None
    before: str | None  # canonical JSON
    after: str | None  # canonical JSON
    prev_hash: str
    hash: str


def event_hash(prev_hash: str, seq: int, at: datetime, analyst: str, action: str, entity: str,
               key: str | None, before: str | None, after: str | None) -> str:
    body = json.dumps(
        [prev_hash, seq, at.isoformat(), analyst, action, entity, key, before, after],
        separators=(",", ":"), ensure_ascii=False,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@frozen
class ChainBreak:
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"event {self.seq}: {self.problem}"


def verify_chain(events: Iterable[Event]) -> ChainBreak | None:
    """The first event where the chain breaks, or None when it is intact.

    ``events`` must come in ascending ``seq`` order as stored.
    """
    prev_hash, prev_seq = GENESIS, 0
    for ev in events:
        if ev.seq != prev_seq + 1:
            if ev.seq <= prev_seq:
                return ChainBreak(ev.seq, f"out of order (follows event {prev_seq})")
            return ChainBreak(prev_seq + 1, f"removed (event {ev.seq} follows event {prev_seq})")
        if ev.prev_hash != prev_hash:
            return ChainBreak(ev.seq, "does not follow the previous event (reordered or a predecessor was changed)")
        expected = event_hash(ev.prev_hash, ev.seq, ev.at, ev.analyst, ev.action, ev.entity, ev.key, ev.before, ev.after)
        if expected != ev.hash:
            return ChainBreak(ev.seq, "edited (its content does not match its hash)")
        prev_hash, prev_seq = ev.hash, ev.seq
    return None


def check_anchor(events: list[Event], seq: int, digest: str) -> ChainBreak | None:
    """Compare the stored chain with a head recorded elsewhere (``audit verify`` prints it):
    catches the one thing a chain cannot see by itself, its newest events cut off."""
    by_seq = {ev.seq: ev for ev in events}
    if seq == 0:
        return None  # recorded when the log was empty: anything since extends it
    if seq not in by_seq:
        last = max(by_seq, default=0)
        return ChainBreak(last + 1, f"removed (the recorded head is event {seq}; the log ends at event {last})")
    if by_seq[seq].hash != digest:
        return ChainBreak(seq, "does not match the recorded head (the log was rewritten)")
    return None


# --------------------------------------------------------------------------- checkpoints

CHECKPOINT_PREFIX = "vcp1"


def _mac(key: bytes, seq: int, head: str) -> str:
    return hmac.new(key, f"{CHECKPOINT_PREFIX}:{seq}:{head}".encode("ascii"), hashlib.sha256).hexdigest()


def checkpoint(key: bytes, seq: int, head: str) -> str:
    """A signed checkpoint of the log's head, one line to keep elsewhere: ``vcp1:SEQ:HEAD:MAC``
    (HMAC-SHA256 under the server's key, which is not in the database)."""
    return f"{CHECKPOINT_PREFIX}:{seq}:{head}:{_mac(key, seq, head)}"


def read_checkpoint(key: bytes, token: str) -> tuple[int, str]:
    """(seq, head) of a checkpoint this key signed; ValueError naming what is wrong."""
    parts = token.strip().split(":")
    if len(parts) != 4 or parts[0] != CHECKPOINT_PREFIX or not parts[1].isdigit() or len(parts[2]) != 64:
        raise ValueError("not a checkpoint (expected vcp1:SEQ:HEAD:MAC as printed by `verifier audit checkpoint`)")
    seq, head, mac = int(parts[1]), parts[2], parts[3]
    if not hmac.compare_digest(mac, _mac(key, seq, head)):
        raise ValueError("the checkpoint's signature does not match this key (altered, or signed with another key)")
    return seq, head
