"""The domain model refuses bad values and says which field is wrong."""

import pytest

from verifier.domain import model
from verifier.domain.errors import DomainError
from verifier.domain.values import Value
from verifier.domain.vocabulary import Qualifier, Verdict


def src(key="s", name="S"):
    return model.Source(key=key, name=name)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: model.Claim.new("c", "   ", src()), "text"),
        (lambda: model.Source(key="s", name="S", grade="Z"), "grade"),
        (lambda: model.Source(key="s", name="S", kind="spaceship"), "type"),
        (lambda: model.Source(key="tab\there", name="S"), "id"),
        (lambda: model.Source(key="x" * 201, name="S"), "id"),
        (lambda: model.Resolution(model.Claim.new("c", "t", src()), "probably"), "verdict"),
        (lambda: model.Link(model.Claim.new("a", "t", src()), model.Claim.new("b", "t", src()), "likes"), "relation"),
        (lambda: model.Claim.new("c", "t", src(), published="May 10"), "published"),
        (lambda: Value.parse([5, 1]), "value"),
        (lambda: Value.parse(3, "roughly-ish"), "qualifier"),
    ],
)
def test_invalid_values_name_their_field(build, field):
    with pytest.raises(DomainError) as err:
        build()
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")


def test_a_claim_cannot_be_linked_to_itself():
    c = model.Claim.new("c1", "text", src())
    with pytest.raises(DomainError, match="itself"):
        model.Link(c, c, "corroborates")


def test_relay_chain_keeps_order_and_refuses_the_own_source():
    sohr, alma, other = src("sohr"), src("alma"), src("x")
    c = model.Claim.new("c1", "more than 6250 militants", sohr, [alma, other])
    assert [s.key for s in c.via] == ["alma", "x"]
    with pytest.raises(DomainError, match="via"):
        c.set_via([alma, sohr])


def test_source_parent_cycle_is_refused():
    net, outlet = src("net"), src("outlet")
    outlet.set_parent(net)
    with pytest.raises(DomainError, match="parent"):
        net.set_parent(outlet)
    assert outlet.ancestors() == [net]


def test_values_parse_numbers_ranges_and_text():
    assert Value.parse(6250, "more than").describe() == "more than 6250"
    assert Value.parse("6,250", "about").number == 6250
    assert Value.parse([10, 20]).qualifier is Qualifier.BETWEEN
    assert Value.parse("Knuth, Donald").text == "Knuth, Donald"


def test_verdict_scale_and_aliases():
    assert Verdict.parse("Mostly True", "verdict") is Verdict.MOSTLY_TRUE
    assert Verdict.parse("half-true", "verdict") is Verdict.MIXED
    assert Verdict.UNVERIFIABLE.score is None
    assert Verdict.MOSTLY_FALSE.score == 0.25
