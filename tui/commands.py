"""The command palette (ctrl+p): go anywhere, open a claim or a source by id, and the triage
actions (resolve, link, note, accept, reject) on the claim or pair in front of the analyst."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.text import plain, safe


class VerifierCommands(Provider):
    def _triage(self):
        """The triage actions of the screen the palette was opened on, named after their target."""
        from tui.screens.duplicates import DuplicatesScreen
        from tui.screens.triage_keys import TRIAGE_BINDINGS, TriageKeys

        screen, app = self.screen, self.app
        if isinstance(screen, TriageKeys):
            target = screen.triage_target()
            if target is None:
                return []
            return [(f"{b.description} claim {plain(target[0])}", f"{b.tooltip}  (key {app.key_for(b.id, b.key)})",
                     getattr(screen, f"action_{b.action}")) for b in TRIAGE_BINDINGS]
        if isinstance(screen, DuplicatesScreen) and screen.current() is not None:
            pair = screen.current()
            return [(f"{b.description} the pair {plain(pair['a'])} ~ {plain(pair['b'])}", f"{b.description.lower()} this suggestion"
                     f"  (key {app.key_for(b.id, b.key)})", getattr(screen, f"action_{b.action}"))
                    for b in screen.BINDINGS if b.action in ("accept", "reject")]
        return []

    def _commands(self):
        app = self.app
        return self._triage() + [
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
        if q and " " not in q:
            from tui.screens.audit import SourceAuditScreen
            from tui.screens.claim import ClaimScreen

            yield Hit(0.5, Text("Open claim ").append_text(safe(q, style="bold")),
                      lambda: self.app.push_screen(ClaimScreen(q)), text=f"Open claim {q}", help="by its id")
            yield Hit(0.4, Text("Open source ").append_text(safe(q, style="bold")),
                      lambda: self.app.push_screen(SourceAuditScreen(q)), text=f"Open source {q}", help="by its id")
        if q:
            from tui.screens.search import SearchScreen

            yield Hit(0.3, Text("Search for ").append_text(safe(q, style="bold")),
                      lambda: self.app.push_screen(SearchScreen(q)), text=f"Search for {q}", help="claims and sources")
