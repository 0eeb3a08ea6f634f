"""A team on one server: users and sign-in, assignment, watches and the inbox.

Each use case takes plain arguments and a unit of work, as in ``services.commands``.
``on_new_claims`` is the one function every claim-creation path calls (``claim add``,
imports, accepted ingest proposals): it fills the inboxes of the analysts whose watches
the new claims match.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from datetime import timedelta

from verifier.adapters import passwords, settings
from verifier.domain import team
from verifier.domain.checks import iso, utcnow
from verifier.domain.errors import DomainError, NotFound

BATCH = 5_000  # new claims read at a time when matching watches


# --------------------------------------------------------------------------- users

def _user_json(row) -> dict:
    return {"name": row["name"], "role": row["role"], "disabled": bool(row["disabled"]),
            "failures": row["failures"], "last_sign_in": iso(row["last_sign_in"]),
            "created_at": iso(row["created_at"])}


def add_user(uow, name: str, password: str, role: str = "analyst") -> dict:
    name = team.check_user_name(name)
    r = team.Role.parse(role, "role")
    digest = passwords.hash_password(team.check_password(password))  # before the write lock: it takes ~0.1 s
    with uow:
        if uow.team.user(name) is not None:
            raise DomainError("name", f"a user {name!r} already exists")
        uow.team.add_user(name=name, role=r.value, password_hash=digest, disabled=False, failures=0,
                          created_at=utcnow())
        out = _user_json(uow.team.user(name))
        uow.record("add", "user", name, None, {"role": r.value})
        uow.commit()
        return out


def _require_user(uow, name: str):
    row = uow.team.user(name)
    if row is None:
        raise NotFound("user", name)
    return row


def set_password(uow, name: str, password: str) -> dict:
    digest = passwords.hash_password(team.check_password(password))
    with uow:
        _require_user(uow, name)
        # a new password also lifts the backoff (an administrator vouches for the user)
        uow.team.update_user(name, password_hash=digest, failures=0, locked_until=None)
        uow.team.forget_throttle(account=name)
        uow.team.end_sessions(user=name)  # every browser signed in with the old password is signed out
        uow.record("passwd", "user", name, None, None)
        uow.commit()
        return _user_json(uow.team.user(name))


def set_disabled(uow, name: str, disabled: bool = True) -> dict:
    with uow:
        before = _require_user(uow, name)
        if bool(before["disabled"]) != disabled:
            uow.team.update_user(name, disabled=disabled)
            uow.team.end_sessions(user=name)
            uow.record("disable" if disabled else "enable", "user", name,
                       {"disabled": bool(before["disabled"])}, {"disabled": disabled})
        uow.commit()
        return _user_json(uow.team.user(name))


def users(uow) -> list[dict]:
    return [_user_json(r) for r in uow.team.users()]


LOCAL = "127.0.0.1"  # the client address of a sign-in not made over the network (tests, scripts)
WRONG = "wrong name or password"  # the one answer to a wrong password and to an unknown name


def _refused(uow, name: str, address: str, why: str) -> None:
    """Audit a refused sign-in under no user's name (the typed name is the key: data only)."""
    uow.analyst = team.UNSIGNED
    uow.record("sign-in-refused", "user", name[:200], None, {"address": address, "why": why})


def _admit(store, name: str, address: str, now) -> dict | None:
    """Count this attempt in its buckets before any password is checked, in one write
    transaction (the writer lock makes check-and-count atomic, so parallel attempts cannot
    all pass); refuse it if a bucket is still locked. Returns the user's row, or None."""
    uow = store.uow()
    with uow:
        buckets = team.throttle_buckets(name, address)
        rows = uow.team.throttle(buckets)
        wait = max(team.wait_left(r["locked_until"], now) for r in rows.values()) if rows else 0.0
        if wait > 0:
            _refused(uow, name, address, "throttled")
            uow.commit()
            raise team.SignInRefused(f"too many failed sign-ins from your address: try again in {math.ceil(wait)} s")
        for account, addr in buckets:
            row = rows.get((account, addr))
            failures = (row["failures"] if row else 0) + 1
            uow.team.set_throttle(account, addr, failures, now + team.backoff(failures, team.free_failures(account)), now,
                                  new=row is None)
        uow.team.count_failure(name)  # undone on success; the same statements for an unknown name
        uow.team.forget_throttle(before=now - team.BACKOFF_CAP * 4)
        row = uow.team.user(name)
        uow.commit()
        return dict(row) if row is not None else None


def sign_in(store, name: str, password: str, address: str = LOCAL) -> dict:
    """The user's name and role when the password is right; else ``SignInRefused`` with one
    message, the same for an unknown name as for a wrong password (and as slow: the dummy
    hash). Every attempt is counted first, per client address and per typed name from it
    (``team.throttle_buckets``); a locked bucket refuses without checking any password.
    Every outcome is audited."""
    name = name if isinstance(name, str) else ""
    password = password if isinstance(password, str) else ""
    address = team.client_address(address)
    now = utcnow()
    row = _admit(store, name, address, now)
    ok = passwords.verify_password(row["password_hash"] if row else passwords.dummy_hash(), password)
    uow = store.uow()
    with uow:
        if not ok or row is None:
            _refused(uow, name, address, "wrong password" if row else "unknown name")
            uow.commit()
            raise team.SignInRefused(WRONG)
        if row["disabled"]:
            _refused(uow, name, address, "disabled")
            uow.commit()
            raise team.SignInRefused(f"{row['name']} is disabled")
        everyone, this = team.throttle_buckets(name, address)
        uow.team.forget_throttle(account=this[0], address=address)  # proved from here: free again from here
        mine = uow.team.throttle([everyone]).get(everyone)
        if mine is not None:  # this attempt was no failure: take back its count, keep the others'
            uow.team.set_throttle(*everyone, max(mine["failures"] - 1, 0), mine["locked_until"], now, new=False)
        values = {"failures": 0, "locked_until": None, "last_sign_in": now}
        if passwords.needs_rehash(row["password_hash"]):
            values["password_hash"] = passwords.hash_password(password)
        uow.team.update_user(row["name"], **values)
        uow.analyst = row["name"]  # the sign-in is audited under the user's own name
        uow.record("sign-in", "user", row["name"], None, {"address": address})
        uow.commit()
    return {"name": row["name"], "role": row["role"]}


# --------------------------------------------------------------------------- web sessions

def start_session(store, principal: dict, address: str = LOCAL, hours: float = team.SESSION_HOURS) -> str:
    """A new session for a signed-in user; returns the cookie's token (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with store.uow() as uow:
        uow.team.add_session(id=team.session_id(token), analyst=principal["name"],
                             address=team.client_address(address), created_at=now,
                             expires_at=now + timedelta(hours=hours))
        uow.team.end_sessions(before=now)  # the expired ones go
        uow.commit()
    return token


def session_user(store, token: str | None, *, hashed: bool = False) -> dict | None:
    """The user of a live session (``{"name", "role", "session", "expires_at"}``), or None
    when the token names no session, it expired, was ended, or its user is disabled.
    ``hashed``: the token is already the session id (what an app process is handed)."""
    if not token or len(token) > 200:
        return None
    with store.uow(readonly=True) as uow:
        row = uow.team.session_user(token if hashed else team.session_id(token), utcnow())
    return None if row is None else {"name": row["name"], "role": row["role"], "session": row["id"],
                                     "expires_at": row["expires_at"]}


def live_sessions(store, sids) -> set[str]:
    """Which of these session ids are still live (what a server checks its running apps against)."""
    with store.uow(readonly=True) as uow:
        return uow.team.live_sessions(list(sids), utcnow())


def end_session(store, token: str, address: str = LOCAL) -> str | None:
    """Sign out: the session ends (audited under its user); returns who, or None."""
    who = session_user(store, token)
    if who is None:
        return None
    uow = store.uow()
    with uow:
        uow.team.end_sessions(sid=who["session"])
        uow.analyst = who["name"]
        uow.record("sign-out", "user", who["name"], None, {"address": team.client_address(address)})
        uow.commit()
    return who["name"]


def refuse(store, what: str, why: str, address: str) -> None:
    """Audit a refusal at the web server (a WebSocket without a valid session, a foreign Origin)."""
    uow = store.uow()
    with uow:
        uow.analyst = team.UNSIGNED
        uow.record("refuse", "web", what[:200], None, {"address": team.client_address(address), "why": why})
        uow.commit()


# --------------------------------------------------------------------------- assignment

def _assignee(uow, to: str) -> str | None:
    if to == team.NOBODY:
        return None
    name = uow.analyst if to == team.ME else to
    row = uow.team.user(name)
    if row is None:
        raise DomainError("to", f"no user {name!r} (add one with `verifier user add {name}`)")
    if row["disabled"]:
        raise DomainError("to", f"{name} is disabled")
    if row["role"] != team.Role.ANALYST.value:
        raise DomainError("to", f"{name} is a reader: only analysts can be assigned claims")
    return name


def assign(uow, claims: Sequence[str], to: str) -> dict:
    """Assign claims to an analyst (``nobody``: unassign). Each change is audited on the claim."""
    with uow:
        name = _assignee(uow, to)
        ids = uow.team.claim_ids(claims)
        missing = [k for k in claims if k not in ids]
        if missing:
            raise NotFound("claim", missing[0])
        before = uow.team.assignees(list(ids.values()))
        changed = [k for k in dict.fromkeys(claims) if before.get(ids[k]) != name]
        uow.team.assign([ids[k] for k in changed], name, uow.analyst, utcnow())
        for k in changed:
            uow.record("assign", "claim", k, {"assignee": before.get(ids[k])}, {"assignee": name})
        uow.commit()
        return {"assignee": name, "claims": list(dict.fromkeys(claims)), "changed": len(changed)}


# --------------------------------------------------------------------------- watches

def add_watch(uow, kind: str, value: str) -> dict:
    k, v = team.Watch.new_value(kind, value)
    with uow:
        if k is team.WatchKind.SOURCE:
            src = uow.sources.find(v)
            if src is None:
                raise NotFound("source", v)
            v = src.key
        existing = uow.team.find_watch(uow.analyst, k.value, v)
        wid = existing if existing is not None else uow.team.add_watch(uow.analyst, k.value, v, utcnow())
        out = {"id": wid, "analyst": uow.analyst, "kind": k.value, "value": v}
        if existing is None:
            uow.record("add", "watch", str(wid), None, out)
        uow.commit()
        return out


def _watch_json(w: team.Watch) -> dict:
    return {"id": w.id, "analyst": w.analyst, "kind": w.kind.value, "value": w.value}


def watches(uow) -> list[dict]:
    return [_watch_json(w) for w in uow.team.watches(uow.analyst)]


def remove_watch(uow, watch_id: int) -> dict:
    with uow:
        found = [w for w in uow.team.watches(uow.analyst) if w.id == watch_id]
        if not found:
            raise NotFound("watch of yours", str(watch_id))
        uow.team.remove_watch(watch_id)
        out = _watch_json(found[0])
        uow.record("remove", "watch", str(watch_id), out, None)
        uow.commit()
        return out


def on_new_claims(uow, claim_ids: Sequence[int]) -> int:
    """Put new claims that match someone's watch in that analyst's inbox (inside the
    caller's unit of work). Returns how many inbox entries were added."""
    watches = uow.team.watches()
    if not watches or not claim_ids:
        return 0

    t1, t2 = settings.thresholds(uow.session)
    added, now, ids = 0, utcnow(), sorted(claim_ids)
    for i in range(0, len(ids), BATCH):
        claims = list(uow.team.new_claims(ids[i:i + BATCH]))
        hits = team.match_watches(watches, claims, t1, t2)
        hits += _cross_language_hits(watches, claims, {(h.watch.id, h.claim.id) for h in hits})
        added += uow.team.add_to_inbox(hits, now)
    return added


def _cross_language_hits(watches, claims, already: set[tuple[int, int]]) -> list[team.Hit]:
    """Text watches met by a claim in the other language (an Arabic claim for an English
    watched text, and back): the multilingual encoder's judgement (``domain.crosslang``: the
    same claim, or a possible contradiction when a figure, date or negation differs). Only the
    claims whose language differs from a watched text's are encoded."""
    from verifier.adapters import crosslang as encoder
    from verifier.domain import crosslang

    texts = [w for w in watches if w.kind is team.WatchKind.TEXT]
    if not texts or not encoder.available():
        return []
    langs = {crosslang.language(w.value) for w in texts}
    others = [c for c in claims if any(crosslang.language(c.text) != lang for lang in langs)]
    if not others:
        return []
    vectors = encoder.embed([w.value for w in texts] + [c.text for c in others])
    sims = vectors[len(texts):] @ vectors[:len(texts)].T
    out = []
    for ci, c in enumerate(others):
        for wi, w in enumerate(texts):
            if (w.id, c.id) not in already and (pair := crosslang.judge(w.value, c.text, float(sims[ci, wi]))):
                out.append(team.Hit(w, c, f"text: {pair.reason}", round(100 * pair.cosine, 1)))
    return out


# --------------------------------------------------------------------------- inbox

def _inbox_json(r: dict) -> dict:
    return {"id": r["id"], "claim": r["claim"], "text": r["text"], "source": r["source"], "status": r["status"],
            "why": r["why"], "score": r["score"], "watch": None if r["watch_id"] is None else
            {"id": r["watch_id"], "kind": r["kind"], "value": r["value"]},
            "at": iso(r["created_at"]), "read": r["read_at"] is not None}


def inbox(uow, *, unread: bool = False, limit: int | None = None) -> list[dict]:
    return [_inbox_json(r) for r in uow.team.inbox(uow.analyst, unread=unread, limit=limit)]


def unread(uow) -> int:
    return uow.team.unread_count(uow.analyst)


def mark_read(uow, ids: Sequence[int]) -> dict:
    with uow:
        mine = uow.team.inbox_ids(uow.analyst, ids)
        missing = [i for i in ids if i not in mine]
        if missing:
            raise NotFound("inbox entry of yours", str(missing[0]))
        n = uow.team.mark_read(uow.analyst, list(ids), utcnow())
        uow.commit()
        return {"read": n}


def changes(uow) -> tuple[int, int]:
    """(the newest audit seq, this analyst's unread inbox count): what an open app polls."""
    return uow.team.last_seq(), uow.team.unread_count(uow.analyst)
