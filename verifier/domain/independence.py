"""Independence of reports: is a claim corroborated by more than one voice?

The reports of a claim are grouped into independent **origins** (:mod:`verifier.domain.origins`:
relays, one source twice, a shared parent network, declared dependencies, and copies on
evidence of copying, :mod:`verifier.domain.copies`). Reports an analyst accepted as the same
assertion with no evidence of copying stay two origins; the explanation says so ("same
assertion; no sign of copying"), quoting a report's own sourcing when it names it.

The **corroboration rule** (:func:`check`): a claim is independently corroborated when

1. its supporting reports (its own included) come from at least two independent origins, and
2. no *confirmed* contradiction stands from an origin at least as reliable as the most
   reliable supporting origin. An origin's reliability is the highest reliability among the
   sources of its reports (a source we know nothing about counts as 0.5). Suggested
   (unconfirmed) contradictions are reported but never block.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from attrs import frozen

from verifier.domain.copies import Report, copied_pairs, same_assertions
from verifier.domain.origins import UNKNOWN_RELIABILITY, Origin, SourceInfo, group_origins, sources_by_key
from verifier.domain.reliability import estimative_words


@frozen
class Check:
    independently_corroborated: bool
    origins: tuple[tuple[str, ...], ...]
    supporting: tuple[str, ...]
    contradicting: tuple[str, ...]
    explanation: tuple[str, ...]

def _reliability(origin: Origin, reports: dict[str, Report], src: dict[str, SourceInfo]) -> float:
    return _most_reliable(origin, reports, src)[0]

def _most_reliable(origin: Origin, reports: dict[str, Report], src: dict[str, SourceInfo]) -> tuple[float, str | None]:
    """The origin's reliability (its most reliable report's source's) and the claim that gives
    it, so that an explanation names whose figure it prints."""
    values = [
        (src[reports[c].source].reliability if reports[c].source in src else UNKNOWN_RELIABILITY, c)
        for c in origin.claims
    ]
    if not values:
        return UNKNOWN_RELIABILITY, None
    return max(values, key=lambda v: v[0])

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
    translations: Iterable[frozenset[str]] = (),
) -> Check:
    """Is ``claim`` independently corroborated? (rule in the module docstring).

    ``supporting`` must contain the claim's own report; ``contradicting`` pairs each
    contradicting report with whether the contradiction was confirmed by an analyst.
    ``duplicates`` are the pairs accepted as the same assertion, ``confirmed`` the copies an
    analyst confirmed, ``translations`` the cross-language pairs found to say the same thing.
    """
    src = sources_by_key(sources)
    supporting = list(supporting)
    if claim not in {r.claim for r in supporting}:
        raise ValueError(f"supporting: must include the claim's own report ({claim!r})")
    dependencies = list(dependencies)
    overruled = [frozenset(p) for p in overruled]
    duplicates, confirmed = [frozenset(p) for p in duplicates], [frozenset(p) for p in confirmed]
    translations = [frozenset(p) for p in translations]
    origins = group_origins(supporting, src, dependencies, overruled, confirmed=confirmed, translations=translations)
    # the claim's own origin first
    origins.sort(key=lambda o: claim not in o.claims)
    lines = _support_lines(claim, supporting, origins)
    copies = copied_pairs(supporting, overruled, confirmed=confirmed, translations=translations)
    lines.extend(f"{same.reason}." for same in same_assertions(supporting, duplicates, copies)
                 if _apart(same, origins))
    best_support = _best_reliability(origins, {r.claim: r for r in supporting}, src)

    contra_reports = [r for r, _ in contradicting]
    contra_confirmed = {r.claim: bool(ok) for r, ok in contradicting}
    blocking: list[str] = []
    if contra_reports:
        contra_origins = group_origins(contra_reports, src, dependencies, overruled,
                                       confirmed=confirmed, translations=translations)
        contra_by_claim = {r.claim: r for r in contra_reports}
        for origin in contra_origins:
            reliability, giver = _most_reliable(origin, contra_by_claim, src)
            owner = contra_by_claim[giver].source if giver else origin.root
            line, blocks = _weigh_contradiction(origin, reliability, contra_confirmed, best_support,
                                                (giver, owner) if owner != origin.root else None)
            lines.append(line)
            if blocks:
                blocking.append(", ".join(origin.claims))

    lines.append(_verdict(claim, origins, blocking, belief))
    return Check(
        independently_corroborated=len(origins) >= 2 and not blocking,
        origins=tuple(o.claims for o in origins),
        supporting=tuple(r.claim for r in supporting),
        contradicting=tuple(r.claim for r in contra_reports),
        explanation=tuple(lines),
    )

def _support_lines(claim: str, supporting: Sequence[Report], origins: Sequence[Origin]) -> list[str]:
    """The explanation's opening: how many independent origins the support forms, then each
    report counted once with another, and why."""
    count = len(origins)
    opening = (
        f"1 supporting report ({claim} itself) forms " if len(supporting) == 1
        else f"{len(supporting)} supporting reports (including {claim} itself) form "
    )
    lines = [
        opening
        + f"{count} independent origin{'s' if count != 1 else ''}: "
        + "; ".join(_describe(o) for o in origins)
        + "."
    ]
    lines.extend(
        f"{reason.claim} is counted once with {reason.counted_with} ({reason.why}): {reason.detail}."
        for origin in origins
        for reason in origin.reasons
    )
    return lines

def _apart(same, origins: Sequence[Origin]) -> bool:
    """Whether the two reports of a same-assertion pair are counted as two origins."""
    return not any(same.later in o.claims and same.earlier in o.claims for o in origins)

def _best_reliability(origins: Sequence[Origin], reports: dict[str, Report], src: dict[str, SourceInfo]) -> float:
    """The reliability of the most reliable of these origins."""
    return max((_reliability(o, reports, src) for o in origins), default=UNKNOWN_RELIABILITY)

def _weigh_contradiction(
    origin: Origin, reliability: float, confirmed: dict[str, bool], best_support: float,
    giver: tuple[str, str] | None = None,
) -> tuple[str, bool]:
    """The explanation line for one contradicting origin, and whether it blocks corroboration:
    it does when an analyst confirmed one of its contradictions and it is at least as reliable
    as the most reliable supporting origin (``best_support``). ``giver``: the (claim, source)
    whose figure is the origin's when that source is not the root the line names."""
    confirmed_claims = [c for c in origin.claims if confirmed[c]]
    if not confirmed_claims:
        return (
            f"Contradiction {', '.join(origin.claims)} from {origin.root} is only suggested, not confirmed; "
            "it does not block corroboration."
        ), False
    opening = (
        f"Confirmed contradiction {', '.join(confirmed_claims)} from {origin.root} (reliability {reliability:.2f}) is "
        if giver is None else
        f"Confirmed contradiction {', '.join(confirmed_claims)} from {origin.root} (its origin "
        f"[{', '.join(origin.claims)}] has reliability {reliability:.2f}, that of {giver[1]}, source of {giver[0]}) is "
    )
    if reliability >= best_support:
        return opening + (
            f"at least as reliable as the most reliable supporting origin ({best_support:.2f}); "
            "it blocks corroboration."
        ), True
    return opening + (
        f"less reliable than the most reliable supporting origin ({best_support:.2f}); "
        "it does not block corroboration."
    ), False

def _verdict(claim: str, origins: Sequence[Origin], blocking: Sequence[str], belief: float | None) -> str:
    """The explanation's last line: the verdict and what decided it, then the estimated
    probability that the claim is true when there is one."""
    count = len(origins)
    if count >= 2 and not blocking:
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
    return verdict
