"""Shortened texts in listings: a cut is marked, and a pair's cut never hides their difference."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from verifier.domain.display import ELLIPSIS, first_difference, shorten, shorten_pair

C7 = "Iranian militias and troops loyal to the Syrian regime set fire to farmers’ crops in the village of Abu Khashab"
D6 = "Iranian militias and troops loyal to the Syrian regime set fire to farmers' crops in the village of Abu Khashab"


def test_a_cut_text_ends_with_an_ellipsis_and_fits():
    assert shorten("short", 10) == "short"
    assert shorten("exactly10!", 10) == "exactly10!"
    cut = shorten("There are more than 6250 militants in southern Syria.", 20)
    assert cut == "There are more than…" and len(cut) == 20


def test_a_pair_differing_late_is_cut_around_the_difference():
    tail = ", northwest of Deir ez-Zor, in revenge for the protests against the regime."
    a, b = "Same words " * 12 + "on 10 May" + tail, "Same words " * 12 + "on 12 May" + tail
    at = first_difference(a, b)
    assert at > 110
    sa, sb = shorten_pair(a, b, 60)
    assert len(sa) <= 60 and len(sb) <= 60
    assert sa.startswith(ELLIPSIS) and sa.endswith(ELLIPSIS)
    assert "on 10 May" in sa and "on 12 May" in sb  # the place they differ, in view in both
    # a plain cut would have shown two identical lines
    assert shorten(a, 60) == shorten(b, 60)


def test_a_pair_differing_early_is_cut_plainly():
    a, b = "Iranian militias" + C7[16:], "Iraqi militias" + C7[16:]
    sa, sb = shorten_pair(a, b, 60)
    assert (sa, sb) == (shorten(a, 60), shorten(b, 60))


def test_a_difference_near_the_cut_keeps_context_after_it():
    sa, sb = shorten_pair(C7 + " today", D6 + " today", 80)  # ’ against ' at 74 of 118
    assert "farmers’ crops" in sa and "farmers' crops" in sb and sa.startswith(ELLIPSIS)


def test_one_text_continuing_the_other():
    a = "x" * 100
    sa, sb = shorten_pair(a, a + " not", 40)
    assert sa != sb and sb.endswith(" not") and sa.endswith("x")


prefix = st.text(alphabet="ab ", max_size=200)
tail = st.text(alphabet="abc ", max_size=80)


@given(prefix, tail, tail, st.integers(min_value=8, max_value=120))
def test_two_different_texts_never_look_the_same(common, end_a, end_b, width):
    a, b = common + end_a, common + end_b
    sa, sb = shorten_pair(a, b, width)
    assert len(sa) <= width and len(sb) <= width
    assert (sa == sb) == (a == b)
    for full, short in ((a, sa), (b, sb)):
        if short != full:  # cut: marked at the cut end(s), and what is shown is the text's own
            assert short.startswith(ELLIPSIS) or short.endswith(ELLIPSIS)
            assert short.strip(ELLIPSIS) in full
