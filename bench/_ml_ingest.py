#!/usr/bin/env python
"""Arabic reports in (issue 20, item 5): attributed claims read out of Arabic prose.

On the Arabic fixture (``fixtures/arabic-field-report-2020-05.txt`` against its hand-written
``.jsonl``) and on Arabic reports generated from templates (the five patterns of the issue and
more: «بحسب X، فإن …»، «أفادت شبكة X بأن …»، «نقلت شبكة X عن مصادر محلية أن …»، «نفت الوكالة …»،
«قال موقع X إن …»، «ووفقاً لـX، …»، «…، بحسب X.»، «ذكر X نقلاً عن Y أن …», sentences in the
publisher's own voice, figures with qualifiers), it prints the share of attributed claims proposed
with the right source, the right relay chain, the right figure (value and qualifier), denials
flagged, and the publisher's own sentences given to another source, for the extractor as it is
and, in the same run, for the baseline: the same pipeline with its Arabic rules off (what
verifier did before: the English rules read the Arabic text).

Generated reports come in two families: dev seeds (0-4, looked at while writing the rules) and
held-out seeds (1000-1019, kept aside: printed, never tuned on). Each expected claim is paired
with the proposal whose text is nearest (rapidfuzz token_set_ratio >= 70, best pairs first).

Usage: python bench/_ml_ingest.py [--reports N]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from verifier.domain.extraction import arabic, extract  # noqa: E402
from verifier.domain.vocabulary import Qualifier  # noqa: E402

console = Console(width=max(170, Console().width))
PUBLISHED = date(2020, 5, 18)
DEV_SEEDS = range(0, 5)
HELD_OUT_SEEDS = range(1000, 1020)


# --------------------------------------------------------------------------- generated reports

# (kind word, name, kind): the outlets a report relays.
OUTLETS = [
    ("شبكة", "عين الفرات"), ("شبكة", "دير الزور 24"), ("شبكة", "صدى الشرقية"), ("شبكة", "فرات بوست"),
    ("شبكة", "الخابور"), ("موقع", "أورينت"), ("موقع", "زمان الوصل"), ("موقع", "عنب بلدي"), ("موقع", "السورية نت"),
    ("وكالة", "سانا"), ("وكالة", "ستيب"), ("وكالة", "قاسيون"), ("قناة", "حلب اليوم"), ("صحيفة", "الوطن"),
]
MONITORS = ["المرصد السوري لحقوق الإنسان", "الشبكة السورية لحقوق الإنسان", "مرصد الشرق الأوسط", "المرصد السوري"]
GENERIC = [("مصادر محلية", "local sources"), ("مصادر طبية", "medical sources"), ("ناشطون", "activists"),
           ("مصادر أهلية", "local sources"), ("مصادر عسكرية", "military sources")]
PLACES = ["قرية أبو خشب", "مدينة البوكمال", "بلدة الميادين", "مخيم النيرب", "مدينة دير الزور", "ريف حلب الجنوبي",
          "بلدة سرمدا", "قرية الصالحية", "مدينة القورية", "حي الحميدية"]
QUALIFIERS = [("أكثر من", "more-than"), ("نحو", "about"), ("حوالي", "about"), ("ما لا يقل عن", "more-than"),
              ("", "exact")]
UNITS = [("عنصراً", "انتشروا"), ("مقاتلاً", "وصلوا"), ("مدنياً", "نزحوا"), ("عائلة", "عادت")]
EVENTS = ["أحرقت الميليشيات محاصيل المزارعين في {place}", "دخلت تعزيزات عسكرية جديدة إلى {place}",
          "سيطرت الميليشيات الإيرانية على مبان حكومية في {place}", "غيرت الميليشيات أسماء شوارع {place}",
          "اعتقلت قوات النظام عدداً من الشبان في {place}"]
DENIED = ["وجود مقاتلين أجانب في {place}", "سقوط قتلى مدنيين في {place}", "استهداف {place} بالطيران الحربي"]
LEADS = ["", "كما ", "من جهتها، ", "وفي سياق متصل، ", "في المقابل، "]
OWN = ["ومن الواضح أن {event}.", "وفي تقديرنا، {event}.", "يشير الاتجاه العام إلى أن {event}.", "{event}."]


def _named(rng, kind_word: str, name: str) -> str:
    return f"{kind_word} «{name}»" if rng.random() < 0.5 else f"{kind_word} {name}"


def _figure(rng, place: str) -> tuple[str, int, str]:
    q, qualifier = rng.choice(QUALIFIERS)
    n = rng.choice([11, 25, 40, 120, 300, 450, 1200, 6250])
    unit, verb = rng.choice(UNITS)
    text = f"{q + ' ' if q else ''}{n} {unit} {verb} إلى {place}"
    return text, n, qualifier


def _content(rng) -> tuple[str, int | None, str | None]:
    place = rng.choice(PLACES)
    if rng.random() < 0.5:
        text, n, q = _figure(rng, place)
        return text, n, q
    return rng.choice(EVENTS).format(place=place), None, None


def _expect(content: str, source, via=(), value=None, qualifier=None, denial=False) -> dict:
    return {"text": content, "source": source, "via": list(via), "value": value, "qualifier": qualifier,
            "denial": denial}


def _monitor(rng, content, value, qualifier, kind_word, name):
    monitor = rng.choice(MONITORS)
    lam = "لل" + monitor[2:] if monitor.startswith("ال") else "ل" + monitor
    sentence = rng.choice([f"بحسب {monitor}، فإن {content}.", f"ووفقاً {lam}، {content}.",
                           f"{content}، بحسب {monitor}."])
    return [(sentence, _expect(content, monitor, (), value, qualifier))]


def _outlet(rng, content, value, qualifier, kind_word, name):
    verb, comp = rng.choice([("أفادت", "بأن"), ("قال", "إن"), ("وأكدت", "أن")])
    return [(f"{verb} {_named(rng, kind_word, name)} {comp} {content}.", _expect(content, name, (), value, qualifier))]


def _relay(rng, content, value, qualifier, kind_word, name):
    generic, english = rng.choice(GENERIC)
    named = _named(rng, kind_word, name)
    sentence = rng.choice([f"نقلت {named} عن {generic} أن {content}.", f"ذكر {named} نقلاً عن {generic} أن {content}."])
    return [(sentence, _expect(content, english, (name,), value, qualifier))]


def _agency_denial(rng, content, value, qualifier, kind_word, name):
    denied = rng.choice(DENIED).format(place=rng.choice(PLACES))
    return [(f"ذكرت وكالة «{name}» أن {content}.", _expect(content, name, (), value, qualifier)),
            (f"ونفت الوكالة {denied}.", _expect(denied, name, denial=True))]


def _subject_first(rng, content, value, qualifier, kind_word, name):
    verb = rng.choice(["يقول", "تقول", "تؤكد", "يؤكد", "تفيد"])
    sentence = f"{rng.choice(LEADS)}{_named(rng, kind_word, name)} {verb} إن {content}."
    return [(sentence, _expect(content, name, (), value, qualifier))]


def _pointing(rng, content, value, qualifier, kind_word, name):
    monitor = rng.choice(MONITORS)
    sentence = f"وأشار {monitor} ({rng.choice(['معارض', 'مستقل'])}) إلى أن {content}."
    return [(sentence, _expect(content, monitor, (), value, qualifier))]


def _clause_denial(rng, content, value, qualifier, kind_word, name):
    denied = "تكون " + content
    return [(f"{rng.choice(LEADS)}نفت {_named(rng, kind_word, name)} أن {denied}.", _expect(denied, name, denial=True))]


def _tongue(rng, content, value, qualifier, kind_word, name):
    generic, english = rng.choice(GENERIC)
    return [(f"{content}، على لسان {generic}.", _expect(content, english, (), value, qualifier))]


def _own(rng, content, value, qualifier, kind_word, name):
    own = rng.choice(OWN).format(event=content)
    return [(own, _expect(own.rstrip("."), None, (), value, qualifier))]


PATTERNS = [_monitor, _monitor, _outlet, _outlet, _relay, _relay, _agency_denial, _subject_first, _pointing,
            _clause_denial, _tongue, _own, _own]


def generate(seed: int) -> tuple[str, list[dict]]:
    """A report and its expected claims: {text, source (None: the publisher), via, value, qualifier, denial}."""
    rng = random.Random(seed)
    paragraphs, expected = ["تقرير ميداني عن نشاط الميليشيات في شرق سوريا"], []
    for _ in range(rng.randint(8, 12)):
        content, value, qualifier = _content(rng)
        kind_word, name = rng.choice(OUTLETS)
        for sentence, claim in rng.choice(PATTERNS)(rng, content, value, qualifier, kind_word, name):
            paragraphs.append(sentence)
            expected.append(claim)
    return "\n\n".join(paragraphs) + "\n", expected


# --------------------------------------------------------------------------- the fixture

def fixture() -> tuple[str, list[dict]]:
    text = (ROOT / "fixtures" / "arabic-field-report-2020-05.txt").read_text(encoding="utf-8")
    records = [json.loads(line) for line in (ROOT / "fixtures" / "arabic-field-report-2020-05.jsonl").open(
        encoding="utf-8")]
    names = {r["id"]: [r["name"], *r.get("aliases", ())] for r in records if r["kind"] == "source"}
    publisher = next(r["publisher"] for r in records if r["kind"] == "document")
    expected = []
    for r in records:
        if r["kind"] != "claim":
            continue
        value = r.get("value")
        expected.append({
            "text": r["text"], "source": None if r["source"] == publisher else names[r["source"]],
            "via": [names[v] for v in r.get("via", []) if v != publisher],
            "value": value[0] if isinstance(value, list) else value,
            "qualifier": Qualifier.parse(r.get("qualifier"), "qualifier").value if value is not None else None,
            "denial": "denial" in r.get("tags", ()),
            "event_date": r.get("event_date"), "location": r.get("location"),
        })
    return text, expected


# --------------------------------------------------------------------------- scoring

def _names(x) -> list[str]:
    return [x] if isinstance(x, str) else list(x or ())


def _same(name: str | None, expected) -> bool:
    return name is not None and any(fuzz.ratio(arabic.key(name), arabic.key(e)) >= 90 for e in _names(expected))


def score(text: str, expected: list[dict], *, arabic_rules: bool) -> dict:
    proposals = extract(text, published=PUBLISHED, arabic_rules=arabic_rules)
    pairs = sorted(((fuzz.token_set_ratio(arabic.key(p.text), arabic.key(e["text"])), i, j)
                    for i, p in enumerate(proposals) for j, e in enumerate(expected)), reverse=True)
    taken_p, matched = set(), {}
    for s, i, j in pairs:
        if s >= 70 and i not in taken_p and j not in matched:
            taken_p.add(i)
            matched[j] = proposals[i]
    out = {"attributed": 0, "found": 0, "source": 0, "relay": 0, "figure": 0, "figures": 0, "denials": 0,
           "denials_flagged": 0, "own": 0, "own_given_away": 0, "extra": len(proposals) - len(taken_p),
           "dates": 0, "date": 0, "places": 0, "place": 0}
    for j, e in enumerate(expected):
        p = matched.get(j)
        for what, got in (("date", p and p.event_date and p.event_date.isoformat()), ("place", p and p.location)):
            want = e.get("event_date" if what == "date" else "location")
            if want:  # only the fixture says where and when
                out[what + "s"] += 1
                out[what] += got == want
        if e["source"] is None:
            out["own"] += 1
            out["own_given_away"] += bool(p is not None and p.source_mention is not None)
            continue
        out["attributed"] += 1
        out["figures"] += e["value"] is not None
        out["denials"] += e["denial"]
        if p is None:
            continue
        out["found"] += 1
        source_ok = p.source_mention is not None and _same(p.source_name, e["source"])
        out["source"] += source_ok
        out["relay"] += source_ok and len(p.via) == len(e["via"]) and all(
            _same(v, x) for v, x in zip(p.via, e["via"], strict=False))
        if e["value"] is not None:
            out["figure"] += p.value == e["value"] and p.qualifier == e["qualifier"]
        out["denials_flagged"] += e["denial"] and p.denial
    return out


def _sum(results: list[dict]) -> dict:
    return {k: sum(r[k] for r in results) for k in results[0]}


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f}%)" if d else "-"


def row(table: Table, label: str, extractor: str, r: dict) -> None:
    table.add_row(label, extractor, str(r["attributed"]), _pct(r["source"], r["attributed"]),
                  _pct(r["relay"], r["attributed"]), _pct(r["figure"], r["figures"]),
                  _pct(r["denials_flagged"], r["denials"]), _pct(r["own_given_away"], r["own"]), str(r["extra"]),
                  _pct(r["date"], r["dates"]), _pct(r["place"], r["places"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=len(HELD_OUT_SEEDS), help="held-out reports to generate")
    args = ap.parse_args()
    table = Table(title="Arabic reports in: attributed claims proposed with the right source, relay, figure")
    for col in ("reports", "extractor", "attributed", "source right", "relay right", "figure right",
                "denials flagged", "own voice given away", "extra", "date right", "place right"):
        table.add_column(col, justify="right" if col not in ("reports", "extractor") else "left")
    families = [
        ("Arabic fixture (1 report)", [fixture()]),
        (f"generated, dev seeds ({len(DEV_SEEDS)})", [generate(s) for s in DEV_SEEDS]),
        (f"generated, held-out seeds ({args.reports})", [generate(s) for s in list(HELD_OUT_SEEDS)[:args.reports]]),
    ]
    for label, reports in families:
        for name, on in (("baseline (Arabic off)", False), ("Arabic rules", True)):
            row(table, label, name, _sum([score(text, exp, arabic_rules=on) for text, exp in reports]))
    console.print(table)
    console.print("figure right: value and qualifier of the claims that have one; own voice given away: the "
                  "publisher's own sentences proposed with another source (lower is better); extra: proposals "
                  "paired with no expected claim (headings are not expected claims); date and place: of all the fixture's claims that give one (generated reports give none).",
                  markup=False)


if __name__ == "__main__":
    main()
