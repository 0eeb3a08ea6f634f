"""Search (/) across claims (id, words, near meaning) and sources (name, id)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui import data
from tui.screens.base import Loaded, VerifierModal
from tui.text import safe


class SearchScreen(VerifierModal):
    CSS_PATH = "search.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="search.close"),
        Binding("down", "to_results", "Results", show=False, id="search.results"),
    ]

    def __init__(self, query: str = ""):
        super().__init__()
        self.initial = query
        self.token = 0
        self.ready = False
        self._timer = None

    def compose(self) -> ComposeResult:
        with Vertical(id="search"):
            yield Static(Text("Search claims and sources", style="bold"))
            yield Input(value=self.initial, placeholder="claim id, words, or a source name", id="query")
            yield Static(Text("type to search · ↓ to the results · enter opens · esc closes", style="dim"), id="status")
            yield OptionList(id="results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial:
            self.start(self.initial)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        value = event.value
        self._timer = self.set_timer(0.25, lambda: self.start(value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.start(event.value, focus=True)

    def start(self, query: str, focus: bool = False) -> None:
        self.token += 1
        self._focus_after = focus
        self.ready = False
        self.query_one("#status", Static).update(Text("searching…", style="dim"))
        self.run_search(query, self.token)

    @work(thread=True, group="search", exclusive=True, exit_on_error=False)
    def run_search(self, query: str, token: int) -> None:
        self.deliver("results", self.read(data.search, query), token)

    def on_loaded(self, message: Loaded) -> None:
        if message.token != self.token:
            return
        results = message.data
        ol = self.query_one(OptionList)
        ol.clear_options()
        options: list = []
        if results["claims"]:
            options.append(Option(Text(f"Claims ({len(results['claims'])})", style="bold"), disabled=True))
            for c in results["claims"]:
                prompt = Text()
                prompt.append_text(safe(c["id"], style="bold", limit=10))
                prompt.append("  ")
                if c.get("source"):
                    prompt.append_text(safe(c["source"], style="dim", limit=16))
                    prompt.append("  ")
                prompt.append_text(safe(c["text"], limit=200))
                options.append(Option(prompt, id=f"claim:{c['id']}"))
        if results["sources"]:
            options.append(Option(Text(f"Sources ({len(results['sources'])})", style="bold"), disabled=True))
            for s in results["sources"]:
                prompt = Text()
                prompt.append(f"{s['letter']} {s['score']:.2f}  ", style="bold")
                prompt.append_text(safe(s["name"]))
                prompt.append("  (")
                prompt.append_text(safe(s["id"]))
                prompt.append(f") {s['claims']} claims", style="dim")
                options.append(Option(prompt, id=f"source:{s['id']}"))
        ol.add_options(options)
        n = len(results["claims"]) + len(results["sources"])
        self.query_one("#status", Static).update(
            Text(f"{n} found · ↓ to the results · enter opens · esc closes" if n else "nothing found", style="dim"))
        if self._focus_after and n:
            self.action_to_results()
        self.ready = True

    def action_to_results(self) -> None:
        ol = self.query_one(OptionList)
        if ol.option_count:
            ol.focus()
            if ol.highlighted is None:
                ol.action_first()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, key = (event.option.id or "").partition(":")
        self.dismiss()
        if kind == "claim":
            from tui.screens.claim import ClaimScreen

            self.app.push_screen(ClaimScreen(key))
        elif kind == "source":
            from tui.screens.audit import SourceAuditScreen

            self.app.push_screen(SourceAuditScreen(key))
