"""The store's settings as the code reads them: the detector's thresholds and the half-life
of track records (``verifier config`` writes them)."""

from __future__ import annotations

from sqlalchemy import select

from verifier.adapters import orm
from verifier.domain import matching, pooling

SETTING_T1, SETTING_T2 = "match.t1", "match.t2"
HALF_LIFE = "reliability.half_life_days"


def thresholds(session) -> tuple[float, float]:
    """The detector's (T1, T2): the store's settings, else ``matching``'s defaults."""
    rows = dict(session.execute(select(orm.settings.c.name, orm.settings.c.value)
                                .where(orm.settings.c.name.in_([SETTING_T1, SETTING_T2]))).all())
    return float(rows.get(SETTING_T1, matching.T1)), float(rows.get(SETTING_T2, matching.T2))


def half_life(session) -> float | None:
    """The half-life of old resolutions in days; None: they never fade."""
    value = session.execute(select(orm.settings.c.value).where(orm.settings.c.name == HALF_LIFE)).scalar()
    return None if value is None else pooling.parse_half_life(value)
