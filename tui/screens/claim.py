"""One claim: its text, source and relay chain, the claims that support or contradict it,
near-duplicates with scores, the independence verdict with its explanation, its history."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui import data
from tui.screens.base import DetailScreen, Loaded, back_binding
from tui.screens.triage_keys import TRIAGE_BINDINGS, TriageKeys
from tui.text import bullets, fields, safe, trimmed
from tui.widgets.sparkline import level_style
from verifier.views.rows import AuditEvent, ClaimDetail, Link, Resolution, SimilarClaim

EXTRAS_DELAY = 0.25  # seconds on the page before the slow parts are computed
KIND_ORDER = {"conflict": 0, "support": 1, "duplicate": 2}
STATE_STYLE = {"suggested": "yellow", "confirmed": "green", "rejected": "dim strike"}


SECTION_TITLES = {
    "independence": "Independence",
    "links": "Linked claims (tab to pick one; enter opens it, a/x accept or reject it)",
    "similar": "Similar claims (text index, live; ≠ possible contradiction)",
    "resolutions": "Resolutions",
    "history": "History",
}


class ClaimScreen(TriageKeys, DetailScreen):
    CSS_PATH = "claim.tcss"
    BINDINGS = [
        back_binding("claim"),
        *TRIAGE_BINDINGS,
        Binding("s", "source", "Source audit", id="claim.source"),
        Binding("tab", "focus_next", "Links", show=False, id="claim.focus_next"),
    ]

    NAV, NOUN, SECTION_TITLES = "claim", "Claim", SECTION_TITLES
    detail: ClaimDetail | None

    def sections(self) -> ComposeResult:
        yield Static(id="text")
        yield Static(id="facts", classes="block")
        yield Static(Text("…", style="dim"), id="independence", classes="block")
        yield DataTable(id="links", cursor_type="row", zebra_stripes=True)
        yield Static(Text("…", style="dim"), id="similar", classes="block")
        yield Static(id="resolutions", classes="block")
        yield Static(id="history", classes="block")

    def on_mount(self) -> None:
        links = self.query_one("#links", DataTable)
        self._wide = self.app.size.width >= 110
        links.add_column(Text("kind"), width=9, key="kind")
        links.add_column(Text("state"), width=9, key="state")
        if self._wide:
            links.add_column(Text("origin"), width=8, key="origin")
        links.add_column(Text("score", justify="right"), width=5, key="score")
        links.add_column(Text("other"), width=7, key="other")
        fixed = 9 + 9 + 5 + 7 + (8 if self._wide else 0)
        self._text_w = max(12, self.app.size.width - fixed - 2 * (6 if self._wide else 5) - 4)
        links.add_column(Text("text"), width=self._text_w, key="text")
        self.start()

    # ------------------------------------------------------------------ loading
    @work(thread=True, group="claim-detail", exit_on_error=False)
    def load(self, token: int) -> None:
        detail = self.read(data.claim_detail, self.key)
        self.deliver("detail", detail, token)

    def load_extras(self, text: str, token: int) -> None:
        """The slow parts (text index, independence), in the app's slow lane, only for a
        page the analyst stays on."""
        if self.is_current:
            self.app.run_slow(self, self._extras, text, token)

    def _extras(self, text: str, token: int) -> None:  # runs in the slow lane's thread
        self.deliver("similar", self.read(data.claim_similar, self.key, text), token)
        if self.is_current:
            self.deliver("independence", self.read(data.corroboration, self.key), token)

    def on_loaded(self, message: Loaded) -> None:
        if message.token != self.tokens["detail"]:
            return
        if message.what == "detail":
            self.detail = message.data
            self.mark_loaded()
            self.show_detail()
            self.ready = True
            if self.detail is not None:
                text, token = self.detail.text, message.token
                if EXTRAS_DELAY > 0:
                    self.set_timer(EXTRAS_DELAY, lambda: self.load_extras(text, token))
                else:
                    self.call_later(self.load_extras, text, token)
        elif message.what == "similar":
            self.show_similar(message.data)
        elif message.what == "independence":
            self.query_one("#independence", Static).update(independence_text(message.data))

    # ------------------------------------------------------------------ display
    def show_detail(self) -> None:
        d = self.detail
        if d is None:
            self.query_one("#heading", Static).update(Text(f"No claim with id {self.key!r}", style="bold red"))
            return
        status_style = "yellow" if d.status == "unresolved" else "green"
        head = Text(f"Claim {d.id}  ", style="bold")
        head.append(d.status, style=f"bold {status_style}")
        self.query_one("#heading", Static).update(head)
        self.query_one("#text", Static).update(safe(d.text, single_line=False))
        self.query_one("#facts", Static).update(fields(fact_rows(d)))
        self.show_links(d.links)
        self.query_one("#resolutions", Static).update(trimmed(resolutions_text(d.resolutions))
                                                      or Text("none (r resolves)", style="dim"))
        self.query_one("#history", Static).update(trimmed(history_text(d.history)))

    def show_links(self, found: tuple[Link, ...]) -> None:
        links = self.query_one("#links", DataTable)
        links.clear()
        ordered = sorted(found, key=lambda lk: (KIND_ORDER.get(lk.kind, 9), lk.state == "rejected",
                                                -(lk.score or 0)))
        self.links = {}
        for i, lk in enumerate(ordered):
            rowkey = f"{i}"
            self.links[rowkey] = lk
            kind_style = {"conflict": "bold red", "support": "green", "duplicate": "yellow"}.get(lk.kind, "")
            cells = [Text(lk.kind, style=kind_style), Text(lk.state, style=STATE_STYLE.get(lk.state, ""))]
            if self._wide:
                cells.append(Text(lk.origin))
            cells += [Text("" if lk.score is None else f"{lk.score:.0f}", justify="right"),
                      safe(lk.other, limit=7), safe(lk.other_text, limit=self._text_w)]
            links.add_row(*cells, key=rowkey)
        if not ordered:
            blank = [Text("")] * (4 if self._wide else 3)
            links.add_row(Text("none", style="dim"), *blank,
                          Text("no claim is linked to this one yet (l links one)", style="dim"), key="none")

    def show_similar(self, similar: list[SimilarClaim]) -> None:
        near = Text()
        for s in similar:
            if not s.score:
                continue
            near.append(f"{s.score:>5.0f}  ", style="bold")
            if s.kind == "conflict":
                near.append("≠ ", style="bold red")  # a possible contradiction, not a repeat
            near.append_text(safe(s.id, limit=8))
            near.append("  ")
            near.append_text(safe(s.text, limit=max(20, self.app.size.width - 24)))
            near.append("\n")
        self.query_one("#similar", Static).update(trimmed(near) or Text("none found", style="dim"))

    # ------------------------------------------------------------------ navigation
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        lk = getattr(self, "links", {}).get(event.row_key.value)
        if lk is not None:
            self.app.open_screen("claim", lk.other)

    def action_source(self) -> None:
        if self.detail is not None:
            self.app.open_screen("source", self.detail.source)

    # ------------------------------------------------------------------ triage
    def triage_target(self) -> tuple[str, str] | None:
        if self.detail is None:
            return None
        return self.detail.id, self.detail.text

    def selected_link(self) -> Link | None:
        table = self.query_one("#links", DataTable)
        if self.focused is not table or not table.row_count:
            return None
        try:
            rowkey = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:
            return None
        return getattr(self, "links", {}).get(rowkey)


def fact_rows(d: ClaimDetail) -> list[tuple[str, Text]]:
    """The claim's facts, label by label: source, relay chain, document, dates, place,
    subject and figure, tags, belief."""
    src = safe(d.source_name, style="bold")
    src.append(" (")
    src.append_text(safe(d.source))
    src.append(")")
    rows: list[tuple[str, Text]] = [("Source", src)]
    if d.via:
        via = safe(" ← ".join(d.via))
        via.append("  (nearest first)", style="dim")
    else:
        via = Text("— (first-hand)", style="dim")
    rows.append(("Relayed via", via))
    if d.document:
        doc = d.document
        dt = safe(doc.title or doc.id)
        if doc.url:
            dt.append("  ")
            dt.append_text(safe(doc.url, style="underline"))
        rows.append(("Document", dt))
    when = [f"published {d.published}" if d.published else None,
            f"event {d.event_date}" if d.event_date else None]
    rows.append(("Dates", Text(" · ".join(w for w in when if w) or "—")))
    if d.location:
        rows.append(("Location", safe(d.location)))
    if d.subject:
        rows.append(("Subject", subject_text(d)))
    if d.tags:
        rows.append(("Tags", safe(", ".join(d.tags))))
    b = d.belief
    belief = Text("— ", style="dim") if b is None else Text(f"{b:.2f} ", style=f"bold {level_style(b)}")
    belief.append(f"({d.words}) · credibility {d.credibility} · reported by {d.support or 0}"
                  f" · contradicted by {d.contradicted or 0}")
    rows.append(("Belief", belief))
    return rows


def subject_text(d: ClaimDetail) -> Text:
    subj = safe(d.subject)
    figure = d.figure
    if figure is not None:
        value = "–".join(str(v) for v in figure.value) if isinstance(figure.value, list) else str(figure.value)
        subj.append(": ")
        subj.append_text(safe(f"{figure.qualifier or ''} {value} {figure.unit or ''}".strip(), style="bold"))
    return subj


def resolutions_text(resolutions: tuple[Resolution, ...]) -> Text:
    res = Text()
    for r in resolutions:
        res.append(f"{(r.at or '')[:10]}  ", style="dim")
        res.append(r.verdict, style="bold")
        if r.analyst:
            res.append("  by ")
            res.append_text(safe(r.analyst))
        if r.rationale:
            res.append("  ")
            res.append_text(safe(r.rationale))
        if r.evidence:
            res.append("  ")
            res.append_text(safe(r.evidence, style="underline"))
        res.append("\n")
    return res


def history_text(history: tuple[AuditEvent, ...]) -> Text:
    hist = Text()
    for ev in history:
        hist.append(f"#{ev.seq}  {str(ev.at or '')[:16].replace('T', ' ')}  ", style="dim")
        hist.append_text(safe(ev.analyst))
        hist.append("  ")
        hist.append(str(ev.action), style="bold")
        after = ev.after
        if isinstance(after, dict) and after.get("note"):
            hist.append("  ")
            hist.append_text(safe(after["note"], style="italic"))
        elif isinstance(after, dict) and after.get("verdict"):
            hist.append(f"  {after['verdict']}")
        elif isinstance(after, dict) and after.get("file"):
            hist.append("  ")
            hist.append_text(safe(after["file"], limit=60))
        hist.append("\n")
    return hist


def independence_text(result: dict):
    out = Text()
    yes = result.get("independently_corroborated")
    out.append("Independently corroborated: ", style="bold")
    out.append("yes" if yes else "no", style="bold green" if yes else "bold red")
    origins = result.get("origins")
    n_origins = len(origins) if isinstance(origins, (list, tuple)) else origins
    parts = []
    if n_origins is not None:
        parts.append(f"{n_origins} independent origin(s)")
    for name, label in (("supporting", "supporting"), ("contradicting", "contradicting"),
                        ("possibly_contradicting", "suggested contradiction(s), not confirmed")):
        v = result.get(name)
        if v:
            parts.append(f"{len(v) if isinstance(v, (list, tuple)) else v} {label}")
    if result.get("credibility") is not None:
        parts.append(f"credibility {result['credibility']}")
    if result.get("words"):
        parts.append(str(result["words"]))
    if parts:
        out.append("  " + " · ".join(parts), style="dim")
    if result.get("basis"):
        out.append("\n  " + result["basis"], style="dim")
    lines = [safe(line) for line in result.get("explanation") or []]
    for copy in result.get("likely_copies") or []:
        line = Text("to confirm or overrule: ", style="bold yellow")
        line.append_text(safe(copy["reason"]))
        lines.append(line)
    if not lines:
        return out
    from rich.console import Group

    return Group(out, bullets(lines))
