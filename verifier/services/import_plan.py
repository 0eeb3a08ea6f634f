"""The plan of an import: the file's records gathered by kind (a record given twice must say
the same thing), then weighed against what the store holds (new, unchanged, changed) and
written through the unit of work's ``imports`` store, sources first, then documents,
claims, and what refers to them (``services.import_refs``)."""

from __future__ import annotations

from attrs import define, field

from verifier.adapters.importers import ImportFileError, Record
from verifier.domain import language, model, normalisation
from verifier.domain.checks import iso, source_key, utcnow
from verifier.domain.errors import DomainError
from verifier.domain.values import Value
from verifier.services import import_refs
from verifier.services.revision import ClaimChange

SOURCE_FIELDS = {"name": "name", "kind": "type", "aliases": "aliases", "affiliation": "affiliation",
                 "parent_id": "parent", "grade": "grade", "notes": "notes"}  # column -> import field
SOURCE_COLUMNS = tuple(SOURCE_FIELDS)
DOCUMENT_FIELDS = {"title": "title", "url": "url", "publisher_id": "publisher", "published": "published",
                   "retrieved": "retrieved"}  # column -> import field
CLAIM_CHUNK = 20_000  # claims per executemany
#: The stored columns an import compares with a claim's record (``--update`` or unchanged).
COMPARED_CLAIM_COLUMNS = ("text", "source_id", "document_id", "published", "event_date", "location", "tags",
                          "subject", "qualifier", "value_num", "value_high", "value_text", "unit")
NO_VALUE = {"qualifier": None, "value_num": None, "value_high": None, "value_text": None, "unit": None}
COUNTS = ("sources", "documents", "claims", "links", "resolutions", "dependencies", "changed")


@define
class Written:
    """What the writing has found out so far: ids by key, counts, the import's audit event."""

    now: object
    event: int
    counts: dict[str, int] = field(factory=lambda: dict.fromkeys(COUNTS, 0))
    src_id: dict[str, int] = field(factory=dict)
    doc_id: dict[str, int] = field(factory=dict)
    claim_id: dict[str, int] = field(factory=dict)
    new_claims: list[str] = field(factory=list)
    revised_sources: list[int] = field(factory=list)


class Plan:
    def __init__(self, file: str, update: bool = False):
        self.file = file
        self.update = update
        self.sources: dict[str, Record] = {}
        self.documents: dict[str, Record] = {}
        self.claims: dict[str, Record] = {}
        self.links: dict[tuple, Record] = {}
        self.resolutions: dict[tuple, Record] = {}
        self.dependencies: dict[tuple, Record] = {}
        self.sha256, self.detect, self.detect_progress = "", True, None
        self.names: dict[str, str] = {}  # a new source's id -> the name it was first given

    def error(self, rec: Record, field: str, problem: str) -> ImportFileError:
        return ImportFileError(self.file, rec.line, field, problem)

    def conflict(self, rec: Record, what: str, fields: list[str]) -> ImportFileError:
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
            raise self.error(rec, "id" if isinstance(key, str) else "from",
                             f"{rec.kind} {shown!r} appears again with different content (first on line {seen.line})")

    @property
    def carries_queue(self) -> bool:
        """A file that carries the detector's own suggestions (an export) brings its review
        queue with it: detecting again would add pairs the source database never had."""
        return any(r.data.get("origin") == "detector" for r in self.links.values())

    # ------------------------------------------------------------------ write
    def write(self, uow, sha256: str, *, detect: bool, detect_progress=None) -> dict[str, int]:
        self.sha256, self.detect, self.detect_progress = sha256, detect, detect_progress
        now = utcnow()
        wanted = self._named_sources()
        existing = uow.imports.fetch("sources", wanted, ("id", *SOURCE_COLUMNS))
        # a source only named ("Eyn Alfurat - network"), neither stored nor defined here, has the
        # id every path gives that name (checks.source_key), as `claim add` would give it
        named = {k: source_key(k) for k in wanted if k not in existing and k not in self.sources and source_key(k) != k}
        existing.update(uow.imports.fetch("sources", sorted(set(named.values()) - set(existing)), ("id", *SOURCE_COLUMNS)))
        for k, key in named.items():
            self.names.setdefault(key, k)
        new_keys = [k for k in dict.fromkeys(named.get(k, k) for k in wanted) if k not in existing]
        w = Written(now, uow.log_now("import", "file", self.file, None, {"file": self.file, "sha256": sha256}))
        w.src_id = {k: row.id for k, row in existing.items()}
        w.src_id.update(zip(new_keys, uow.imports.reserve_ids("sources", len(new_keys)), strict=False))
        w.src_id.update({k: w.src_id[key] for k, key in named.items()})
        self._write_sources(uow, w, existing, new_keys)
        self._write_documents(uow, w)
        self._write_claims(uow, w)
        import_refs.write_refs(self, uow, w)
        return w.counts

    def _named_sources(self) -> list[str]:
        """The sources defined here or merely named (a named unknown source is created), in
        file order: new ids follow it."""
        named: dict[str, Record] = {}
        for rec in self.claims.values():
            named.setdefault(rec.data["source"], rec)
            for v in rec.data.get("via", ()):
                named.setdefault(v, rec)
        for recs, field_names in ((self.sources, ("parent",)), (self.documents, ("publisher",)),
                                  (self.dependencies, ("source", "on"))):
            for rec in recs.values():
                for f in field_names:
                    if rec.data.get(f):
                        named.setdefault(rec.data[f], rec)
        return list(dict.fromkeys([*self.sources, *named]))

    def _write_sources(self, uow, w: Written, existing: dict, new_keys: list[str]) -> None:
        source_rows = [self._source_row(self.sources[k].data if k in self.sources
                                        else {"id": k, "name": self.names.get(k, k)}, w)
                       for k in new_keys]
        changed = self._changed_sources(existing, w)
        # parents may be new too: insert without them, then set them
        uow.imports.insert("sources", [{**r, "parent_id": None} for r in source_rows])
        uow.imports.set_parents({r["id"]: r["parent_id"] for r in source_rows if r["parent_id"]})
        for k, row, old in changed:
            uow.imports.update("sources", old.id, {c: row[c] for c in SOURCE_COLUMNS})
            rec = self.sources[k]
            uow.record("edit", "source", k, source_snapshot(old, w.src_id),
                       {**source_snapshot(old, w.src_id), **rec.data} if rec.partial else rec.data)
        w.counts["sources"] = len(source_rows)
        w.counts["changed"] += len(changed)
        w.revised_sources = [old.id for _k, _row, old in changed]
        if self.sources or new_keys:
            self._refuse_parent_cycle(uow)

    def _changed_sources(self, existing: dict, w: Written) -> list[tuple]:
        """The stored sources this file describes otherwise: (key, new row, stored row)."""
        changed = []
        for k, rec in self.sources.items():
            if k not in existing:
                continue
            old = existing[k]
            row = self._source_row(rec.data, w)
            if rec.partial:  # a mapped table describes a few fields; the stored source keeps the rest
                given = {"kind" if f == "type" else f for f in rec.data} - {"id", "name"}
                row = {**row, **{c: getattr(old, c) for c in SOURCE_COLUMNS if c not in given}}
            differing = differing_columns(row, old, SOURCE_FIELDS)
            if differing:
                # a source a claim merely named (its id as its name) may be described later
                if not self.update and not is_placeholder(k, old):
                    raise self.conflict(rec, f"source {k}", [SOURCE_FIELDS[c] for c in differing])
                changed.append((k, row, old))
        return changed

    def _refuse_parent_cycle(self, uow) -> None:
        cycle = parent_cycle(uow.imports.source_parents())
        if not cycle:
            return
        keys = uow.imports.source_keys()
        cycle = [keys[i] for i in cycle]
        on_cycle = set(cycle)
        rec = min((r for k, r in self.sources.items() if k in on_cycle), key=lambda r: r.line, default=None)
        if rec is not None:  # always: the store was acyclic, so this file closed the loop
            i = cycle.index(rec.data["id"])
            cycle = cycle[i:] + cycle[:i]
        shown = " -> ".join(cycle[:6] + (["..."] if len(cycle) > 6 else [cycle[0]]))
        if rec is None:
            raise DomainError("parent", f"sources would be their own ancestors ({shown})")
        raise self.error(rec, "parent", f"source {rec.data['id']!r} would be its own ancestor ({shown})")

    def _write_documents(self, uow, w: Written) -> None:
        named = set(self.documents) | {r.data["document"] for r in self.claims.values() if r.data.get("document")}
        existing = uow.imports.fetch("documents", named, ("id", *DOCUMENT_FIELDS))
        new_docs = [k for k in self.documents if k not in existing]
        w.doc_id = {k: row.id for k, row in existing.items()}
        w.doc_id.update(zip(new_docs, uow.imports.reserve_ids("documents", len(new_docs)), strict=False))
        rows = {k: self._document_row(self.documents[k].data, w.src_id) for k in self.documents}
        uow.imports.insert("documents", [{"id": w.doc_id[k], "key": k, **rows[k], "created_at": w.now} for k in new_docs])
        w.counts["documents"] = len(new_docs)
        by_source = _by_id(w.src_id)
        for k, rec in self.documents.items():
            old = existing.get(k)
            differing = differing_columns(rows[k], old, DOCUMENT_FIELDS) if old is not None else []
            if not differing:
                continue
            if not self.update:
                raise self.conflict(rec, f"document {k}", [DOCUMENT_FIELDS[c] for c in differing])
            uow.imports.update("documents", old.id, rows[k])
            before = {DOCUMENT_FIELDS[c]: getattr(old, c) for c in DOCUMENT_FIELDS}
            before["publisher"] = by_source.get(old.publisher_id, old.publisher_id)
            uow.record("edit", "document", k, before, {f: rec.data.get(f) for f in DOCUMENT_FIELDS.values()})
            w.counts["changed"] += 1

    def _write_claims(self, uow, w: Written) -> None:
        referenced = {r.data[end] for r in self.links.values() for end in ("from", "to")}
        referenced |= {r.data["claim"] for r in self.resolutions.values()}
        existing = uow.imports.fetch("claims", set(self.claims) | referenced, ("id",))
        w.new_claims = [k for k in self.claims if k not in existing]
        w.claim_id = {k: row.id for k, row in existing.items()}
        w.claim_id.update(zip(w.new_claims, uow.imports.reserve_ids("claims", len(w.new_claims)), strict=False))
        relay_rows: list[dict] = []
        conv = uow.imports.converter(w.now)
        constants = {"status": "unresolved", "created_at": conv.now, "support": 0, "contradicted": 0,
                     "created_event": w.event}
        for i in range(0, len(w.new_claims), CLAIM_CHUNK):
            chunk = w.new_claims[i:i + CLAIM_CHUNK]
            plain, full = self._claim_rows(chunk, w, conv, relay_rows)
            uow.imports.bulk("claims", plain, conv, constants)
            uow.imports.bulk("claims", full, conv, constants)
            w.counts["claims"] += len(chunk)
        if w.new_claims:
            uow.imports.index_claims(w.claim_id[w.new_claims[0]], w.claim_id[w.new_claims[-1]])
        uow.imports.bulk("relays", relay_rows, conv)
        revised = self._update_changed_claims(uow, existing, w)
        w.counts["changed"] += len(revised)
        if revised or w.revised_sources:
            done = uow.upkeep.after_claim_changes(revised, detect=self.detect and not self.carries_queue,
                                                  sources=w.revised_sources)
            w.counts["suggested"] = done["suggested"]

    def _claim_rows(self, keys, w: Written, conv, relay_rows) -> tuple[list[dict], list[dict]]:
        """The storage rows of these new claims, keyed by column: plain ones (most of a bulk
        load: text, source, date, place, tags, language) and the others, with document, event
        date, subject and value. Their relays go to ``relay_rows``."""
        normalise, date, tags, detect = normalisation.normalise_uncached, conv.date, conv.json, language.detect
        src_id, doc_id = w.src_id, w.doc_id
        plain, full = [], []
        for k in keys:
            rec = self.claims[k]
            d = rec.data
            cid = w.claim_id[k]
            text = d["text"]
            row = {"id": cid, "key": k, "text": text, "norm": normalise(text), "source_id": src_id[d["source"]],
                   "published": date(d.get("published")), "location": d.get("location"), "tags": tags(d.get("tags")),
                   "language": detect(text)}
            doc, v, event_date, subject = d.get("document"), d.get("value"), d.get("event_date"), d.get("subject")
            if doc or v or event_date or subject:
                if doc and doc not in doc_id:
                    raise self.error(rec, "document", f"no document {doc!r}")
                full.append({**row, "document_id": doc_id[doc] if doc else None, "event_date": date(event_date),
                             "subject": subject, **(_value_columns(v) if v else NO_VALUE)})
            else:
                plain.append(row)
            for pos, name in enumerate(d.get("via") or ()):
                relay_rows.append({"claim_id": cid, "position": pos, "source_id": src_id[name]})
        return plain, full

    # ------------------------------------------------------------------ rows
    def _document_row(self, d: dict, src_id: dict) -> dict:
        return {"title": d.get("title"), "url": d.get("url"),
                "publisher_id": src_id.get(d["publisher"]) if d.get("publisher") else None,
                "published": d.get("published"), "retrieved": d.get("retrieved")}

    def _source_row(self, d: dict, w: Written) -> dict:
        src_id = w.src_id
        return {
            "id": src_id[d["id"]], "key": d["id"], "name": d.get("name") or d["id"],
            "kind": d.get("type") or "unknown", "aliases": list(d.get("aliases") or []),
            "affiliation": d.get("affiliation"), "parent_id": src_id.get(d["parent"]) if d.get("parent") else None,
            "grade": d.get("grade"), "notes": d.get("notes"), "created_at": w.now, "created_event": w.event,
        }

    def _update_changed_claims(self, uow, existing_claims, w: Written) -> list[ClaimChange]:
        """Claims already stored whose content in this file differs: refused, or with
        ``update`` changed (audited, before and after); returns the changes."""
        keys = [k for k in self.claims if k in existing_claims]
        if not keys:
            return []
        # re-importing a file must stay cheap: rows that already say what the file says are
        # found in bulk; only the others are loaded and compared one by one below
        unchanged = self._stored_as_in_file(uow, keys, existing_claims, w)
        changed = []
        for k in keys:
            if k in unchanged:
                continue
            claim = uow.claims.get(k)
            before = claim.snapshot()
            d = self.claims[k].data
            differing = model.changed_fields(before, claim_record_snapshot(before, d))
            if not differing:
                continue
            if not self.update:
                raise self.conflict(self.claims[k], f"claim {k}", differing)
            changed.append(ClaimChange(existing_claims[k].id, frozenset(differing), before.get("subject")))
            _apply_record(uow, claim, d)
            uow.record("edit", "claim", k, before, claim.snapshot())
        uow.flush()
        return changed

    def _stored_as_in_file(self, uow, keys, existing_claims, w: Written) -> set[str]:
        key_of = {existing_claims[k].id: k for k in keys}
        ids = sorted(key_of)
        rows, relays = uow.imports.claim_rows(ids, COMPARED_CLAIM_COLUMNS), uow.imports.relays_of(ids)
        src_id, doc_id = w.src_id, w.doc_id
        same = set()
        for cid, k in key_of.items():
            r, d = rows[cid], self.claims[k].data
            v: Value | None = d.get("value")
            stored = {c: getattr(r, c) for c in COMPARED_CLAIM_COLUMNS}
            stored["tags"] = list(stored["tags"] or [])
            wanted = {"text": d["text"], "source_id": src_id[d["source"]],
                      "document_id": doc_id.get(d["document"]) if d.get("document") else None,
                      "published": d.get("published"), "event_date": d.get("event_date"), "location": d.get("location"),
                      "tags": list(d.get("tags") or []), "subject": d.get("subject"),
                      **(_value_columns(v) if v else NO_VALUE)}
            if stored == wanted and relays.get(cid, []) == [src_id[x] for x in d.get("via", ())]:
                same.add(k)
        return same


def _value_columns(v: Value) -> dict:
    return {"qualifier": v.qualifier.value, "value_num": v.number, "value_high": v.high, "value_text": v.text,
            "unit": v.unit}


def claim_record_snapshot(before: dict, d: dict) -> dict:
    """A stored claim's snapshot as this import record would leave it."""
    after = {**before, "text": d["text"], "source": d["source"], "via": list(d.get("via", ())),
             "document": d.get("document"), "published": iso(d.get("published")),
             "event_date": iso(d.get("event_date")), "location": d.get("location"),
             "tags": list(d.get("tags") or []), "subject": d.get("subject")}
    for f in ("value", "qualifier", "unit"):
        after.pop(f, None)
    v = d.get("value")
    if v is not None:
        after.update(value=v.to_json(), qualifier=v.qualifier.label, unit=v.unit)
    return after


def _apply_record(uow, claim: model.Claim, d: dict) -> None:
    claim.text = d["text"]
    claim.norm = normalisation.normalise(d["text"])
    claim.language = language.detect(d["text"])
    claim.source = uow.sources.require(d["source"])
    claim.set_via([uow.sources.require(x) for x in d.get("via", ())])
    claim.document = uow.documents.get(d["document"]) if d.get("document") else None
    claim.published, claim.event_date = d.get("published"), d.get("event_date")
    claim.location, claim.tags, claim.subject, claim.value = (d.get("location"), list(d.get("tags") or []),
                                                              d.get("subject"), d.get("value"))


def differing_columns(row: dict, old, cols) -> list[str]:
    out = []
    for c in cols:
        a, b = row[c], getattr(old, c)
        if c == "aliases":
            a, b = list(a or []), list(b or [])
        if a != b:
            out.append(c)
    return out


def is_placeholder(key: str, old) -> bool:
    """A source created only because a claim named it: nothing said of it but its id."""
    return (old.name == key and old.kind in (None, "unknown") and not old.aliases and old.affiliation is None
            and old.parent_id is None and old.grade is None and old.notes is None)


def source_snapshot(old, src_id) -> dict:
    by_id = _by_id(src_id)
    return {"name": old.name, "type": old.kind, "aliases": list(old.aliases or []), "affiliation": old.affiliation,
            "parent": by_id.get(old.parent_id), "grade": old.grade, "notes": old.notes}


def parent_cycle(parent: dict[int, int]) -> list[int] | None:
    """The ids on a parent cycle (child -> parent), or None. Linear time: each source is
    walked once (a long chain of parents must not cost its length squared)."""
    done: set[int] = set()
    for start in parent:
        path: list[int] = []
        on_path: set[int] = set()
        probe = start
        while probe in parent and probe not in done:
            if probe in on_path:
                return path[path.index(probe):]
            on_path.add(probe)
            path.append(probe)
            probe = parent[probe]
        done.update(path)
    return None


def _by_id(src_id: dict[str, int]) -> dict[int, str]:
    """Source keys by row id; a name that stands for a source's id (``Plan.write``) comes after
    the id itself, so the id wins."""
    out: dict[int, str] = {}
    for k, v in src_id.items():
        out.setdefault(v, k)
    return out
