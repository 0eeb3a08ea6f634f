#!/usr/bin/env python
"""Copies found after editing: precision and recall of copied-text detection on generated reposts.

Two families of pairs, each generated from a seed:

* **events**: generated incidents (who did what, where, when, how many), each reported by two to
  four sources *independently*, every one in its own words (its own phrasing and synonyms; they
  share the event's names and numbers, as real independent reports do). Some reports are then
  reposted by another source with 2-3 edits: reflowed (whitespace, quotes, case, final stop),
  trimmed (a clause or the last words dropped), clauses reordered, the place name rewritten
  ("northwest of the city of X" / "northwest of X city" / "X province"), a word or two swapped for
  a synonym, a prefix or suffix added ("BREAKING:", "(via social media)"). Copies: a repost and the
  report it copies. Not copies: two independent reports of one incident, and a repost and the
  other reports of its incident.
* **claims**: real claim sentences (the 10,375 fact-checked claims of CheckThat! 2020 task 2)
  reposted with the same edits; not copies: each claim and the other claim sharing most of its
  rarer words (a different claim on the same topic), leaving out the pairs that differ only in
  quote marks or spacing (the corpus holds ~370 such true copies).

Printed for each family and seed, measured in the same run: the old rule (rapidfuzz ``ratio`` >=
95 on normalised text) and word-bigram containment (``verifier.domain.textreuse``). The cut-off
was chosen on the tuning seeds (the sweep is printed for them only); the seeds kept aside are
never tuned on. Target: precision and recall >= 0.9 on every kept-aside seed.

Part 2, **one origin** (issue 24.2): a family of events, each told by two or three witnesses
in their own words (English or Arabic; most name their own sourcing: "our correspondent in X
saw", "residents said", «أفاد سكان»), some reports then reposted with edits (same language) or
rendered into the other language by another outlet that cites nobody (a translation, keeping
who saw it). The analyst accepts every pair of an event as duplicates (they assert the same
thing). Gold: a witness is one origin with its reposts and translations, and with no other
witness. For every pair of reports of an event, is it counted as one origin? Precision and
recall, beside the turn-2 rule (text reuse only: rapidfuzz ratio >= 95, before 42cb184) and the
rule of 42cb184 (reused text, or an accepted duplicate of two sources = a likely copy, counted
once) in the same run. Nothing is fitted on these seeds: the containment cut-off comes from
part 1 and the cross-language cut-off from ``bench/_ml_crosslang.py``; the tuning seeds are
where the rule was designed and checked, the kept-aside seeds only report. Target: precision and
recall >= 0.9 on every kept-aside seed.

Usage: python bench/copy_detection.py [--events N] [--claims N] [--origin-events N]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz, utils  # noqa: E402

from verifier.domain import (  # noqa: E402
    crosslang,
    normalisation,
    textreuse,
)
from verifier.domain.copies import Report  # noqa: E402
from verifier.domain.graph import UnionFind  # noqa: E402
from verifier.domain.origins import group_origins  # noqa: E402

TUNING_SEEDS = (1, 2, 3)
KEPT_ASIDE = (101, 102, 103)
OLD_THRESHOLD = 95.0

# ------------------------------------------------------------------ incidents

ACTORS = [("Iranian militias", "Iran-backed fighters", "pro-Iranian armed groups"),
          ("regime forces", "government troops", "soldiers of the Syrian army"),
          ("ISIS cells", "Islamic State militants", "remnants of the Islamic State group"),
          ("Russian aircraft", "Russian warplanes", "jets of the Russian air force"),
          ("Turkish-backed factions", "the Syrian National Army", "Ankara-backed rebels"),
          ("unknown gunmen", "armed men on motorbikes", "unidentified attackers"),
          ("the SDF", "the Syrian Democratic Forces", "Kurdish-led forces")]
ACTIONS = [("set fire to {obj}", "burned {obj}", "torched {obj}"),
           ("shelled {obj}", "fired artillery at {obj}", "bombarded {obj}"),
           ("raided {obj}", "stormed {obj}", "carried out a raid on {obj}"),
           ("seized {obj}", "took control of {obj}", "captured {obj}"),
           ("attacked {obj}", "assaulted {obj}", "launched an attack on {obj}")]
OBJECTS = [("farmers' crops", "wheat fields", "agricultural land"),
           ("a checkpoint", "a military checkpoint", "a security post"),
           ("homes of residents", "civilian houses", "residential buildings"),
           ("an oil field", "oil wells", "an oil facility"),
           ("a bakery", "the local bakery", "a bread oven"),
           ("a school", "a school building", "the village school")]
PLACES = ["Abu Khashab", "Al-Bukamal", "Al-Mayadin", "Hajin", "Al-Shuhayl", "Diban", "Khasham", "Al-Busayrah",
          "Tabiyeh", "Jadid Ekaidat", "Sabha", "Al-Asharah", "Muhassan", "Gharanij", "Al-Kishkiyah", "Dhiban"]
CITIES = ["Deir ez-Zor", "Raqqa", "Hasakah", "Aleppo", "Idlib", "Homs", "Daraa", "Palmyra"]
DIRECTIONS = ["north", "south", "east", "west", "northwest", "northeast", "southwest", "southeast"]
PHRASINGS = [
    "{actor} {action} in the village of {place}, {dir} of the city of {city}, on {day} May.",
    "On {day} May, {actor} {action} in {place} village in the {city} countryside.",
    "Local sources reported that {actor} {action} in {place}, {dir} of {city}, killing {n} people.",
    "{n} people were killed when {actor} {action} in {place} ({city} province) on {day} May.",
    "In {place}, a town {dir} of {city}, {actor} {action} on the {day}th.",
    "Residents of {place} said {actor} {action} on {day} May; {n} civilians died.",
    "{actor} {action} near {place} in rural {city} on Sunday the {day}th, leaving {n} dead.",
    "According to activists, {place} saw {actor} who {action}, with {n} casualties, {city} governorate.",
    "Footage from {place} shows that {actor} {action} this week, {dir} {city}.",
    "The {city} countryside: {actor} {action} at {place}, {n} dead according to a medic.",
]
SYNONYMS = {"killed": "left dead", "village": "hamlet", "people": "persons", "reported": "said", "civilians": "residents",
            "countryside": "rural area", "near": "close to", "shows": "appears to show", "died": "lost their lives",
            "dead": "killed", "town": "settlement", "according": "as reported", "residents": "locals"}
PREFIXES = ["BREAKING: ", "Urgent | ", "Reports: ", "Local sources say ", "#Syria ", "JUST IN - "]
SUFFIXES = [" (via social media)", " - developing", " #DeirEzzor", " Source: activists.", " More soon."]


def event_reports(rng: random.Random, n_events: int) -> tuple[list[tuple[int, str]], list[tuple[int, str, int]]]:
    """Independent reports [(event, text)] and reposts [(event, text, index of the report copied)]."""
    reports: list[tuple[int, str]] = []
    reposts: list[tuple[int, str, int]] = []
    for e in range(n_events):
        actor, action, obj = rng.choice(ACTORS), rng.choice(ACTIONS), rng.choice(OBJECTS)
        facts = {"place": rng.choice(PLACES), "city": rng.choice(CITIES), "dir": rng.choice(DIRECTIONS),
                 "day": rng.randint(1, 28), "n": rng.randint(2, 40)}
        k = rng.randint(2, 4)
        for phrasing in rng.sample(PHRASINGS, k):  # independent sources: each in its own words
            verb = rng.choice(action).format(obj=rng.choice(obj))
            text = phrasing.format(actor=rng.choice(actor), action=verb, **facts)
            reports.append((e, text[0].upper() + text[1:]))
    for i, (e, text) in enumerate(reports):
        if rng.random() < 0.5:
            reposts.append((e, edit(rng, text), i))
    return reports, reposts


# ------------------------------------------------------------------ edits


def reflow(rng, t):
    t = t.replace("'", "\u2019") if rng.random() < 0.5 else t.replace("'", "")
    words = t.split()
    gaps = [rng.choice([" ", " ", " ", "  ", "\n"]) for _ in words]
    t = "".join(w + g for w, g in zip(words, gaps, strict=False)).strip()
    t = t.rstrip(".") if rng.random() < 0.5 else t
    return t.lower() if rng.random() < 0.3 else t


def _clauses(t):
    return [c for c in re.split(r"(?:, | and |; | - )", t.rstrip(".")) if c.strip()]


def trim(rng, t):
    parts = _clauses(t)
    if len(parts) >= 3 and rng.random() < 0.6:
        drop = rng.choice([0, len(parts) - 1])
        return ", ".join(p for i, p in enumerate(parts) if i != drop) + "."
    words = t.split()
    cut = max(3, int(len(words) * rng.uniform(0.7, 0.85)))
    return " ".join(words[:cut] if rng.random() < 0.7 else words[len(words) - cut:])


def reorder(rng, t):
    parts = _clauses(t)
    if len(parts) < 2:
        return t
    i, j = rng.sample(range(len(parts)), 2)
    parts[i], parts[j] = parts[j], parts[i]
    text = ", ".join(parts) + "."
    return text[0].upper() + text[1:]


def place(rng, t):
    m = re.search(r"the city of ([A-Z][\w'-]*(?: [a-z]{1,3}-?[A-Z]?[\w'-]*)?)", t)
    if m:
        return t[:m.start()] + f"{m.group(1)} " + rng.choice(["city", "City", "province"]) + t[m.end():]
    m = re.search(r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)\b", t[1:])
    if not m:
        return t
    name = m.group(1)
    return t.replace(name, rng.choice([f"the city of {name}", f"{name} city", f"{name} province", f"{name} area"]), 1)


def synonym(rng, t):
    words = t.split()
    spots = [i for i, w in enumerate(words) if w.strip(".,;").lower() in SYNONYMS]
    if spots:
        for i in rng.sample(spots, min(len(spots), rng.randint(1, 2))):
            w = words[i]
            words[i] = SYNONYMS[w.strip(".,;").lower()] + w[len(w.rstrip(".,;")):]
    elif len(words) > 6:
        del words[rng.randrange(1, len(words) - 1)]
    return " ".join(words)


def frame(rng, t):
    return (rng.choice(PREFIXES) + t) if rng.random() < 0.5 else (t + rng.choice(SUFFIXES))


EDITS = (reflow, trim, reorder, place, synonym, frame)


def edit(rng: random.Random, text: str) -> str:
    for fn in rng.sample(EDITS, rng.randint(2, 3)):
        text = fn(rng, text)
    return text


# ------------------------------------------------------------------ claims family


def claim_pairs(rng: random.Random, n: int, vclaims: list[str]) -> list[tuple[str, str, bool]]:

    norm = [normalisation.normalise(v) for v in vclaims]
    df: dict[str, int] = {}
    for t in norm:
        for w in set(t.split()):
            df[w] = df.get(w, 0) + 1
    rare: dict[str, list[int]] = {}
    for i, t in enumerate(norm):
        for w in set(t.split()):
            if 2 <= df[w] <= 50 and w not in normalisation.STOPWORDS:
                rare.setdefault(w, []).append(i)
    pairs = []
    for i in rng.sample(range(len(vclaims)), n):
        pairs.append((vclaims[i], edit(rng, vclaims[i]), True))
        shared: dict[int, int] = {}
        for w in set(norm[i].split()):
            for j in rare.get(w, ()):
                if j != i:
                    shared[j] = shared.get(j, 0) + 1
        squeeze = "".join(norm[i].split())
        near = [j for j in sorted(shared, key=lambda j: (-shared[j], j)) if "".join(norm[j].split()) != squeeze]
        if near:
            pairs.append((vclaims[i], vclaims[near[0]], False))
    return pairs


def event_pairs(rng: random.Random, n_events: int) -> list[tuple[str, str, bool]]:
    reports, reposts = event_reports(rng, n_events)
    by_event: dict[int, list[int]] = {}
    for i, (e, _t) in enumerate(reports):
        by_event.setdefault(e, []).append(i)
    pairs = []
    for members in by_event.values():
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                pairs.append((reports[i][1], reports[j][1], False))
    for e, text, src in reposts:
        pairs.append((reports[src][1], text, True))
        for j in by_event[e]:
            if j != src:
                pairs.append((reports[j][1], text, False))
    return pairs


# ------------------------------------------------------------------ one origin (issue 24.2)

ACTORS_AR = [("الميليشيات الإيرانية", "مقاتلون مدعومون من إيران", "مجموعات مسلحة موالية لإيران"),
             ("قوات النظام", "القوات الحكومية", "جنود الجيش السوري"),
             ("خلايا داعش", "مسلحو تنظيم الدولة الإسلامية", "فلول تنظيم الدولة"),
             ("الطائرات الروسية", "المقاتلات الروسية", "طائرات سلاح الجو الروسي"),
             ("الفصائل المدعومة من تركيا", "الجيش الوطني السوري", "فصائل موالية لأنقرة"),
             ("مسلحون مجهولون", "مسلحون على دراجات نارية", "مهاجمون مجهولو الهوية"),
             ("قسد", "قوات سوريا الديمقراطية", "القوات التي يقودها الأكراد")]
ACTIONS_AR = [("أضرمت النار في {obj}", "أحرقت {obj}", "أشعلت النيران في {obj}"),
              ("قصفت {obj}", "استهدفت {obj} بالمدفعية", "قصفت {obj} بالقذائف"),
              ("داهمت {obj}", "اقتحمت {obj}", "نفذت مداهمة على {obj}"),
              ("سيطرت على {obj}", "استولت على {obj}", "استحوذت على {obj}"),
              ("هاجمت {obj}", "اعتدت على {obj}", "شنت هجوما على {obj}")]
OBJECTS_AR = [("محاصيل المزارعين", "حقول القمح", "الأراضي الزراعية"),
              ("حاجزا", "حاجزا عسكريا", "نقطة أمنية"),
              ("منازل الأهالي", "منازل المدنيين", "أبنية سكنية"),
              ("حقلا نفطيا", "آبار النفط", "منشأة نفطية"),
              ("مخبزا", "المخبز المحلي", "فرن الخبز"),
              ("مدرسة", "مبنى مدرسة", "مدرسة القرية")]
PLACES_AR = ["أبو خشب", "البوكمال", "الميادين", "هجين", "الشحيل", "ذيبان", "خشام", "البصيرة", "الطابية",
             "جديد عكيدات", "الصبحة", "العشارة", "موحسن", "غرانيج", "الكشكية", "ذيبان"]
CITIES_AR = ["دير الزور", "الرقة", "الحسكة", "حلب", "إدلب", "حمص", "درعا", "تدمر"]
DIRECTIONS_AR = ["شمال", "جنوب", "شرق", "غرب", "شمال غرب", "شمال شرق", "جنوب غرب", "جنوب شرق"]
# one phrasing per witness; the English and Arabic of one index say the same thing
TELLINGS = [
    ("{actor} {action} in the village of {place}, {dir} of the city of {city}, on {day} May",
     "{actor} {action} في قرية {place}، {dir} مدينة {city}، يوم {day} أيار"),
    ("On {day} May, {actor} {action} in {place} village in the {city} countryside",
     "في {day} أيار، {actor} {action} في قرية {place} بريف {city}"),
    ("{actor} {action} in {place}, {dir} of {city}, killing {n} people",
     "{actor} {action} في {place}، {dir} {city}، ما أدى إلى مقتل {n} أشخاص"),
    ("{n} people were killed when {actor} {action} in {place} ({city} province) on {day} May",
     "قتل {n} أشخاص عندما {actor} {action} في {place} (محافظة {city}) يوم {day} أيار"),
    ("In {place}, a town {dir} of {city}, {actor} {action} on the {day}th",
     "في {place}، وهي بلدة تقع {dir} {city}، {actor} {action} في اليوم {day} من الشهر"),
    ("{actor} {action} near {place} in rural {city} on Sunday the {day}th, leaving {n} dead",
     "{actor} {action} قرب {place} في ريف {city} يوم الأحد {day}، مخلفة {n} قتلى"),
]
# (English, Arabic) wordings of "who saw it"; a witness picks one, a translation keeps it
SOURCING = [(", our correspondent in {place} saw.", "، بحسب ما شاهد مراسلنا في {place}."),
            (". Our reporter was there.", ". وكان مراسلنا في المكان."),
            (", residents said.", "، وفق ما أفاد سكان."),
            (", locals told our team.", "، كما قال أهالي المنطقة لفريقنا."),
            (", according to people living near {place}.", "، بحسب أهالي يقيمون قرب {place}."),
            (", witnesses told us.", "، كما روى شهود عيان."),
            (". Eyewitnesses described the scene to us.", ". ووصف شهود المشهد لنا."),
            (", as a photo of our own shows.", "، كما تظهر صور خاصة.")]
AR_PREFIXES = ["عاجل | ", "#دير_الزور ", "خبر عاجل: "]
AR_SUFFIXES = [" (عبر وسائل التواصل)", " - يتبع", " المصدر: ناشطون."]
OWN_SOURCING_SHARE = 0.7  # witnesses that say who saw it


def telling(facts: dict, choice: dict, lang: str) -> str:
    """One report's text from the event's facts and the witness's choices, in ``lang``."""
    k = 0 if lang == "en" else 1
    if lang == "en":
        actor = ACTORS[facts["actor"]][choice["actor"]]
        action = ACTIONS[facts["action"]][choice["action"]].format(obj=OBJECTS[facts["obj"]][choice["obj"]])
        place, city, direction = PLACES[facts["place"]], CITIES[facts["city"]], DIRECTIONS[facts["dir"]]
    else:
        actor = ACTORS_AR[facts["actor"]][choice["actor"]]
        action = ACTIONS_AR[facts["action"]][choice["action"]].format(obj=OBJECTS_AR[facts["obj"]][choice["obj"]])
        place, city, direction = PLACES_AR[facts["place"]], CITIES_AR[facts["city"]], DIRECTIONS_AR[facts["dir"]]
    text = TELLINGS[choice["telling"]][k].format(actor=actor, action=action, place=place, city=city, dir=direction,
                                                 day=facts["day"], n=facts["n"])
    if choice["sourcing"] is None:
        return text[0].upper() + text[1:] + ("." if lang == "en" else ".")
    return text[0].upper() + text[1:] + SOURCING[choice["sourcing"]][k].format(place=place)


def edit_ar(rng: random.Random, text: str) -> str:
    """An Arabic repost: 2-3 of reflow, a frame, a clause dropped, the village named bare."""
    def reflow(t):
        return re.sub(" ", lambda _m: rng.choice([" ", " ", "  ", "\n"]), t).rstrip(".")

    def frame(t):
        return rng.choice(AR_PREFIXES) + t if rng.random() < 0.5 else t + rng.choice(AR_SUFFIXES)

    def trim(t):
        parts = t.rstrip(".").split("، ")
        if len(parts) < 3:
            return t
        drop = rng.choice([0, len(parts) - 1])
        return "، ".join(p for i, p in enumerate(parts) if i != drop) + "."

    def place(t):
        return t.replace("في قرية ", rng.choice(["في بلدة ", "في "]), 1)

    for fn in rng.sample([reflow, frame, trim, place], rng.randint(2, 3)):
        text = fn(text)
    return text


def origin_events(rng: random.Random, n_events: int) -> list[list[tuple[Report, int]]]:
    """Events, each a list of (report, gold origin id): witnesses, reposts, translations."""
    events = []
    for e in range(n_events):
        facts = {"actor": rng.randrange(len(ACTORS)), "action": rng.randrange(len(ACTIONS)),
                 "obj": rng.randrange(len(OBJECTS)), "place": rng.randrange(len(PLACES)),
                 "city": rng.randrange(len(CITIES)), "dir": rng.randrange(len(DIRECTIONS)),
                 "day": rng.randint(1, 28), "n": rng.randint(2, 40)}
        reports: list[tuple[Report, int]] = []
        day = date(2021, 5, facts["day"])
        k = rng.randint(2, 3)
        words = {part: rng.sample(range(3), k) for part in ("actor", "action", "obj")}  # each in its own words
        sourcing = rng.sample(range(len(SOURCING)), k)
        for w, tell in enumerate(rng.sample(range(len(TELLINGS)), k)):
            choice = {"actor": words["actor"][w], "action": words["action"][w], "obj": words["obj"][w],
                      "telling": tell, "sourcing": sourcing[w] if rng.random() < OWN_SOURCING_SHARE else None}
            lang = "en" if rng.random() < 0.6 else "ar"
            text = telling(facts, choice, lang)
            reports.append((Report(f"e{e}w{w}", f"witness{e}.{w}", (), text, day), w))
            if rng.random() < 0.5:  # an edited repost, same language
                copy = edit(rng, text) if lang == "en" else edit_ar(rng, text)
                reports.append((Report(f"e{e}w{w}r", f"aggregator{e}.{w}", (), copy, day + timedelta(days=1)), w))
            if rng.random() < 0.4:  # rendered into the other language, citing nobody
                other = telling(facts, choice, "ar" if lang == "en" else "en")
                reports.append((Report(f"e{e}w{w}t", f"translator{e}.{w}", (), other, day + timedelta(days=2)), w))
        events.append(reports)
    return events


def _same_origin_pairs(groups: list[list[int]]) -> set[tuple[int, int]]:
    return {(a, b) for g in groups for x, a in enumerate(sorted(g)) for b in sorted(g)[x + 1:]}


def _groups(n: int, links) -> list[list[int]]:
    uf = UnionFind(range(n))
    for a, b in links:
        uf.union(a, b)
    return [list(g) for g in uf.groups().values()]


def one_origin_rules(event: list[tuple[Report, int]], cos) -> dict[str, set[tuple[int, int]]]:
    """The pairs each rule counts as one origin, and the gold."""
    reports = [r for r, _g in event]
    n = len(reports)
    every = [(i, j) for i in range(n) for j in range(i + 1, n)]
    duplicates = [frozenset((reports[i].claim, reports[j].claim)) for i, j in every]  # the analyst accepts all
    index = {r.claim: k for k, r in enumerate(reports)}
    reuse = set(textreuse.reused_pairs([r.text for r in reports]))
    translations = [frozenset((reports[p.i].claim, reports[p.j].claim))
                    for p in crosslang.pairs([r.text for r in reports], cos, mutual=True) if p.kind == "same"]
    origins = group_origins(reports, {}, duplicates=duplicates, translations=translations)
    return {
        "gold": _same_origin_pairs(_groups(n, [(i, j) for i, j in every if event[i][1] == event[j][1]])),
        "turn 2": _same_origin_pairs(_groups(n, [(i, j) for i, j in every
                                                 if old_rule(reports[i].text, reports[j].text)])),
        "42cb184": _same_origin_pairs(_groups(n, list(reuse) + every)),  # an accepted duplicate = likely copy
        "now": _same_origin_pairs([[index[c] for c in o.claims] for o in origins]),
    }


def origin_scores(rng: random.Random, n_events: int) -> dict[str, tuple[float, float, int, int]]:
    from verifier.adapters import crosslang as encoder

    events = origin_events(rng, n_events)
    texts = [r.text for ev in events for r, _g in ev]
    vectors = encoder.embed(texts)
    tally = {rule: [0, 0, 0] for rule in ("turn 2", "42cb184", "now")}  # tp, fp, fn
    pairs = gold_total = 0
    start = 0
    for ev in events:
        v = vectors[start:start + len(ev)]
        start += len(ev)
        found = one_origin_rules(ev, v @ v.T)
        gold = found.pop("gold")
        pairs += len(ev) * (len(ev) - 1) // 2
        gold_total += len(gold)
        for rule, got in found.items():
            tally[rule][0] += len(got & gold)
            tally[rule][1] += len(got - gold)
            tally[rule][2] += len(gold - got)
    out = {}
    for rule, (tp, fp, fn) in tally.items():
        out[rule] = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0, pairs, gold_total)
    return out


# ------------------------------------------------------------------ scoring


def old_rule(a: str, b: str) -> bool:
    return fuzz.ratio(utils.default_process(a), utils.default_process(b)) >= OLD_THRESHOLD


def new_score(a: str, b: str) -> float:
    return textreuse.copy_score(a, b)


def prf(pred: list[bool], gold: list[bool]) -> tuple[float, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=False))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=False))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=False))
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=300, help="incidents per seed")
    ap.add_argument("--claims", type=int, default=500, help="CheckThat claims reposted per seed")
    ap.add_argument("--origin-events", type=int, default=150, help="events per seed in part 2 (one origin)")
    args = ap.parse_args(argv)
    families = {"events": lambda rng: event_pairs(rng, args.events)}
    try:
        from _checkthat import load_vclaims

        vclaims = [v.vclaim for v in load_vclaims()]
        families["claims"] = lambda rng: claim_pairs(rng, args.claims, vclaims)
    except OSError as exc:
        print(f"CheckThat! data not found ({exc}); the claims family is skipped")

    print(f"cut-off: containment >= {textreuse.COPY_CONTAINMENT} of word {textreuse.SHINGLE}-grams "
          f"(old rule: ratio >= {OLD_THRESHOLD:.0f})")
    sweep = (0.4, 0.5, 0.6, 0.7, 0.8)
    ok = True
    for name, make in families.items():
        print(f"\n{name}")
        print(f"  {'seed':<12} {'pairs':>6} {'copies':>6}   old P / R        containment P / R   sweep (tuning seeds) P/R at "
              + " ".join(f"{c:.1f}" for c in sweep))
        for seed in (*TUNING_SEEDS, *KEPT_ASIDE):
            pairs = make(random.Random(seed))
            gold = [g for _a, _b, g in pairs]
            old = prf([old_rule(a, b) for a, b, _g in pairs], gold)
            scores = [new_score(a, b) for a, b, _g in pairs]
            new = prf([s >= textreuse.COPY_CONTAINMENT for s in scores], gold)
            label = f"{seed} ({'tuning' if seed in TUNING_SEEDS else 'aside'})"
            line = (f"  {label:<12} {len(pairs):>6} {sum(gold):>6}   {old[0]:.3f} / {old[1]:.3f}    "
                    f"{new[0]:.3f} / {new[1]:.3f}")
            if seed in TUNING_SEEDS:
                line += "     " + " ".join("{:.2f}/{:.2f}".format(*prf([s >= c for s in scores], gold)) for c in sweep)
            else:
                ok &= new[0] >= 0.9 and new[1] >= 0.9
            print(line)
    print(f"\n{'PASS' if ok else 'FAIL'}: containment precision and recall >= 0.9 on every seed kept aside")
    ok &= origins_part(args.origin_events)
    return 0 if ok else 1


def origins_part(n_events: int) -> bool:
    """Part 2: pairs counted as one origin, three rules side by side (see the module docstring)."""
    print("\none origin (witnesses in their own words, edited reposts, translations; every same-meaning pair "
          "accepted as a duplicate)")
    print(f"  {'seed':<12} {'pairs':>6} {'one origin':>10}   turn 2 (ratio>=95) P / R   42cb184 (dup = copy) P / R   "
          "now (evidence of copying) P / R")
    ok = True
    for seed in (*TUNING_SEEDS, *KEPT_ASIDE):
        got = origin_scores(random.Random(1000 + seed), n_events)
        pairs, gold = got["now"][2], got["now"][3]
        label = f"{seed} ({'tuning' if seed in TUNING_SEEDS else 'aside'})"
        print(f"  {label:<12} {pairs:>6} {gold:>10}   " + "   ".join(
            f"{got[r][0]:.3f} / {got[r][1]:.3f}{' ' * 10}" for r in ("turn 2", "42cb184", "now")))
        if seed in KEPT_ASIDE:
            ok &= got["now"][0] >= 0.9 and got["now"][1] >= 0.9
    print(f"{'PASS' if ok else 'FAIL'}: one origin precision and recall >= 0.9 on every seed kept aside")
    return ok


if __name__ == "__main__":
    sys.exit(main())
