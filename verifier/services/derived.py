"""Links derived from structured values.

Claims on the same subject corroborate each other when their values are compatible
("more than 6250" and "7000") and contradict each other when not. A source restating its
own subject with another figure is a revision, not a contradiction: no link is derived
between two claims of one source. Links go to one representative claim per value, so a
subject reported a thousand times does not make half a million links; the relations hold
transitively (the corroboration check and the scoring follow links).
"""

from __future__ import annotations

from collections import defaultdict

from verifier.adapters import link_queries, orm
from verifier.adapters.bulk import Values, bulk_insert
from verifier.domain.checks import utcnow
from verifier.domain.values import qualifier_words, value_from_columns, values_compatible

CHUNK = 500
LINK_COLUMNS = ("from_id", "to_id", "relation", "origin", "state", "score", "note", "analyst", "created_at", "updated_at")
NOTE_OK, NOTE_CONFLICT = "same subject, compatible values", "same subject, incompatible values"
NOTE_EQUAL = "same subject, same value"


def _value(row):
    return value_from_columns(row.qualifier, row.value_num, row.value_high, row.value_text)


def _qualifier(row) -> str:
    return qualifier_words(row.qualifier)


def derive_links(uow, claim_ids: list[int]) -> set[int]:
    """Add derived corroborates/contradicts links for these (new) claims; returns touched ids."""
    if not claim_ids:
        return set()
    s = uow.session
    new_rows = link_queries.valued_claims(s, claim_ids)
    if not new_rows:
        return set()
    by_subject: dict[str, list] = defaultdict(list)
    for r in link_queries.valued_claims_of_subjects(s, sorted({r.subject for r in new_rows})):
        by_subject[r.subject].append(r)
    new_set = {r.id for r in new_rows}
    ids = sorted({r.id for rows in by_subject.values() for r in rows})
    existing = link_queries.linked_from(s, ids, besides="duplicates")
    conv = Values(s, utcnow())
    rows, touched = [], set()
    compat_cache: dict[tuple, bool] = {}
    for members in by_subject.values():
        for b, a, relation, note in _subject_links(members, new_set, existing, compat_cache):
            rows.append((b, a, relation, "derived", "confirmed", None, note, uow.analyst, conv.now, conv.now))
            touched.update((a, b))
    if rows:
        bulk_insert(s, orm.links, LINK_COLUMNS, rows, conv)
    return touched



def _subject_links(members: list, new_set: set[int], existing: set, compat_cache: dict[tuple, bool]):
    """The links (new claim, earlier claim, relation, note) among one subject's claims.

    Claims with equal values are linked to the first such claim of another source; each
    distinct value's first claim is linked to the other values' first claims. That is every
    relation, transitively, in O(claims + values^2) links, not O(claims^2)."""
    members.sort(key=lambda r: r.id)
    first_by_value: dict[tuple, list] = {}
    for b in members:
        vkey = (_qualifier(b), _value(b))
        same_value = first_by_value.setdefault(vkey, [])
        is_new = b.id in new_set
        if same_value:
            if is_new:
                a = next((x for x in same_value if x.source_id != b.source_id), None)
                if a is not None and (b.id, a.id) not in existing and (a.id, b.id) not in existing:
                    yield b.id, a.id, "corroborates", NOTE_EQUAL
            if len(same_value) < 2 and all(x.source_id != b.source_id for x in same_value):
                same_value.append(b)  # a second source for the value, for claims of the first's source
            continue
        same_value.append(b)
        if is_new:
            yield from _other_values(b, vkey, first_by_value, existing, compat_cache)


def _other_values(b, vkey: tuple, first_by_value: dict[tuple, list], existing: set, compat_cache: dict[tuple, bool]):
    """A new claim's first-of-its-value links to every other value's first claim of another source."""
    for (q, v), reps in first_by_value.items():
        if (q, v) == vkey:
            continue
        a = reps[0] if reps[0].source_id != b.source_id else (reps[1] if len(reps) > 1 else None)
        if a is None or (b.id, a.id) in existing or (a.id, b.id) in existing:
            continue  # no other source (a revision by the same source is no contradiction), or linked
        key = (q, v, vkey[0], vkey[1])
        ok = compat_cache.get(key)
        if ok is None:
            ok = compat_cache[key] = values_compatible(*key)
        yield b.id, a.id, ("corroborates" if ok else "contradicts"), (NOTE_OK if ok else NOTE_CONFLICT)


def rederive(uow, subjects: list[str]) -> set[int]:
    """Derive these subjects' links again from scratch (a claim's subject, value or source
    changed): the derived links in force among their claims go, and every claim of them is
    derived as new. A derived link an analyst rejected stays (and keeps its pair unlinked).
    Returns the claims whose links changed."""
    if not subjects:
        return set()
    members = sorted(link_queries.claims_of_subjects(uow.session, subjects))
    touched = link_queries.remove_touching(uow.session, members, origin="derived", state="confirmed")
    return touched | derive_links(uow, members)
