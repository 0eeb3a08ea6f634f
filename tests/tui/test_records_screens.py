"""The claim page shows a likely copy to confirm or overrule; the source audit shows the record by topic."""

from __future__ import annotations

from tuihelpers import import_records, plain_of, settle

from tui.screens.audit import SourceAuditScreen
from tui.screens.claim import ClaimScreen
from verifier.services import commands

SIZE = (120, 40)


async def test_claim_page_shows_an_accepted_repost_as_a_copy_to_confirm_or_overrule(app, tui_store):
    commands.set_link_state(tui_store.uow(), "c7", "d6", "confirmed")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ClaimScreen("c7"))
        await settle(pilot)
        text = plain_of(app.screen.query_one("#independence"))
        assert "Independently corroborated: no" in text
        assert "to confirm or overrule" in text and "d6 (aggregator) reuses the words of c7" in text
        commands.overrule_copy(tui_store.uow(), "d6", "c7")
        await pilot.press("escape")
        await settle(pilot)
        app.push_screen(ClaimScreen("c7"))
        await settle(pilot)
        text = plain_of(app.screen.query_one("#independence"))
        assert "Independently corroborated: yes" in text and "to confirm or overrule" not in text


async def test_source_audit_shows_the_record_by_topic(app, tui_store, tmp_path):
    records = [{"kind": "source", "id": "wire", "name": "Wire"}]
    for i in range(4):
        for topic, verdict in (("economy", "true"), ("security", "false")):
            records.append({"kind": "claim", "id": f"w-{topic}-{i}", "text": f"{topic} claim {i}", "source": "wire",
                            "tags": [topic]})
            records.append({"kind": "resolution", "claim": f"w-{topic}-{i}", "verdict": verdict, "at": "2020-01-01"})
    import_records(tui_store, tmp_path, records)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(SourceAuditScreen("wire"))
        await settle(pilot)
        facts = plain_of(app.screen.query_one("#facts"))
        assert "By topic" in facts
        line = next(ln for ln in facts.splitlines() if "economy" in ln)
        economy = float(line.split("economy")[1].split()[0])
        security = float(line.split("security")[1].split()[0])
        assert economy > 0.6 > 0.4 > security
