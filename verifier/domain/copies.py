"""Copies among reports: a later report that takes an earlier one's words without citing it.

Two reports are one origin through copying only on **evidence of copying**:

* ``detected``: reused text (``domain.textreuse``: most of the shorter text's content-word
  bigrams are found in the other, so a reflowed, trimmed, reordered or lightly reworded repost
  still counts);
* ``translation``: the later report is a rendering of the earlier one in another language
  (found by a multilingual sentence encoder, ``adapters.crosslang``, and given here as pairs)
  and names no witnesses of its own beyond the earlier one's (``domain.sourcing``);
* ``confirmed``: an analyst said so (``verifier copies confirm``).

Relays (the later one's ``via`` names the earlier one's source) and shared parents are
handled as relays and networks in :mod:`verifier.domain.origins`, not as silent copies.

Same meaning in other words is corroboration, not copying (issue 24): an accepted duplicate
with no such evidence counts as two origins; :func:`same_assertions` lists those pairs so the
verdict can say "same assertion; no sign of copying", with the report's own sourcing ("our
correspondents saw", «أفاد سكان») when it names it. (Until then an accepted duplicate of two
sources was a "likely copy" counted once, which swallowed independent witnesses.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from attrs import field, frozen

from verifier.domain import textreuse
from verifier.domain.sourcing import own_sourcing, sourcing_kinds

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
    state: str = "detected"  # "detected", "translation" or "confirmed" (the module docstring says each)

    @property
    def why(self) -> str:
        return "translation" if self.state == "translation" else "copied text"

@frozen
class SameAssertion:
    """Two reports an analyst accepted as duplicates with no evidence that one copies the other."""

    later: str
    earlier: str
    reason: str
    sourcing: tuple[tuple[str, str], ...] = ()  # (claim, its own sourcing quoted) for each that names it

def order_key(index: int, report: Report) -> tuple:
    """Earlier first: dated reports by date, then the order they were given in."""
    return (report.published is None, report.published or date.min, index)

def _ordered(reports: Sequence[Report], i: int, j: int) -> tuple[Report, Report]:
    a, b = reports[i], reports[j]
    return (a, b) if order_key(i, a) <= order_key(j, b) else (b, a)

def _when(earlier: Report, later: Report) -> str:
    if later.published and earlier.published and later.published != earlier.published:
        return f"published {later.published.isoformat()}, after {earlier.published.isoformat()}"
    return "received later"

def _pair_indices(reports: Sequence[Report], pairs: Iterable[frozenset[str]]) -> set[tuple[int, int]]:
    index = {r.claim: k for k, r in enumerate(reports)}
    out = set()
    for pair in pairs:
        ij = sorted(index[c] for c in pair if c in index)
        if len(ij) == 2:
            out.add((ij[0], ij[1]))
    return out

def copied_pairs(
    reports: Sequence[Report],
    overruled: Iterable[frozenset[str]] = (),
    threshold: float = COPY_THRESHOLD,
    duplicates: Iterable[frozenset[str]] = (),
    confirmed: Iterable[frozenset[str]] = (),
    translations: Iterable[frozenset[str]] = (),
) -> list[CopyPair]:
    """Pairs where a later report copies an earlier one without citing it, on evidence.

    Found by the text measure (``detected``, reuse score >= ``threshold``), a translation that
    names no witnesses of its own (``translation``; ``translations`` are the cross-language
    pairs found to say the same thing), or an analyst's confirmation (``confirmed``).
    ``duplicates`` (accepted as the same assertion) are not evidence of copying and are kept
    only so old callers still work: see :func:`same_assertions`. Later means published later
    or, when that cannot tell, given later. Pairs from the same source, pairs where the later
    one names the earlier one's source in its ``via`` (a cited relay, not a silent copy), and
    pairs an analyst overruled are left out.
    """
    del duplicates  # same meaning in other words is corroboration, not copying (issue 24)
    reports = list(reports)
    if len(reports) < 2:
        return []
    overruled_set = {frozenset(p) for p in overruled}
    confirmed_at = _pair_indices(reports, confirmed)
    translated_at = _pair_indices(reports, translations)
    found: dict[tuple[int, int], float | None] = {
        pair: 100.0 * score for pair, score in textreuse.reused_pairs([r.text for r in reports], threshold / 100.0).items()
    }
    for ij in confirmed_at | translated_at:
        found.setdefault(ij, None)
    pairs: list[CopyPair] = []
    for (i, j), reuse in sorted(found.items()):
        earlier, later = _ordered(reports, i, j)
        key = frozenset((earlier.claim, later.claim))
        if earlier.source == later.source or earlier.claim == later.claim or key in overruled_set:
            continue
        if earlier.source in later.via:
            continue
        score = reuse if reuse is not None else 100.0 * textreuse.reuse_score(
            textreuse.shingles(earlier.text), textreuse.shingles(later.text))
        if (i, j) in confirmed_at:
            state = "confirmed"
        elif score >= threshold:
            state = "detected"
        elif (i, j) in translated_at and not _own_sourcing_of_its_own(later, earlier):
            state = "translation"
        else:
            continue
        pairs.append(CopyPair(later.claim, earlier.claim, score, _reason(later, earlier, score, state), state))
    return pairs

def _own_sourcing_of_its_own(later: Report, earlier: Report) -> str | None:
    """The later report's own sourcing when it is not one the earlier had (a translation keeps
    who saw it: "our correspondent" stays «مراسلنا»; another witness names other people)."""
    mine = own_sourcing(later.text)
    if not mine:
        return None
    return mine if not sourcing_kinds(later.text) <= sourcing_kinds(earlier.text) else None

def _reason(later: Report, earlier: Report, score: float, state: str) -> str:
    when = _when(earlier, later)
    if state == "translation":
        return (f"{later.claim} ({later.source}) is a translation of {earlier.claim} ({earlier.source}) "
                f"({when}) that names no witnesses of its own and does not cite {earlier.source}: a likely copy")
    how = "confirmed by an analyst" if state == "confirmed" else when
    return (f"{later.claim} ({later.source}) reuses the words of {earlier.claim} ({earlier.source}) "
            f"({score:.0f}% of the shorter text's word pairs shared; {how}) without citing {earlier.source}")

def same_assertions(
    reports: Sequence[Report],
    duplicates: Iterable[frozenset[str]],
    copies: Iterable[CopyPair] = (),
) -> list[SameAssertion]:
    """Accepted duplicates of two sources with no evidence of copying (not in ``copies``, not a
    cited relay): the same assertion made independently, with any own sourcing quoted."""
    reports = list(reports)
    copied = {frozenset((c.later, c.earlier)) for c in copies}
    out = []
    for i, j in sorted(_pair_indices(reports, duplicates)):
        earlier, later = _ordered(reports, i, j)
        if (earlier.source == later.source or frozenset((earlier.claim, later.claim)) in copied
                or earlier.source in later.via or later.source in earlier.via):
            continue
        sourcing = tuple((r.claim, found) for r in (earlier, later) if (found := own_sourcing(r.text)))
        own = "; own sourcing: " + ", ".join(f"{claim} \"{found}\"" for claim, found in sourcing) if sourcing else ""
        reason = (f"{later.claim} ({later.source}) and {earlier.claim} ({earlier.source}): same assertion "
                  f"in their own words; no sign of copying{own}")
        out.append(SameAssertion(later.claim, earlier.claim, reason, sourcing))
    return out
