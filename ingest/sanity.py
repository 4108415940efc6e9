"""Data sanity guard: hold values wildly out of line with their series' recent history.

A misplaced decimal or a unit slip (135,000 instead of 13,500; tonnes typed as cylinders)
would otherwise raise a false crisis on the dashboard. Inside the loader's transaction each
incoming value is compared with the median of the same series (region × commodity × metric,
any source) over the last ``LOOKBACK_DAYS`` days before its date. A value more than
``RATIO_LIMIT`` times above or below that median is written to ``held_values`` instead of
``facts``; ``python -m ingest confirm`` loads or discards it. Zero values and series with
fewer than ``MIN_HISTORY`` observations are never held.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

# Physically impossible values, refused outright (the whole row) rather than held: beyond any
# regency's capacity (a province's whole Bulog stock is some tens of thousands of tonnes, a
# regency's fuel depot some thousands of kL, its LPG some hundreds of thousands of cylinders) or
# outside any price Rupiah have paid. Keys are stock / price units of data/commodities.csv.
# The limits sit two orders of magnitude above the largest real stock, so a unit slip
# (tonnes typed for cylinders) is held by the 8x guard below, and only absurd values are refused.
STOCK_MAX_BY_UNIT = {"ton": 5_000_000.0, "kL": 5_000_000.0, "tabung": 200_000_000.0}
PRICE_RANGE_BY_UNIT = {
    "Rp/kg": (500.0, 1_000_000.0),
    "Rp/liter": (500.0, 1_000_000.0),
    "Rp/tabung": (1_000.0, 2_000_000.0),
}
RATIO_LIMIT = 8.0
LOOKBACK_DAYS = 90
MIN_HISTORY = 7

_TYPICAL_SQL = """
    SELECT i.row_id, median(v.value) AS typical, count(v.value) AS n
    FROM incoming_check i
    JOIN (SELECT * FROM daily_values WHERE date >= ? AND date < ?
          AND list_contains(?, region_code) AND list_contains(?, commodity)) v
      ON v.region_code = i.region_code AND v.commodity = i.commodity AND v.metric = i.metric
     AND v.date < CAST(i.date AS DATE)
     AND v.date >= CAST(i.date AS DATE) - to_days(CAST(? AS INTEGER))
     AND v.value > 0
    GROUP BY i.row_id
"""


def impossible(metric: str, value: float, unit: str) -> tuple[str, str] | None:
    """(reason_id, reason_en) when ``value`` cannot be a real stock or price in ``unit``."""
    if metric.startswith("price"):
        low, high = PRICE_RANGE_BY_UNIT.get(unit, (0.0, float("inf")))
        if value and not low <= value <= high:
            return (
                f"harga {value:,.0f} {unit} mustahil (wajar {low:,.0f}–{high:,.0f}); periksa "
                "satuan dan pemisah ribuan",
                f"a price of {value:,.0f} {unit} is impossible (plausible {low:,.0f}–{high:,.0f}); "
                "check the unit and the thousands separators",
            )
        return None
    limit = STOCK_MAX_BY_UNIT.get(unit)
    if limit is not None and value > limit:
        return (
            f"{value:,.0f} {unit} mustahil untuk satu kabupaten/kota (paling banyak {limit:,.0f}); "
            "periksa satuan dan jumlah digit",
            f"{value:,.0f} {unit} is impossible for one regency (at most {limit:,.0f}); check "
            "the unit and the number of digits",
        )
    return None


def _history_bounds(frame: pd.DataFrame) -> list:
    """Dates, regions and commodities the check can need: filtered before the ``daily_values``
    window so it ranks those series only, not the whole warehouse."""
    dates = pd.to_datetime(frame["date"])
    first = (dates.min() - pd.Timedelta(days=LOOKBACK_DAYS)).date()
    return [
        first,
        dates.max().date(),
        sorted(frame["region_code"].astype(str).unique()),
        sorted(frame["commodity"].astype(str).unique()),
    ]


def out_of_line(con: duckdb.DuckDBPyConnection, facts: pd.DataFrame) -> pd.DataFrame:
    """``facts`` rows to hold, with ``typical_value`` and ``ratio`` columns added."""
    empty = facts.iloc[0:0].assign(
        typical_value=pd.Series(dtype=float), ratio=pd.Series(dtype=float)
    )
    if facts.empty:
        return empty
    frame = facts.reset_index(drop=True).assign(row_id=lambda f: range(len(f)))
    con.register("incoming_check", frame[["row_id", "date", "region_code", "commodity", "metric"]])
    try:
        typical = con.execute(_TYPICAL_SQL, [*_history_bounds(frame), LOOKBACK_DAYS]).df()
    finally:
        con.unregister("incoming_check")
    merged = frame.merge(typical, on="row_id", how="inner")
    merged = merged[(merged["n"] >= MIN_HISTORY) & (merged["value"] > 0) & (merged["typical"] > 0)]
    ratio = merged["value"] / merged["typical"]
    held = merged[(ratio > RATIO_LIMIT) | (ratio < 1.0 / RATIO_LIMIT)].copy()
    if held.empty:
        return empty
    held["typical_value"] = held["typical"].astype(float)
    held["ratio"] = held["value"] / held["typical_value"]
    return held.drop(columns=["typical", "n"])


def with_row_companions(facts: pd.DataFrame, held: pd.DataFrame) -> pd.DataFrame:
    """Add the other values of each held value's input row: a row is held whole, never split.

    A companion keeps its own value as ``typical_value`` (ratio 1): it is held for its row,
    not for being out of line.
    """
    if held.empty or "row_key" not in facts.columns:
        return held
    keys = set(held["row_key"].dropna())
    frame = facts.reset_index(drop=True).assign(row_id=lambda f: range(len(f)))
    extra = frame[frame["row_key"].isin(keys) & ~frame["row_id"].isin(held["row_id"])]
    if extra.empty:
        return held
    extra = extra.assign(typical_value=extra["value"].astype(float), ratio=1.0)
    return pd.concat([held, extra[held.columns]], ignore_index=True)


def hold_out_of_line(
    con: duckdb.DuckDBPyConnection, facts: pd.DataFrame, source: str, run_id: str
) -> tuple[pd.DataFrame, int]:
    """Move out-of-line facts into ``held_values``; return the facts to load and the count held."""
    held = with_row_companions(facts, out_of_line(con, facts))
    if held.empty:
        return facts, 0
    held = held.assign(
        hold_id=[f"{run_id}:{n}" for n in range(1, len(held) + 1)],
        run_id=run_id,
        source=source,
        status="held",
        held_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
    )
    con.register("held_frame", held)
    con.execute(
        "INSERT INTO held_values (hold_id, run_id, date, region_code, commodity, metric, source,"
        " value, unit, typical_value, ratio, status, held_at) SELECT hold_id, run_id,"
        " CAST(date AS DATE), region_code, commodity, metric, source, value, unit, typical_value,"
        " ratio, status, held_at FROM held_frame"
    )
    con.unregister("held_frame")
    keep = facts.reset_index(drop=True).drop(index=held["row_id"].tolist())
    return keep, len(held)
