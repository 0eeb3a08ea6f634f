"""Ingest review: a report's text with each proposal highlighted, the selected one's source,
relay chain and figures beside it; accept, reject, edit, split and merge by key.

The report is data: it is shown through ``tui.text.safe`` piece by piece between the
proposals' offsets (so an escape sequence or "[bold]" in a report is shown, never obeyed,
and the highlighting stays on the characters the offsets name).
"""

from __future__ import annotations

import re

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui import review
from tui.screens.base import Loaded, VerifierScreen, reload_binding, step_bindings, verdict_bindings
from tui.screens.forms import Form
from tui.text import fields, safe
from tui.widgets.keybar import KeyBar
from tui.widgets.navbar import NavBar
from verifier.services import ingest

STYLES = {"proposed": "underline", "accepted": "green", "rejected": "dim strike"}
SELECTED = "bold reverse"
MENTION = "italic cyan"
_PARAGRAPH = re.compile(r"\n\s*\n")


def paragraphs(body: str) -> list[tuple[int, int]]:
    """The report's paragraphs as (start, end) offsets into its text."""
    out, pos = [], 0
    for m in _PARAGRAPH.finditer(body):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(body):
        out.append((pos, len(body)))
    return out or [(0, 0)]


def highlighted(body: str, start: int, end: int, items: list[dict], selected: dict | None) -> Text:
    """body[start:end] with each proposal's span styled by its state, the selected one
    reversed and its source mention marked. Each piece goes through safe()."""
    marks: list[tuple[int, int, str]] = []
    for item in items:
        style = SELECTED if item is selected else STYLES.get(item["state"], "")
        marks.append((item["start"], item["end"], style))
    if selected is not None and selected.get("source_start") is not None:
        marks.append((selected["source_start"], selected["source_end"], MENTION))
    cuts = {start, end}
    for s, e, _ in marks:
        cuts.update(c for c in (s, e) if start < c < end)
    ordered = sorted(cuts)
    out = Text()
    for a, b in zip(ordered, ordered[1:], strict=False):
        styles = [st for s, e, st in marks if s <= a and b <= e]
        out.append_text(safe(body[a:b], " ".join(styles), single_line=False))
    return out


def report_done(items: list[dict]) -> str:
    """'all 12 proposals decided (9 accepted, 3 rejected)'."""
    accepted = sum(1 for it in items if it["state"] == "accepted")
    return (f"all {len(items)} proposal{'s' if len(items) != 1 else ''} decided "
            f"({accepted} accepted, {len(items) - accepted} rejected)")


def details(item: dict | None, position: str) -> Text | object:
    if item is None:
        return Text("No proposals in this report.", style="italic")
    who = safe(item["source"], style="bold")
    if item.get("source_key") is None and item.get("source_name"):
        who.append(f"  (new source: {item.get('source_kind') or 'unknown'})", style="yellow")
    rows = [
        ("proposal", Text(f"{item['id']}  {position}  ") + Text(item["state"], style=STYLES.get(item["state"], ""))),
        ("source", who),
        ("as written", safe(item.get("source_mention"))),
        ("via", safe(" ← ".join(item["via"])) if item["via"] else Text("—", style="dim")),
        ("cue", safe(item.get("cue") or "(the report's own voice)")),
        ("figure", safe(" ".join(str(x) for x in (item["qualifier"], item["value"], item["unit"]) if x is not None)
                        if item["value"] is not None else None)),
        ("event date", safe(item.get("event_date"))),
        ("place", safe(item.get("location"))),
        ("confidence", Text(f"{item['confidence']:.2f}")),
    ]
    if item.get("denial"):  # the source denies what the report's words say: the text is its negation
        rows.insert(5, ("polarity", Text("denial (the text states the negation)", style="bold yellow")))
    if item.get("affiliation"):
        rows.insert(3, ("affiliation", safe(item["affiliation"])))
    if item.get("claim"):
        rows.append(("claim", safe(item["claim"], style="bold green")))
    rows.append(("text", safe(item["text"], single_line=False)))
    return fields(rows)


EDIT_FIELDS = (  # what `verifier proposals edit` takes, in its order
    ("text", "Text (the claim, without the attribution)"),
    ("source", "Source (an id or a name; a new name is a new source)"),
    ("via", "Via (relays, nearest first, separated by ';'; the publisher stays last)"),
    ("location", "Place"),
    ("value", "Figure (a number, LOW-HIGH, or text; empty: none)"),
    ("qualifier", "Qualifier (exact, about, more than, less than, between)"),
    ("event_date", "Event date (YYYY-MM-DD; empty: none)"),
)


class EditProposalForm(Form):
    heading = "Edit this proposal before accepting it"

    def __init__(self, item: dict):
        super().__init__(f"proposal {item['id']}", item["text"])
        self.item = item

    def fields(self) -> ComposeResult:
        for key, label in EDIT_FIELDS:
            yield Label(label)
            yield Input(value=self.shown(key), id=key, compact=True)

    def shown(self, key: str) -> str:
        """A field as the box shows it: the relay chain with ';', a range as LOW-HIGH."""
        value = self.item.get(key)
        if key == "via":
            return "; ".join(value or ())
        if key == "value" and isinstance(value, list):
            return "-".join(str(v) for v in value)
        return "" if value is None else str(value)

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    def values(self) -> dict | None:
        """What the analyst changed (a box left as it was is not sent): an emptied figure or date clears it."""
        if not self.query_one("#text", Input).value.strip():
            self.notify("The text is empty", severity="warning")
            return None
        out = {}
        for key, _label in EDIT_FIELDS:
            typed = self.query_one(f"#{key}", Input).value.strip()
            if typed != self.shown(key).strip():
                out[key] = [v.strip() for v in typed.split(";") if v.strip()] if key == "via" else typed
        return out


class ReportPicker(Form):
    heading = "Review another report"
    help_line = "enter: open the report   esc: back"

    def __init__(self, reports: list[dict]):
        super().__init__("reports", f"{len(reports)} ingested")
        self.reports = reports

    def fields(self) -> ComposeResult:
        options = []
        for r in self.reports:
            label = safe(r["title"] or r["document"], limit=50)
            label.append(f"  {r['proposed']} to review, {r['accepted']} accepted", style="dim")
            options.append(Option(label, id=r["document"]))
        yield OptionList(*options, id="reports")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss({"document": event.option.id})


class IngestScreen(VerifierScreen):
    CSS_PATH = "ingest.tcss"
    BINDINGS = [
        *step_bindings("ingest", "n,down,j", "p,up,k"),
        *verdict_bindings("ingest"),
        Binding("e", "edit", "Edit", id="ingest.edit"),
        Binding("s", "split", "Split", id="ingest.split"),
        Binding("m", "merge", "Merge next", id="ingest.merge"),
        Binding("d", "pick_report", "Reports", id="ingest.reports"),
        reload_binding("ingest"),
    ]

    def __init__(self, document: str | None = None):
        super().__init__()
        self.document = document
        self.report: dict | None = None
        self.items: list[dict] = []
        self.index = 0
        self.blocks: list[tuple[int, int]] = []
        self._laid_out: tuple | None = ("nothing yet",)
        self._decided: int | None = None  # the proposal just accepted or rejected

    def compose(self) -> ComposeResult:
        yield NavBar("ingest")
        yield Static(id="reportinfo", classes="title")
        with Horizontal(id="review"):
            yield VerticalScroll(id="report")
            yield VerticalScroll(Static(id="proposal"), id="side")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        self.fetch(self.document, self.next_token("review"))

    @work(thread=True, group="ingest-review", exit_on_error=False)
    def fetch(self, document: str | None, token: int) -> None:
        store = self.app.store
        if document is None:
            reports = ingest.reports(store.uow(readonly=True))
            waiting = [r for r in reports if r["proposed"]] or reports
            if not waiting:
                self.deliver("review", None, token)
                return
            document = waiting[0]["document"]
        self.deliver("review", ingest.review(store.uow(readonly=True), document), token)

    async def on_loaded(self, message: Loaded) -> None:
        if not self.fresh(message):
            return
        if message.what == "reports":
            self.app.push_screen(ReportPicker(message.data), self._picked)
            return
        keep = self.current()["id"] if self.current() else None
        self.report = message.data
        self.items = message.data["proposals"] if message.data else []
        self.document = message.data["key"] if message.data else None
        ids = [it["id"] for it in self.items]
        self.index = ids.index(keep) if keep in ids else self._first_open()
        decided, self._decided = self._decided, None
        if decided is not None and keep == decided and self.items[self.index]["state"] != "proposed":
            # a decision was made on it: on to the next proposal awaiting review, if any
            self.index = next((i for i in range(self.index + 1, len(self.items))
                               if self.items[i]["state"] == "proposed"), self.index)
            if not any(it["state"] == "proposed" for it in self.items):
                self.notify(f"Report done: {report_done(self.items)}. "
                            f"{self.app.key_for('ingest.reports', 'd')}: another report", title="Report done")
        self.mark_loaded()
        await self.render_report()

    def worker_failed(self, worker) -> None:
        self._decided = None

    def _first_open(self) -> int:
        return next((i for i, it in enumerate(self.items) if it["state"] == "proposed"), 0)

    # ------------------------------------------------------------------ display
    def current(self) -> dict | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    async def render_report(self) -> None:
        """Lay the report out in paragraphs (again only when another report is shown), then show."""
        scroll = self.query_one("#report", VerticalScroll)
        shown = (self.report["key"], self.report["digest"]) if self.report else None
        if shown != self._laid_out:
            self._laid_out = shown
            await scroll.remove_children()
            if self.report is None:
                self.query_one("#reportinfo", Static).update(Text("Ingest review", style="bold"))
                await scroll.mount(Static(Text("No ingested reports. Read one with `verifier ingest FILE`.",
                                               style="italic")))
                self.query_one("#proposal", Static).update("")
                return
            self.blocks = paragraphs(self.report["body"] or "")
            await scroll.mount_all(Static(id=f"para-{i}", classes="para") for i in range(len(self.blocks)))
        self.show()

    def show(self) -> None:
        if self.report is None:
            return
        body, item = self.report["body"] or "", self.current()
        counts = {s: sum(1 for it in self.items if it["state"] == s) for s in STYLES}
        info = Text("Ingest review  ", style="bold")
        info.append_text(safe(self.report["title"] or self.report["key"], limit=60))
        info.append(f"  {counts['proposed']} to review · {counts['accepted']} accepted · {counts['rejected']} rejected",
                    style="dim")
        if self.items and not counts["proposed"]:
            info.append("  report done", style="bold green")
        self.query_one("#reportinfo", Static).update(info)
        for i, (start, end) in enumerate(self.blocks):
            inside = [it for it in self.items if it["start"] < end and it["end"] > start]
            self.query_one(f"#para-{i}", Static).update(highlighted(body, start, end, inside, item))
        self.query_one("#proposal", Static).update(details(item, f"{self.index + 1} of {len(self.items)}"))
        if item is not None:
            block = next((i for i, (s, e) in enumerate(self.blocks) if s <= item["start"] < e), None)
            if block is not None:
                self.query_one("#report", VerticalScroll).scroll_to_widget(
                    self.query_one(f"#para-{block}"), animate=False)

    # ------------------------------------------------------------------ keys
    def action_next(self) -> None:
        if self.index < len(self.items) - 1:
            self.index += 1
            self.show()

    def action_previous(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show()

    def _open(self) -> dict | None:
        item = self.current()
        if item is None:
            self.notify("No proposal selected", severity="warning")
            return None
        return item

    def action_accept(self) -> None:
        item = self._open()
        if item is not None:
            self._decided = item["id"]
            self.app.perform(review.accept, item["id"])

    def action_reject(self) -> None:
        item = self._open()
        if item is not None:
            self._decided = item["id"]
            self.app.perform(review.reject, item["id"])

    def action_split(self) -> None:
        item = self._open()
        if item is not None:
            self.app.perform(review.split, item["id"])

    def action_merge(self) -> None:
        item = self._open()
        if item is None:
            return
        following = self.items[self.index + 1] if self.index + 1 < len(self.items) else None
        if following is None:
            self.notify("The last proposal has nothing after it to merge", severity="warning")
            return
        self.app.perform(review.merge, item["id"], following["id"])

    def action_edit(self) -> None:
        item = self._open()
        if item is None:
            return

        def done(values: dict | None) -> None:
            if values:
                self.app.perform(review.edit, item["id"], values)

        self.app.push_screen(EditProposalForm(item), done)

    def action_pick_report(self) -> None:
        self.pick(self.next_token("reports"))

    @work(thread=True, group="ingest-reports", exit_on_error=False)
    def pick(self, token: int) -> None:
        self.deliver("reports", ingest.reports(self.app.store.uow(readonly=True)), token)

    def _picked(self, values: dict | None) -> None:
        if values:
            self.document = values["document"]
            self.index = 0
            self.items = []
            self.reload()
