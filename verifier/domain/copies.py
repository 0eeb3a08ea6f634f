"""Silent copies among reports: a later report that reuses an earlier one's words without citing it.

A copy pair is in one of three states (:data:`COPY_STATES`): ``detected`` by the text measure
(``domain.textreuse``: most of the shorter text's content-word bigrams are found in the other,
so a reflowed, trimmed, reordered or lightly reworded repost still counts), ``likely`` (an
analyst accepted the two as duplicates, the text is below the cut), ``confirmed`` by an
analyst. All three make the two reports one origin (:mod:`verifier.domain.origins`);
``independence.check`` lists the first two as copies to confirm or overrule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from attrs import field, frozen

from verifier.domain import textreuse

COPY_THRESHOLD = textreuse.COPY_CONTAINMENT * 100  # reuse score (0-100) at which a pair is a copy

@frozen
class Report:
    """One claim as reported: who asserts it, through whom we got it, its words and date."""

    claim: str
    source: str
    via: tuple[str, ...] = field(default=(), converter=tuple)
    text: str = ""
    published: date | None = None

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

def order_key(index: int, report: Report) -> tuple:
    """Earlier first: dated reports by date, then the order they were given in."""
    return (report.published is None, report.published or date.min, index)

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
        key = frozenset((a.claim, b.claim))
        if a.source == b.source or a.claim == b.claim or key in overruled_set:
            continue
        if order_key(i, a) <= order_key(j, b):
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
