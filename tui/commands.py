"""The command palette (ctrl+p): go anywhere, open a claim or a source by id, and the
actions of the screen in front of the analyst (``palette_actions()``: resolve, link, note,
accept, reject on its claim or pair). Screens are opened by name through the app."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.text import safe


class VerifierCommands(Provider):
    def _commands(self):
        app = self.app
        actions = getattr(self.screen, "palette_actions", None)
        return (actions() if actions is not None else []) + [
            ("Unresolved queue", "the triage queue, ordered by need", partial(app.switch_mode, "queue")),
            ("Sources", "track records and reliability", partial(app.switch_mode, "sources")),
            ("Duplicate review", "suggested duplicates and possible contradictions", partial(app.switch_mode, "duplicates")),
            ("Review ingested reports", "proposals read from reports: accept, edit, reject", app.action_ingest_review),
            ("Search claims and sources", "find by id, words or name", app.action_search),
            ("Undo the last action", "resolve, link, accept/reject, note", app.action_undo),
            ("Keys", "the help screen", app.action_help),
        ]

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(Text(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)
        q = query.strip()
        open_screen = self.app.open_screen
        if q and " " not in q:
            yield Hit(0.5, Text("Open claim ").append_text(safe(q, style="bold")),
                      partial(open_screen, "claim", q), text=f"Open claim {q}", help="by its id")
            yield Hit(0.4, Text("Open source ").append_text(safe(q, style="bold")),
                      partial(open_screen, "source", q), text=f"Open source {q}", help="by its id")
        if q:
            yield Hit(0.3, Text("Search for ").append_text(safe(q, style="bold")),
                      partial(open_screen, "search", q), text=f"Search for {q}", help="claims and sources")
