"""Named read functions used by the weekly export (``reports/``).

Each function takes an open read-only connection so that one export reads one snapshot of the
warehouse; :func:`weekly_inputs` opens that connection and gathers everything the export needs.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import duckdb
import pandas as pd

from warehouse.db import reader
from warehouse.reference import compared_classes, province_code

Connection = duckdb.DuckDBPyConnection


def newest_data_date(con: Connection) -> dt.date | None:
    """The newest date with any fact (price, stock, distribution or delivery)."""
    value = con.execute("SELECT max(date) FROM facts").fetchone()[0]
    con.complete()
    return value


def regions(con: Connection) -> pd.DataFrame:
    """Regions ordered by BPS code: region_code, region_name, type, lat, lon."""
    return con.execute(
        "SELECT bps_code AS region_code, name AS region_name, type, lat, lon"
        " FROM regions ORDER BY bps_code"
    ).df()


def commodities(con: Connection) -> pd.DataFrame:
    """Commodities in display order: commodity, commodity_name, commodity_name_en, units."""
    return con.execute(
        "SELECT code AS commodity, name_id AS commodity_name, name_en AS commodity_name_en,"
        " price_unit, stock_unit, sort_order FROM commodities ORDER BY sort_order, code"
    ).df()


def daily_values_between(
    con: Connection,
    metrics: tuple[str, ...],
    start: dt.date,
    end: dt.date,
    region_codes: list[str] | None = None,
) -> pd.DataFrame:
    """One value per date/region/commodity/metric (source priority applied) in [start, end],
    of ``region_codes`` only when given (filtered before the source ranking)."""
    marks = ", ".join("?" for _ in metrics)
    only = " AND list_contains(?, region_code)" if region_codes is not None else ""
    query = f"SELECT date, region_code, commodity, metric, value, source FROM daily_values WHERE metric IN ({marks}) AND date BETWEEN ? AND ?{only} ORDER BY date, region_code, commodity, metric"  # noqa: S608 - placeholders only
    params = [*metrics, start, end] + ([region_codes] if region_codes is not None else [])
    return con.execute(query, params).df()


def reference_prices_overlapping(con: Connection, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Reference price rows in force on at least one day of [start, end].

    A source grade compared with a HET class (``commodities.compare_to``) gets that class's rows
    under its own code, as the forecasting statuses do.
    """
    columns = "scope, region_code, kind, value, unit, valid_from, valid_to, source"
    in_window = "valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)"
    order = " ORDER BY commodity, scope, region_code, kind, valid_from"
    sql = f"SELECT commodity, {columns} FROM reference_prices WHERE {in_window}"  # noqa: S608
    params: list[object] = [end, start]
    pairs = compared_classes()
    if pairs:
        con.register(
            "compared_frame",
            pd.DataFrame({"code": list(pairs), "target": list(pairs.values())}),
        )
        sql += (
            f" UNION ALL SELECT m.code AS commodity, {columns} FROM reference_prices rp"  # noqa: S608
            f" JOIN compared_frame m ON m.target = rp.commodity WHERE {in_window}"
        )
        params += [end, start]
    sql += order
    return con.execute(sql, params).df()


def latest_status_run(con: Connection, cutoff: dt.date) -> str | None:
    """The run id of the latest successful forecasting run with statuses as of <= cutoff.

    Latest = newest ``as_of``, then newest ``forecast_runs.created_at``, then run id.
    """
    row = con.execute(
        "SELECT s.run_id FROM statuses s LEFT JOIN forecast_runs r USING (run_id)"
        " WHERE s.as_of <= ? AND coalesce(r.status, 'success') = 'success'"
        " GROUP BY s.run_id"
        " ORDER BY max(s.as_of) DESC, max(r.created_at) DESC NULLS LAST, s.run_id DESC LIMIT 1",
        [cutoff],
    ).fetchone()
    con.complete()
    return row[0] if row else None


def statuses_of_run(con: Connection, run_id: str | None) -> pd.DataFrame:
    """The statuses of one run (latest as_of per region and commodity)."""
    columns = "region_code, commodity, as_of, level, rule, reason_id, reason_en, days_cover"
    if run_id is None:
        return con.execute(f"SELECT {columns} FROM statuses WHERE false").df()  # noqa: S608
    return con.execute(
        f"SELECT {columns} FROM statuses WHERE run_id = ?"  # noqa: S608 - fixed column list
        " QUALIFY row_number() OVER (PARTITION BY region_code, commodity ORDER BY as_of DESC) = 1"
        " ORDER BY region_code, commodity",
        [run_id],
    ).df()


def table_columns(con: Connection, table: str) -> list[str]:
    """The columns of a table in the main schema; empty when the table does not exist."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    con.complete()
    return [row[0] for row in rows]


def open_alert_counts(con: Connection, cutoff: dt.date) -> pd.DataFrame:
    """Open live alerts per region and commodity as they stood on ``cutoff``.

    An alert counts when it was first raised on or before ``cutoff`` (``first_as_of``) and has
    no ``closed`` event dated on or before ``cutoff``. Replayed alerts (origin ``replay``) are
    not counted. When the alerts table does not exist the result is empty (0 everywhere).
    """
    columns = set(table_columns(con, "alerts"))
    if not {"region_code", "commodity", "first_as_of"} <= columns:
        return pd.DataFrame(
            {
                "region_code": pd.Series([], dtype="str"),
                "commodity": pd.Series([], dtype="str"),
                "open_alerts": pd.Series([], dtype="int64"),
            }
        )
    conditions = ["a.first_as_of <= ?"]
    params: list[object] = [cutoff]
    if "origin" in columns:
        conditions.append("a.origin = 'live'")
    if {"alert_id", "event", "created_at"} <= set(table_columns(con, "alert_events")):
        conditions.append(
            "NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.alert_id = a.alert_id"
            " AND e.event = 'closed' AND CAST(e.created_at AS DATE) <= ?)"
        )
        params.append(cutoff)
    where = " AND ".join(conditions)
    query = f"SELECT a.region_code, a.commodity, count(*) AS open_alerts FROM alerts a WHERE {where} GROUP BY a.region_code, a.commodity ORDER BY a.region_code, a.commodity"  # noqa: S608 - fixed conditions
    return con.execute(query, params).df()


@dataclass(frozen=True)
class WeeklyInputs:
    """Everything the weekly export reads, from one snapshot of the warehouse."""

    data_as_of: dt.date | None
    regions: pd.DataFrame
    commodities: pd.DataFrame
    prices: pd.DataFrame
    stocks: pd.DataFrame
    references: pd.DataFrame
    status_run_id: str | None
    statuses: pd.DataFrame
    open_alerts: pd.DataFrame


def weekly_inputs(
    path: str | os.PathLike[str] | None,
    price_start: dt.date,
    stock_start: dt.date,
    end: dt.date,
    status_cutoff: dt.date,
) -> WeeklyInputs:
    """Read prices from ``price_start``, stock and distribution from ``stock_start``, to ``end``."""
    with reader(path) as con:
        run_id = latest_status_run(con, status_cutoff)
        listed = regions(con)
        # the province and its regencies: a national warehouse holds every other province too
        codes = [province_code(), *listed["region_code"].astype(str)]
        return WeeklyInputs(
            data_as_of=newest_data_date(con),
            regions=listed,
            commodities=commodities(con),
            prices=daily_values_between(con, ("price",), price_start, end, codes),
            stocks=daily_values_between(con, ("stock", "distribution"), stock_start, end, codes),
            references=reference_prices_overlapping(con, price_start, end),
            status_run_id=run_id,
            statuses=statuses_of_run(con, run_id),
            open_alerts=open_alert_counts(con, status_cutoff),
        )


def data_as_of(path: str | os.PathLike[str] | None = None) -> dt.date | None:
    """The newest data date in the warehouse (None when there are no facts)."""
    with reader(path) as con:
        return newest_data_date(con)
