"""The bulk path writes rows keyed by column name: a column the table does not have is
refused before anything is written, and a row's values land in the columns they name
whatever their order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from verifier.adapters import orm


def test_a_misspelt_column_is_refused_before_anything_is_written(store):
    with store.uow() as uow:
        conv = uow.imports.converter(datetime.now(UTC))
        with pytest.raises(KeyError, match="claims has no column txet"):
            uow.imports.bulk("claims", [{"id": 1, "key": "c1", "txet": "hello"}], conv)
        assert uow.session.execute(select(func.count()).select_from(orm.claims)).scalar() == 0


def test_values_land_in_the_columns_they_name(store):
    with store.uow() as uow:
        now = datetime.now(UTC)
        conv = uow.imports.converter(now)
        uow.imports.insert("sources", [{"id": 1, "key": "s1", "name": "S1", "kind": "outlet", "aliases": [], "created_at": now},
                                       {"id": 2, "key": "s2", "name": "S2", "kind": "outlet", "aliases": [], "created_at": now}])
        event = uow.log_now("import", "file", "t", None, None)
        uow.imports.bulk("claims", [{"text": "a claim", "norm": "a claim", "key": "c1", "id": 1, "source_id": 1,
                                     "tags": conv.json(["x"]), "language": "en"}], conv,
                         {"status": "unresolved", "created_at": conv.now, "support": 0, "contradicted": 0,
                          "created_event": event})
        uow.imports.bulk("relays", [{"source_id": 2, "position": 0, "claim_id": 1}], conv)
        row = uow.session.execute(select(orm.claims.c.key, orm.claims.c.text, orm.claims.c.source_id,
                                         orm.claims.c.tags, orm.claims.c.language)).one()
        assert tuple(row) == ("c1", "a claim", 1, ["x"], "en")
        assert uow.session.execute(select(orm.claim_relays.c.claim_id, orm.claim_relays.c.source_id)).one() == (1, 2)
