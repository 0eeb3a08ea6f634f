"""Independence of reports: which supporting reports are one voice (circular reporting).

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
* **likely copy**: an analyst accepted the two as duplicates (the same assertion), they come
  from two sources and the later one does not cite the earlier: counted once until the analyst
  confirms the copy or overrules it (``verifier copies confirm|overrule A B``).

A copy pair is in one of three states (:data:`COPY_STATES`): ``detected`` by the text measure,
``likely`` (an accepted duplicate, text below the cut), ``confirmed`` by an analyst. All three
count once; ``check`` lists the first two as copies to confirm or overrule.

Reports are grouped with union-find; every merge is kept as a :class:`Reason`, so the verdict
can say which reports were counted once and why.

The **corroboration rule** (:func:`check`): a claim is independently corroborated when

1. its supporting reports (its own included) come from at least two independent origins, and
2. no *confirmed* contradiction stands from an origin at least as reliable as the most
   reliable supporting origin. An origin's reliability is the highest reliability among the
   sources of its reports (a source we know nothing about counts as 0.5). Suggested
   (unconfirmed) contradictions are reported but never block.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from attrs import field, frozen

from verifier.domain import textreuse
from verifier.domain.graph import UnionFind
from verifier.domain.reliability import estimative_words

Why = Literal["relay", "same source", "shared parent", "declared dependency", "copied text", "likely copy"]

COPY_THRESHOLD = textreuse.COPY_CONTAINMENT * 100  # reuse score (0-100) at which a pair is a copy
COPY_STATES = ("detected", "likely", "confirmed")
UNKNOWN_RELIABILITY = 0.5


@frozen
class Report:
    """One claim as reported: who asserts it, through whom we got it, its words and date."""

    claim: str
    source: str
    via: tuple[str, ...] = field(default=(), converter=tuple)
    text: str = ""
    published: date | None = None


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


@frozen
class CopyPair:
    later: str
    earlier: str
    score: float  # 0-100: the share of the shorter text's shingles found in the other
    reason: str
    state: str = "detected"  # one of COPY_STATES

    @property
    def why(self) -> str:
        return "likely copy" if self.state == "likely" else "copied text"


@frozen
class Check:
    independently_corroborated: bool
    origins: tuple[tuple[str, ...], ...]
    supporting: tuple[str, ...]
    contradicting: tuple[str, ...]
    explanation: tuple[str, ...]


# --------------------------------------------------------------------------- helpers


def _sources_by_key(sources: Iterable[SourceInfo] | dict[str, SourceInfo]) -> dict[str, SourceInfo]:
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


def _order_key(index: int, report: Report) -> tuple:
    """Earlier first: dated reports by date, then the order they were given in."""
    return (report.published is None, report.published or date.min, index)


def _pair_key(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


# --------------------------------------------------------------------------- copies


def copied_pairs(
    reports: Sequence[Report],
    overruled: Iterable[frozenset[str]] = (),
    threshold: float = COPY_THRESHOLD,
    duplicates: Iterable[frozenset[str]] = (),
    confirmed: Iterable[frozenset[str]] = (),
) -> list[CopyPair]:
    """Pairs where a later report copies an earlier one without citing it.

    Found by the text measure (``detected``, reuse score >= ``threshold``), or an accepted
    duplicate of two sources (``likely``), or confirmed by an analyst (``confirmed``). Later
    means published later or, when that cannot tell, given later. Pairs from the same source,
    pairs where the later one names the earlier one's source in its ``via`` (a cited relay, not
    a silent copy), and pairs an analyst overruled are left out.
    """
    reports = list(reports)
    if len(reports) < 2:
        return []
    overruled_set = {frozenset(p) for p in overruled}
    confirmed_set = {frozenset(p) for p in confirmed}
    index = {r.claim: k for k, r in enumerate(reports)}
    found = {pair: 100.0 * score for pair, score in
             textreuse.reused_pairs([r.text for r in reports], threshold / 100.0).items()}
    for pair in {frozenset(p) for p in duplicates} | confirmed_set:
        ij = sorted(index[c] for c in pair if c in index)
        if len(ij) == 2 and tuple(ij) not in found:
            found[tuple(ij)] = None
    pairs: list[CopyPair] = []
    for (i, j), score in sorted(found.items()):
        a, b = reports[i], reports[j]
        key = _pair_key(a.claim, b.claim)
        if a.source == b.source or a.claim == b.claim or key in overruled_set:
            continue
        if _order_key(i, a) <= _order_key(j, b):
            earlier, later = a, b
        else:
            earlier, later = b, a
        if earlier.source in later.via:
            continue
        when = (
            f"published {later.published.isoformat()}, after {earlier.published.isoformat()}"
            if later.published and earlier.published and later.published != earlier.published
            else "received later"
        )
        if score is None:
            score = 100.0 * textreuse.reuse_score(textreuse.shingles(a.text), textreuse.shingles(b.text))
        state = "confirmed" if key in confirmed_set else ("detected" if score >= threshold else "likely")
        if state == "likely":
            how = f"was accepted as a duplicate of {earlier.claim} ({earlier.source}), {when}, and does not cite {earlier.source}"
            reason = f"{later.claim} ({later.source}) {how}: a likely copy"
        else:
            how = "confirmed by an analyst" if state == "confirmed" else f"{when}"
            reason = (
                f"{later.claim} ({later.source}) reuses the words of {earlier.claim} ({earlier.source}) "
                f"({score:.0f}% of the shorter text's word pairs shared; {how}) without citing {earlier.source}"
            )
        pairs.append(CopyPair(later.claim, earlier.claim, score, reason, state))
    return pairs


# --------------------------------------------------------------------------- origins


def group_origins(
    reports: Sequence[Report],
    sources: Iterable[SourceInfo] | dict[str, SourceInfo],
    dependencies: Iterable[tuple[str, str]] = (),
    overruled: Iterable[frozenset[str]] = (),
    duplicates: Iterable[frozenset[str]] = (),
    confirmed: Iterable[frozenset[str]] = (),
) -> list[Origin]:
    """Group reports into independent origins (see the module docstring for the rules).

    Origins come in the order of their earliest report; within an origin, claims keep the
    given order. ``root`` is the source of the origin's original report: the earliest report
    that was not found to derive from another report of the group.
    """
    grouping = _Grouping(list(reports), _sources_by_key(sources))
    grouping.relays()
    grouping.same_source()
    grouping.shared_parent()
    grouping.declared([(a, b) for a, b in dependencies if a != b])
    grouping.copies(overruled, duplicates, confirmed)
    return grouping.origins()


class _Grouping:
    """The reports merged into origins rule by rule, each merge with its reason."""

    def __init__(self, reports: list[Report], src: dict[str, SourceInfo]):
        self.reports = reports
        self.uf = UnionFind(range(len(reports)))
        self.reasons: list[Reason] = []
        self.derived: set[int] = set()  # reports known to come from another report of their group
        self.order = sorted(range(len(reports)), key=lambda k: _order_key(k, reports[k]))
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

    def copies(self, overruled, duplicates, confirmed) -> None:
        """5. Silent copies, and likely ones."""
        index_of = {r.claim: k for k, r in enumerate(self.reports)}
        for pair in copied_pairs(self.reports, overruled, duplicates=duplicates, confirmed=confirmed):
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


# --------------------------------------------------------------------------- the verdict


def _reliability(origin: Origin, reports: dict[str, Report], src: dict[str, SourceInfo]) -> float:
    values = [
        src[reports[c].source].reliability if reports[c].source in src else UNKNOWN_RELIABILITY
        for c in origin.claims
    ]
    return max(values) if values else UNKNOWN_RELIABILITY


def _describe(origin: Origin) -> str:
    return f"[{', '.join(origin.claims)}] from {origin.root}"


def check(
    claim: str,
    supporting: Sequence[Report],
    contradicting: Sequence[tuple[Report, bool]],
    sources: Iterable[SourceInfo] | dict[str, SourceInfo],
    dependencies: Iterable[tuple[str, str]] = (),
    overruled: Iterable[frozenset[str]] = (),
    belief: float | None = None,
    duplicates: Iterable[frozenset[str]] = (),
    confirmed: Iterable[frozenset[str]] = (),
) -> Check:
    """Is ``claim`` independently corroborated? (rule in the module docstring).

    ``supporting`` must contain the claim's own report; ``contradicting`` pairs each
    contradicting report with whether the contradiction was confirmed by an analyst.
    """
    src = _sources_by_key(sources)
    supporting = list(supporting)
    if claim not in {r.claim for r in supporting}:
        raise ValueError(f"supporting: must include the claim's own report ({claim!r})")
    dependencies = list(dependencies)
    overruled = [frozenset(p) for p in overruled]
    duplicates, confirmed = [frozenset(p) for p in duplicates], [frozenset(p) for p in confirmed]
    by_claim = {r.claim: r for r in supporting}
    origins = group_origins(supporting, src, dependencies, overruled, duplicates, confirmed)
    # the claim's own origin first
    origins.sort(key=lambda o: claim not in o.claims)
    lines: list[str] = []

    count = len(origins)
    lines.append(
        f"{len(supporting)} supporting report{'s' if len(supporting) != 1 else ''} "
        f"(including {claim} itself) form {count} independent origin{'s' if count != 1 else ''}: "
        + "; ".join(_describe(o) for o in origins)
        + "."
    )
    for origin in origins:
        for reason in origin.reasons:
            lines.append(
                f"{reason.claim} is counted once with {reason.counted_with} ({reason.why}): {reason.detail}."
            )

    support_rel = {o.root: _reliability(o, by_claim, src) for o in origins}
    best_support = max(support_rel.values()) if support_rel else UNKNOWN_RELIABILITY

    blocking: list[str] = []
    contra_reports = [r for r, _ in contradicting]
    confirmed = {r.claim: bool(ok) for r, ok in contradicting}
    contra_by_claim = {r.claim: r for r in contra_reports}
    if contra_reports:
        contra_origins = group_origins(contra_reports, src, dependencies, overruled, duplicates, confirmed)
        for origin in contra_origins:
            rel = _reliability(origin, contra_by_claim, src)
            confirmed_claims = [c for c in origin.claims if confirmed[c]]
            label = ", ".join(origin.claims)
            if not confirmed_claims:
                lines.append(
                    f"Contradiction {label} from {origin.root} is only suggested, not confirmed; "
                    "it does not block corroboration."
                )
            elif rel >= best_support:
                blocking.append(label)
                lines.append(
                    f"Confirmed contradiction {', '.join(confirmed_claims)} from {origin.root} "
                    f"(reliability {rel:.2f}) is at least as reliable as the most reliable "
                    f"supporting origin ({best_support:.2f}); it blocks corroboration."
                )
            else:
                lines.append(
                    f"Confirmed contradiction {', '.join(confirmed_claims)} from {origin.root} "
                    f"(reliability {rel:.2f}) is less reliable than the most reliable supporting "
                    f"origin ({best_support:.2f}); it does not block corroboration."
                )

    corroborated = count >= 2 and not blocking
    if corroborated:
        verdict = (
            f"{claim} is independently corroborated: {count} independent origins support it "
            "and no confirmed contradiction from an origin at least as reliable stands."
        )
    elif count < 2:
        verdict = (
            f"{claim} is not independently corroborated: all its support comes from one origin "
            f"({origins[0].root})."
        )
    else:
        verdict = (
            f"{claim} is not independently corroborated: {count} independent origins support it, "
            f"but the confirmed contradiction {'; '.join(blocking)} stands."
        )
    if belief is not None:
        verdict += f" Estimated probability it is true: {belief:.2f} ({estimative_words(belief)})."
    lines.append(verdict)

    return Check(
        independently_corroborated=corroborated,
        origins=tuple(o.claims for o in origins),
        supporting=tuple(r.claim for r in supporting),
        contradicting=tuple(r.claim for r in contra_reports),
        explanation=tuple(lines),
    )
