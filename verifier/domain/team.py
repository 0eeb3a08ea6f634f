"""A team on one server: who may do what, how failed sign-ins slow down, what a watch
matches. Pure: no storage, no password hashing (that is ``adapters.passwords``)."""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta

from attrs import frozen

from verifier.domain import matching, normalisation
from verifier.domain.checks import check_text
from verifier.domain.errors import DomainError
from verifier.domain.vocabulary import Choice

NOBODY = "nobody"  # `assign --to nobody`, `claims --assigned-to nobody`
ME = "me"


class Role(Choice):
    ANALYST = "analyst"  # reads and changes
    READER = "reader"  # reads everything, changes nothing


class WatchKind(Choice):
    TEXT = "text"  # a claim text, matched by the near-duplicate scorer
    SOURCE = "source"  # a source id: claims it asserts or relays
    SUBJECT = "subject"  # a structured claim's subject (case-insensitive, exact)
    TAG = "tag"  # one of the claim's tags (case-insensitive)


class ReadOnlyUser(DomainError):
    """A reader tried to change something."""

    def __init__(self, name: str):
        super().__init__("role", f"{name} is a reader: readers may read everything and change nothing")


class SignInRefused(DomainError):
    def __init__(self, problem: str):
        super().__init__("sign-in", problem)


class Conflict(DomainError):
    """Someone else changed what an analyst is acting on since they last saw it."""

    def __init__(self, what: str, key: str, who: str, action: str, at: datetime):
        super().__init__(
            what, f"{key} was changed meanwhile by {who} ({action} at {at:%H:%M:%S} UTC); "
                  "nothing was overwritten: look at it again, then act")


USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
RESERVED_NAMES = {NOBODY, ME}
MIN_PASSWORD = 8


def check_user_name(name: str) -> str:
    name = check_text(name, "name", limit=64)
    if not USER_NAME.match(name):
        raise DomainError("name", "a user name is 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
    if name.lower() in RESERVED_NAMES:
        raise DomainError("name", f"{name!r} is reserved")
    return name


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise DomainError("password", f"at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise DomainError("password", "at most 1024 characters")
    if "\x00" in password:
        raise DomainError("password", "contains a NUL byte")
    return password


# --------------------------------------------------------------------------- backoff

FREE_FAILURES = 3  # this many wrong passwords in a row cost nothing more than the hash
BACKOFF_CAP = timedelta(minutes=15)


def backoff(failures: int, free: int = FREE_FAILURES) -> timedelta:
    """How long after its latest failure an account refuses to check a password again:
    none for the first few failures, then doubling from 1 s to a cap of 15 minutes (an
    online guesser gets about a hundred tries a day; a user who mistyped waits seconds)."""
    if failures < free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - free, 20)), BACKOFF_CAP)


# Sign-in throttling at the web server (``services.team.sign_in``): every attempt is counted
# before its password is checked, in two buckets kept in the database: the client address
# (whatever names it tries) and the typed name from that address. Someone else's guesses
# throttle their own address, never the account's owner signing in from theirs.
ADDRESS_FREE_FAILURES = 10  # an address may mistype a few names before it slows down
ANYONE = ""  # the account of the address-wide bucket
UNSIGNED = "(anonymous)"  # who the audit names for refused sign-ins (no user can be called this)
SESSION_HOURS = 12  # a browser's session ends this long after signing in


def throttle_buckets(name: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """(account, address) keys of the address-wide bucket and of this name from it."""
    return (ANYONE, address), (name[:200], address)


def free_failures(account: str) -> int:
    return ADDRESS_FREE_FAILURES if account == ANYONE else FREE_FAILURES


def client_address(text: str | None) -> str:
    """The throttled unit for a peer address: an IPv4 address, or the /64 an IPv6 address
    belongs to (one host is given a whole /64); anything else as given, cut to 64 chars."""
    try:
        ip = ipaddress.ip_address((text or "").split("%", 1)[0])
    except ValueError:
        return (text or "unknown")[:64]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def session_id(token: str) -> str:
    """What the database keeps of a session cookie's token: its SHA-256 (a stolen database
    copy holds no usable cookie)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def wait_left(locked_until: datetime | None, now: datetime) -> float:
    """Seconds until a sign-in may be tried again (0: now)."""
    if locked_until is None or locked_until <= now:
        return 0.0
    return (locked_until - now).total_seconds()


# --------------------------------------------------------------------------- watches

@frozen
class Watch:
    id: int
    analyst: str
    kind: WatchKind
    value: str

    @classmethod
    def new_value(cls, kind: str, value: str) -> tuple[WatchKind, str]:
        k = WatchKind.parse(kind, "kind")
        v = check_text(value, k.value, limit=4000 if k is WatchKind.TEXT else 1000).strip()
        if not v:
            raise DomainError(k.value, "is empty")
        return k, v


@frozen
class NewClaim:
    """What a watch looks at in a claim that just arrived."""

    id: int
    key: str
    text: str
    source: str  # source key
    via: tuple[str, ...]
    subject: str | None
    tags: tuple[str, ...]


@frozen
class Hit:
    watch: Watch
    claim: NewClaim
    why: str
    score: float | None = None


def candidate_words(n_words: int) -> int:
    """How many of a watched text's words a claim must hold to be scored against it."""
    return max(1, (n_words + 1) // 2)


def _fold(s: str | None) -> str:
    return (s or "").strip().casefold()



def _hit_once(out: list[Hit], seen: set[str], claim, w: Watch, why: str, score: float | None = None) -> None:
    """Add a hit for ``claim`` unless the watch's analyst has one for it already."""
    if w.analyst not in seen:
        seen.add(w.analyst)
        out.append(Hit(w, claim, why, score))


def match_watches(watches: Sequence[Watch], claims: Iterable[NewClaim], t1: float, t2: float) -> list[Hit]:
    """Every (watch, claim) that matches, at most one hit per analyst and claim (the first
    watch that matched, the exact kinds before text).

    A text watch matches as the near-duplicate detector would pair the two texts
    (``matching.compare`` at the store's thresholds: a repeat in other words, or a possible
    contradiction). Candidates come from the words a claim shares with a watched text, so
    a batch of a million claims costs one look-up per word, not a comparison per watch: as
    the detector's index lookup, a claim is scored against a watched text only when it holds
    at least half of that text's words (``candidate_words``)."""
    exact: dict[tuple[WatchKind, str], list[Watch]] = {}
    texts = _TextWatches()
    for w in watches:
        if w.kind is WatchKind.TEXT:
            texts.add(w)
        else:
            exact.setdefault((w.kind, _fold(w.value)), []).append(w)
    out: list[Hit] = []
    for c in claims:
        hit = functools.partial(_hit_once, out, set(), c)
        for kind, value, why in _exact_keys(c):
            for w in exact.get((kind, _fold(value)), ()):
                hit(w, why)
        for w, cmp in texts.matches(c.text, t1, t2):
            hit(w, f"text: {cmp.reason}", cmp.score)
    return out


def _exact_keys(c: NewClaim) -> Iterator[tuple[WatchKind, str, str]]:
    """What an exact watch can name in a claim, with the words a hit on it gives."""
    for key in [c.source, *c.via]:
        yield WatchKind.SOURCE, key, f"source {key}" if key == c.source else f"relayed by {key}"
    if c.subject:
        yield WatchKind.SUBJECT, c.subject, f"subject {c.subject}"
    for tag in c.tags:
        yield WatchKind.TAG, tag, f"tag {tag}"


class _TextWatches:
    """Watched texts by their words: a claim is compared with a watched text only when it holds
    enough of its words (``candidate_words``)."""

    def __init__(self):
        self.by_word: dict[str, list[Watch]] = {}
        self.needed: dict[int, int] = {}

    def add(self, w: Watch) -> None:
        words = set(normalisation.content_words(normalisation.normalise(w.value)))
        self.needed[w.id] = candidate_words(len(words))
        for word in words:
            self.by_word.setdefault(word, []).append(w)

    def matches(self, text: str, t1: float, t2: float) -> Iterator[tuple[Watch, matching.Comparison]]:
        if not self.by_word:
            return
        shared: dict[int, int] = {}
        found: dict[int, Watch] = {}
        for word in set(normalisation.content_words(normalisation.normalise(text))):
            for w in self.by_word.get(word, ()):
                shared[w.id] = shared.get(w.id, 0) + 1
                found[w.id] = w
        for wid in sorted(found):
            if shared[wid] >= self.needed[wid]:
                cmp = matching.compare(found[wid].value, text, t1, t2)
                if cmp.kind is not None:
                    yield found[wid], cmp

