"""The audit log is tamper-evident, on SQLite and PostgreSQL.

- The database itself refuses UPDATE and DELETE on `events` (and TRUNCATE on PostgreSQL).
- An attacker who gets past that (drops the SQLite triggers with file access, disables the
  PostgreSQL trigger as the owner) and edits, removes or reorders an event is caught by
  `verifier audit verify`: exit 1, naming the first bad event. Intact: exit 0.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from verifier.cli import cli

K = 3  # the event tampered with (in the middle of the log)


@pytest.fixture
def busy(seeded, db_url):
    """The seeded store with some analyst work on top: a log of a dozen events or more."""
    for args in (("resolve", "c1", "--verdict", "mostly-true", "--rationale", "two monitors agree"),
                 ("link", "c2", "c1", "--relation", "corroborates", "--note", "same figure"),
                 ("claim", "add", "A new claim about Abu Khashab", "--source", "sohr", "--id", "t-new", "--no-detect"),
                 ("resolve", "t-new", "--verdict", "false")):
        done = _cli(db_url, *args)
        assert done.exit_code == 0, done.output
    with seeded.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() >= K + 3
    return seeded


def _cli(db_url, *args):
    return CliRunner().invoke(cli, ["--db", db_url, "--analyst", "tamper", *args])


def _verify(db_url):
    return _cli(db_url, "audit", "verify")


def _raw(store, *statements, params=None):
    """Statements as an attacker would run them: plain SQL, outside verifier's code paths."""
    with store.engine.connect() as conn:
        conn = conn.execution_options(readonly=True)  # no verifier writer lock: a foreign client
        with conn.begin():
            for sql in statements:
                conn.execute(text(sql), params or {})


def _unguard(store):
    """Get past the append-only guard as an attacker with file access / table ownership would."""
    if store.dialect == "sqlite":
        _raw(store, "DROP TRIGGER events_no_update", "DROP TRIGGER events_no_delete")
    else:
        _raw(store, "ALTER TABLE events DISABLE TRIGGER USER")


# --------------------------------------------------------------------------- the guard

@pytest.mark.parametrize("sql", [
    f"UPDATE events SET analyst = 'mallory' WHERE seq = {K}",
    f"UPDATE events SET after = NULL WHERE seq = {K}",
    f"DELETE FROM events WHERE seq = {K}",
    "DELETE FROM events",
])
def test_the_database_refuses_to_change_the_audit_log(busy, sql):
    before = _events(busy)
    with pytest.raises(DBAPIError, match="append-only"):
        _raw(busy, sql)
    assert _events(busy) == before


def test_postgres_refuses_truncate_too(busy):
    if busy.dialect != "postgresql":
        return  # SQLite has no TRUNCATE (DELETE FROM without WHERE is covered above)
    with pytest.raises(DBAPIError, match="append-only"):
        _raw(busy, "TRUNCATE events")


def test_changes_through_the_app_are_refused_with_one_line(busy, db_url, monkeypatch):
    """Should any code path try to rewrite history, the CLI says so in one line."""
    from verifier.services import commands

    def rewrite(uow, *a, **kw):
        with uow:
            uow.session.execute(text("DELETE FROM events WHERE seq = 1"))
            uow.commit()

    monkeypatch.setattr(commands, "resolve", rewrite)
    done = _cli(db_url, "resolve", "c1", "--verdict", "true")
    assert done.exit_code == 1
    assert done.stderr.strip().count("\n") == 0 and "append-only" in done.stderr
    assert _verify(db_url).exit_code == 0


def _events(store):
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT * FROM events ORDER BY seq")).all()


# --------------------------------------------------------------------------- tampering

def test_an_intact_log_verifies(busy, db_url):
    done = _verify(db_url)
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("audit log intact")
    as_json = _cli(db_url, "audit", "verify", "--json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["intact"] is True


TAMPERING = {
    "edit-after": [f"UPDATE events SET after = '{{\"verdict\": \"true\"}}' WHERE seq = {K}"],
    "edit-analyst": [f"UPDATE events SET analyst = 'mallory' WHERE seq = {K}"],
    "edit-time": [f"UPDATE events SET at = at - INTERVAL '1 day' WHERE seq = {K}"],
    "edit-hash-too": [f"UPDATE events SET action = 'nothing', hash = '{'0' * 64}' WHERE seq = {K}"],
    "delete": [f"DELETE FROM events WHERE seq = {K}"],
    "swap": [f"UPDATE events SET seq = -1 WHERE seq = {K}", f"UPDATE events SET seq = {K} WHERE seq = {K + 1}",
             f"UPDATE events SET seq = {K + 1} WHERE seq = -1"],
    "insert-forged": [f"INSERT INTO events (seq, at, analyst, action, entity, key, before, after, prev_hash, hash) "
                      f"SELECT seq + 1000, at, 'mallory', 'resolve', 'claim', 'c1', NULL, NULL, hash, hash "
                      f"FROM events WHERE seq = {K}"],
}
EXPECTED = {"edit-after": "edited", "edit-analyst": "edited", "edit-time": "edited", "edit-hash-too": "edited",
            "delete": "removed", "swap": "", "insert-forged": "removed"}


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_tampering_is_named_by_audit_verify(busy, db_url, how):
    statements = TAMPERING[how]
    if busy.dialect == "sqlite":
        statements = [s.replace("at - INTERVAL '1 day'", "datetime(at, '-1 day')") for s in statements]
    _unguard(busy)
    n = len(_events(busy))
    _raw(busy, *statements)
    done = _verify(db_url)
    assert done.exit_code == 1, done.output
    assert "Traceback" not in done.stderr
    line = done.stderr.strip()
    assert "\n" not in line
    if how == "insert-forged":  # appended far past the end: the gap names the first missing event
        assert f"event {n + 1}:" in line, line
    else:
        assert f"event {K}:" in line, line
    assert EXPECTED[how] in line, line
    as_json = json.loads(_cli(db_url, "audit", "verify", "--json").stdout)
    assert as_json["intact"] is False and as_json["first_bad"]["seq"] == (n + 1 if how == "insert-forged" else K)


def _signed(db_url, key, *args):
    return CliRunner().invoke(cli, ["--db", db_url, "--analyst", "tamper", "audit", *args],
                              env={"VERIFIER_CHECKPOINT_KEY": str(key)})


def test_removing_the_newest_event_is_caught(busy, db_url, tmp_path):
    """A chain cut short still verifies by itself; a signed checkpoint kept elsewhere names
    what went. The key is made on first use, readable by its owner only, outside the database."""
    key = tmp_path / "keys" / "checkpoint.key"
    made = _signed(db_url, key, "checkpoint")
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()
    assert key.stat().st_mode & 0o777 == 0o600
    n = len(_events(busy))
    assert token.startswith(f"vcp1:{n}:")
    assert _signed(db_url, key, "verify", "--against", token).exit_code == 0
    _unguard(busy)
    _raw(busy, "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)")
    done = _signed(db_url, key, "verify", "--against", token)
    assert done.exit_code == 1
    assert f"event {n}: removed (the recorded head is event {n}; the log ends at event {n - 1})" in done.stderr
    kept = tmp_path / "checkpoint.txt"  # the line kept in a file works the same
    kept.write_text(token + "\n")
    assert _signed(db_url, key, "verify", "--against", str(kept)).exit_code == 1


def test_a_rewritten_log_does_not_match_its_checkpoint(busy, db_url, tmp_path):
    """Someone rewrites the newest event and recomputes its hash: the chain verifies, the
    checkpoint does not."""
    key = tmp_path / "checkpoint.key"
    token = _signed(db_url, key, "checkpoint").stdout.strip()
    n = len(_events(busy))
    from verifier.adapters import orm
    from verifier.domain import audit

    with busy.engine.connect() as conn:
        last = conn.execute(select(orm.events).where(orm.events.c.seq == n)).mappings().one()

    forged = audit.event_hash(last["prev_hash"], n, last["at"], "mallory", last["action"], last["entity"], last["key"],
                              last["before"], last["after"])
    _unguard(busy)
    _raw(busy, f"UPDATE events SET analyst = 'mallory', hash = :h WHERE seq = {n}", params={"h": forged})
    assert _verify(db_url).exit_code == 0  # consistent by itself
    done = _signed(db_url, key, "verify", "--against", token)
    assert done.exit_code == 1 and f"event {n}: does not match the recorded head" in done.stderr


def test_a_checkpoint_is_refused_when_altered_or_signed_with_another_key(busy, db_url, tmp_path):
    key = tmp_path / "checkpoint.key"
    token = _signed(db_url, key, "checkpoint").stdout.strip()
    prefix, seq, head, mac = token.split(":")
    shorter = f"{prefix}:{int(seq) - 1}:{head}:{mac}"  # someone claims the log was shorter
    done = _signed(db_url, key, "verify", "--against", shorter)
    assert done.exit_code != 0 and "signature does not match" in done.stderr
    other = _signed(db_url, tmp_path / "other.key", "verify", "--against", token)
    assert other.exit_code != 0 and "no checkpoint key" in other.stderr  # verifying never makes a key
    _signed(db_url, tmp_path / "other.key", "checkpoint")
    other = _signed(db_url, tmp_path / "other.key", "verify", "--against", token)
    assert other.exit_code != 0 and "signature does not match" in other.stderr


def test_a_recorded_head_catches_the_newest_events_cut_off(busy, db_url):
    intact = json.loads(_cli(db_url, "audit", "verify", "--json").stdout)
    head = intact["head"]
    assert intact["intact"] is True and head.startswith(f"{intact['events']}:")
    assert _cli(db_url, "audit", "verify", "--head", head).exit_code == 0
    _unguard(busy)
    _raw(busy, "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)")
    done = _cli(db_url, "audit", "verify", "--head", head)
    assert done.exit_code == 1
    assert f"event {intact['events']}: removed" in done.stderr
