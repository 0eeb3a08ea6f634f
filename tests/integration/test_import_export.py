"""Import is atomic and idempotent; export round-trips; on SQLite and PostgreSQL."""

import io
import json

import pytest
from sqlalchemy import func, select, text

from tests.conftest import SCENARIO, SEED, import_path
from verifier import views
from verifier.adapters import exporters, orm
from verifier.adapters.importers import ImportFileError


def counts(store):
    with store.uow(readonly=True) as uow:
        return {t.name: uow.session.execute(select(func.count()).select_from(t)).scalar()
                for t in (orm.sources, orm.claims, orm.claim_relays, orm.links, orm.resolutions, orm.events)}


def export_text(store) -> str:
    buf = io.StringIO()
    with store.uow(readonly=True) as uow:
        exporters.write_jsonl(uow.session, buf)
    return buf.getvalue()


def test_seed_import_keeps_sources_relays_and_figures(store):
    added = import_path(store, SEED)
    assert added["sources"] == 5 and added["claims"] == 15
    with store.uow(readonly=True) as uow:
        c1 = views.claim_detail(uow.session, "c1")
        srcs = {s.id: s for s in views.sources(uow.session)}
    assert c1.source == "sohr" and c1.via == ("alma",)
    assert c1.figure.value == 6250 and c1.figure.qualifier == "more than"
    assert srcs["sohr"].claims == 1 and srcs["sohr"].affiliation == "opposition"
    assert c1.history[0].action == "import"


def test_reimporting_the_same_file_changes_nothing(store):
    import_path(store, SEED)
    import_path(store, SCENARIO)
    before = counts(store)
    again = import_path(store, SEED)
    again2 = import_path(store, SCENARIO)
    assert not any(again.values()) and not any(again2.values())
    assert counts(store) == before


def test_a_bad_line_rejects_the_whole_file(store, tmp_path):
    import_path(store, SEED)
    before = counts(store)
    bad = tmp_path / "bad.jsonl"
    lines = SCENARIO.read_text(encoding="utf-8").splitlines()
    lines.insert(8, json.dumps({"kind": "claim", "id": "zz", "text": "x", "source": "sohr", "published": "yesterday"}))
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        import_path(store, bad)
    assert str(err.value).startswith(f"{bad}:9: published: ")
    assert counts(store) == before


def test_a_dangling_reference_rejects_the_file(store, tmp_path):
    bad = tmp_path / "dangling.jsonl"
    bad.write_text(
        '{"kind":"claim","id":"a","text":"one","source":"s"}\n'
        '{"kind":"link","from":"a","to":"nowhere","relation":"corroborates"}\n', encoding="utf-8")
    with pytest.raises(ImportFileError, match=r":2: to: no claim 'nowhere'"):
        import_path(store, bad)
    assert counts(store)["claims"] == 0


def test_export_import_export_is_stable(store, tmp_path):
    from verifier import bootstrap

    import_path(store, SEED)
    import_path(store, SCENARIO)
    first = export_text(store)
    dump = tmp_path / "dump.jsonl"
    dump.write_text(first, encoding="utf-8")
    other = bootstrap.connect(tmp_path / "other.db", "tester")
    try:
        import_path(other, dump)
        assert export_text(other) == first
    finally:
        other.dispose()
    kinds = {json.loads(line)["kind"] for line in first.splitlines()}
    assert kinds >= {"source", "document", "claim", "link", "resolution"}


def test_csv_import_splits_lists_and_reports_lines(store, tmp_path):
    good = tmp_path / "claims.csv"
    good.write_text("id,text,source,via,tags\n"
                    "k1,Three fires broke out in Abu Khashab,deirezzor24,alma;relay2,crops;arson\n", encoding="utf-8")
    import_path(store, good)
    with store.uow(readonly=True) as uow:
        k1 = views.claim_detail(uow.session, "k1")
    assert k1.via == ("alma", "relay2") and k1.tags == ("crops", "arson")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text,source\nk2,fine,s\nk3,,s\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"bad.csv:3: text: is required"):
        import_path(store, bad)


def test_structured_values_derive_links(store):
    import_path(store, SEED)
    import_path(store, SCENARIO)
    with store.uow(readonly=True) as uow:
        links = {(ln.other, ln.relation) for ln in views.claim_detail(uow.session, "c1").links}
    assert ("d2", "corroborates") in links  # about 7000 fits "more than 6250"
    assert ("d3", "contradicts") in links  # about 3000 does not
    # d1 is the same source (sohr) restating its own figure: a revision, neither support nor conflict
    assert ("d1", "corroborates") not in links and ("d1", "contradicts") not in links
    with store.uow(readonly=True) as uow:
        d1_links = views.claim_detail(uow.session, "d1").links
    assert not any(ln.other == "c1" and ln.origin == "derived" for ln in d1_links)


def test_audit_log_is_append_only_in_the_database(store):
    import_path(store, SEED)
    with store.engine.connect() as conn:
        for stmt in ("UPDATE events SET analyst = 'mallory'", "DELETE FROM events"):
            with pytest.raises(Exception, match="append-only"):
                with conn.begin():
                    conn.execute(text(stmt))
    assert counts(store)["events"] >= 1
