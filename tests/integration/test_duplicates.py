"""Near-duplicate detection on a real database (SQLite file and PostgreSQL): candidates
from the text index, suggestions in bands, a rejected pair never suggested again,
``similar``, and the semantic extra (embeddings stored on arrival, the vector index)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.conftest import import_path, require_extra
from verifier import views
from verifier.adapters import orm
from verifier.domain import matching, normalisation
from verifier.services import commands, duplicates

CLAIMS = [
    ("r1", "Three fires broke out in barley fields of Abu Khashab on 10 May."),
    ("r2", "Three fires broke out in barley fields in Abu Khashab on 10 May."),  # copy of r1
    ("r3", "On 10 May, three fires broke out in the barley fields of the village of Abu Khashab."),  # reworded
    ("r4", "Seven fires broke out in barley fields of Abu Khashab on 10 May."),  # another number
    ("r5", "Pro-Iranian militias opened a recruitment office in Al-Mayadin."),
    ("r6", "A Syrian recruitment campaign in support of Iranian militias is continuing."),  # same topic, other claim
    ("r7", "The regime army withdrew all its units from Al-Bukamal."),
    ("r8", "The regime army did not withdraw its units from Al-Bukamal."),  # negation
    ("r9", "Butterflies sheltered in a wombat burrow during the bushfires in New South Wales."),
]


def _write(tmp_path, claims, name="claims.jsonl"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8") as fh:
        for key, text in claims:
            fh.write(json.dumps({"kind": "claim", "id": key, "text": text, "source": "monitor"}) + "\n")
    return path


def _queue(store, state="suggested"):
    with store.uow(readonly=True) as uow:
        return {frozenset((r.a, r.b)): r for r in views.duplicate_queue(uow.session, state=state)}


@pytest.fixture
def detected(store, tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFIER_SEMANTIC", "0")
    counts = import_path(store, _write(tmp_path, CLAIMS))
    assert counts["claims"] == len(CLAIMS)
    return store


def test_import_suggests_duplicates_and_possible_contradictions(detected):
    queue = _queue(detected)
    copy = queue[frozenset(("r1", "r2"))]
    assert copy.kind == "duplicate" and copy.score >= matching.T2 and copy.band == "near-certain"
    assert queue[frozenset(("r1", "r3"))].kind == "duplicate"
    assert queue[frozenset(("r1", "r4"))].kind == "conflict" and "numbers" in queue[frozenset(("r1", "r4"))].reason
    assert queue[frozenset(("r7", "r8"))].kind == "conflict" and "negation" in queue[frozenset(("r7", "r8"))].reason
    # same topic, another claim: below T1, not in the queue
    assert frozenset(("r5", "r6")) not in queue
    assert not any("r9" in pair for pair in queue)
    assert all(r.score >= matching.T1 for r in queue.values())


def test_a_claim_added_by_hand_is_compared_on_arrival(detected):
    out = commands.add_claim(detected.uow(), "Three fires broke out in the barley fields of Abu Khashab on 10 May",
                             "another-monitor", key="r10")  # fmt: skip
    assert out["suggested"] >= 2
    queue = _queue(detected)
    assert queue[frozenset(("r1", "r10"))].kind == "duplicate"


def test_no_claim_waits_on_more_than_a_few_suggestions_and_the_best_are_kept(store, tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFIER_SEMANTIC", "0")
    base = "Seven trucks of the convoy crossed the bridge at Al-Mayadin"
    claims = [("k0", base + "."), ("k1", base + " today."), ("k2", base + " this morning, locals said."),
              ("k3", base + " after sunset, a local monitor said."), ("k4", "Eight trucks of the convoy crossed the bridge at Al-Mayadin."),
              ("k5", base + " on the main road after sunset, two local monitors said.")]
    import_path(store, _write(tmp_path, claims))
    queue = _queue(store)
    for key, _ in claims:
        assert sum(key in pair for pair in queue) <= duplicates.PER_CLAIM
    assert frozenset(("k0", "k1")) in queue  # the closest copy is never the one dropped
    assert commands.dedupe(store.uow())["suggested"] == 0  # the rescan respects the same limit


def test_rejected_pair_is_never_suggested_again_and_dedupe_finds_nothing_new(detected):
    commands.set_link_state(detected.uow(), "r1", "r2", "rejected")
    assert frozenset(("r1", "r2")) not in _queue(detected)
    assert commands.dedupe(detected.uow())["suggested"] == 0
    assert frozenset(("r1", "r2")) not in _queue(detected)
    assert frozenset(("r1", "r2")) in _queue(detected, "rejected")


def test_lower_threshold_then_dedupe_suggests_more(detected):
    before = len(_queue(detected))
    commands.set_setting(detected.uow(), "match.t1", "30")
    assert commands.dedupe(detected.uow())["suggested"] > 0
    assert len(_queue(detected)) > before


def test_candidates_come_from_the_index_not_all_pairs(detected):
    with detected.uow(readonly=True) as uow:
        s = uow.session
        ids = dict(s.execute(select(orm.claims.c.key, orm.claims.c.id)).all())
        words = {ids["r9"]: normalisation.content_words(normalisation.normalise(CLAIMS[-1][1]))}
        assert duplicates.candidate_pairs(s, words) == []  # shares no rare word with anything
        words = {ids["r1"]: normalisation.content_words(normalisation.normalise(CLAIMS[0][1]))}
        others = {b if a == ids["r1"] else a for a, b in duplicates.candidate_pairs(s, words)}
        assert {ids["r2"], ids["r3"], ids["r4"]} <= others
        assert ids["r9"] not in others and ids["r7"] not in others


def test_similar_ranks_the_same_report_first(detected):
    with detected.uow(readonly=True) as uow:
        found = views.similar(uow.session, "three fires in the barley fields of Abu Khashab", limit=3)
    assert 1 <= len(found) <= 3
    assert found[0].id in ("r1", "r2", "r3")
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_detection_after_an_import_reports_its_progress_claim_by_claim(store, tmp_path, monkeypatch):
    """The import's second progress bar (near-duplicates; with the semantic extra the long
    part) is told of every new claim once, and only of new ones."""
    monkeypatch.setenv("VERIFIER_SEMANTIC", "0")
    import_path(store, _write(tmp_path, CLAIMS[:4], "first.jsonl"))
    asked, told = [], []

    def detect_progress(new_claims):
        asked.append(new_claims)
        return told.append

    counts = import_path(store, _write(tmp_path, CLAIMS, "all.jsonl"), detect_progress=detect_progress)
    assert counts["claims"] == len(CLAIMS) - 4
    assert asked == [len(CLAIMS) - 4] and sum(told) == len(CLAIMS) - 4


def test_many_arrivals_in_one_import_find_each_other_and_old_claims(detected, tmp_path):
    more = [(f"m{i}", f"Convoy number {i} of the Kaserun brigade reached the Tarfan airport near Qalamoun")
            for i in range(3)] + [("m9", "Three fires broke out in barley fields near Abu Khashab on 10 May.")]  # fmt: skip
    counts = import_path(detected, _write(tmp_path, more, "more.jsonl"))
    assert counts["suggested"] >= 1
    queue = _queue(detected)
    # same words, another convoy number: another convoy, not another count of one
    assert not any(pair <= {"m0", "m1", "m2"} for pair in queue)
    # r1 waited on three suggestions already: its closest copy takes the place of its weakest
    assert queue[frozenset(("r1", "m9"))].kind == "duplicate"
    assert sum("r1" in pair for pair in queue) == duplicates.PER_CLAIM


# --------------------------------------------------------------------------- semantic


@pytest.mark.semantic
def test_semantic_extra_stores_embeddings_on_arrival_and_finds_paraphrases(db_url, tmp_path, monkeypatch):
    """SQLite: the usearch index beside the file; PostgreSQL: an exact scan of the stored vectors."""
    require_extra("semantic")
    from verifier import bootstrap
    from verifier.adapters import embeddings

    monkeypatch.delenv("VERIFIER_SEMANTIC", raising=False)
    store = bootstrap.connect(db_url, "tester")
    try:
        calls = []
        real = embeddings.embed
        monkeypatch.setattr(embeddings, "embed", lambda texts, *a, **kw: calls.append(len(texts)) or real(texts, *a, **kw))
        extra = [(f"x{i}", f"Report {i}: the convoy of brigade {i} reached the airport") for i in range(300)]
        told = []
        import_path(store, _write(tmp_path, CLAIMS + extra), detect_progress=lambda n: told.append)
        assert calls and max(calls) > 1 and len(calls) <= 2  # in batches, not one call per claim
        assert told[:len(calls)] == calls and sum(told) == len(CLAIMS) + len(extra)  # moves as each batch is embedded
        with store.uow(readonly=True) as uow:
            stored = uow.session.execute(select(orm.claim_embeddings.c.claim_id)).scalars().all()
            assert len(stored) == len(CLAIMS) + len(extra)
            # no word in common with r5, the same claim in other words
            found = views.similar(uow.session, "Tehran-backed armed groups started enlisting fighters in Mayadeen", 5)
            assert found[0].id == "r5"
            lexical = views.similar(uow.session, "Tehran-backed armed groups started enlisting fighters in Mayadeen", 5,
                                    semantic=False)  # fmt: skip
            assert not lexical or lexical[0].id != "r5" or lexical[0].score < found[0].score
        assert (tmp_path / "verifier.db.vectors.usearch").exists() == (store.dialect == "sqlite")
        # a claim added later is embedded and searchable without rebuilding from scratch
        commands.add_claim(store.uow(), "Wombats shared their burrows with other animals during the fires", "ecologist",
                           key="w1")  # fmt: skip
        with store.uow(readonly=True) as uow:
            vector = embeddings.embed(["animals hid in wombat holes while the bush burned"])[0]
            assert {"w1", "r9"} & {m.id for m in views.similar(uow.session, "animals hid in wombat holes while the bush burned", 2,
                                                                   query_vector=vector)}  # fmt: skip
    finally:
        store.dispose()


def test_without_the_extra_no_embedding_code_is_imported(sqlite_url, tmp_path):
    import subprocess
    import sys

    script = (
        "import sys, json\n"
        "from verifier import bootstrap, views\n"
        "from verifier.services import importing\n"
        f"store = bootstrap.connect({sqlite_url!r}, 't')\n"
        "uow = store.uow()\n"
        "with uow:\n"
        f"    importing.import_file(uow, {str(_write(tmp_path, CLAIMS))!r})\n"
        "    uow.commit()\n"
        "with store.uow(readonly=True) as uow:\n"
        "    found = views.similar(uow.session, 'fires in Abu Khashab', 3)\n"
        "print(json.dumps([found[0].id, sorted(m for m in ('torch', 'sentence_transformers', 'usearch') if m in sys.modules)]))\n"
    )
    env = {**__import__("os").environ, "VERIFIER_SEMANTIC": "0"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    first, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert first in ("r1", "r2", "r3", "r4") and loaded == []


def test_a_templated_feed_is_not_a_flood_of_possible_contradictions(store, tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFIER_SEMANTIC", "0")
    feed = [(f"t{i}", f"Bulk report number {i} about convoy {i} near checkpoint {i}") for i in range(3_000)]
    feed += [(f"v{i}", f"Patrol {i % 40} counted {2 + i % 7} trucks at the Tarfan gate, log entry {5000 + i}")
             for i in range(1_000)]
    planted = [("p1", "Bulk report no. 1234 on convoy 1234 near checkpoint 1234"),  # t1234 in other words
               ("p2", "Patrol 7 counted 90 trucks at the Tarfan gate, log entry 5007")]  # v7 with another count
    counts = import_path(store, _write(tmp_path, feed[:2_000] + planted + feed[2_000:], "feed.jsonl"))
    queue = _queue(store)
    assert queue[frozenset(("p1", "t1234"))].kind == "duplicate"
    assert queue[frozenset(("p2", "v7"))].kind == "conflict"
    assert counts["suggested"] == len(queue) <= 10  # not one per template claim
    ends = [key for pair in queue for key in pair]
    assert max(ends.count(k) for k in set(ends)) <= duplicates.PER_CLAIM
