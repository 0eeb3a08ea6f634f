"""Every screen by name, and every key by screen.

The app opens screens through ``SCREENS`` (``app.open_screen("claim", key)``), so no screen
imports another or the app: this module is the only one above all the screens.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.screen import Screen

from tui.screens.audit import SourceAuditScreen
from tui.screens.claim import ClaimScreen
from tui.screens.duplicates import DuplicatesScreen
from tui.screens.forms import Form, LinkForm
from tui.screens.help import HelpScreen
from tui.screens.inbox import InboxScreen
from tui.screens.queue import QueueScreen
from tui.screens.search import SearchScreen
from tui.screens.sources import SourcesScreen
from tui.widgets.paged_table import PagedTable

MODES: dict[str, type[Screen]] = {"queue": QueueScreen, "sources": SourcesScreen, "duplicates": DuplicatesScreen}


def _ingest_screen():
    # imported when first opened: the ingest services cost the first screen a third of a second
    from tui.screens.ingest import IngestScreen

    return IngestScreen


def _ingest(document: str | None = None) -> Screen:
    return _ingest_screen()(document)


SCREENS: dict[str, Callable[..., Screen]] = {
    "claim": ClaimScreen,  # (claim key)
    "source": SourceAuditScreen,  # (source key)
    "search": SearchScreen,  # (query="")
    "inbox": InboxScreen,
    "ingest": _ingest,  # (document=None: the first report with proposals to review)
    "help": HelpScreen,  # (binding groups)
}


def binding_groups(everywhere: list[Binding]) -> list[tuple[str, list[Binding]]]:
    """The keys screen by screen (the help screen's list); ``everywhere``: the app's own."""
    return [
        ("Everywhere", everywhere),
        ("Unresolved queue (1)", QueueScreen.BINDINGS + [Binding("enter", "", "Open the claim", id="-")]),
        ("Claim page", ClaimScreen.BINDINGS + [Binding("enter", "", "Open the linked claim", id="-")]),
        ("Sources (2)", SourcesScreen.BINDINGS + [Binding("enter", "", "Source audit", id="-")]),
        ("Source audit", SourceAuditScreen.BINDINGS),
        ("Duplicate review (3)", DuplicatesScreen.BINDINGS),
        ("Ingest review (4)", _ingest_screen().BINDINGS),
        ("Search (/)", SearchScreen.BINDINGS),
        ("Tables", PagedTable.BINDINGS),
        ("Forms", Form.BINDINGS + LinkForm.BINDINGS),
    ]


def binding_ids(everywhere: list[Binding]) -> set[str]:
    """Every binding id a keymap may name."""
    return {b.id for _title, bindings in binding_groups(everywhere) for b in bindings if b.id and b.id != "-"}
