"""Independence of reports: is a claim corroborated by more than one voice?

The reports of a claim are grouped into independent **origins** (:mod:`verifier.domain.origins`:
relays, one source twice, a shared parent network, declared dependencies, and copies,
:mod:`verifier.domain.copies`).

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

from verifier.domain.copies import Report
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
    src = sources_by_key(sources)
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
