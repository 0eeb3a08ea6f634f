"""A fake unit of work with in-memory repositories: the services' use cases run here
without a database (cosmicpython's ``tests/unit/test_services.py`` pattern).

The store is copied on ``with uow:`` and kept only on ``commit()``: what a refused
input did inside the block is gone afterwards, as with the real transaction. Upkeep
(derived links, detection, scoring, watchers) is only noted: the integration tests run it.
"""

from __future__ import annotations

import copy
from types import SimpleNamespace

from verifier.domain import audit, model
from verifier.domain.errors import NotFound
from verifier.services.unit_of_work import AbstractUnitOfWork


class FakeStore:
    """Everything the fake repositories hold."""

    def __init__(self):
        self.sources: dict[str, model.Source] = {}
        self.documents: dict[str, model.Document] = {}
        self.claims: dict[str, model.Claim] = {}
        self.claim_ids: dict[str, int] = {}
        self.created_event: dict[tuple[str, str], int] = {}
        self.link_counts: dict[int, tuple[int, int]] = {}
        self.links: list[model.Link] = []
        self.resolutions: list[model.Resolution] = []
        self.dependencies: dict[tuple[str, str], str | None] = {}
        self.copy_verdicts: dict[tuple[int, int], str] = {}
        self.settings: dict[str, str] = {}
        self.events: list[audit.Event] = []
        self.tables: dict[str, dict[int, dict]] = {}  # what the import writes, as rows by id
        self.next_id: dict[str, int] = {}

    def new_id(self, table: str) -> int:
        self.next_id[table] = self.next_id.get(table, 0) + 1
        return self.next_id[table]

    def rows(self, table: str) -> list[dict]:
        return list(self.tables.get(table, {}).values())


class FakeSources:
    def __init__(self, store: FakeStore):
        self.store = store

    def get(self, key):
        return self.store.sources.get(key)

    def require(self, key):
        found = self.get(key)
        if found is None:
            raise NotFound("source", key)
        return found

    def find(self, name_or_key):
        lowered = name_or_key.strip().lower()
        return self.get(name_or_key) or next((s for s in self.store.sources.values() if s.name.lower() == lowered), None)

    def add(self, source):
        self.store.sources[source.key] = source

    def set_created_event(self, key, seq):
        self.store.created_event[("source", key)] = seq


class FakeDocuments:
    def __init__(self, store: FakeStore):
        self.store = store

    def get(self, key):
        return self.store.documents.get(key)

    def add(self, document):
        self.store.documents[document.key] = document


class FakeClaims:
    def __init__(self, store: FakeStore):
        self.store = store

    def get(self, key):
        return self.store.claims.get(key)

    def require(self, key):
        found = self.get(key)
        if found is None:
            raise NotFound("claim", key)
        return found

    def add(self, claim):
        self.store.claims[claim.key] = claim
        self.store.claim_ids[claim.key] = self.store.new_id("claims")

    def remove(self, claim):
        del self.store.claims[claim.key]

    def id_of(self, key):
        if key not in self.store.claims:
            raise NotFound("claim", key)
        return self.store.claim_ids[key]

    def ids(self):
        return sorted(self.store.claim_ids[k] for k in self.store.claims)

    def next_key(self, prefix="c"):
        n = len(self.store.claims)
        while f"{prefix}{n + 1}" in self.store.claims:
            n += 1
        return f"{prefix}{n + 1}"

    def lock(self, keys):
        pass  # one writer at a time in memory

    def set_created_event(self, claim_id, seq):
        self.store.created_event[("claim", claim_id)] = seq

    def refresh_status(self, claim_ids):
        wanted = set(claim_ids)
        for key, claim in self.store.claims.items():
            if self.store.claim_ids[key] in wanted:
                mine = [r for r in self.store.resolutions if r.claim is claim]
                latest = sorted(mine, key=lambda r: r.at)[-1] if mine else None
                claim.status = model.claim_status(model.value_of(latest.verdict) if latest else None)
        for cid, row in self.store.tables.get("claims", {}).items():  # claims an import wrote
            if cid in wanted:
                mine = [r for r in self.store.rows("resolutions") if r["claim_id"] == cid]
                row["status"] = model.claim_status(sorted(mine, key=lambda r: r["at"])[-1]["verdict"] if mine else None)

    def refresh_link_counts(self, claim_ids):
        for cid in claim_ids:
            self.store.link_counts[cid] = (0, 0)  # the real counts are the integration tests' business


class FakeLinks:
    def __init__(self, store: FakeStore):
        self.store = store

    def between(self, a, b, relation=None):
        return [lk for lk in self.store.links
                if {lk.a.key, lk.b.key} == {a.key, b.key}
                and (relation is None or model.value_of(lk.relation) == model.value_of(relation))]

    def get(self, a, b, relation):
        return next((lk for lk in self.between(a, b, relation) if lk.a.key == a.key), None)

    def add(self, link):
        self.store.links.append(link)

    def remove(self, link):
        self.store.links.remove(link)


class FakeResolutions:
    def __init__(self, store: FakeStore):
        self.store = store

    def add(self, resolution):
        self.store.resolutions.append(resolution)

    def for_claim(self, claim):
        return sorted((r for r in self.store.resolutions if r.claim is claim), key=lambda r: r.at)

    def latest(self, claim):
        found = self.for_claim(claim)
        return found[-1] if found else None

    def remove(self, resolution):
        self.store.resolutions.remove(resolution)


class FakeDependencies:
    def __init__(self, store: FakeStore):
        self.store = store

    def exists(self, source, on):
        return (source.key, on.key) in self.store.dependencies

    def add(self, source, on, note, analyst):
        self.store.dependencies[(source.key, on.key)] = note

    def remove(self, source, on):
        del self.store.dependencies[(source.key, on.key)]


class FakeCopyVerdicts:
    def __init__(self, store: FakeStore):
        self.store = store

    def put(self, verdict, a, b, note, analyst):
        pair = tuple(sorted((a, b)))
        if self.store.copy_verdicts.get(pair) == verdict:
            return False
        self.store.copy_verdicts[pair] = verdict
        return True


class FakeSettings:
    def __init__(self, store: FakeStore):
        self.store = store

    def get(self, name):
        return self.store.settings.get(name)

    def put(self, name, value):
        self.store.settings[name] = value


class FakeEventLog:
    """The audit log, hash-chained as the real one (``domain.audit``)."""

    def __init__(self, store: FakeStore):
        self.store = store

    def last_seq(self):
        return self.store.events[-1].seq if self.store.events else 0

    def reserve_ref(self):
        self.store.refs = getattr(self.store, "refs", {})
        ref = len(self.store.refs) + 1
        self.store.refs[ref] = None
        return ref

    def bind_refs(self, seqs):
        self.store.refs.update(seqs)

    def append(self, records, analyst):
        out = []
        prev = self.store.events[-1].hash if self.store.events else audit.GENESIS
        for at, action, entity, key, before, after in records:
            seq = self.last_seq() + 1
            b, a = audit.canonical(before), audit.canonical(after)
            h = audit.event_hash(prev, seq, at, analyst, action, entity, key, b, a)
            event = audit.Event(seq, at, analyst, action, entity, key, b, a, prev, h)
            self.store.events.append(event)
            out.append(event)
            prev = h
        return out


class FakeTeam:
    def change_since(self, entity, key, seen, analyst, actions=None):
        return None

    def watches(self):
        return []


class FakeValues:
    """The bulk writer's spelling of values: in memory, values stay as they are."""

    def __init__(self, now):
        self.now = now

    def date(self, v):
        return v

    def json(self, v):
        return list(v or ())


class FakeImportStore:
    """The import's rows, by table and id (``adapters.import_store`` over memory)."""

    def __init__(self, store: FakeStore):
        self.store = store

    def _table(self, table):
        return self.store.tables.setdefault(table, {})

    def fetch(self, table, keys, columns):
        by_key = {row["key"]: row for row in self._table(table).values()}
        return {k: SimpleNamespace(**{c: by_key[k].get(c) for c in columns}) for k in keys if k in by_key}

    def reserve_ids(self, table, n):
        return [self.store.new_id(table) for _ in range(n)]

    def converter(self, now):
        return FakeValues(now)

    def insert(self, table, rows):
        for row in rows:
            row_id = row.get("id") or self.store.new_id(table)
            self._table(table)[row_id] = {**row, "id": row_id}

    def bulk(self, table, rows, conv, constants=None):
        self.insert(table, [{**r, **(constants or {})} for r in rows])

    def update(self, table, row_id, values):
        self._table(table)[row_id].update(values)

    def set_parents(self, parents):
        for sid, parent in parents.items():
            self._table("sources")[sid]["parent_id"] = parent

    def index_claims(self, first_id, last_id):
        pass

    def source_parents(self):
        return {i: r["parent_id"] for i, r in self._table("sources").items() if r.get("parent_id")}

    def source_keys(self):
        return {i: r["key"] for i, r in self._table("sources").items()}

    def claim_rows(self, ids, columns):
        rows = self._table("claims")
        return {i: SimpleNamespace(id=i, **{c: rows[i].get(c) for c in columns}) for i in ids}

    def relays_of(self, ids):
        out = {}
        for r in sorted(self._table("relays").values(), key=lambda r: (r["claim_id"], r["position"])):
            if r["claim_id"] in ids:
                out.setdefault(r["claim_id"], []).append(r["source_id"])
        return out

    def links_from(self, ids):
        return [SimpleNamespace(**r) for r in self._table("links").values() if r["from_id"] in ids]

    def resolutions_of(self, ids):
        return [SimpleNamespace(**r) for r in self._table("resolutions").values() if r["claim_id"] in ids]

    def dependency_pairs(self):
        return {(r["source_id"], r["on_id"]) for r in self._table("dependencies").values()}


class FakeUpkeep:
    """Notes what the store was asked to compute again (the calls, in order)."""

    def __init__(self, calls: list):
        self.calls = calls

    def derive_links(self, claim_ids):
        self.calls.append(("derive_links", sorted(claim_ids)))
        return set()

    def detect(self, claim_ids, progress=None):
        self.calls.append(("detect", sorted(claim_ids)))
        return 0

    def notify_watchers(self, claim_ids):
        self.calls.append(("notify_watchers", sorted(claim_ids)))
        return 0

    def rescore_local(self, claim_ids):
        self.calls.append(("rescore_local", sorted(claim_ids)))

    def rescore_all(self):
        self.calls.append(("rescore_all", None))
        return {"claims": 0, "changed": 0}

    def after_claim_changes(self, changes, *, detect=True, sources=()):
        self.calls.append(("after_claim_changes", sorted(c.claim_id for c in changes)))
        return {"derived": 0, "suggested": 0}


class FakeUnitOfWork(AbstractUnitOfWork):
    def __init__(self, analyst: str = "ana", store: FakeStore | None = None):
        self.analyst = analyst
        self.store = store or FakeStore()
        self.commits = 0
        self.upkeep_calls: list = []

    def __enter__(self) -> FakeUnitOfWork:
        work = self._work = copy.deepcopy(self.store)
        self.sources, self.documents, self.claims = FakeSources(work), FakeDocuments(work), FakeClaims(work)
        self.links, self.resolutions = FakeLinks(work), FakeResolutions(work)
        self.dependencies, self.copy_verdicts = FakeDependencies(work), FakeCopyVerdicts(work)
        self.settings, self.events, self.imports = FakeSettings(work), FakeEventLog(work), FakeImportStore(work)
        self.team, self.proposals = FakeTeam(), None
        self.upkeep = FakeUpkeep(self.upkeep_calls)
        self._begin()
        return self

    def flush(self) -> None:
        pass

    def _commit(self) -> None:
        self.commits += 1
        self.store = self._work

    def _rollback(self) -> None:
        pass  # the working copy is dropped at the next ``with``; ``store`` keeps what was committed
