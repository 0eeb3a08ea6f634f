"""The import formats are declared once: a reader that registers is chosen by its suffix,
named in the unknown-format error and offered by ``verifier import --format``."""

from __future__ import annotations

import pytest

from verifier.adapters import importers
from verifier.adapters.decoding import Record
from verifier.domain.errors import ImportFileError


@pytest.fixture
def extra_format():
    before = dict(importers.FORMATS)

    @importers.reader("lines", ".lines")
    def _read(path, on_error, options):
        return iter([Record(1, "claim", {"text": line}) for line in path.read_text().splitlines()])

    yield "lines"
    importers.FORMATS.clear()
    importers.FORMATS.update(before)


def test_the_builtin_formats_in_order():
    assert list(importers.FORMATS) == ["jsonl", "csv", "claimreview"]


def test_a_registered_reader_is_chosen_by_suffix_and_named_in_errors(tmp_path, extra_format):
    f = tmp_path / "a.lines"
    f.write_text("one\n")
    assert [r.data["text"] for r in importers.read_file(f)] == ["one"]
    with pytest.raises(ImportFileError, match=r"unknown format 'xml' \(jsonl, csv, claimreview or lines\)"):
        importers.read_file(f, "xml")


def test_suffixes_choose_the_builtin_formats(tmp_path):
    for name, fmt in (("a.csv", "csv"), ("a.tsv", "csv"), ("a.jsonld", "claimreview"), ("a.jsonl", "jsonl"),
                      ("a.txt", "jsonl")):
        (tmp_path / name).write_text("")
        assert importers.format_of(tmp_path / name) == fmt
    (tmp_path / "r.json").write_text('{"@context": "https://schema.org", "@type": "ClaimReview"}')
    (tmp_path / "l.json").write_text('{"kind": "source", "id": "s1"}\n')
    assert importers.format_of(tmp_path / "r.json") == "claimreview"
    assert importers.format_of(tmp_path / "l.json") == "jsonl"
