"""A team on one server, on SQLite and PostgreSQL: users and sign-in with backoff kept in
the database, readers refused by the services, assignment, watches filling inboxes from
every claim-creation path, and the optimistic check between two analysts."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import SCENARIO, SEED, import_path
from verifier import bootstrap, views
from verifier.adapters import orm
from verifier.cli import cli
from verifier.domain import team as domain
from verifier.domain.checks import utcnow
from verifier.services import commands, team

PASSWORD = "correct horse battery"


@pytest.fixture
def run(db_url):
    def invoke(*args, analyst="ana", ok=True, input=None, env=None):
        result = CliRunner().invoke(cli, ["--db", db_url, "--analyst", analyst, *args], input=input, env=env)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    invoke("import", str(SEED))
    return invoke


def _user_row(store, name):
    with store.uow(readonly=True) as uow:
        return uow.team.user(name)


def test_user_commands_store_a_hash_never_the_password(run, db_url):
    run("user", "add", "ana", input=PASSWORD + "\n")  # a script: the password on standard input
    run("user", "add", "rita", "--role", "reader", env={"VERIFIER_PASSWORD": PASSWORD + "!"})
    users = json.loads(run("user", "list", "--json").stdout)
    assert [(u["name"], u["role"], u["disabled"]) for u in users] == [("ana", "analyst", False), ("rita", "reader", False)]
    assert "hash" not in json.dumps(users)
    store = bootstrap.connect(db_url, "x")
    try:
        row = _user_row(store, "ana")
        assert row["password_hash"].startswith("$argon2id$") and PASSWORD not in row["password_hash"]
        assert team.sign_in(store, "ana", PASSWORD) == {"name": "ana", "role": "analyst"}
        run("user", "passwd", "ana", input="a new password\n")
        with pytest.raises(domain.SignInRefused):
            team.sign_in(store, "ana", PASSWORD)
        assert team.sign_in(store, "ana", "a new password")["name"] == "ana"
        run("user", "disable", "ana")
        with pytest.raises(domain.SignInRefused, match="disabled"):
            team.sign_in(store, "ana", "a new password")
        # the audit names who managed users, and the user's own sign-ins
        events = [(e["analyst"], e["action"], e["key"]) for e in json.loads(run("audit", "--entity", "user", "--json").stdout)]
        assert ("ana", "add", "ana") in events and ("ana", "sign-in", "ana") in events and ("ana", "disable", "ana") in events
    finally:
        store.dispose()
    bad = run("user", "add", "bo", input="short\n", ok=False)
    assert bad.exit_code == 1 and "password" in bad.stderr and bad.stderr.count("\n") == 1


def _throttle(store, account, address):
    with store.uow(readonly=True) as uow:
        return uow.team.throttle([(account, address)]).get((account, address))


def test_guesses_slow_down_their_own_address_in_the_database_never_the_owner(run, db_url):
    run("user", "add", "ana", input=PASSWORD + "\n")
    store = bootstrap.connect(db_url, "x")
    guesser, owner = "203.0.113.7", "198.51.100.2"
    try:
        for _ in range(domain.FREE_FAILURES):
            with pytest.raises(domain.SignInRefused, match="^sign-in: wrong name or password$"):
                team.sign_in(store, "ana", "guess", guesser)
        assert _user_row(store, "ana")["failures"] == domain.FREE_FAILURES
        # now even the right password is not checked from the guessing address
        with pytest.raises(domain.SignInRefused, match="too many failed sign-ins from your address"):
            team.sign_in(store, "ana", PASSWORD, guesser)
        # ...while the owner, from their own address, signs in at once
        assert team.sign_in(store, "ana", PASSWORD, owner)["name"] == "ana"
        # another process (a second server) sees the same throttle
        with store.uow() as uow:
            uow.team.set_throttle("ana", guesser, 9, utcnow() + timedelta(minutes=5), utcnow(), new=False)
            uow.commit()
        other = bootstrap.connect(db_url, "y")
        try:
            with pytest.raises(domain.SignInRefused, match="try again in"):
                team.sign_in(other, "ana", PASSWORD, guesser)
        finally:
            other.dispose()
        # an unknown name gets the same words, and counts against the guessing address as well
        with pytest.raises(domain.SignInRefused, match="^sign-in: wrong name or password$"):
            team.sign_in(store, "nobody-here", PASSWORD, "192.0.2.50")
        assert _throttle(store, domain.ANYONE, "192.0.2.50")["failures"] == 1
        # a new password lifts the name's throttle from every address
        run("user", "passwd", "ana", input=PASSWORD + "\n")
        assert _throttle(store, "ana", guesser) is None
        assert team.sign_in(store, "ana", PASSWORD, guesser)["name"] == "ana"
        audit = json.loads(run("audit", "--entity", "user", "--json").stdout)
        refused = [(e["analyst"], e["key"], e["after"]["why"]) for e in audit if e["action"] == "sign-in-refused"]
        assert refused[:4] == [(domain.UNSIGNED, "ana", "wrong password")] * 3 + [(domain.UNSIGNED, "ana", "throttled")]
        assert (domain.UNSIGNED, "nobody-here", "unknown name") in refused
    finally:
        store.dispose()


def test_parallel_guesses_cannot_walk_past_the_throttle(run, db_url):
    """Each attempt is counted before its password is checked, atomically: of 12 guesses sent
    at once from one address only the free ones are checked, and the right password sent
    among them is refused too."""
    run("user", "add", "ana", input=PASSWORD + "\n")
    stores = [bootstrap.connect(db_url, f"s{i}") for i in range(6)]
    guesser = "203.0.113.9"

    def attempt(i):
        try:
            team.sign_in(stores[i % len(stores)], "ana", PASSWORD if i == 11 else f"guess {i}", guesser)
            return "signed in"
        except domain.SignInRefused as exc:
            return "checked" if "wrong" in exc.problem else "throttled"

    try:
        with ThreadPoolExecutor(12) as pool:
            outcomes = list(pool.map(attempt, range(12)))
        assert outcomes.count("checked") + outcomes.count("signed in") <= domain.FREE_FAILURES
        assert outcomes.count("throttled") >= 12 - domain.FREE_FAILURES
        assert _throttle(stores[0], "ana", guesser)["failures"] <= domain.FREE_FAILURES
    finally:
        for s in stores:
            s.dispose()


def test_sessions_end_when_the_user_is_disabled_or_gets_a_new_password(run, db_url):
    run("user", "add", "ana", input=PASSWORD + "\n")
    store = bootstrap.connect(db_url, "x")
    try:
        token = team.start_session(store, team.sign_in(store, "ana", PASSWORD))
        who = team.session_user(store, token)
        assert (who["name"], who["role"]) == ("ana", "analyst")
        assert team.session_user(store, who["session"], hashed=True)["name"] == "ana"
        assert team.session_user(store, "forged") is None
        run("user", "passwd", "ana", input="a new password\n")
        assert team.session_user(store, token) is None
        token = team.start_session(store, team.sign_in(store, "ana", "a new password"))
        run("user", "disable", "ana")
        assert team.session_user(store, token) is None and team.live_sessions(store, [who["session"]]) == set()
        run("user", "disable", "ana", "--enable")
        token = team.start_session(store, team.sign_in(store, "ana", "a new password"))
        assert team.end_session(store, token) == "ana" and team.session_user(store, token) is None
        with store.uow(readonly=True) as uow:  # only the token's hash is kept
            assert token not in {r.id for r in uow.session.execute(select(orm.web_sessions.c.id))}
    finally:
        store.dispose()


def test_a_reader_reads_everything_and_changes_nothing(run, db_url):
    run("user", "add", "rita", "--role", "reader", input=PASSWORD + "\n")
    gate = bootstrap.connect(db_url, "server")
    try:
        if gate.dialect == "postgresql":
            with pytest.raises(domain.SignInRefused, match="read-only PostgreSQL role"):
                bootstrap.open_as(gate, team.sign_in(gate, "rita", PASSWORD))
            return  # with the role: tests/robustness/test_privileges.py
        store = bootstrap.open_as(gate, team.sign_in(gate, "rita", PASSWORD))
        with store.uow(readonly=True) as uow:
            before = views.claim_detail(uow.session, "c1")
        for write in (lambda: commands.resolve(store.uow(), "c1", "false"),
                      lambda: commands.note(store.uow(), "c1", "a note"),
                      lambda: team.add_watch(store.uow(), "tag", "econ"),
                      lambda: commands.add_claim(store.uow(), "A new claim", "sohr")):
            with pytest.raises(domain.ReadOnlyUser, match="rita is a reader: readers may read everything and change nothing"):
                write()
        with store.uow(readonly=True) as uow:
            assert views.claim_detail(uow.session, "c1") == before
        store.dispose()
    finally:
        gate.dispose()


def test_assignment_is_audited_and_filters_the_claims(run):
    run("user", "add", "ana", input=PASSWORD + "\n")
    run("user", "add", "bo", input=PASSWORD + "\n")
    out = json.loads(run("assign", "c1", "c2", "--to", "me", "--json").stdout)
    assert out == {"assignee": "ana", "claims": ["c1", "c2"], "changed": 2}
    run("assign", "c2", "--to", "bo", analyst="bo")
    mine = json.loads(run("claims", "--assigned-to", "me", "--json").stdout)
    assert [c["id"] for c in mine] == ["c1"] and mine[0]["assignee"] == "ana"
    assert [c["id"] for c in json.loads(run("claims", "--assigned-to", "bo", "--json").stdout)] == ["c2"]
    nobody = {c["id"] for c in json.loads(run("claims", "--assigned-to", "nobody", "--json").stdout)}
    assert "c1" not in nobody and "c2" not in nobody and "c3" in nobody
    run("assign", "c1", "--to", "nobody")
    assert json.loads(run("claims", "--assigned-to", "me", "--json").stdout) == []
    history = [(e["analyst"], e["action"], e["before"], e["after"])
               for e in json.loads(run("claim", "show", "c2", "--json").stdout)["history"] if e["action"] == "assign"]
    assert history == [("ana", "assign", {"assignee": None}, {"assignee": "ana"}),
                       ("bo", "assign", {"assignee": "ana"}, {"assignee": "bo"})]
    for args, says in ((("c1", "--to", "zed"), "no user 'zed'"), (("c404", "--to", "ana"), "no claim")):
        bad = run("assign", *args, ok=False)
        assert bad.exit_code == 1 and says in bad.stderr and bad.stderr.count("\n") == 1


def test_new_claims_from_every_path_reach_the_watchers_inbox(run, tmp_path):
    run("watch", "add", "--text", "crops burned in Abu Khashab")
    run("watch", "add", "--source", "sohr", analyst="bo")
    run("watch", "add", "--tag", "econ", analyst="bo")
    assert [w["kind"] for w in json.loads(run("watch", "list", "--json").stdout)] == ["text"]
    # added at the command line
    run("claim", "add", "Crops were burned again in Abu Khashab on 14 May", "--source", "deirezzor24")
    run("claim", "add", "Streets were renamed in the camp", "--source", "orient")  # nobody watches this
    # imported
    f = tmp_path / "new.jsonl"
    f.write_text('{"kind":"claim","id":"n1","text":"Farmers say crops burned in Abu Khashab fields","source":"sohr"}\n'
                 '{"kind":"claim","id":"n2","text":"Prices of bread doubled","source":"orient","tags":["econ"]}\n')
    run("import", str(f))
    ana = json.loads(run("inbox", "--json").stdout)
    assert [(i["claim"], i["watch"]["kind"]) for i in ana] == [("n1", "text"), ("c16", "text")]
    assert all(not i["read"] for i in ana) and "duplicate" in ana[0]["why"]
    bo = json.loads(run("inbox", "--json", analyst="bo").stdout)
    assert sorted((i["claim"], i["watch"]["kind"]) for i in bo) == [("n1", "source"), ("n2", "tag")]
    # reading is per analyst: bo cannot mark ana's entries
    bad = run("inbox", "read", str(ana[0]["id"]), analyst="bo", ok=False)
    assert bad.exit_code == 1 and "no inbox entry of yours" in bad.stderr
    run("inbox", "read", str(ana[0]["id"]))
    assert [i["claim"] for i in json.loads(run("inbox", "--unread", "--json").stdout)] == ["c16"]
    # re-importing the same file adds nothing twice
    run("import", str(f))
    assert len(json.loads(run("inbox", "--json").stdout)) == 2
    wid = json.loads(run("watch", "list", "--json").stdout)[0]["id"]
    run("watch", "remove", str(wid))
    assert json.loads(run("watch", "list", "--json").stdout) == []


def test_the_second_analyst_is_told_not_overwritten(db_url):
    first = bootstrap.connect(db_url, "ana")
    second = bootstrap.connect(db_url, "bo")
    try:
        import_path(first, SEED)
        import_path(first, SCENARIO)
        # both screens show the claim as it is now
        with second.uow(readonly=True) as uow:
            second.seen, _ = team.changes(uow)
        commands.resolve(first.uow(), "c1", "true", rationale="confirmed by imagery")
        with pytest.raises(domain.Conflict, match=r"c1 was changed meanwhile by ana \(resolve"):
            commands.resolve(second.uow(), "c1", "false")
        with first.uow(readonly=True) as uow:
            d = views.claim_detail(uow.session, "c1")
        assert [(r.verdict, r.analyst) for r in d.resolutions] == [("true", "ana")]
        # once bo's screen has been refreshed, bo may disagree (kept as history, both audited)
        with second.uow(readonly=True) as uow:
            second.seen, _ = team.changes(uow)
        commands.resolve(second.uow(), "c1", "false")
        # the analyst's own earlier change never blocks them
        commands.resolve(second.uow(), "c1", "mixed")
        with first.uow(readonly=True) as uow:
            d = views.claim_detail(uow.session, "c1")
            names = uow.session.execute(select(orm.events.c.analyst).where(orm.events.c.action == "resolve")).scalars().all()
        assert [r.analyst for r in d.resolutions] == ["ana", "bo", "bo"] and names == ["ana", "bo", "bo"]
    finally:
        first.dispose()
        second.dispose()


@pytest.mark.postgres
def test_on_postgresql_a_readers_session_runs_under_the_read_only_role(pg_url):
    import uuid

    import psycopg
    from sqlalchemy.exc import ProgrammingError

    from tests.conftest import PG_URL

    role = "ro_" + uuid.uuid4().hex[:10]
    dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} NOLOGIN")
    gate = bootstrap.connect(pg_url, "server")
    try:
        import_path(gate, SEED)
        team.add_user(gate.uow(), "rita", PASSWORD, "reader")
        assert CliRunner().invoke(cli, ["--db", pg_url, "grant-readonly", role]).exit_code == 0
        store = bootstrap.open_as(gate, team.sign_in(gate, "rita", PASSWORD), reader_role=role)
        try:
            with store.uow(readonly=True) as uow:  # reads work, as that role
                assert uow.session.execute(select(orm.claims.c.key).where(orm.claims.c.key == "c1")).scalar() == "c1"
                assert uow.session.execute(select(orm.events.c.seq).limit(1)).scalar() == 1
            with pytest.raises(domain.ReadOnlyUser):  # the service layer refuses first
                commands.resolve(store.uow(), "c1", "false")
            # and the database itself refuses what got past it, and hides the password hashes
            for sql in ("UPDATE claims SET text = 'x'", "SELECT password_hash FROM users"):
                with store.engine.connect() as conn:
                    assert conn.exec_driver_sql("SELECT current_user").scalar() == role
                    with pytest.raises(ProgrammingError, match="permission denied"):
                        conn.exec_driver_sql(sql)
        finally:
            store.dispose()
    finally:
        gate.dispose()
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


def test_a_duplicate_decision_someone_else_made_meanwhile_is_not_overwritten(db_url):
    first = bootstrap.connect(db_url, "ana")
    second = bootstrap.connect(db_url, "bo")
    try:
        import_path(first, SEED)
        import_path(first, SCENARIO)
        with first.uow(readonly=True) as uow:
            pair = views.duplicate_queue(uow.session, state="suggested", limit=1)[0]
            relation = "duplicates" if pair.kind == "duplicate" else "contradicts"
            second.seen, _ = team.changes(uow)
        commands.set_link_state(first.uow(), pair.a, pair.b, "confirmed", relation)
        with pytest.raises(domain.Conflict, match="changed meanwhile by ana"):
            commands.set_link_state(second.uow(), pair.a, pair.b, "rejected", relation)
        with first.uow(readonly=True) as uow:
            states = [lk.state for lk in views.claim_detail(uow.session, pair.a).links
                      if lk.other == pair.b and lk.relation == relation]
        assert states == ["confirmed"]
    finally:
        first.dispose()
        second.dispose()


def test_serve_refuses_to_start_without_users(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "serve", "--port", "1"])
    assert result.exit_code == 1
    assert "no users yet: add one first with `verifier user add NAME`" in result.output


def test_a_watched_english_text_catches_its_arabic_rendering_and_flags_a_changed_figure(run):
    run("watch", "add", "--text", "Eleven militiamen were killed in an air strike on the Imam Ali base")
    run("claim", "add", "قتل 11 عنصرا من الميليشيات في غارة على قاعدة الإمام علي", "--source", "orient")
    run("claim", "add", "قتل 12 عنصرا من الميليشيات في غارة على قاعدة الإمام علي", "--source", "sana")
    run("claim", "add", "افتتحت وزارة الصحة مستشفى جديدا في سرمدا", "--source", "sana")  # another event
    ana = json.loads(run("inbox", "--json").stdout)
    whys = sorted(i["why"] for i in ana)
    assert len(ana) == 2 and all(i["watch"]["kind"] == "text" for i in ana)
    assert "possible contradiction across languages" in whys[0] and "same claim in another language" in whys[1]
