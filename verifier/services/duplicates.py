"""Near-duplicate detection and the review queue.

On arrival (import, ``claim add``) and on ``verifier dedupe``, every claim of the batch is
compared with the few tracked claims the text index proposes; pairs scoring at or above
T1 become *suggested* links: ``duplicates`` when the texts say the same thing,
``contradicts`` (a possible contradiction) when they match except for a number, a date or
a negation. A pair that already has any link of that relation, in any state, is never
suggested again (a rejected suggestion stays rejected).

Candidates are found in bulk, never by comparing all pairs: each claim's few rarest words
(``normalisation.rare_terms``; rarity from the index's own vocabulary) are looked up in the
text index in one query for the whole batch; a claim's candidates are the claims holding
at least two of them (one, for a claim with only two), best first by the rarity of what they share, at
most CANDIDATES. ``matching.compare`` scores those few and checks numbers, dates and
negation.

Templated feeds ("Bulk report number 100 about convoy 100 near checkpoint 100", thousands
of times with other numbers) are found first (``normalisation.template_keys``, over the
batch): their claims share every word but their numbers, so the index would offer each
of them thousands of look-alikes that name other reports. A template's claims are
compared with the claims of that template with the same identifying numbers (at most
PER_CLAIM each, the next ones in arrival order) and with the claims outside it that
look them up; they look nothing up themselves.

No claim waits on more than PER_CLAIM suggestions: of its new pairs and the suggestions
already waiting for review, the best-scored are kept, those that join its group of copies
to another first (``best_per_claim``; a waiting suggestion displaced is dropped, reviewed
links are never touched), so the review queue stays readable whatever the feed.

With the ``[semantic]`` extra installed, the batch's claims also get their sentence
embeddings here (in batches), stored in ``claim_embeddings`` for ``similar``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import chain
from typing import NamedTuple

import numpy as np

from verifier.adapters import link_queries, orm, textindex
from verifier.adapters.bulk import Values, bulk_insert
from verifier.adapters.settings import thresholds
from verifier.domain import matching, normalisation
from verifier.domain.checks import utcnow
from verifier.domain.graph import UnionFind
from verifier.services import parallel

CANDIDATES = 20  # per claim, at most
PER_CLAIM = 3  # suggestions waiting for review per claim, at most (the best-scored)
RARE_TERMS = 4  # words of each claim looked up in the index
CHUNK = 200_000  # claims per pass (memory: ~1 GB at most)


def _linked_pairs(session, ids: list[int]) -> tuple[set[tuple[int, int]], dict[tuple[int, int], tuple[int, float]]]:
    """The pairs among these claims' links that already carry a duplicates/contradicts
    link, and of those the detector's suggestions waiting for review: pair -> (link id, score)."""
    rows = link_queries.similarity_links(session, ids)
    waiting = {(min(a, b), max(a, b)): (link, float(score or 0.0)) for a, b, link, score, queued in rows if queued}
    return {(min(a, b), max(a, b)) for a, b, *_ in rows}, waiting


def best_per_claim(scores: dict[tuple[int, int], float], limit: int = PER_CLAIM) -> set[tuple[int, int]]:
    """The pairs to suggest, at most ``limit`` per claim, best score first, in two passes:
    first the pairs that join two groups not yet joined (a maximum spanning forest under
    the limit, so that every copy of a claim stays reachable from the others through
    suggestions: a group of twelve copies is not cut into cliques of four), then the best
    of the rest while there is room."""
    ranked = sorted(scores, key=lambda pair: (-scores[pair], pair))
    count: Counter[int] = Counter()
    joined = UnionFind()
    kept = set()
    for joining in (True, False):
        for a, b in ranked:
            if count[a] < limit and count[b] < limit and (a, b) not in kept:
                if joining and not joined.union(a, b):
                    continue
                kept.add((a, b))
                count[a] += 1
                count[b] += 1
    return kept


def rarity_cap(n_claims: int) -> int:
    """A word held by more claims than this is too common to look candidates up by."""
    return max(100, n_claims // 1000)


def candidate_pairs(session, words: dict[int, tuple[str, ...]], *, n_claims: int | None = None,
                    per_claim: int = CANDIDATES, indexed: bool = True,
                    norms: dict[int, str] | None = None) -> list[tuple[int, int]]:
    """(a, b) with a < b: the tracked claims worth scoring against each claim of ``words``
    (claim id -> ``normalisation.content_words`` of its text: no word twice), from the text index.

    ``indexed``: the texts of ``words`` are tracked claims (in the index) themselves; else
    they are outside texts, under ids no tracked claim has. ``norms`` (claim id -> its
    normalised text, for a batch of tracked claims): the batch's templates are paired
    within themselves and left out of the index lookup (see the module's docstring)."""
    if not words:
        return []
    n_claims = n_claims if n_claims is not None else textindex.claim_count(session)
    if norms and indexed:
        keys = normalisation.template_keys(norms, rarity_cap(n_claims) + 1)
        if keys:
            return _templates_apart(session, words, keys, n_claims, per_claim)
    cap, min_df = rarity_cap(n_claims), 2 if indexed else 1
    batch = _batch_arrays(session, words, cap, min_df)
    if batch is None:
        return []
    q_claim, q_word = rare_terms_of_batch(batch.claim, batch.word, batch.df, batch.length, RARE_TERMS, cap, min_df)
    if not len(q_word):
        return []
    holders = _holders(session, batch, q_word, indexed, cap, per_claim + 1)
    if holders is None:
        return []
    rows = _holdings(q_claim, q_word, batch.df, holders, n_claims, per_claim)
    if rows is None:
        return []
    return _best_candidates(*_sharing_enough(*rows), per_claim)


def _templates_apart(session, words: dict[int, tuple[str, ...]], keys: dict[int, str], n_claims: int,
                     per_claim: int) -> list[tuple[int, int]]:
    """``candidate_pairs`` for a batch holding templates (``keys``: claim id -> its template):
    each template's claims paired within it, the other claims looked up in the index."""
    within = _same_key_pairs(keys, PER_CLAIM)
    rest = {cid: w for cid, w in words.items() if cid not in keys}
    found = candidate_pairs(session, rest, n_claims=n_claims, per_claim=per_claim) if rest else []
    return sorted(set(found).union(within))


class _Batch(NamedTuple):
    """A batch of claims' words as arrays: one row per (claim, word), a word being its index in
    the sorted vocabulary of the batch."""

    vocab: list[str]
    claim: np.ndarray  # per row: the claim
    word: np.ndarray  # per row: the word
    df: np.ndarray  # per vocabulary word: how many tracked claims hold it
    length: np.ndarray  # per vocabulary word: its length


def _batch_arrays(session, words: dict[int, tuple[str, ...]], cap: int, min_df: int) -> _Batch | None:
    """``words`` as arrays, with each word's document frequency from the index (None: no words).

    A frequency above ``cap`` is exact only where ``rare_terms_of_batch`` reads it: the words
    of a claim that holds no word of frequency ``min_df`` to ``cap`` (it looks up its rarest
    one); elsewhere it may be ``cap + 1``, as ``document_frequencies`` counts no further, so
    that the common words of a growing store cost the same to weigh."""
    vocab = sorted(set().union(*words.values()))
    if not vocab:
        return None
    df_of = textindex.document_frequencies(session, vocab, at_most=cap)
    word_ix = {w: i for i, w in enumerate(vocab)}
    per = np.fromiter(map(len, words.values()), np.int64, len(words))
    batch = _Batch(
        vocab=vocab,
        claim=np.repeat(np.fromiter(words.keys(), np.int64, len(words)), per),
        word=np.fromiter(map(word_ix.__getitem__, chain.from_iterable(words.values())), np.int64, int(per.sum())),
        df=np.fromiter(map(df_of.__getitem__, vocab), np.int64, len(vocab)),
        length=np.fromiter(map(len, vocab), np.int64, len(vocab)),
    )
    _exact_where_read(session, batch, cap, min_df)
    return batch


def _exact_where_read(session, batch: _Batch, cap: int, min_df: int) -> None:
    """Make ``batch.df`` exact where ``rare_terms_of_batch`` reads past ``cap``: for a claim
    with no word of frequency ``min_df`` to ``cap``, its rarest word (and which one that is).
    Its words are counted again with a limit four times higher each round, until the claim
    has a word counted below the limit: that word's count is exact, and the words still at
    the limit are commoner. (Counting them to the end would cost a read per claim holding
    them: the whole store for a word such as "the".)"""
    df = batch.df[batch.word]
    with_rare = np.unique(batch.claim[(df >= min_df) & (df <= cap)])
    needy = ~np.isin(batch.claim, with_rare)
    limit = cap + 1
    while True:
        df = batch.df[batch.word]
        at_limit = needy & (df == limit)
        settled = np.unique(batch.claim[needy & (df >= min_df) & (df < limit)])
        uncounted = np.unique(batch.word[at_limit & ~np.isin(batch.claim, settled)])
        if not len(uncounted):
            return
        limit *= 4
        words = [batch.vocab[w] for w in uncounted.tolist()]
        counts = textindex.document_frequencies(session, words, at_most=limit - 1)
        batch.df[uncounted] = [counts[w] for w in words]
        needy &= ~np.isin(batch.claim, settled)


class _Holders(NamedTuple):
    """The claims holding each looked-up word (a *term*), sorted by term then claim."""

    term_of_word: np.ndarray  # per vocabulary word: its term number, -1 for a word not looked up
    doc: np.ndarray  # the holders, term after term
    start: np.ndarray  # per term: where its holders start in ``doc``
    count: np.ndarray  # per term: how many holders it has


def _holders(session, batch: _Batch, q_word: np.ndarray, indexed: bool, cap: int, first: int) -> _Holders | None:
    """The holders of the words ``q_word`` (vocabulary indices; None: nobody holds any). Of a
    word held by more than ``cap`` claims, only the ``first`` by id: ``_holdings`` reads no
    more of them (a claim looks such a word up only when it is its rarest, alone, and takes
    its first holders as candidates)."""
    term_words = np.unique(q_word)  # the terms to look up, as vocabulary indices
    term_of_word = np.full(len(batch.vocab), -1, np.int64)
    term_of_word[term_words] = np.arange(len(term_words))
    p_term, p_doc = _postings(session, [batch.vocab[w] for w in term_words.tolist()], term_of_word,
                              batch.df[term_words], batch.claim, batch.word, indexed, cap, first)
    if not len(p_doc):
        return None
    n_terms = len(term_words)
    order = np.lexsort((p_doc, p_term))
    p_term, p_doc = p_term[order], p_doc[order]
    start = np.searchsorted(p_term, np.arange(n_terms))
    count = np.searchsorted(p_term, np.arange(n_terms), side="right") - start
    return _Holders(term_of_word, p_doc, start, count)


def _holdings(q_claim: np.ndarray, q_word: np.ndarray, df: np.ndarray, holders: _Holders, n_claims: int,
              per_claim: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """One row per (claim, one of its rare words ``q_claim``/``q_word``, another claim holding
    that word): (claim, holder, the word's rarity, how many of its rare words the claim needs
    to share). None: no claim holds any of them."""
    term_of_word, p_doc, start, count = holders
    q_term = term_of_word[q_word]
    # at least two of them in common, or one when the claim has only one or two rare words
    _, group, chosen_per_claim = np.unique(q_claim, return_inverse=True, return_counts=True)
    need = np.where(chosen_per_claim[group] <= 2, 1, 2)
    # a claim with no word under the cap looks up its rarest one alone: all its holders tie, and
    # the first per_claim of them (by id, itself aside) are its candidates; read only those
    cap = rarity_cap(n_claims)
    n = np.where(df[q_word] > cap, np.minimum(count[q_term], per_claim + 1), count[q_term])
    total = int(n.sum())
    if total == 0:
        return None
    offsets = np.repeat(np.cumsum(n) - n, n)
    rows = np.arange(total) - offsets + np.repeat(start[q_term], n)
    claim, doc = np.repeat(q_claim, n), p_doc[rows]
    weight = np.repeat(np.log((n_claims + 1) / np.maximum(count[q_term], 1)), n)
    need = np.repeat(need, n)
    keep = claim != doc
    return claim[keep], doc[keep], weight[keep], need[keep]


def _sharing_enough(claim: np.ndarray, doc: np.ndarray, weight: np.ndarray,
                    need: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of these holdings, the pairs (claim, doc) that share as many of the claim's rare words
    as it needs, with the summed rarity of the words they share: (claim, doc, rarity)."""
    # per (claim, doc): how many of the claim's rare words the doc holds, and their rarity
    key = claim * (1 << 32) + doc
    uniq, inverse = np.unique(key, return_inverse=True)
    shared = np.bincount(inverse)
    rarity = np.bincount(inverse, weights=weight)
    needed = np.zeros(len(uniq), np.int64)
    needed[inverse] = need
    ok = shared >= needed
    uniq, rarity = uniq[ok], rarity[ok]
    return uniq >> 32, uniq & 0xFFFFFFFF, rarity


def _best_candidates(a: np.ndarray, b: np.ndarray, rarity: np.ndarray, per_claim: int) -> list[tuple[int, int]]:
    """The best ``per_claim`` candidates b of each claim a, rarest shared words first, as
    sorted pairs (low id, high id), each once."""
    order = np.lexsort((-rarity, a))
    a, b = a[order], b[order]
    rank = _rank_in_groups(a)
    a, b = a[rank < per_claim], b[rank < per_claim]
    pairs = np.unique(np.minimum(a, b) * (1 << 32) + np.maximum(a, b))
    return list(zip((pairs >> 32).tolist(), (pairs & 0xFFFFFFFF).tolist(), strict=False))


def _same_key_pairs(keys: dict[int, str], per_claim: int) -> list[tuple[int, int]]:
    """Each claim with the next ``per_claim`` claims (by id) of the same key."""
    by_key: dict[str, list[int]] = {}
    for cid in sorted(keys):
        by_key.setdefault(keys[cid], []).append(cid)
    return [(ids[i], ids[j]) for ids in by_key.values() if len(ids) > 1
            for i in range(len(ids)) for j in range(i + 1, min(len(ids), i + 1 + per_claim))]


def rare_terms_of_batch(claim: np.ndarray, word: np.ndarray, df: np.ndarray, length: np.ndarray,
                        k: int, cap: int, min_df: int) -> tuple[np.ndarray, np.ndarray]:
    """``normalisation.rare_terms`` for a whole batch at once, as arrays: the rows (claim, word)
    it chooses, grouped by claim. ``word`` indexes a vocabulary sorted as strings, whose
    document frequencies and lengths are ``df`` and ``length``.

    Per claim, its words held by at least ``min_df`` claims, rarest first (then longest,
    then alphabetical); of the first ``k``, those held by at most ``cap`` claims, or else
    the rarest one."""
    held = df[word] >= min_df
    claim, word = claim[held], word[held]
    n = df[word]
    order = np.lexsort((word, -length[word], n, claim))
    claim, word, n = claim[order], word[order], n[order]
    rank = _rank_in_groups(claim)
    keep = (rank < k) & ((n <= cap) | (rank == 0))
    return claim[keep], word[keep]


def _rank_in_groups(keys: np.ndarray) -> np.ndarray:
    """Each row's position within its run of equal ``keys`` (sorted so that equal keys are adjacent)."""
    if not len(keys):
        return np.array([], np.int64)
    first = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    return np.arange(len(keys)) - np.repeat(first, np.diff(np.r_[first, len(keys)]))


def _postings(session, terms: list[str], term_of_word, term_df, flat_claim, flat_word,
              indexed: bool, cap: int, first: int) -> tuple[np.ndarray, np.ndarray]:
    """(term, claim) rows for the claims holding these terms (``term_of_word``: vocabulary
    index -> term number, -1 for the others). A term held only by claims of the batch (its
    document frequency all accounted for by them, as in a full rescan or a new import) is
    read from the batch itself; the others from the index."""
    term_id = {t: i for i, t in enumerate(terms)}
    if not indexed:
        return _posting_arrays(_index_postings(session, terms, term_df, cap, first), term_id)
    local_term = term_of_word[flat_word]
    local = local_term >= 0
    local_term, local_doc = local_term[local], flat_claim[local]
    from_index = term_df > np.bincount(local_term, minlength=len(terms))
    if from_index.any():
        index_term, index_doc = _posting_arrays(
            _index_postings(session, [t for t, far in zip(terms, from_index.tolist(), strict=False) if far],
                            term_df[from_index], cap, first), term_id)
        local = ~from_index[local_term]
        local_term, local_doc = local_term[local], local_doc[local]
        return np.concatenate([index_term, local_term]), np.concatenate([index_doc, local_doc])
    return local_term, local_doc


def _index_postings(session, terms: list[str], term_df: np.ndarray, cap: int, first: int) -> list[tuple[str, int]]:
    """(term, claim) from the index: every holder of a term held by ``cap`` claims or fewer, the
    ``first`` holders by id of the others (read all, a common word would cost a row per claim
    holding it, and the store's growth with it)."""
    common = (term_df > cap).tolist()
    return [*textindex.postings(session, [t for t, c in zip(terms, common, strict=False) if not c]),
            *textindex.first_holders(session, [t for t, c in zip(terms, common, strict=False) if c], first)]


def _posting_arrays(posts: list[tuple[str, int]], term_id: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    if not posts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    held, docs = zip(*posts, strict=False)
    return np.fromiter(map(term_id.__getitem__, held), np.int64, len(held)), np.array(docs, np.int64)


def score_pairs(pairs: Sequence[tuple[int, int]], texts: dict[int, tuple[str, str]], t1: float, t2: float,
                words: dict[int, tuple[str, ...]] | None = None) -> dict[tuple[int, int], matching.Comparison]:
    """The pairs ``compare`` suggests (score >= t1), of these candidates (``texts``: id ->
    (text, norm)). The candidates are few and most of them near-duplicates, so each goes
    straight to ``compare`` (the guards' facts are read once per text)."""
    def suggested(part: Sequence[tuple[int, int]]) -> list[tuple[tuple[int, int], float, str, str]]:
        compare, found = matching.compare, []
        for a, b in part:
            cmp = compare(texts[a][0], texts[b][0], t1, t2)
            if cmp.kind is not None and cmp.score >= t1:
                found.append(((a, b), cmp.score, cmp.kind, cmp.reason))
        return found

    # a big batch (an import) is scored by two processes at once
    return {pair: matching.Comparison(score=score, kind=kind, reason=reason)
            for half in parallel.in_two(suggested, list(pairs)) for pair, score, kind, reason in half}


def suggestions_for(session, claim_id: int, text: str, t1: float, t2: float | None = None) -> list[tuple[int, matching.Comparison]]:
    """The tracked claims that this claim's text repeats or may contradict, score >= t1."""
    t2 = matching.T2 if t2 is None else t2
    words = {claim_id: normalisation.content_words(normalisation.normalise(text))}
    pairs = candidate_pairs(session, words)
    others = textindex.claims_by_id(session, sorted({x for p in pairs for x in p} - {claim_id}))
    texts = {**others, claim_id: (text, normalisation.normalise(text))}
    found = score_pairs(pairs, texts, t1, t2, words)
    return sorted(((b if a == claim_id else a, cmp) for (a, b), cmp in found.items()), key=lambda x: -x[1].score)


def find_pairs(s, claim_ids: list[int], progress: Callable[[int], None] | None = None
               ) -> dict[tuple[int, int], matching.Comparison]:
    """Every pair of these claims and the tracked ones that ``compare`` suggests (score >= T1),
    before PER_CLAIM is applied (``detect`` stores the best of them)."""
    t1, t2 = thresholds(s)
    textindex.settle(s)
    n_claims = textindex.claim_count(s)
    found: dict[tuple[int, int], matching.Comparison] = {}
    for i in range(0, len(claim_ids), CHUNK):
        chunk = claim_ids[i:i + CHUNK]
        texts = textindex.claims_by_id(s, chunk)
        embedded = _embed_on_arrival(s, texts, progress)
        words = {cid: normalisation.content_words(norm) for cid, (_, norm) in texts.items()}
        pairs = candidate_pairs(s, words, n_claims=n_claims, norms={cid: norm for cid, (_, norm) in texts.items()})
        missing = sorted({x for p in pairs for x in p} - texts.keys())
        texts.update(textindex.claims_by_id(s, missing))
        for pair, cmp in {**_across_languages(s, chunk, texts), **score_pairs(pairs, texts, t1, t2, words)}.items():
            if pair not in found or found[pair].score < cmp.score:
                found[pair] = cmp
        if progress:
            progress(len(chunk) - embedded)
    return found


def detect(uow, claim_ids: list[int], progress: Callable[[int], None] | None = None) -> int:
    """Suggest links for these claims against everything tracked; returns how many.
    ``progress(n)`` counts claims done: as they are embedded (the long part, with the
    semantic extra), the rest when their chunk is scored."""
    s = uow.session
    found = find_pairs(s, claim_ids, progress)
    if not found:
        return 0
    have, waiting = _linked_pairs(s, sorted({x for p in found for x in p}))
    # the best PER_CLAIM of each claim, among the new pairs and the suggestions already waiting
    # (a waiting one a better pair displaces goes: it was never reviewed, and a rescan would not bring it back)
    kept = best_per_claim({**{pair: cmp.score for pair, cmp in found.items() if pair not in have},
                           **{pair: score for pair, (_, score) in waiting.items()}})
    displaced = [link for pair, (link, _) in waiting.items() if pair not in kept]
    link_queries.remove_links(s, displaced)
    conv = Values(s, utcnow())
    rows = [(b, a, "duplicates" if cmp.kind == "duplicate" else "contradicts", round(cmp.score, 1), cmp.reason)
            for (a, b), cmp in sorted(found.items()) if (a, b) in kept and (a, b) not in have]
    bulk_insert(s, orm.links, ("from_id", "to_id", "relation", "score", "note"), rows, conv,
                {"origin": "detector", "state": "suggested", "analyst": None,
                 "created_at": conv.now, "updated_at": conv.now})
    return len(rows)


def _across_languages(session, chunk: list[int], texts: dict[int, tuple[str, str]]
                      ) -> dict[tuple[int, int], matching.Comparison]:
    """The chunk's claims paired with their renderings in the other language among the most
    recent claims (the multilingual encoder, ``adapters.crosslang``): the same claim is a
    duplicate, a figure, date or negation that differs a possible contradiction. Scored 0-100
    as the cosine times 100."""
    from verifier.adapters import crosslang

    new = {cid: texts[cid][0] for cid in chunk if cid in texts}
    pool = {**crosslang.recent_claims(session), **new}
    found = {}
    for a, b, pair in crosslang.matches(new, pool):
        kind = "duplicate" if pair.kind == "same" else "conflict"
        found[(min(a, b), max(a, b))] = matching.Comparison(score=round(100 * pair.cosine, 1), kind=kind, reason=pair.reason)
    return found


def _embed_on_arrival(session, texts: dict[int, tuple[str, str]], progress=None) -> int:
    """Sentence embeddings for the claims that have none, when the extra is installed;
    returns how many were embedded."""
    from verifier.adapters import embeddings

    if not texts or not embeddings.available():
        return 0
    done = embeddings.store_missing(session, {cid: t for cid, (t, _) in texts.items()}, progress=progress)
    if done:
        embeddings.sync_index(session)
    return done


__all__ = ["best_per_claim", "candidate_pairs", "detect", "find_pairs", "score_pairs", "suggestions_for"]
