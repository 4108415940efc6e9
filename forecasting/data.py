"""Reads for the forecasting batch (read-only, short-lived connections)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from warehouse.db import reader

PathLike = str | os.PathLike[str] | None
METRICS: tuple[str, ...] = ("price", "stock", "distribution", "delivery")


class NoDataError(ValueError):
    """The warehouse holds no facts for the chosen regions and commodities: nothing to run."""

    def __init__(self) -> None:
        super().__init__(
            "no facts in the warehouse for the chosen regions and commodities yet; import data"
            " first (python -m ingest file PATH, or python -m ingest pihps / bapanas / all)"
        )


@dataclass
class Reference:
    """The reference tables the batch needs."""

    regions: pd.DataFrame
    commodities: pd.DataFrame
    references: pd.DataFrame
    thresholds: pd.DataFrame


def _in_clause(column: str, values: Sequence[str] | None) -> tuple[str, list[str]]:
    if not values:
        return "", []
    marks = ", ".join("?" for _ in values)
    return f" AND {column} IN ({marks})", list(values)


def load_values(
    path: PathLike = None,
    regions: Sequence[str] | None = None,
    commodities: Sequence[str] | None = None,
    until: dt.date | None = None,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """One value per date/region/commodity/metric from the ``daily_values`` view."""
    sql = "SELECT date, region_code, commodity, metric, value FROM daily_values WHERE 1=1"
    params: list[object] = []
    for column, values in (("region_code", regions), ("commodity", commodities)):
        clause, extra = _in_clause(column, values)
        sql += clause
        params += extra
    if until is not None:
        sql += " AND date <= ?"
        params.append(until)
    if since is not None:
        sql += " AND date >= ?"
        params.append(since)
    sql += " ORDER BY region_code, commodity, metric, date"
    with reader(path) as con:
        frame = con.execute(sql, params).df()
    frame["date"] = pd.to_datetime(frame["date"])
    frame["region_code"] = frame["region_code"].astype(str)
    return frame


SOURCE_RANK_SQL = (
    "CASE source WHEN 'officer' THEN 0 WHEN 'sp2kp' THEN 1 WHEN 'bapanas' THEN 2 WHEN 'pihps'"
    " THEN 3 WHEN 'pertamina' THEN 4 WHEN 'wfp' THEN 5 ELSE 9 END"
)  # the order of the daily_values view
BACKFILL_DAYS = 7


def load_vintages(
    path: PathLike = None,
    regions: Sequence[str] | None = None,
    commodities: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every version of every fact with the day it became known and the day it was replaced.

    ``known_on`` is the day the version was first seen (``facts.known_at``, or for a replaced
    version ``fact_revisions.old_known_at``). A value first seen more than ``BACKFILL_DAYS``
    after its date came in a history import: when it was reported is not known, so it counts
    as known on its own date (as do values loaded before first-seen times were recorded).
    A later version counts from the day it was seen. ``superseded_on`` is the day a revision
    replaced the version (NaT for the current one).
    Columns: date, region_code, commodity, metric, value, source_rank, known_on,
    superseded_on.
    """
    where, params = "WHERE 1=1", []
    for column, chosen in (("region_code", regions), ("commodity", commodities)):
        clause, extra = _in_clause(column, chosen)
        where += clause
        params += extra
    with reader(path) as con:
        migrated = con.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'fact_revisions'"
            " AND column_name = 'old_known_at'"
        ).fetchone()[0]
        seen, old_seen = ("known_at", "old_known_at") if migrated else ("NULL", "NULL")
        current = f"SELECT date, region_code, commodity, metric, value, source, {seen} AS"
        current += " known_at, CAST(NULL AS TIMESTAMP) AS superseded_at FROM facts "
        replaced = "SELECT date, region_code, commodity, metric, old_value AS value, source,"
        replaced += f" {old_seen} AS known_at, revised_at AS superseded_at FROM fact_revisions "
        versions = f"{current}{where} UNION ALL {replaced}{where} AND old_value IS NOT NULL"
        ranked = f"SELECT *, {SOURCE_RANK_SQL} AS source_rank FROM ({versions})"  # noqa: S608
        frame = con.execute(ranked, params * 2).df()
    frame["date"] = pd.to_datetime(frame["date"])
    frame["region_code"] = frame["region_code"].astype(str)
    frame = frame.sort_values(["region_code", "commodity", "metric", "source", "date",
                               "known_at"], na_position="first")  # fmt: skip
    first = ~frame.duplicated(["date", "region_code", "commodity", "metric", "source"])
    known = pd.to_datetime(frame["known_at"]).dt.normalize()
    backfill = first & (known.isna() | ((known - frame["date"]).dt.days > BACKFILL_DAYS))
    frame["known_on"] = known.where(~backfill, frame["date"]).fillna(frame["date"])
    frame["superseded_on"] = pd.to_datetime(frame["superseded_at"]).dt.normalize()
    return frame.drop(columns=["known_at", "superseded_at", "source"])


def load_reference(path: PathLike = None) -> Reference:
    """Regions, commodities, dated reference prices and thresholds."""
    with reader(path) as con:
        regions = con.execute("SELECT * FROM regions ORDER BY bps_code").df()
        commodities = con.execute("SELECT * FROM commodities ORDER BY sort_order").df()
        references = con.execute("SELECT * FROM reference_prices").df()
        thresholds = con.execute("SELECT * FROM thresholds").df()
    references["region_code"] = references["region_code"].astype("string")
    commodities = with_groups(commodities)
    references = pd.concat([references, borrowed_references(commodities, references)])
    thresholds = pd.concat([thresholds, borrowed_thresholds(commodities, thresholds)])
    return Reference(regions, commodities, references.reset_index(drop=True), thresholds)


def with_groups(commodities: pd.DataFrame) -> pd.DataFrame:
    """``group_code``/``compare_to`` from ``data/commodities.csv`` when the table predates them."""
    if {"group_code", "compare_to"} <= set(commodities.columns):
        return commodities
    from warehouse.reference import read_reference_csv

    csv = read_reference_csv("commodities").set_index("code")
    out = commodities.copy()
    for column in ("group_code", "compare_to"):
        out[column] = out["code"].map(csv[column]).astype(object)
    return out


def borrowed_references(commodities: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """A source grade's reference rows, copied from the HET class it is defensibly compared to."""
    pairs = commodities.dropna(subset=["compare_to"])
    pairs = pairs[pairs["compare_to"].astype(str) != ""]
    parts = [
        references[references["commodity"] == target].assign(commodity=code)
        for code, target in zip(pairs["code"], pairs["compare_to"], strict=True)
    ]
    return pd.concat(parts) if parts else references.iloc[0:0]


def borrowed_thresholds(commodities: pd.DataFrame, thresholds: pd.DataFrame) -> pd.DataFrame:
    """Thresholds for commodities without their own row: those of the class they are compared
    to, else of the first commodity of the same group (by sort order) that has a row."""
    own = thresholds.set_index("commodity")
    rows = []
    ordered = commodities.sort_values("sort_order")
    for item in ordered.itertuples(index=False):
        if item.code in own.index:
            continue
        group = ordered[
            (ordered["group_code"] == item.group_code) & ordered["code"].isin(own.index)
        ]
        target = item.compare_to if item.compare_to in own.index else None
        target = target or (group["code"].iloc[0] if len(group) else None)
        if target:
            rows.append(own.loc[[target]].reset_index().assign(commodity=item.code))
    return pd.concat(rows) if rows else thresholds.iloc[0:0]


def load_incidents(path: PathLike = None) -> pd.DataFrame:
    """The incidents table (ground truth of the demo warehouse)."""
    with reader(path) as con:
        frame = con.execute("SELECT * FROM incidents ORDER BY start_date").df()
    for column in ("cause_date", "start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def wide_daily(values: pd.DataFrame, metric: str, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """One metric as a ``dates`` × (region_code, commodity) frame; NaN where not reported."""
    subset = values[
        (values["metric"] == metric) & (values["date"] >= dates[0]) & (values["date"] <= dates[-1])
    ]
    wide = subset.pivot_table(
        index="date", columns=["region_code", "commodity"], values="value", aggfunc="last"
    )
    return wide.reindex(dates)


def series_of(values: pd.DataFrame, metric: str) -> dict[tuple[str, str], pd.Series]:
    """Split long values into one date-indexed series per (region, commodity) for a metric."""
    subset = values[values["metric"] == metric]
    return {
        (str(region), str(commodity)): group.set_index("date")["value"].astype(float)
        for (region, commodity), group in subset.groupby(["region_code", "commodity"], sort=True)
    }
