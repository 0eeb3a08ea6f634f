"""Writes the hostile-input corpus (this directory) and its expectations (expected.json).

    python tests/hostile/make_corpus.py

Each file is a bad or odd import file. expected.json says what must happen to it:
  {"outcome": "error", "line": N or null, "field": "name" or null (or a list of acceptable
   fields), "problem": "a substring of the message"}
  {"outcome": "ok", "counts": {"claims": n, "sources": n, ...}}: it imports, and every text
   in it comes back exactly through `verifier export` (tests/robustness/test_hostile_input.py).

The huge files (a 10 MB line, a million lines) are generated at test time, not kept here.
Bytes are spelled out here so that NULs, invalid UTF-8, BOMs and CRLFs are exactly as meant.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def j(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def lines(*parts: bytes | dict, end: bytes = b"\n") -> bytes:
    return b"".join((j(p) if isinstance(p, dict) else p) + end for p in parts)


SRC = {"kind": "source", "id": "s1", "name": "Source one"}
C1 = {"kind": "claim", "id": "c1", "text": "First claim about the crossing", "source": "s1"}
C2 = {"kind": "claim", "id": "c2", "text": "Second claim about the bridge", "source": "s1"}
P = (SRC, C1, C2)  # three good lines: the bad one is line 4


def claim(**kw) -> dict:
    return {"kind": "claim", "id": "x1", "text": "A claim", "source": "s1", **kw}


def err(line, field, problem) -> dict:
    return {"outcome": "error", "line": line, "field": field, "problem": problem}


def ok(**counts) -> dict:
    return {"outcome": "ok", "counts": counts}


CASES: list[tuple[str, bytes, dict]] = [
    # ---------------------------------------------------------------- broken JSON
    ("json-truncated-object.jsonl", lines(*P) + b'{"kind":"claim","id":"x1","text":"cut off\n', err(4, None, "not valid JSON")),
    ("json-truncated-no-newline.jsonl", lines(*P) + b'{"kind":"claim","id":"x1"', err(4, None, "not valid JSON")),
    ("json-truncated-escape.jsonl", lines(*P) + b'{"kind":"claim","id":"x1","text":"abc\\u00', err(4, None, "not valid JSON")),
    ("json-trailing-garbage.jsonl", lines(*P, b'{"kind":"source","id":"s9","name":"S"} and more'), err(4, None, "not valid JSON")),
    ("json-single-quotes.jsonl", lines(*P, b"{'kind': 'source', 'id': 's9', 'name': 'S'}"), err(4, None, "not valid JSON")),
    ("json-trailing-comma.jsonl", lines(*P, b'{"kind":"source","id":"s9","name":"S",}'), err(4, None, "not valid JSON")),
    ("json-array-pretty.jsonl", b'[\n  {"kind": "source", "id": "s1", "name": "S"}\n]\n', err(1, None, "not valid JSON")),
    ("json-array-one-line.jsonl", b"[" + j(SRC) + b"," + j(C1) + b"]\n", err(1, None, "expected a JSON object")),
    ("json-top-level-string.jsonl", lines(*P, b'"just a string"'), err(4, None, "expected a JSON object")),
    ("json-top-level-number.jsonl", lines(*P, b"42"), err(4, None, "expected a JSON object")),
    ("json-null-line.jsonl", lines(*P, b"null"), err(4, None, "expected a JSON object")),
    ("json-nan.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"t","source":"s1","value":NaN}'), err(4, None, "not valid JSON")),
    ("json-infinity.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"t","source":"s1","value":Infinity}'), err(4, None, "not valid JSON")),
    ("json-minus-infinity.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"t","source":"s1","value":-Infinity}'), err(4, None, "not valid JSON")),
    ("json-huge-exponent.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"t","source":"s1","value":1e400}'),
     err(4, [None, "value"], "")),
    ("json-huge-integer.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"t","source":"s1","value":' + b"9" * 400 + b"}"),
     err(4, [None, "value"], "")),
    ("json-deeply-nested.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"t","source":"s1","value":'
                                       + b"[" * 100_000 + b"]" * 100_000 + b"}"), err(4, None, "not valid JSON")),
    ("json-nested-tags.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"t","source":"s1","tags":'
                                     + b"[" * 200 + b"]" * 200 + b"}"), err(4, "tags", "")),
    ("json-lone-surrogate.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"bad \\ud800 half","source":"s1"}'),
     err(4, [None, "text"], "")),
    ("json-bom-mid-file.jsonl", lines(*P, b"\xef\xbb\xbf" + j(claim())), err(4, None, "")),
    ("json-cr-only-line-ends.jsonl", lines(*P, end=b"\r"), err(1, None, "not valid JSON")),
    # ---------------------------------------------------------------- kinds and fields
    ("kind-missing.jsonl", lines(*P, {"id": "x1", "text": "t", "source": "s1"}), err(4, "kind", "is required")),
    ("kind-unknown.jsonl", lines(*P, {"kind": "rumour", "id": "x1", "text": "t"}), err(4, "kind", "unknown kind")),
    ("kind-number.jsonl", lines(*P, {"kind": 7, "id": "x1"}), err(4, "kind", "unknown kind")),
    ("kind-null.jsonl", lines(*P, {"kind": None, "id": "x1"}), err(4, "kind", "unknown kind")),
    ("kind-twice.jsonl", lines(*P, b'{"kind":"claim","kind":"source","id":"x1","text":"t","source":"s1"}'), err(4, "kind", "twice")),
    ("field-unknown.jsonl", lines(*P, claim(confidence=0.9)), err(4, "confidence", "unknown field")),
    ("field-typo.jsonl", lines(*P, {"kind": "claim", "id": "x1", "txt": "t", "source": "s1"}), err(4, "txt", "unknown field")),
    # ---------------------------------------------------------------- wrong types
    ("type-text-number.jsonl", lines(*P, claim(text=42)), err(4, "text", "expected text")),
    ("type-text-list.jsonl", lines(*P, claim(text=["a", "b"])), err(4, "text", "expected text")),
    ("type-text-object.jsonl", lines(*P, claim(text={"en": "a"})), err(4, "text", "expected text")),
    ("type-text-bool.jsonl", lines(*P, claim(text=True)), err(4, "text", "expected text")),
    ("type-text-null.jsonl", lines(*P, claim(text=None)), err(4, "text", "")),
    ("type-text-blank.jsonl", lines(*P, claim(text=" \t ")), err(4, "text", "must not be empty")),
    ("type-name-number.jsonl", lines(*P, {"kind": "source", "id": "s9", "name": 5}), err(4, "name", "expected text")),
    ("type-via-number.jsonl", lines(*P, claim(via=5)), err(4, "via", "expected a list")),
    ("type-via-numbers.jsonl", lines(*P, claim(via=[1, 2])), err(4, "via", "list of text")),
    ("type-via-nested.jsonl", lines(*P, claim(via=[["s2"]])), err(4, "via", "list of text")),
    ("type-tags-object.jsonl", lines(*P, claim(tags={"a": 1})), err(4, "tags", "expected a list")),
    ("type-aliases-bool.jsonl", lines(*P, {"kind": "source", "id": "s9", "name": "S", "aliases": True}), err(4, "aliases", "")),
    ("type-value-bool.jsonl", lines(*P, claim(value=True)), err(4, "value", "boolean")),
    ("type-value-object.jsonl", lines(*P, claim(value={"n": 1})), err(4, "value", "")),
    ("type-id-float.jsonl", lines(*P, claim(id=1.5)), err(4, "id", "expected text")),
    ("type-id-bool.jsonl", lines(*P, claim(id=True)), err(4, "id", "expected text")),
    ("type-qualifier-number.jsonl", lines(*P, claim(value=3, qualifier=5)), err(4, "qualifier", "")),
    ("type-score-text.jsonl", lines(*P, {"kind": "link", "from": "c1", "to": "c2", "relation": "duplicates", "score": "high"}),
     err(4, "score", "")),
    # ---------------------------------------------------------------- bad values
    ("value-range-reversed.jsonl", lines(*P, claim(value=[10, 5])), err(4, "value", "above high")),
    ("value-range-three.jsonl", lines(*P, claim(value=[1, 2, 3])), err(4, "value", "pair")),
    ("value-between-one-number.jsonl", lines(*P, claim(value=5, qualifier="between")), err(4, "value", "")),
    ("value-qualifier-unknown.jsonl", lines(*P, claim(value=5, qualifier="give or take")), err(4, "qualifier", "")),
    ("value-unit-too-long.jsonl", lines(*P, claim(value=5, unit="u" * 101)), err(4, "unit", "longer than")),
    ("value-score-out-of-range.jsonl", lines(*P, {"kind": "link", "from": "c1", "to": "c2", "relation": "duplicates", "score": 150}),
     err(4, "score", "0 to 100")),
    ("enum-grade.jsonl", lines(*P, {"kind": "source", "id": "s9", "name": "S", "grade": "Z"}), err(4, "grade", "")),
    ("enum-type.jsonl", lines(*P, {"kind": "source", "id": "s9", "name": "S", "type": "blog"}), err(4, "type", "unknown value")),
    ("enum-relation.jsonl", lines(*P, {"kind": "link", "from": "c1", "to": "c2", "relation": "maybe"}), err(4, "relation", "")),
    ("enum-relation-missing.jsonl", lines(*P, {"kind": "link", "from": "c1", "to": "c2"}), err(4, "relation", "is required")),
    ("enum-verdict.jsonl", lines(*P, {"kind": "resolution", "claim": "c1", "verdict": "probably"}), err(4, "verdict", "")),
    ("text-too-long.jsonl", lines(*P, claim(text="x" * 20_001)), err(4, "text", "longer than")),
    ("id-empty.jsonl", lines(*P, claim(id="")), err(4, "id", "")),
    ("id-too-long.jsonl", lines(*P, claim(id="k" * 201)), err(4, "id", "")),
    ("id-control-char.jsonl", lines(*P, claim(id="c\u0007x")), err(4, "id", "")),
    ("id-zero-width.jsonl", lines(*P, claim(id="x\u200b11")), err(4, "id", "invisible")),
    ("id-bidi-control.jsonl", lines(*P, claim(id="x\u202e11")), err(4, "id", "invisible")),
    ("source-id-zero-width.jsonl", lines(*P, claim(source="s\u200d1")), err(4, "source", "invisible")),
    ("json-duplicate-key.jsonl", lines(*P, b'{"kind": "claim", "id": "x7", "text": "A claim", "source": "s1", "id": "x7b"}'),
     err(4, "id", "twice")),
    ("json-duplicate-key-colon-in-text.jsonl", lines(*P, b'{"kind": "claim", "id": "x8", "text": "He said \\":\\" twice", '
                                                     b'"source": "s1", "source": "s2"}'), err(4, "source", "twice")),
    ("ok-colon-after-quote-in-text.jsonl", lines(SRC, b'{"kind": "claim", "id": "x9", "text": "He said \\"stop\\": no", '
                                                   b'"source": "s1"}'), ok(sources=1, claims=1)),
    ("id-escape-char.jsonl", lines(*P, claim(id="c\u001b[2J")), err(4, "id", "")),
    # ---------------------------------------------------------------- dates
    ("date-invalid.jsonl", lines(*P, claim(published="2020-02-30")), err(4, "published", "")),
    ("date-negative.jsonl", lines(*P, claim(published="-2020-01-01")), err(4, "published", "")),
    ("date-garbage-after.jsonl", lines(*P, claim(published="2020-05-18xyz")), err(4, "published", "")),
    ("date-number.jsonl", lines(*P, claim(event_date=20200518)), err(4, "event_date", "")),
    ("date-five-digit-year.jsonl", lines(*P, claim(published="99999-01-01")), err(4, "published", "")),
    ("datetime-words.jsonl", lines(*P, {"kind": "resolution", "claim": "c1", "verdict": "true", "at": "yesterday"}), err(4, "at", "")),
    ("datetime-before-year-one.jsonl", lines(*P, {"kind": "resolution", "claim": "c1", "verdict": "true",
                                                  "at": "0001-01-01T00:00:00+01:00"}), err(4, "at", "out of range")),
    ("datetime-after-year-9999.jsonl", lines(*P, {"kind": "resolution", "claim": "c1", "verdict": "true",
                                                  "at": "9999-12-31T23:59:59-05:00"}), err(4, "at", "out of range")),
    # ---------------------------------------------------------------- references and identity
    ("ref-link-to-missing.jsonl", lines(*P, {"kind": "link", "from": "c1", "to": "nope", "relation": "duplicates"}), err(4, "to", "no claim")),
    ("ref-link-from-missing.jsonl", lines(*P, {"kind": "link", "from": "nope", "to": "c1", "relation": "duplicates"}), err(4, "from", "no claim")),
    ("ref-resolution-missing.jsonl", lines(*P, {"kind": "resolution", "claim": "nope", "verdict": "true"}), err(4, "claim", "no claim")),
    ("ref-document-missing.jsonl", lines(*P, claim(document="doc9")), err(4, "document", "no document")),
    ("dup-claim-different.jsonl", lines(*P, {**C1, "text": "First claim, other words"}), err(4, "id", "appears again")),
    ("dup-source-different.jsonl", lines(*P, {**SRC, "name": "Another name"}), err(4, "id", "appears again")),
    ("dup-link-different.jsonl", lines(*P, {"kind": "link", "from": "c1", "to": "c2", "relation": "duplicates", "note": "a"},
                                        {"kind": "link", "from": "c1", "to": "c2", "relation": "duplicates", "note": "b"}),
     err(5, "from", "appears again")),
    ("via-contains-source.jsonl", lines(*P, claim(via=["s2", "s1"])), err(4, "via", "cannot relay")),
    ("via-repeats.jsonl", lines(*P, claim(via=["s2", "s2"])), err(4, "via", "twice")),
    ("self-link.jsonl", lines(*P, {"kind": "link", "from": "c1", "to": "c1", "relation": "corroborates"}), err(4, "to", "itself")),
    ("self-parent.jsonl", lines(*P, {"kind": "source", "id": "s9", "name": "S", "parent": "s9"}), err(4, "parent", "own parent")),
    ("self-dependency.jsonl", lines(*P, {"kind": "dependency", "source": "s1", "on": "s1"}), err(4, "on", "itself")),
    ("dependency-cycle.jsonl", lines(*P, {"kind": "source", "id": "da", "name": "A"}, {"kind": "source", "id": "db", "name": "B"},
                                     {"kind": "dependency", "source": "da", "on": "db"},
                                     {"kind": "dependency", "source": "db", "on": "da"}), err(7, "on", "cycle")),
    ("verdict-in-the-future.jsonl", lines(*P, {"kind": "resolution", "claim": "c1", "verdict": "true", "at": "9999-12-31"}),
     err(4, "at", "future")),
    ("cyclic-parents.jsonl", lines(*P, {"kind": "source", "id": "a", "name": "A", "parent": "b"},
                                   {"kind": "source", "id": "b", "name": "B", "parent": "a"}), err(4, "parent", "own ancestor")),
    ("cyclic-parents-three.jsonl", lines(*P, {"kind": "source", "id": "a", "name": "A", "parent": "b"},
                                         {"kind": "source", "id": "b", "name": "B", "parent": "c"},
                                         {"kind": "source", "id": "c", "name": "C", "parent": "a"}), err(4, "parent", "own ancestor")),
    # ---------------------------------------------------------------- bytes
    ("bytes-invalid-utf8.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"caf\xe9","source":"s1"}'), err(4, None, "not valid UTF-8")),
    ("bytes-overlong-utf8.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"\xc0\xaf","source":"s1"}'), err(4, None, "not valid UTF-8")),
    ("bytes-truncated-utf8.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"\xe2\x82","source":"s1"}'), err(4, None, "not valid UTF-8")),
    ("bytes-utf16.jsonl", lines(*P).decode().encode("utf-16"), err(1, None, "not valid UTF-8")),
    ("bytes-png.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", err(1, None, "not valid UTF-8")),
    ("bytes-raw-nul-in-string.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"a\x00b","source":"s1"}'), err(4, None, "not valid JSON")),
    ("bytes-raw-nul-line.jsonl", lines(*P, b"\x00\x00\x00"), err(4, None, "not valid JSON")),
    ("bytes-raw-control-in-string.jsonl", lines(*P, b'{"kind":"claim","id":"x1","text":"a\x01b","source":"s1"}'), err(4, None, "not valid JSON")),
    ("nul-escaped-in-text.jsonl", lines(*P, claim(text="a\u0000b")), err(4, "text", "NUL")),
    ("nul-escaped-in-id.jsonl", lines(*P, claim(id="x\u0000")), err(4, "id", "")),
    ("nul-escaped-in-via.jsonl", lines(*P, claim(via=["s\u00002"])), err(4, "via", "NUL")),
    # ---------------------------------------------------------------- CSV
    ("csv-wrong-column-count.csv", b"id,text,source\nc1,one,s1\nc2,two,s1,extra\n", err(3, None, "cells")),
    ("csv-too-few-columns.csv", b"id,text,source\nc1,one,s1\nc2,two\n", err(3, None, "cells")),
    ("csv-unclosed-quote.csv", b'id,text,source\nc1,one,s1\nc2,"two, and on,s1\nc3,three,s1\n', err(3, None, "never closed")),
    ("csv-text-after-quote.csv", b'id,text,source\nc1,"one"two,s1\n', err(2, None, "bad CSV")),
    ("csv-duplicate-header.csv", b"id,text,text,source\nc1,a,b,s1\n", err(1, None, "twice")),
    ("csv-unknown-column.csv", b"id,text,source,confidence\nc1,one,s1,0.9\n", err(2, "confidence", "unknown field")),
    ("csv-missing-text-column.csv", b"id,source\nc1,s1\n", err(2, "text", "is required")),
    ("csv-nul.csv", b"id,text,source\nc1,a\x00b,s1\n", err(2, None, "NUL")),
    ("csv-invalid-utf8.csv", b"id,text,source\nc1,one,s1\nc2,caf\xe9,s1\n", err(3, None, "not valid UTF-8")),
    ("csv-bad-range.csv", b"id,text,source,value\nc1,one,s1,10..5\n", err(2, "value", "above high")),
    ("csv-unknown-kind.csv", b"kind,id,text,source\nrumour,c1,one,s1\n", err(2, "kind", "unknown kind")),
    ("csv-bad-date.csv", b"id,text,source,published\nc1,one,s1,2020-13-01\n", err(2, "published", "")),
    ("csv-error-after-multiline-cell.csv", b'id,text,source\nc1,"one\nspanning\nlines",s1\nc2,two,s1,extra\n', err(5, None, "cells")),
    # ---------------------------------------------------------------- odd but valid: must import exactly
    ("ok-bom.jsonl", b"\xef\xbb\xbf" + lines(*P), ok(sources=1, claims=2)),
    ("ok-crlf.jsonl", lines(*P, end=b"\r\n"), ok(sources=1, claims=2)),
    ("ok-bom-crlf.csv", b"\xef\xbb\xbfid,text,source\r\nc1,First claim,s1\r\nc2,\"Second, with a comma\",s1\r\n", ok(sources=1, claims=2)),
    ("ok-empty.jsonl", b"", ok(sources=0, claims=0)),
    ("ok-whitespace-only.jsonl", b"  \n\t\n \r\n\n", ok(sources=0, claims=0)),
    ("ok-header-only.csv", b"id,text,source\n", ok(sources=0, claims=0)),
    ("ok-blank-lines-between.jsonl", b"\n\n" + lines(SRC) + b"   \n\n" + lines(C1, C2) + b"\n\n", ok(sources=1, claims=2)),
    ("ok-sql-looking.jsonl", lines(
        {"kind": "source", "id": "s1'--", "name": "Robert'); DROP TABLE sources;--", "aliases": ["' OR '1'='1"]},
        {"kind": "claim", "id": "c1';--", "text": "'; DROP TABLE claims; --", "source": "s1'--",
         "location": "1; DELETE FROM events", "tags": ["UNION SELECT * FROM sqlite_master"]},
        {"kind": "claim", "id": "c2", "text": "Robert\"); DROP TABLE links; -- \\' \\\\", "source": "s1'--"},
        {"kind": "link", "from": "c1';--", "to": "c2", "relation": "contradicts", "note": "' || pg_sleep(10) || '"},
        {"kind": "resolution", "claim": "c2", "verdict": "false", "rationale": "$$; DROP SCHEMA public CASCADE; $$"}),
     ok(sources=1, claims=2, links=1, resolutions=1)),
    ("ok-markup.jsonl", lines(
        {"kind": "source", "id": "s1", "name": "[bold red]Loud[/bold red] [@click=app.quit]Source[/]", "affiliation": "[link=https://example.invalid]x[/link]"},
        {"kind": "claim", "id": "c1", "text": "[@click=app.quit]Press here[/] and [b]bold[/b] \\[escaped] [", "source": "s1",
         "tags": ["[reverse]", "[/]"], "location": ":warning: [blink]town[/blink]"},
        {"kind": "claim", "id": "c2", "text": "<script>alert(1)</script> & <b>html</b> {{template}} ${env:HOME} %s %n", "source": "s1"}),
     ok(sources=1, claims=2)),
    ("ok-ansi-escapes.jsonl", lines(
        {"kind": "source", "id": "s1", "name": "\u001b[31mRed\u001b[0m source"},
        {"kind": "claim", "id": "c1", "text": "Clear \u001b[2J\u001b[H screen, set title \u001b]0;pwned\u0007 and \u009b31m C1 CSI", "source": "s1"}),
     ok(sources=1, claims=1)),
    ("ok-bidi-overrides.jsonl", lines(
        {"kind": "source", "id": "s1", "name": "\u202eecruos desrever\u202c source"},
        {"kind": "claim", "id": "c1", "text": "Invoice \u202efdp.exe\u202c and \u2066isolate\u2069 \u200f\u200e marks", "source": "s1"},
        {"kind": "claim", "id": "c2", "text": "مقاتلون في جنوب سوريا 6250 fighters, mixed RTL and LTR", "source": "s1",
         "location": "البوكمال"}),
     ok(sources=1, claims=2)),
    ("ok-emoji.jsonl", lines(
        {"kind": "source", "id": "s🔥", "name": "Fire 🔥 channel 👩‍👩‍👧‍👦", "aliases": ["🇸🇾", "👍🏽"]},
        {"kind": "claim", "id": "c😀", "text": "Explosion 💥 near the 🌉 at 06:00 👀 🏳️‍🌈 ✊🏿", "source": "s🔥", "tags": ["🔥", "💣"]}),
     ok(sources=1, claims=1)),
    ("ok-control-chars-inside.jsonl", lines(
        {"kind": "source", "id": "s1", "name": "Tab\there, bell\u0007, backspace\u0008, DEL\u007f inside"},
        {"kind": "claim", "id": "c1", "text": "Line\nbreak, form\u000cfeed, vtab\u000b, NEL\u0085, LSEP\u2028PSEP\u2029 all inside", "source": "s1"}),
     ok(sources=1, claims=1)),
    ("ok-unicode-normalisation.jsonl", lines(
        SRC,
        {"kind": "claim", "id": "nfc", "text": "Caf\u00e9 in \u00c5rhus", "source": "s1"},
        {"kind": "claim", "id": "nfd", "text": "Cafe\u0301 in A\u030arhus", "source": "s1"},
        {"kind": "claim", "id": "zalgo", "text": "Z\u0351\u036b\u0343a\u0352\u036cl\u0310g\u0363o speaks", "source": "s1"}),
     ok(sources=1, claims=3)),
    ("ok-numbers-as-ids.jsonl", lines(
        {"kind": "source", "id": 7, "name": "Seven"},
        {"kind": "claim", "id": 12345, "text": "Numbered claim", "source": 7}), ok(sources=1, claims=1)),
    ("ok-via-as-text.jsonl", lines(SRC, claim(via="s2;s3")), ok(sources=3, claims=1)),
    ("ok-duplicate-identical-lines.jsonl", lines(*P, C1, SRC, C1), ok(sources=1, claims=2)),
    ("ok-forward-references.jsonl", lines(
        {"kind": "resolution", "claim": "c2", "verdict": "mostly-true", "at": "2020-06-01T12:00:00"},
        {"kind": "link", "from": "c2", "to": "c1", "relation": "corroborates"}, *P), ok(sources=1, claims=2, links=1, resolutions=1)),
    ("ok-unknown-sources-created.jsonl", lines({"kind": "claim", "id": "c1", "text": "Named only", "source": "ghost",
                                                "via": ["relay-a", "relay-b"]}), ok(sources=3, claims=1)),
    ("ok-extreme-numbers.jsonl", lines(
        SRC, claim(id="big", value=1e308), claim(id="tiny", value=5e-324), claim(id="negzero", value=-0.0),
        claim(id="wide", value=[-1e300, 1e300]), claim(id="int53", value=9007199254740993)), ok(sources=1, claims=5)),
    ("ok-longest-text.jsonl", lines(SRC, claim(text="y" * 20_000)), ok(sources=1, claims=1)),
    ("ok-path-like-ids.jsonl", lines(
        {"kind": "source", "id": "../../etc/passwd", "name": "Path"},
        {"kind": "claim", "id": "C:\\Windows\\system32", "text": "%00 /dev/null $(rm -rf /) `reboot`", "source": "../../etc/passwd"}),
     ok(sources=1, claims=1)),
    ("ok-csv-multiline-cell.csv", b'id,text,source,tags\nc1,"one\nspanning ""quoted""\nlines",s1,a;b\nc2,two,s1,\n', ok(sources=1, claims=2)),
    ("ok-old-dates.jsonl", lines(SRC, claim(published="0001-01-01", event_date="9999-12-31"),
                                 {"kind": "resolution", "claim": "x1", "verdict": "true", "at": "2020-05-18T10:00:00+03:00"}),
     ok(sources=1, claims=1, resolutions=1)),
]


def main() -> None:
    expected = {}
    for name, data, expect in CASES:
        assert name not in expected, name
        (HERE / name).write_bytes(data)
        expected[name] = expect
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=True) + "\n", encoding="utf-8")
    print(f"{len(CASES)} files written to {HERE}")


if __name__ == "__main__":
    main()
