"""Importing a file: all of it inside one unit of work, or none of it.

The records are validated first (``adapters.importers``), then planned against what the
database holds (new, unchanged, changed), then written with Core executemany.
Re-importing the same file changes nothing.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, select, update

from verifier.adapters import orm
from verifier.adapters.bulk import (
    CHUNK,
    Values,
    bulk_insert,
    refresh_link_counts,
    refresh_status,
    reserve_ids,
    text_index_add,
)
from verifier.adapters.importers import ImportFileError, Record, read_file
from verifier.domain import model, normalisation
from verifier.services import derived, duplicates, revision, scoring, team
from verifier.services.revision import ClaimChange

SOURCE_FIELDS = {"name": "name", "kind": "type", "aliases": "aliases", "affiliation": "affiliation",
                 "parent_id": "parent", "grade": "grade", "notes": "notes"}  # column -> import field
SOURCE_COLUMNS = tuple(SOURCE_FIELDS)

FETCH_CHUNK = 5000  # keys per lookup query (SQLite allows 32766 variables)
Progress = Callable[[int], None]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def import_file(uow, path: str | Path, *, fmt: str | None = None, progress: Progress | None = None,
                detect: bool = True, detect_progress: Callable[[int], Progress | None] | None = None,
                update: bool = False, rejects: list[ImportFileError] | None = None, **options) -> dict[str, int]:
    """Validate and import one file atomically; returns the counts of what was added/changed.
    ``progress(n)`` hears of the records read; ``detect_progress(new_claims)`` may give a
    second ``progress`` for the near-duplicate detection that follows.

    A record whose id is stored with other content rejects the file, unless ``update``:
    then each such change is an audited edit, and what was computed from the old content
    is computed again (``services.revision``).

    ``rejects``: bad lines do not reject the file; each is skipped and its error appended
    here, and the good lines are imported (still atomically). A line refused only once the
    file is weighed against the store (a link to a refused claim, a conflict) undoes the
    attempt, and the file is imported again without it."""
    path = Path(path)
    records = read_file(path, fmt, **options)
    if path.exists() and not path.is_file():
        # a pipe would be consumed by the checksum below and import nothing; a device never ends
        raise ImportFileError(str(path), None, None, "not a regular file (a pipe or a device): save it to a file first")
    sha = file_sha256(path) if path.exists() else ""
    if rejects is None:
        return import_records(uow, records, str(path), sha, progress=progress, detect=detect,
                              detect_progress=detect_progress, update=update)
    set_aside: dict[int, ImportFileError] = {}  # refused after reading, by line
    while True:
        refused: list[ImportFileError] = []
        records = (r for r in read_file(path, fmt, on_error=refused.append, **options) if r.line not in set_aside)
        try:
            counts = import_records(uow, records, str(path), sha, progress=progress, detect=detect,
                                    detect_progress=detect_progress, update=update)
        except ImportFileError as exc:
            if exc.line is None or exc.line in set_aside or len(set_aside) >= MAX_SET_ASIDE:
                raise
            uow.rollback()
            set_aside[exc.line] = exc
            continue
        rejects.extend(sorted([*refused, *set_aside.values()], key=lambda e: e.line or 0))
        return counts


MAX_SET_ASIDE = 1000  # lines refused only after reading (each costs one more pass over the file)


def import_records(uow, records: Iterable[Record], file: str, sha256: str = "", *,
                   progress: Progress | None = None, detect: bool = True,
                   detect_progress: Callable[[int], Progress | None] | None = None,
                   update: bool = False) -> dict[str, int]:
    with _no_cycle_collection():
        plan = _Plan(file, update)
        for rec in records:
            plan.add(rec)
            if progress:
                progress(1)
        return plan.write(uow, sha256, detect=detect, detect_progress=detect_progress)


@contextmanager
def _no_cycle_collection():
    """Pause Python's cycle collector. A big file makes millions of small dicts and lists
    that live until the import ends; the collector would walk them all again and again
    (200k claims: 40% of the time spent reading). They hold no cycles, so reference
    counting alone frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fetch(session, table, keys: Iterable[str], *cols) -> dict[str, Any]:
    """The stored rows among these keys (none at all when the table is empty)."""
    keys = list(keys)
    out: dict[str, Any] = {}
    if not keys or session.execute(select(table.c.id).limit(1)).first() is None:
        return out
    for i in range(0, len(keys), FETCH_CHUNK):
        chunk = keys[i:i + FETCH_CHUNK]
        for row in session.execute(select(table.c.key, *cols).where(table.c.key.in_(chunk))):
            out[row[0]] = row
    return out


DOCUMENT_FIELDS = {"title": "title", "url": "url", "publisher_id": "publisher", "published": "published",
                   "retrieved": "retrieved"}  # column -> import field


class _Plan:
    def __init__(self, file: str, update: bool = False):
        self.file = file
        self.update = update
        self.sources: dict[str, Record] = {}
        self.documents: dict[str, Record] = {}
        self.claims: dict[str, Record] = {}
        self.links: dict[tuple, Record] = {}
        self.resolutions: dict[tuple, Record] = {}
        self.dependencies: dict[tuple, Record] = {}

    def _error(self, rec: Record, field: str, problem: str):
        return ImportFileError(self.file, rec.line, field, problem)

    def _conflict(self, rec: Record, what: str, fields: list[str]):
        """A record stored with other content, in an import without ``update``."""
        shown = ", ".join(fields)
        return ImportFileError(self.file, rec.line, shown, f"{what} already exists with different {shown} "
                               "(use --update to change it)", show_field=False)

    def add(self, rec: Record) -> None:
        d = rec.data
        if rec.kind == "source":
            self._once(self.sources, d["id"], rec)
        elif rec.kind == "document":
            self._once(self.documents, d["id"], rec)
        elif rec.kind == "claim":
            self._once(self.claims, d["id"], rec)
        elif rec.kind == "link":
            self._once(self.links, (d["from"], d["to"], d["relation"]), rec)
        elif rec.kind == "resolution":
            key = (d["claim"], d["verdict"], d.get("at"), d.get("rationale"), d.get("evidence"))
            self.resolutions.setdefault(key, rec)
        elif rec.kind == "dependency":
            self._once(self.dependencies, (d["source"], d["on"]), rec)

    def _once(self, table: dict, key, rec: Record) -> None:
        seen = table.get(key)
        if seen is None:
            table[key] = rec
        elif seen.data != rec.data:
            shown = key if isinstance(key, str) else " ".join(str(k) for k in key)
            raise self._error(rec, "id" if isinstance(key, str) else "from",
                              f"{rec.kind} {shown!r} appears again with different content (first on line {seen.line})")

    # ------------------------------------------------------------------ write
    def write(self, uow, sha256: str, *, detect: bool, detect_progress=None) -> dict[str, int]:
        self.sha256, self.detect, self.detect_progress = sha256, detect, detect_progress
        s = uow.session
        counts = {k: 0 for k in ("sources", "documents", "claims", "links", "resolutions", "dependencies", "changed")}
        now = model.utcnow()

        # ---- sources: defined here or merely named (a named unknown source is created)
        named: dict[str, Record] = {}
        for rec in self.claims.values():
            named.setdefault(rec.data["source"], rec)
            for v in rec.data.get("via", ()):
                named.setdefault(v, rec)
        for rec in self.sources.values():
            if rec.data.get("parent"):
                named.setdefault(rec.data["parent"], rec)
        for rec in self.documents.values():
            if rec.data.get("publisher"):
                named.setdefault(rec.data["publisher"], rec)
        for rec in self.dependencies.values():
            named.setdefault(rec.data["source"], rec)
            named.setdefault(rec.data["on"], rec)
        wanted = list(dict.fromkeys([*self.sources, *named]))  # file order: ids follow it
        existing = _fetch(s, orm.sources, wanted, orm.sources.c.id, orm.sources.c.name, orm.sources.c.kind,
                          orm.sources.c.aliases, orm.sources.c.affiliation, orm.sources.c.parent_id,
                          orm.sources.c.grade, orm.sources.c.notes)
        new_keys = [k for k in wanted if k not in existing]
        src_id = {k: row.id for k, row in existing.items()}
        src_id.update(zip(new_keys, reserve_ids(s, orm.sources, len(new_keys)), strict=False))

        event = uow.log_now("import", "file", self.file, None, {"file": self.file, "sha256": sha256})
        source_rows, changed_sources = [], []
        for k in new_keys:
            d = self.sources[k].data if k in self.sources else {"id": k, "name": k}
            source_rows.append(self._source_row(d, src_id, now, event))
        for k, rec in self.sources.items():
            if k in existing:
                old = existing[k]
                row = self._source_row(rec.data, src_id, now, event)
                if rec.partial:  # a mapped table describes a few fields; the stored source keeps the rest
                    given = {"kind" if f == "type" else f for f in rec.data} - {"id", "name"}
                    row = {**row, **{c: getattr(old, c) for c in SOURCE_COLUMNS if c not in given}}
                differing = _differing(row, old, SOURCE_FIELDS)
                if differing:
                    # a source a claim merely named (its id as its name) may be described later
                    if not self.update and not _placeholder(k, old):
                        raise self._conflict(rec, f"source {k}", [SOURCE_FIELDS[c] for c in differing])
                    changed_sources.append((k, row, old))
        if source_rows:
            # parents may be new too: insert without them, then set them
            s.execute(orm.sources.insert(), [{**r, "parent_id": None} for r in source_rows])
            with_parent = [{"b_id": r["id"], "b_parent": r["parent_id"]} for r in source_rows if r["parent_id"]]
            if with_parent:
                s.execute(update(orm.sources).where(orm.sources.c.id == bindparam("b_id"))
                          .values(parent_id=bindparam("b_parent")), with_parent)
        for k, row, old in changed_sources:
            values = {c: row[c] for c in SOURCE_COLUMNS}
            s.execute(update(orm.sources).where(orm.sources.c.id == old.id).values(**values))
            uow.record("edit", "source", k, _source_snapshot(old, src_id),
                       {**_source_snapshot(old, src_id), **self.sources[k].data} if self.sources[k].partial
                       else self.sources[k].data)
        counts["sources"] = len(source_rows)
        counts["changed"] += len(changed_sources)
        self.revised_sources = [old.id for _k, _row, old in changed_sources]
        if self.sources or new_keys:
            cycle = _parent_cycle(s)
            if cycle:
                on_cycle = set(cycle)
                rec = min((r for k, r in self.sources.items() if k in on_cycle), key=lambda r: r.line, default=None)
                if rec is not None:  # always: the store was acyclic, so this file closed the loop
                    i = cycle.index(rec.data["id"])
                    cycle = cycle[i:] + cycle[:i]
                shown = " -> ".join(cycle[:6] + (["..."] if len(cycle) > 6 else [cycle[0]]))
                if rec is None:
                    raise model.DomainError("parent", f"sources would be their own ancestors ({shown})")
                raise self._error(rec, "parent", f"source {rec.data['id']!r} would be its own ancestor ({shown})")

        # ---- documents
        D = orm.documents
        existing_docs = _fetch(s, D, set(self.documents) | {r.data["document"] for r in self.claims.values() if r.data.get("document")},
                               D.c.id, *(D.c[c] for c in DOCUMENT_FIELDS))
        new_docs = [k for k in self.documents if k not in existing_docs]
        doc_id = {k: row.id for k, row in existing_docs.items()}
        doc_id.update(zip(new_docs, reserve_ids(s, D, len(new_docs)), strict=False))
        rows = {k: self._document_row(self.documents[k].data, src_id) for k in self.documents}
        if new_docs:
            s.execute(D.insert(), [{"id": doc_id[k], "key": k, **rows[k], "created_at": now} for k in new_docs])
        counts["documents"] = len(new_docs)
        by_source = {v: k for k, v in src_id.items()}
        for k, rec in self.documents.items():
            old = existing_docs.get(k)
            differing = _differing(rows[k], old, DOCUMENT_FIELDS) if old is not None else []
            if not differing:
                continue
            if not self.update:
                raise self._conflict(rec, f"document {k}", [DOCUMENT_FIELDS[c] for c in differing])
            s.execute(update(D).where(D.c.id == old.id).values(**rows[k]))
            before = {DOCUMENT_FIELDS[c]: getattr(old, c) for c in DOCUMENT_FIELDS}
            before["publisher"] = by_source.get(old.publisher_id, old.publisher_id)
            uow.record("edit", "document", k, before, {f: rec.data.get(f) for f in DOCUMENT_FIELDS.values()})
            counts["changed"] += 1

        # ---- claims
        referenced = {r.data["from"] for r in self.links.values()} | {r.data["to"] for r in self.links.values()}
        referenced |= {r.data["claim"] for r in self.resolutions.values()}
        existing_claims = _fetch(s, orm.claims, set(self.claims) | referenced, orm.claims.c.id)
        new_claims = [k for k in self.claims if k not in existing_claims]
        claim_id = {k: row.id for k, row in existing_claims.items()}
        claim_id.update(zip(new_claims, reserve_ids(s, orm.claims, len(new_claims)), strict=False))
        relay_rows: list[tuple] = []
        conv = Values(s, now)
        constants = {"status": "unresolved", "created_at": conv.now, "support": 0, "contradicted": 0, "created_event": event}
        for i in range(0, len(new_claims), CLAIM_CHUNK):
            chunk = new_claims[i:i + CLAIM_CHUNK]
            plain, full = self._claim_rows(chunk, claim_id, src_id, doc_id, conv, relay_rows)
            bulk_insert(s, orm.claims, PLAIN_CLAIM_COLUMNS, plain, conv, constants)
            bulk_insert(s, orm.claims, FULL_CLAIM_COLUMNS, full, conv, constants)
            counts["claims"] += len(chunk)
        if new_claims:
            text_index_add(s, claim_id[new_claims[0]], claim_id[new_claims[-1]])
        if relay_rows:
            bulk_insert(s, orm.claim_relays, ("claim_id", "position", "source_id"), relay_rows, conv)
        revised = self._update_changed_claims(uow, existing_claims, src_id, doc_id)
        counts["changed"] += len(revised)
        # A file that carries the detector's own suggestions (an export) brings its review
        # queue with it: detecting again would add pairs the source database never had.
        self.carries_queue = any(r.data.get("origin") == "detector" for r in self.links.values())
        if revised or self.revised_sources:
            done = revision.after_claim_changes(uow, revised, detect=self.detect and not self.carries_queue,
                                                sources=self.revised_sources)
            counts["suggested"] = done["suggested"]
        self._after_claims(uow, counts, claim_id, src_id, new_claims, now, event)
        return counts

    def _claim_rows(self, keys, claim_id, src_id, doc_id, conv, relay_rows) -> tuple[list[tuple], list[tuple]]:
        """The storage rows of these new claims: plain ones (most of a bulk load: text,
        source, date, place, tags) and the others, with document, event date, subject and
        value. Their relays go to ``relay_rows``."""
        normalise, date, tags = normalisation.normalise_uncached, conv.date, conv.json
        plain, full = [], []
        for k in keys:
            rec = self.claims[k]
            d = rec.data
            cid = claim_id[k]
            text = d["text"]
            row = (cid, k, text, normalise(text), src_id[d["source"]], date(d.get("published")), d.get("location"),
                   tags(d.get("tags")))
            doc, v, event_date, subject = d.get("document"), d.get("value"), d.get("event_date"), d.get("subject")
            if doc or v or event_date or subject:
                if doc and doc not in doc_id:
                    raise self._error(rec, "document", f"no document {doc!r}")
                full.append((*row, doc_id[doc] if doc else None, date(event_date), subject,
                             *((v.qualifier.value, v.number, v.high, v.text, v.unit) if v else _NO_VALUE)))
            else:
                plain.append(row)
            via = d.get("via")
            if via:
                for pos, name in enumerate(via):
                    relay_rows.append((cid, pos, src_id[name]))
        return plain, full

    def _after_claims(self, uow, counts, claim_id, src_id, new_claims, now, event) -> None:
        s = uow.session

        # ---- links
        for rec in self.links.values():
            for end in ("from", "to"):
                if rec.data[end] not in claim_id:
                    raise self._error(rec, end, f"no claim {rec.data[end]!r}")
        touched: set[int] = set()
        if self.links:
            pairs = {(claim_id[r.data["from"]], claim_id[r.data["to"]], r.data["relation"]): r for r in self.links.values()}
            have = {}
            ids = sorted({p[0] for p in pairs})
            for i in range(0, len(ids), CHUNK):
                for row in s.execute(select(orm.links.c.id, orm.links.c.from_id, orm.links.c.to_id, orm.links.c.relation,
                                            orm.links.c.state, orm.links.c.note, orm.links.c.origin)
                                     .where(orm.links.c.from_id.in_(ids[i:i + CHUNK]))):
                    have[(row.from_id, row.to_id, row.relation)] = row
            new_links = []
            for key, rec in pairs.items():
                d = rec.data
                state = d.get("state") or "confirmed"
                if key in have:
                    old = have[key]
                    differing = [f for f, differs in (("state", old.state != state),
                                                      ("note", d.get("note") is not None and old.note != d.get("note")))
                                 if differs]
                    if differing and not self.update:
                        raise self._conflict(rec, f"link {d['from']} {d['relation']} {d['to']}", differing)
                    if differing:
                        s.execute(update(orm.links).where(orm.links.c.id == old.id).values(
                            state=state, note=d.get("note", old.note), updated_at=now, analyst=uow.analyst))
                        uow.record("edit", "link", f"{d['from']} {d['relation']} {d['to']}",
                                   {"state": old.state, "note": old.note}, {"state": state, "note": d.get("note", old.note)})
                        counts["changed"] += 1
                        touched.update(key[:2])
                    continue
                new_links.append({
                    "from_id": key[0], "to_id": key[1], "relation": key[2], "origin": d.get("origin") or "analyst",
                    "state": state, "score": d.get("score"), "note": d.get("note"),
                    "analyst": d.get("analyst") or (None if d.get("origin") == "detector" else uow.analyst),
                    "created_at": now, "updated_at": now,
                })
                touched.update(key[:2])
            if new_links:
                s.execute(orm.links.insert(), new_links)
            counts["links"] = len(new_links)

        # ---- resolutions
        resolved: set[int] = set()
        if self.resolutions:
            for rec in self.resolutions.values():
                if rec.data["claim"] not in claim_id:
                    raise self._error(rec, "claim", f"no claim {rec.data['claim']!r}")
            ids = sorted({claim_id[r.data["claim"]] for r in self.resolutions.values()})
            have = set()
            for i in range(0, len(ids), CHUNK):
                for row in s.execute(select(orm.resolutions.c.claim_id, orm.resolutions.c.verdict, orm.resolutions.c.at,
                                            orm.resolutions.c.rationale, orm.resolutions.c.evidence)
                                     .where(orm.resolutions.c.claim_id.in_(ids[i:i + CHUNK]))):
                    have.add((row.claim_id, row.verdict, row.at, row.rationale, row.evidence))
            new_res = []
            for rec in self.resolutions.values():
                d = rec.data
                cid = claim_id[d["claim"]]
                key = (cid, d["verdict"], d.get("at"), d.get("rationale"), d.get("evidence"))
                if d.get("at") is None:
                    # undated verdicts are the same verdict if anything with that content exists
                    if any(h[0] == cid and h[1] == d["verdict"] and h[3] == d.get("rationale") and h[4] == d.get("evidence") for h in have):
                        continue
                elif key in have:
                    continue
                new_res.append({
                    "claim_id": cid, "verdict": d["verdict"], "at": d.get("at") or now, "rationale": d.get("rationale"),
                    "evidence": d.get("evidence"), "analyst": d.get("analyst") or uow.analyst, "created_at": now,
                })
                resolved.add(cid)
            if new_res:
                s.execute(orm.resolutions.insert(), new_res)
                refresh_status(s, resolved)
            counts["resolutions"] = len(new_res)

        # ---- dependencies
        if self.dependencies:
            have = set(s.execute(select(orm.source_dependencies.c.source_id, orm.source_dependencies.c.on_id)).all())
            new_deps = []
            for (a, b), rec in self.dependencies.items():
                if (src_id[a], src_id[b]) in have:
                    continue
                new_deps.append({"source_id": src_id[a], "on_id": src_id[b], "note": rec.data.get("note"),
                                 "analyst": uow.analyst, "created_at": now})
            if new_deps:
                s.execute(orm.source_dependencies.insert(), new_deps)
            counts["dependencies"] = len(new_deps)

        new_ids = [claim_id[k] for k in new_claims]
        # only structured claims derive links (a bulk load of free text skips the lookups)
        structured = [claim_id[k] for k in new_claims
                      if self.claims[k].data.get("subject") and self.claims[k].data.get("value") is not None]
        touched.update(derived.derive_links(uow, structured))
        if touched:
            refresh_link_counts(s, touched)
        if self.detect and new_ids and not self.carries_queue:
            progress = self.detect_progress(len(new_ids)) if self.detect_progress else None
            counts["suggested"] = counts.get("suggested", 0) + duplicates.detect(uow, new_ids, progress=progress)
        if new_ids:
            team.on_new_claims(uow, new_ids)  # watched texts, sources, subjects, tags: analysts' inboxes
        # belief around what this file linked or resolved (lone new claims keep their
        # source's reliability until they are linked or a full `verifier score`)
        around = touched | resolved
        around.update(structured)
        if around:
            scoring.rescore_local(uow, sorted(around))
        uow.amend_logged(event, {"file": self.file, "sha256": self.sha256, "added": counts})
        if not any(counts.values()):
            uow.discard_logged(event)

    # ------------------------------------------------------------------ rows
    def _document_row(self, d: dict, src_id: dict) -> dict:
        return {"title": d.get("title"), "url": d.get("url"),
                "publisher_id": src_id.get(d["publisher"]) if d.get("publisher") else None,
                "published": d.get("published"), "retrieved": d.get("retrieved")}

    def _source_row(self, d: dict, src_id: dict, now, event) -> dict:
        return {
            "id": src_id[d["id"]], "key": d["id"], "name": d.get("name") or d["id"],
            "kind": d.get("type") or "unknown", "aliases": list(d.get("aliases") or []),
            "affiliation": d.get("affiliation"), "parent_id": src_id.get(d["parent"]) if d.get("parent") else None,
            "grade": d.get("grade"), "notes": d.get("notes"), "created_at": now, "created_event": event,
        }

    def _update_changed_claims(self, uow, existing_claims, src_id, doc_id) -> list:
        """Claims already stored whose content in this file differs: refused, or with
        ``update`` changed (audited, before and after); returns the changes."""
        keys = [k for k in self.claims if k in existing_claims]
        if not keys:
            return []
        # re-importing a file must stay cheap: rows that already say what the file says are
        # found in bulk; only the others are loaded and compared one by one below
        unchanged = self._stored_as_in_file(uow.session, keys, existing_claims, src_id, doc_id)
        keys = [k for k in keys if k not in unchanged]
        changed = []
        for k in keys:
            claim = uow.claims.get(k)
            before = claim.snapshot()
            d = self.claims[k].data
            after = {**before, "text": d["text"], "source": d["source"], "via": list(d.get("via", ())),
                     "document": d.get("document"), "published": _iso(d.get("published")),
                     "event_date": _iso(d.get("event_date")), "location": d.get("location"),
                     "tags": list(d.get("tags") or []), "subject": d.get("subject")}
            v = d.get("value")
            for f in ("value", "qualifier", "unit"):
                after.pop(f, None)
            if v is not None:
                after.update(value=v.to_json(), qualifier=v.qualifier.label, unit=v.unit)
            differing = model.changed_fields(before, after)
            if not differing:
                continue
            if not self.update:
                raise self._conflict(self.claims[k], f"claim {k}", differing)
            changed.append(ClaimChange(existing_claims[k].id, frozenset(differing), before.get("subject")))
            claim.text = d["text"]
            claim.norm = normalisation.normalise(d["text"])
            claim.source = uow.sources.require(d["source"])
            claim.set_via([uow.sources.require(x) for x in d.get("via", ())])
            claim.document = uow.documents.get(d["document"]) if d.get("document") else None
            claim.published, claim.event_date = d.get("published"), d.get("event_date")
            claim.location, claim.tags, claim.subject, claim.value = d.get("location"), list(d.get("tags") or []), d.get("subject"), v
            uow.record("edit", "claim", k, before, claim.snapshot())
        uow.flush()
        return changed


    def _stored_as_in_file(self, session, keys, existing_claims, src_id, doc_id) -> set[str]:
        C, R = orm.claims, orm.claim_relays
        key_of = {existing_claims[k].id: k for k in keys}
        ids = sorted(key_of)
        rows, relays = {}, {}
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i:i + CHUNK]
            for r in session.execute(select(C.c.id, C.c.text, C.c.source_id, C.c.document_id, C.c.published, C.c.event_date,
                                            C.c.location, C.c.tags, C.c.subject, C.c.qualifier, C.c.value_num,
                                            C.c.value_high, C.c.value_text, C.c.unit).where(C.c.id.in_(chunk))):
                rows[r.id] = r
            for cid, sid in session.execute(select(R.c.claim_id, R.c.source_id).where(R.c.claim_id.in_(chunk))
                                            .order_by(R.c.claim_id, R.c.position)):
                relays.setdefault(cid, []).append(sid)
        same = set()
        for cid, k in key_of.items():
            r, d = rows[cid], self.claims[k].data
            v: model.Value | None = d.get("value")
            stored = (r.text, r.source_id, r.document_id, r.published, r.event_date, r.location, list(r.tags or []),
                      r.subject, r.qualifier, r.value_num, r.value_high, r.value_text, r.unit, relays.get(cid, []))
            wanted = (d["text"], src_id[d["source"]], doc_id.get(d["document"]) if d.get("document") else None,
                      d.get("published"), d.get("event_date"), d.get("location"), list(d.get("tags") or []),
                      d.get("subject"), v.qualifier.value if v else None, v.number if v else None,
                      v.high if v else None, v.text if v else None, v.unit if v else None,
                      [src_id[x] for x in d.get("via", ())])
            if stored == wanted:
                same.add(k)
        return same


def _iso(v):
    return v.isoformat() if v is not None else None


CLAIM_CHUNK = 20_000  # claims per executemany
_NO_VALUE = (None, None, None, None, None)
PLAIN_CLAIM_COLUMNS = ("id", "key", "text", "norm", "source_id", "published", "location", "tags")
FULL_CLAIM_COLUMNS = (*PLAIN_CLAIM_COLUMNS, "document_id", "event_date", "subject",
                      "qualifier", "value_num", "value_high", "value_text", "unit")


def _differing(row: dict, old, cols) -> list[str]:
    out = []
    for c in cols:
        a, b = row[c], getattr(old, c)
        if c == "aliases":
            a, b = list(a or []), list(b or [])
        if a != b:
            out.append(c)
    return out


def _placeholder(key: str, old) -> bool:
    """A source created only because a claim named it: nothing said of it but its id."""
    return (old.name == key and old.kind in (None, "unknown") and not old.aliases and old.affiliation is None
            and old.parent_id is None and old.grade is None and old.notes is None)


def _source_snapshot(old, src_id) -> dict:
    by_id = {v: k for k, v in src_id.items()}
    return {"name": old.name, "type": old.kind, "aliases": list(old.aliases or []), "affiliation": old.affiliation,
            "parent": by_id.get(old.parent_id), "grade": old.grade, "notes": old.notes}


def _parent_cycle(session) -> list[str] | None:
    """The keys of the sources on a parent cycle, or None. Linear time: each source is
    walked once (a long chain of parents must not cost its length squared)."""
    parent = dict(session.execute(select(orm.sources.c.id, orm.sources.c.parent_id).where(orm.sources.c.parent_id.isnot(None))).all())
    done: set[int] = set()
    for start in parent:
        path: list[int] = []
        on_path: set[int] = set()
        probe = start
        while probe in parent and probe not in done:
            if probe in on_path:
                ids = path[path.index(probe):]
                keys = dict(session.execute(select(orm.sources.c.id, orm.sources.c.key)).all())
                return [keys[i] for i in ids]
            on_path.add(probe)
            path.append(probe)
            probe = parent[probe]
        done.update(path)
    return None


__all__ = ["import_file", "import_records", "refresh_status", "refresh_link_counts", "reserve_ids", "delete"]
