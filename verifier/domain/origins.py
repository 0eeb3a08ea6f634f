"""Origins: the reports of a claim grouped into independent voices (circular reporting).

Two reports share an **origin** when

* **relay**: one came to us through the other's source (its ``via`` chain names the other
  report's source): the Alma Center relaying the Syrian Center for Human Rights (source sohr,
  via [alma]) and sohr's own report are one origin;
* **same source**: one source saying a thing twice is still one voice;
* **shared parent**: their sources belong to the same network or owner (the parent chains of
  the two sources reach the same top);
* **declared dependency**: the analyst declared one source dependent on the other, directly or
  through a chain of declarations (a -> b and b -> c make a, b and c one origin; so do a -> b
  and c -> b); a declaration about a network covers its outlets;
* **copied text**: the later report reuses the earlier one's words (``domain.textreuse``: most
  of the shorter text's content-word bigrams are found in the other, so a reflowed, trimmed,
  reordered or lightly reworded repost still counts) from another source, without citing it
  (the earlier report's source is not in its ``via``), unless an analyst overruled that pair;
* **translation**: the later report renders the earlier one in another language, cites nobody
  and names no witnesses of its own (a likely copy, to confirm or overrule with
  ``verifier copies confirm|overrule A B``); a pair an analyst confirmed as a copy is one origin
  too.

An accepted duplicate (the same assertion) is *not* a reason: same meaning in other words is
corroboration, not copying (:func:`verifier.domain.copies.same_assertions`).

Reports are grouped with union-find; every merge is kept as a :class:`Reason`, so the verdict
(:func:`verifier.domain.independence.check`) can say which reports were counted once and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from attrs import frozen

from verifier.domain.copies import Report, copied_pairs, order_key
from verifier.domain.graph import UnionFind

Why = Literal["relay", "same source", "shared parent", "declared dependency", "copied text", "translation"]

UNKNOWN_RELIABILITY = 0.5

@frozen
class SourceInfo:
    key: str
    parent: str | None = None
    reliability: float = UNKNOWN_RELIABILITY

@frozen
class Reason:
    """``claim`` was counted together with ``counted_with``, because of ``why``."""

    claim: str
    counted_with: str
    why: str
    detail: str

@frozen
class Origin:
    claims: tuple[str, ...]
    root: str
    reasons: tuple[Reason, ...] = ()

def sources_by_key(sources: Iterable[SourceInfo] | dict[str, SourceInfo]) -> dict[str, SourceInfo]:
    if isinstance(sources, dict):
        return dict(sources)
    return {s.key: s for s in sources}

def _top(key: str, sources: dict[str, SourceInfo]) -> tuple[str, tuple[str, ...]]:
    """The top of a source's parent chain and the chain itself (cycles are cut)."""
    chain = [key]
    seen = {key}
    current = sources.get(key)
    while current is not None and current.parent and current.parent not in seen:
        chain.append(current.parent)
        seen.add(current.parent)
        current = sources.get(current.parent)
    return chain[-1], tuple(chain)

def group_origins(
    reports: Sequence[Report],
    sources: Iterable[SourceInfo] | dict[str, SourceInfo],
    dependencies: Iterable[tuple[str, str]] = (),
    overruled: Iterable[frozenset[str]] = (),
    duplicates: Iterable[frozenset[str]] = (),
    confirmed: Iterable[frozenset[str]] = (),
    translations: Iterable[frozenset[str]] = (),
) -> list[Origin]:
    """Group reports into independent origins (see the module docstring for the rules).

    Origins come in the order of their earliest report; within an origin, claims keep the
    given order. ``duplicates`` (accepted as the same assertion) do not merge anything: they
    are evidence of corroboration, not of copying. ``root`` is the source of the origin's original report: the earliest report
    that was not found to derive from another report of the group.
    """
    grouping = _Grouping(list(reports), sources_by_key(sources))
    grouping.relays()
    grouping.same_source()
    grouping.shared_parent()
    grouping.declared([(a, b) for a, b in dependencies if a != b])
    grouping.copies(overruled, confirmed, translations)
    return grouping.origins()

class _Grouping:
    """The reports merged into origins rule by rule, each merge with its reason."""

    def __init__(self, reports: list[Report], src: dict[str, SourceInfo]):
        self.reports = reports
        self.uf = UnionFind(range(len(reports)))
        self.reasons: list[Reason] = []
        self.derived: set[int] = set()  # reports known to come from another report of their group
        self.order = sorted(range(len(reports)), key=lambda k: order_key(k, reports[k]))
        self.by_source: dict[str, list[int]] = {}
        self.tops: dict[str, list[int]] = {}
        self.chains: dict[int, tuple[str, ...]] = {}
        for k in self.order:
            self.by_source.setdefault(reports[k].source, []).append(k)
            top, self.chains[k] = _top(reports[k].source, src)
            self.tops.setdefault(top, []).append(k)

    def merge(self, i: int, j: int, why: str, detail: str, derived_side: int | None) -> None:
        """Merge i's group with j's; i is the report described as counted with j."""
        if self.uf.union(i, j):
            self.reasons.append(Reason(self.reports[i].claim, self.reports[j].claim, why, detail))
            if derived_side is not None:
                self.derived.add(derived_side)

    def relays(self) -> None:
        """1. i came through the source of j."""
        for i, r in enumerate(self.reports):
            for position, hop in enumerate(r.via):
                relay = " -> ".join((r.source, *r.via[: position + 1]))
                for j in self.by_source.get(hop, ()):
                    if j != i:
                        self.merge(i, j, "relay", f"{r.claim} reached us through {hop} ({relay}), and {hop} itself "
                                                  f"reported {self.reports[j].claim}", i)

    def same_source(self) -> None:
        """2. The same source twice."""
        for key, (first, *rest) in self.by_source.items():
            for k in rest:
                self.merge(k, first, "same source", f"{self.reports[k].claim} and {self.reports[first].claim} "
                                                    f"are both from {key}", k)

    def shared_parent(self) -> None:
        """3. Two sources of one parent network."""
        for top, (first, *rest) in self.tops.items():
            for k in rest:
                a, b = self.reports[k].source, self.reports[first].source
                if a != b:
                    self.merge(k, first, "shared parent", f"{a} and {b} both belong to {top}", k)

    def declared(self, deps: list[tuple[str, str]]) -> None:
        """4. Declared dependencies, transitively; one declared on a network covers its outlets."""
        if not deps:
            return
        keys = sorted({k for pair in deps for k in pair} | {k for c in self.chains.values() for k in c})
        index = {k: i for i, k in enumerate(keys)}
        suf = UnionFind(range(len(keys)))
        for a, b in deps:
            suf.union(index[a], index[b])
        for chain in self.chains.values():  # sources join their parent chain
            for key in chain[1:]:
                suf.union(index[chain[0]], index[key])
        groups: dict[int, list[int]] = {}
        for k in self.order:
            groups.setdefault(suf.find(index[self.reports[k].source]), []).append(k)
        dependent = {a for a, _ in deps}
        for members in groups.values():
            # the original is a report whose source depends on nobody in the group
            anchor = next((k for k in members if not dependent.intersection(self.chains[k])), members[0])
            for k in members:
                a, b = self.reports[k].source, self.reports[anchor].source
                if k != anchor and a != b:
                    self.merge(k, anchor, "declared dependency", _dependency_detail(a, b, set(deps)), k)

    def copies(self, overruled, confirmed, translations) -> None:
        """5. Silent copies: reused text, translations that cite nobody, confirmed copies."""
        index_of = {r.claim: k for k, r in enumerate(self.reports)}
        for pair in copied_pairs(self.reports, overruled, confirmed=confirmed, translations=translations):
            later, earlier = index_of[pair.later], index_of[pair.earlier]
            self.merge(later, earlier, pair.why, pair.reason, later)

    def origins(self) -> list[Origin]:
        groups: dict[int, list[int]] = {}
        for k in self.order:
            groups.setdefault(self.uf.find(k), []).append(k)
        out: list[Origin] = []
        for members in groups.values():  # insertion order follows the earliest report
            original = next((k for k in members if k not in self.derived), members[0])
            claim_set = {self.reports[k].claim for k in members}
            out.append(Origin(
                claims=tuple(self.reports[k].claim for k in sorted(members)),
                root=self.reports[original].source,
                reasons=tuple(r for r in self.reasons if r.claim in claim_set),
            ))  # fmt: skip
        return out

def _dependency_detail(a: str, b: str, direct: set[tuple[str, str]]) -> str:
    if (a, b) in direct:
        return f"the analyst declared {a} dependent on {b}"
    if (b, a) in direct:
        return f"the analyst declared {b} dependent on {a}"
    return f"declared dependencies link {a} and {b}"
