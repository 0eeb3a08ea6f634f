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
        self.shown: str | None = None  # the query whose results the list shows
        self._open_first = False
        self._timer = None

    def compose(self) -> ComposeResult:
        with Vertical(id="search"):
            yield Static(Text("Search claims and sources", style="bold"))
            yield Input(value=self.initial, placeholder="claim id, words, or a source name", id="query")
            yield Static(Text("type to search · enter opens the first result · ↓ to pick another · esc closes", style="dim"), id="status")
            yield OptionList(id="results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial:
            self.start(self.initial)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        value = event.value
        # the list shows another query's results: they cannot be opened until the new ones come
        self.query_one(OptionList).disabled = value.strip() != self.shown
        self._timer = self.set_timer(0.25, lambda: self.start(value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the box opens the first result of the query in the box (as soon as it is found)."""
        if self._timer is not None:
            self._timer.stop()
        if self.ready and self.shown == event.value.strip():
            self.open_first()
        else:
            self.start(event.value, open_first=True)

    def start(self, query: str, open_first: bool = False) -> None:
        self.token += 1
        self._open_first = open_first
        self.ready = False
        self.query_one("#status", Static).update(Text("searching…", style="dim"))
        self.run_search(query, self.token)

    @work(thread=True, group="search", exclusive=True, exit_on_error=False)
    def run_search(self, query: str, token: int) -> None:
        self.deliver("results", (query, self.read(data.search, query)), token)

    def on_loaded(self, message: Loaded) -> None:
        if message.token != self.token:
            return
        query, results = message.data
        ol = self.query_one(OptionList)
        ol.clear_options()
        self.shown = query.strip()
        ol.disabled = self.query_one(Input).value.strip() != self.shown
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
            Text(f"{n} found · enter opens the first · ↓ to pick another · esc closes" if n else "nothing found", style="dim"))
        self.ready = True
        if self._open_first and not ol.disabled:
            self.open_first()

    def action_to_results(self) -> None:
        ol = self.query_one(OptionList)
        if ol.option_count:
            ol.focus()
            if ol.highlighted is None:
                ol.action_first()

    def open_first(self) -> None:
        ol = self.query_one(OptionList)
        first = next((ol.get_option_at_index(i) for i in range(ol.option_count)
                      if not ol.get_option_at_index(i).disabled), None)
        if first is not None:
            self.open(first.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.open(event.option.id)

    def open(self, option_id: str | None) -> None:
        kind, _, key = (option_id or "").partition(":")
        self.dismiss()
        if kind in ("claim", "source"):
            self.app.open_screen(kind, key)
