"""Every JSON the command line prints goes through one converter: an attrs row and the dict
with the same fields print the same, dates as ISO dates, enums as their values."""

from __future__ import annotations

import datetime as dt
import json

from attrs import frozen

from verifier.cli.serialize import dumps, lines
from verifier.domain.vocabulary import Verdict


@frozen
class Row:
    id: str
    verdict: Verdict
    published: dt.date
    via: tuple[str, ...]


def test_an_attrs_row_and_its_dict_print_the_same():
    row = Row("c1", Verdict("false"), dt.date(2020, 5, 18), ("alma", "sohr"))
    as_dict = {"id": "c1", "verdict": "false", "published": "2020-05-18", "via": ["alma", "sohr"]}
    assert json.loads(dumps(row)) == as_dict
    assert dumps(row) == dumps(as_dict)
    assert json.loads(dumps({"at": dt.datetime(2020, 5, 18, 9, 30)})) == {"at": "2020-05-18T09:30:00"}


def test_newline_delimited_json_is_one_compact_object_a_line_and_keeps_text_as_is():
    rows = [{"id": "c1", "text": "Dayr az-Zawr — دير الزور"}, Row("c2", Verdict("true"), dt.date(2020, 1, 2), ())]
    out = lines(rows)
    assert len(out) == 2 and all("\n" not in line for line in out)
    assert json.loads(out[0]) == rows[0] and "دير الزور" in out[0]
    assert json.loads(out[1])["verdict"] == "true"
