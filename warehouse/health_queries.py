"""Named read functions for the data-health page: runs, freshness and rejected rows."""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pandas as pd

from warehouse.db import read_df, reader

WIB = dt.timezone(dt.timedelta(hours=7))
SOURCES = ("bapanas", "pihps", "sp2kp", "pertamina", "wfp", "officer")
# Newest fact older than this many days = stale (weekday-only panels get a weekend's slack;
# fuel prices change monthly; WFP publishes monthly with a lag).
STALE_AFTER_DAYS = {"bapanas": 3, "pihps": 4, "sp2kp": 4, "pertamina": 45, "wfp": 75, "officer": 7}

PathLike = str | os.PathLike[str] | None


def source_freshness(path: PathLike = None, today: dt.date | None = None) -> pd.DataFrame:
    """Per source: last run and its status, last successful run (by start time), newest fact
    date and its age in days.

    Columns: source, last_run_at, last_status, last_message, last_success_at,
    last_success_run_id, failures_since_success, latest_fact_date, age_days,
    stale_after_days, stale (True when there is no fact or the newest is too old).
    Every known source appears, also those that never ran (NULLs).
    """
    today = today or dt.datetime.now(WIB).date()
    sources = pd.DataFrame({"source": list(SOURCES)})
    frame = read_df(
        """
        WITH runs AS (
            SELECT *, row_number() OVER (PARTITION BY source ORDER BY started_at DESC) AS n
            FROM ingest_runs WHERE status <> 'dry_run'
        ),
        last_run AS (SELECT source, started_at AS last_run_at, status AS last_status,
                            message AS last_message FROM runs WHERE n = 1),
        last_ok AS (SELECT source, max(started_at) AS last_success_at,
                           arg_max(run_id, started_at) AS last_success_run_id
                    FROM ingest_runs WHERE status = 'success' GROUP BY source),
        failures AS (SELECT r.source, count(*) AS failures_since_success
                     FROM ingest_runs r LEFT JOIN last_ok o USING (source)
                     WHERE r.status IN ('failed', 'no_data')  -- no run since delivered data
                       AND (o.last_success_at IS NULL OR r.started_at > o.last_success_at)
                     GROUP BY r.source),
        newest AS (SELECT source, max(date) AS latest_fact_date FROM facts GROUP BY source)
        SELECT s.source, l.last_run_at, l.last_status, l.last_message, o.last_success_at,
               o.last_success_run_id, coalesce(f.failures_since_success, 0) AS failures_since_success,
               nw.latest_fact_date, date_diff('day', nw.latest_fact_date, ?) AS age_days
        FROM (SELECT DISTINCT source FROM ingest_runs UNION SELECT DISTINCT source FROM facts) s
        LEFT JOIN last_run l USING (source)
        LEFT JOIN last_ok o USING (source)
        LEFT JOIN failures f USING (source)
        LEFT JOIN newest nw USING (source)
        """,
        [today],
        path=path,
    )
    merged = sources.merge(frame, on="source", how="outer")
    merged["stale_after_days"] = merged["source"].map(STALE_AFTER_DAYS)
    merged["stale"] = merged["age_days"].isna() | (merged["age_days"] > merged["stale_after_days"])
    order = {name: i for i, name in enumerate(SOURCES)}
    return merged.sort_values(
        "source", key=lambda s: s.map(lambda v: order.get(v, 99))
    ).reset_index(drop=True)


def recent_runs(limit: int = 20, source: str | None = None, path: PathLike = None) -> pd.DataFrame:
    """The latest ingest runs, newest first (all statuses)."""
    return read_df(
        "SELECT run_id, source, started_at, finished_at, status, rows_read, rows_loaded,"
        " rows_rejected, message FROM ingest_runs WHERE ? IS NULL OR source = ?"
        " ORDER BY started_at DESC LIMIT ?",
        [source, source, int(limit)],
        path=path,
    )


def rejected_rows_of_recent_runs(
    runs: int = 5, source: str | None = None, path: PathLike = None
) -> pd.DataFrame:
    """Rejected rows of the last ``runs`` runs (optionally of one source) with their reasons.

    Columns: run_id, source, started_at, row_number, raw, reason_id, reason_en.
    """
    frame = read_df(
        "WITH last_runs AS (SELECT run_id, source, started_at FROM ingest_runs"
        " WHERE ? IS NULL OR source = ? ORDER BY started_at DESC LIMIT ?)"
        " SELECT l.run_id, l.source, l.started_at, r.row_number, r.raw, r.reason"
        " FROM rejected_rows r JOIN last_runs l USING (run_id)"
        " ORDER BY l.started_at DESC, r.row_number",
        [source, source, int(runs)],
        path=path,
    )
    parts = frame["reason"].str.split(" | ", n=1, regex=False)
    frame["reason_id"] = parts.str[0]
    frame["reason_en"] = parts.str[-1]
    return frame.drop(columns=["reason"])


def held_values(path: PathLike = None) -> pd.DataFrame:
    """Values the sanity guard held for confirmation (far out of line with their series),
    oldest first. Columns: hold_id, run_id, date, region_code, commodity, metric, source,
    value, unit, typical_value, ratio, held_at. Confirm or discard with
    ``python -m ingest confirm``.
    """
    return read_df(
        "SELECT hold_id, run_id, date, region_code, commodity, metric, source, value, unit,"
        " typical_value, ratio, held_at FROM held_values WHERE status = 'held'"
        " ORDER BY held_at, hold_id",
        path=path,
    )


# A pause longer than this many days between two reports of a daily series counts as a gap
# (a weekday-only panel skips weekends: 3 days; longer holidays such as Lebaran show up).
COVERAGE_GAP_DAYS = 4

COVERAGE_COLUMNS = (
    "region_code", "commodity", "metric", "sources", "first_date", "last_date", "n_days",
    "n_gaps", "longest_gap_days", "days_behind",
)  # fmt: skip
_EPOCH = dt.date(1970, 1, 1)
# One pass over the facts: per series, the days it reports as one bit per day of the
# warehouse's span (no sort, no window over tens of millions of rows).
_COVERAGE_SPAN_SQL = "SELECT min(date) AS low, max(date) AS high FROM facts"
_COVERAGE_DAYS_SQL = """
    SELECT region_code, commodity, metric,
           bitstring_agg(CAST(date - DATE '1970-01-01' AS INTEGER), ?, ?)::VARCHAR AS days
    FROM facts GROUP BY region_code, commodity, metric
"""
_COVERAGE_SOURCES_SQL = """
    SELECT region_code, commodity, metric, string_agg(source, ', ' ORDER BY source) AS sources
    FROM (SELECT DISTINCT region_code, commodity, metric, source FROM facts)
    GROUP BY region_code, commodity, metric
"""


def _day_steps(reported: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row of a (series × day) boolean grid: first and last reported day, the number of
    pauses longer than ``COVERAGE_GAP_DAYS`` and the longest pause in days."""
    first = reported.argmax(axis=1)
    last = reported.shape[1] - 1 - reported[:, ::-1].argmax(axis=1)
    rows, days = np.nonzero(reported)  # row-major: each row's days ascending
    same_series = rows[1:] == rows[:-1]
    steps = np.diff(days)[same_series]
    step_rows = rows[1:][same_series]
    n_gaps = np.bincount(step_rows[steps > COVERAGE_GAP_DAYS], minlength=len(reported))
    longest = np.ones(len(reported), dtype=np.int64)
    np.maximum.at(longest, step_rows, steps)
    return first, last, n_gaps, longest - 1


def _coverage_rows(days: pd.DataFrame, low: dt.date, high: dt.date) -> pd.DataFrame:
    """The coverage columns from each series' day bits, a block of series at a time."""
    blocks = []
    for start in range(0, len(days), 2048):
        block = days.iloc[start : start + 2048]
        text = "".join(block["days"]).encode()
        reported = np.frombuffer(text, dtype=np.uint8).reshape(len(block), -1) == ord("1")
        first, last, n_gaps, longest = _day_steps(reported)
        blocks.append(
            block[["region_code", "commodity", "metric"]].assign(
                first_offset=first,
                last_offset=last,
                n_days=reported.sum(axis=1),
                n_gaps=n_gaps,
                longest_gap_days=longest,
            )
        )
    rows = pd.concat(blocks, ignore_index=True)
    origin = pd.Timestamp(low)
    rows["first_date"] = (origin + pd.to_timedelta(rows.pop("first_offset"), unit="D")).dt.date
    rows["last_date"] = (origin + pd.to_timedelta(rows.pop("last_offset"), unit="D")).dt.date
    rows["days_behind"] = (pd.Timestamp(high) - pd.to_datetime(rows["last_date"])).dt.days
    return rows


def data_coverage(path: PathLike = None) -> pd.DataFrame:
    """What exists per region × commodity × metric: sources, first and last date, days
    reported, gaps (pauses longer than ``COVERAGE_GAP_DAYS`` days), the longest pause in days,
    and how many days the series' last report lies behind the newest fact of the warehouse.
    """
    with reader(path) as con:
        span = con.execute(_COVERAGE_SPAN_SQL).df()
        low, high = span["low"].iloc[0], span["high"].iloc[0]
        if pd.isna(low):
            return pd.DataFrame(columns=list(COVERAGE_COLUMNS))
        low, high = pd.Timestamp(low).date(), pd.Timestamp(high).date()
        bounds = [(low - _EPOCH).days, (high - _EPOCH).days]
        days = con.execute(_COVERAGE_DAYS_SQL, bounds).df()
        sources = con.execute(_COVERAGE_SOURCES_SQL).df()
    rows = _coverage_rows(days, low, high).merge(
        sources, on=["region_code", "commodity", "metric"], how="left"
    )
    rows = rows.sort_values(["region_code", "commodity", "metric"], ignore_index=True)
    return rows[list(COVERAGE_COLUMNS)]
