"""Scripts are refused, not overwritten: `--if-unchanged-since SEQ` on resolve, link and the
duplicates decisions (the SEQ `claim show` prints), on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import func, select

from verifier.adapters import orm
from verifier.cli import cli


def _cli(db_url, analyst, *args):
    return CliRunner().invoke(cli, ["--db", db_url, "--analyst", analyst, *args])


def _as_of(db_url, claim):
    done = _cli(db_url, "reader", "claim", "show", claim, "--json")
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)["as_of"]


def _resolutions(store):
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(orm.resolutions)).scalar()


def test_a_resolve_on_a_claim_resolved_meanwhile_is_refused(seeded, db_url):
    seq = _as_of(db_url, "c1")
    assert f"as of event {seq}" in _cli(db_url, "reader", "claim", "show", "c1").stdout
    first = _cli(db_url, "script", "resolve", "c1", "--verdict", "true", "--if-unchanged-since", str(seq))
    assert first.exit_code == 0, first.output
    n = _resolutions(seeded)
    # the same script name run twice at once: its own earlier write counts too
    for who in ("script", "other"):
        late = _cli(db_url, who, "resolve", "c1", "--verdict", "false", "--if-unchanged-since", str(seq))
        assert late.exit_code == 1
        assert "changed meanwhile by script" in late.stderr and "nothing was overwritten" in late.stderr
        assert late.stderr.strip().count("\n") == 0
    assert _resolutions(seeded) == n
    # read again, act again: accepted; and without the option the latest write wins (the default)
    assert _cli(db_url, "other", "resolve", "c1", "--verdict", "false", "--if-unchanged-since",
                str(_as_of(db_url, "c1"))).exit_code == 0
    assert _cli(db_url, "third", "resolve", "c1", "--verdict", "mixed").exit_code == 0
    assert _resolutions(seeded) == n + 2
    assert json.loads(_cli(db_url, "x", "claim", "show", "c1", "--json").stdout)["status"] == "mixed"


def test_a_link_or_duplicate_decision_changed_meanwhile_is_refused(seeded, db_url):
    seq = _as_of(db_url, "c2")
    assert _cli(db_url, "ana", "link", "c2", "c1", "--relation", "corroborates", "--note", "first").exit_code == 0
    late = _cli(db_url, "bo", "link", "c1", "c2", "--relation", "corroborates", "--note", "second",
                "--if-unchanged-since", str(seq))
    assert late.exit_code == 1 and "changed meanwhile by ana" in late.stderr
    show = json.loads(_cli(db_url, "x", "claim", "show", "c2", "--json").stdout)
    assert [ln["note"] for ln in show["links"] if ln["other"] == "c1" and ln["relation"] == "corroborates"] == ["first"]
    pairs = json.loads(_cli(db_url, "x", "duplicates", "--json").stdout)
    assert pairs, "the seeded store has suggested duplicates"
    a, b = _pair(pairs[0])
    seq = _as_of(db_url, a)
    assert _cli(db_url, "ana", "duplicates", "reject", a, b).exit_code == 0
    late = _cli(db_url, "bo", "duplicates", "accept", a, b, "--if-unchanged-since", str(seq))
    assert late.exit_code == 1 and "changed meanwhile by ana" in late.stderr
    assert [(p["a"], p["b"]) for p in json.loads(_cli(db_url, "x", "duplicates", "--state", "rejected", "--json").stdout)] \
        == [(a, b)]
    seq = _as_of(db_url, a)
    assert _cli(db_url, "ana", "copies", "confirm", a, b).exit_code == 0
    late = _cli(db_url, "bo", "copies", "overrule", b, a, "--if-unchanged-since", str(seq))
    assert late.exit_code == 1 and "changed meanwhile by ana" in late.stderr


def _pair(row: dict) -> tuple[str, str]:
    return row["a"], row["b"]
