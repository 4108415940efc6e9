"""The reference price in force: ONE rule for the dashboard, forecasting, replay and reports.

On a day ``d`` a ``reference_prices`` row is in force when ``valid_from <= d`` and
(``valid_to`` is NULL or ``valid_to >= d``), and it applies to a regency when its scope is
``province`` or its ``region_code`` is that regency. When several rows apply, the one
tie-break is, in this order:

1. regency scope before province scope (a regency's own decree beats the provincial one);
2. kind: HET > HAP > harga_subsidi > harga_jual (a ceiling price beats a guide price);
3. the newest ``valid_from``.

``ReferenceBook`` applies it in Python (one lookup, or a whole date × pair grid for the
replay); ``IN_FORCE_ORDER_SQL`` is the same order for SQL queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

REFERENCE_KIND_PRIORITY: tuple[str, ...] = ("HET", "HAP", "harga_subsidi", "harga_jual")
# ORDER BY of the rows in force (alias ``rp``), best first: the tie-break above.
IN_FORCE_ORDER_SQL = (
    "CASE rp.scope WHEN 'regency' THEN 0 ELSE 1 END, "
    "CASE rp.kind WHEN 'HET' THEN 0 WHEN 'HAP' THEN 1 WHEN 'harga_subsidi' THEN 2 "
    "WHEN 'harga_jual' THEN 3 ELSE 4 END, rp.valid_from DESC"
)


@dataclass(frozen=True)
class ReferenceRow:
    """One dated reference price."""

    commodity: str
    scope: str
    region_code: str | None
    kind: str
    value: float
    valid_from: dt.date
    valid_to: dt.date | None

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def applies_to(self, region_code: str) -> bool:
        return self.scope == "province" or self.region_code == str(region_code)


def rank(scope: str, kind: str, valid_from: dt.date) -> tuple[int, int, int]:
    """Sort key of the tie-break: smaller is better."""
    kinds = len(REFERENCE_KIND_PRIORITY)
    order = REFERENCE_KIND_PRIORITY.index(kind) if kind in REFERENCE_KIND_PRIORITY else kinds
    return (0 if scope == "regency" else 1, order, -valid_from.toordinal())


def _date(value: object) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


class ReferenceBook:
    """The reference rows of a ``reference_prices`` frame, per commodity, best first."""

    def __init__(self, references: pd.DataFrame) -> None:
        rows = [
            ReferenceRow(
                str(r["commodity"]),
                str(r["scope"]),
                None if pd.isna(r["region_code"]) else str(r["region_code"]),
                str(r["kind"]),
                float(r["value"]),
                _date(r["valid_from"]),
                _date(r["valid_to"]),
            )
            for r in references.to_dict("records")
        ]
        rows.sort(key=lambda row: rank(row.scope, row.kind, row.valid_from))
        self.by_commodity: dict[str, list[ReferenceRow]] = {}
        for row in rows:
            self.by_commodity.setdefault(row.commodity, []).append(row)

    def on(self, region_code: str, commodity: str, day: dt.date) -> ReferenceRow | None:
        """The row in force for one regency, commodity and day (None when there is none)."""
        for row in self.by_commodity.get(commodity, []):
            if row.in_force(day) and row.applies_to(region_code):
                return row
        return None

    def wide(
        self, pairs: pd.MultiIndex, dates: pd.DatetimeIndex
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Value and kind in force on every date for every (region, commodity) pair."""
        value = pd.DataFrame(np.nan, index=dates, columns=pairs)
        kind = pd.DataFrame("", index=dates, columns=pairs)
        if len(dates) == 0 or len(pairs) == 0:
            return value, kind
        days = dates.date
        values = value.to_numpy(copy=True)
        kinds = np.full(values.shape, "", dtype=object)
        in_force: dict[int, np.ndarray] = {}  # each row's dates, computed once for all pairs
        for j, (region, commodity) in enumerate(pairs):
            # worst first, so the best row in force is written last
            for row in reversed(self.by_commodity.get(commodity, [])):
                if not row.applies_to(region):
                    continue
                if id(row) not in in_force:
                    end = row.valid_to or days[-1]
                    in_force[id(row)] = (days >= row.valid_from) & (days <= end)
                mask = in_force[id(row)]
                values[mask, j] = row.value
                kinds[mask, j] = row.kind
        value = pd.DataFrame(values, index=dates, columns=pairs)
        kind = pd.DataFrame(kinds, index=dates, columns=pairs, dtype=kind.dtypes.iloc[0])
        return value, kind


def reference_in_force(
    references: pd.DataFrame, commodity: str, region: str, on: dt.date
) -> tuple[float, str] | None:
    """(value, kind) of the reference price in force for ``region`` on ``on``."""
    row = ReferenceBook(references).on(region, commodity, on)
    return None if row is None else (row.value, row.kind)
