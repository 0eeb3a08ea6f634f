"""The analyst's decisions on proposals (claims read from a report), each through
``verifier.services.ingest`` (so audited under the analyst's name), each returning a
``triage.Done`` that knows how to undo itself, like the triage actions.

These run in worker threads; each opens its own unit of work.
"""

from __future__ import annotations

from tui.triage import Done
from verifier.services import ingest


def _snapshots(store, *ids: int) -> list[dict]:
    with store.uow(readonly=True) as uow:
        return [uow.proposals.require(i).snapshot() for i in ids]


def _revert(snapshots: list[dict], remove: tuple[int, ...] = (), label: str = ""):
    def undo(store) -> Done:
        ingest.revert(store.uow(), snapshots, remove)
        return Done(f"undone: {label}", reload=True)

    return undo


def accept(store, pid: int) -> Done:
    (out,) = ingest.accept(store.uow(), [pid])

    def undo(store) -> Done:
        ingest.unaccept(store.uow(), pid)
        return Done(f"undone: claim {out['claim']} removed, proposal {pid} awaits review", reload=True)

    more = f" ({out['suggested']} near-duplicate suggestion(s))" if out["suggested"] else ""
    return Done(f"proposal {pid} accepted as claim {out['claim']}{more}", undo, (out["claim"],), reload=True)


def reject(store, pid: int) -> Done:
    ingest.reject(store.uow(), [pid])

    def undo(store) -> Done:
        ingest.undo(store.uow(), pid)
        return Done(f"undone: proposal {pid} awaits review", reload=True)

    return Done(f"proposal {pid} rejected", undo, reload=True)


def edit(store, pid: int, changes: dict) -> Done:
    """``changes``: text, source, via (a list), location, value, qualifier, event_date, as
    `proposals edit` takes them (what is left out stays)."""
    before = _snapshots(store, pid)
    ingest.edit(store.uow(), pid, **changes)
    return Done(f"proposal {pid} edited", _revert(before, label=f"proposal {pid} as it was"), reload=True)


def split(store, pid: int) -> Done:
    before = _snapshots(store, pid)
    _first, second = ingest.split(store.uow(), pid)
    return Done(f"proposal {pid} split in two ({pid} and {second['id']})",
                _revert(before, (second["id"],), f"proposal {pid} whole again"), reload=True)


def merge(store, a: int, b: int) -> Done:
    before = _snapshots(store, a, b)
    ingest.merge(store.uow(), a, b)
    return Done(f"proposal {b} merged into {a}", _revert(before, label=f"proposals {a} and {b} apart again"),
                reload=True)
