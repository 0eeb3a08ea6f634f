"""Copied text found after editing (word-bigram containment) and not found between independent
reports of one event."""

from __future__ import annotations

from verifier.domain import textreuse

C7 = ("Iranian militias and troops loyal to the Syrian regime set fire to farmers\u2019 crops in the village of "
      "Abu Khashab, northwest of the city of Deir ez-Zor.")
D6 = ("Iranian militias and troops loyal to the Syrian regime set fire to farmers' crops in the village of "
      "Abu Khashab, northwest of Deir ez-Zor city.")


def score(a: str, b: str) -> float:
    return textreuse.reuse_score(textreuse.shingles(a), textreuse.shingles(b))


def copy(a: str, b: str) -> bool:
    return textreuse.is_copy(a, b)


def test_a_rewritten_place_name_is_still_a_copy():
    assert copy(C7, D6)
    assert score(C7, D6) > 0.8


def test_trimmed_reordered_and_reflowed_reposts_are_copies():
    trimmed = "Iranian militias and troops loyal to the Syrian regime set fire to farmers' crops in the village of Abu Khashab"
    reordered = "In the village of Abu Khashab, northwest of the city of Deir ez-Zor, Iranian militias and troops loyal " \
                "to the Syrian regime set fire to farmers' crops"
    reflowed = "BREAKING:  iranian militias and troops\nloyal to the syrian regime set fire to farmers crops in the " \
               "village of abu khashab northwest of the city of deir ez-zor"
    for repost in (trimmed, reordered, reflowed):
        assert copy(C7, repost), repost


def test_independent_reports_of_one_event_are_not_copies():
    other = "On 10 May, three fires broke out in Abu Khashab in the agricultural areas where barley is grown."
    own_words = "Residents of Abu Khashab said regime soldiers burned wheat fields near Deir ez-Zor on Sunday."
    assert not copy(C7, other)
    assert not copy(C7, own_words)
    assert score(C7, own_words) < textreuse.COPY_CONTAINMENT


def test_containment_is_directional_and_the_score_takes_the_larger():
    long, short = textreuse.shingles(C7), textreuse.shingles("troops loyal to the Syrian regime set fire")
    assert textreuse.containment(short, long) == 1.0
    assert textreuse.containment(long, short) < 0.5
    assert textreuse.reuse_score(long, short) == 1.0


def test_negation_words_are_kept():
    assert "not" in textreuse.content_words("the militia did not withdraw")


def test_reused_pairs_finds_only_the_copies():
    texts = [C7, "Three fires broke out in the barley fields", D6, "An unrelated statement about oil prices"]
    assert set(textreuse.reused_pairs(texts)) == {(0, 2)}


def test_winnowing_keeps_the_minimum_of_every_window():
    hashes = [5, 3, 8, 9, 1, 7, 6, 2]
    kept = textreuse.winnow(hashes, window=4)
    assert kept == {3, 1}
    # any window of 4 consecutive hashes has one kept fingerprint: shared runs are never missed
    assert all(kept & set(hashes[i:i + 4]) for i in range(len(hashes) - 3))


def test_a_changed_figure_or_negation_is_not_a_copy():
    assert copy("About 7000 militants are in southern Syria", "About 7000 militants are in southern Syria today")
    assert not copy("About 7000 militants are in southern Syria", "About 3000 militants are in southern Syria")
    assert not copy("The militia withdrew from Al-Bukamal on 3 May", "The militia did not withdraw from Al-Bukamal on 3 May")
    texts = ["About 7000 militants are in southern Syria", "About 3000 militants are in southern Syria"]
    assert textreuse.reused_pairs(texts) == {}
