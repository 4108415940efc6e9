"""Named read queries for the dashboard: each opens a short-lived read-only connection.

Every function takes the warehouse ``path`` last (``None`` = ``JSW_DB`` or the default) and
returns a DataFrame (or a small dict) so results can be cached by the caller.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pandas as pd

from warehouse import health_queries
from warehouse.db import db_path, read_df, reader, shared_reader
from warehouse.reference import (
    case_sql,
    commodity_groups,
    compared_classes,
    province_code,
    province_label,
)
from warehouse.reference_edits import current_reference_prices

PathLike = str | os.PathLike[str] | None

# The newest forecasting run that wrote statuses.
LATEST_RUN_SQL = """
    SELECT s2.run_id FROM statuses s2 JOIN forecast_runs r USING (run_id)
    ORDER BY r.created_at DESC, s2.run_id DESC LIMIT 1
"""


def places_sql() -> str:
    """The regencies plus the province itself (its own facts: province-level prices).

    Columns bps_code, name, lat, lon, is_province; the province has no centroid.
    """
    code, name = province_code(), province_label("id").replace("'", "''")
    union = f"UNION ALL SELECT '{code}', '{name}', NULL, NULL, true"  # noqa: S608 - constants
    return f"(SELECT bps_code, name, lat, lon, false AS is_province FROM regions {union})"  # noqa: S608


def reference_code_sql(commodity: str) -> str:
    """SQL for the commodity whose reference prices apply to ``commodity``: its HET class
    (``compare_to`` in data/commodities.csv) where the comparison is defensible, else itself."""
    return case_sql(commodity, compared_classes(), default=commodity)


def _with_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Commodity rows with ``group_code`` from data/commodities.csv (also on older tables)."""
    return frame.assign(group_code=frame["code"].map(commodity_groups()))


def latest_statuses_sql() -> str:
    """Statuses of the latest run with names and units; the province's rows first."""
    return f"""
    SELECT s.*, g.name AS region_name, g.lat, g.lon, g.is_province,
           c.name_id AS commodity_id_name, c.name_en AS commodity_en_name,
           c.price_unit, c.stock_unit, c.sort_order
    FROM statuses s
    JOIN {places_sql()} g ON g.bps_code = s.region_code
    JOIN commodities c ON c.code = s.commodity
    WHERE s.run_id = ({LATEST_RUN_SQL})
    ORDER BY g.is_province DESC, s.region_code, c.sort_order
"""  # noqa: S608 - constant fragments only


# Daily prices with the reference price in force on each date (a regency row beats the
# province row; among rows of one scope the latest valid_from wins).
PRICE_HISTORY_SQL = """
    WITH last AS (SELECT max(date) AS d FROM daily_values
                  WHERE region_code = ? AND commodity = ? AND metric = 'price')
    SELECT v.date, v.value AS price, v.unit, v.source,
           (SELECT rp.value FROM reference_prices rp
            WHERE rp.commodity = {reference} AND rp.valid_from <= v.date
              AND (rp.valid_to IS NULL OR rp.valid_to >= v.date)
              AND (rp.scope = 'province' OR rp.region_code = v.region_code)
            ORDER BY CASE rp.scope WHEN 'regency' THEN 0 ELSE 1 END, rp.valid_from DESC
            LIMIT 1) AS reference_price
    FROM daily_values v, last
    WHERE v.region_code = ? AND v.commodity = ? AND v.metric = 'price'
      AND v.date > last.d - CAST(? AS INTEGER)
    ORDER BY v.date
""".replace("{reference}", reference_code_sql("v.commodity"))


def _scalar_rows(sql: str, path: PathLike) -> list[tuple[Any, ...]]:
    with reader(path) as con:
        rows = con.execute(sql).fetchall()
        con.complete()
    return rows


def data_version(path: PathLike = None) -> str:
    """A cheap fingerprint that changes whenever a new ingest, forecast or any write lands.

    Latest ingest run id + latest forecast run id + the file's modification stamp (every
    write replaces the file, so the stamp also covers alert actions and audit rows).
    """
    target = db_path(path)
    stat = target.stat()
    rows = _scalar_rows(
        "SELECT (SELECT max(run_id) FROM ingest_runs), (SELECT max(run_id) FROM forecast_runs)",
        target,
    )
    ingest_id, forecast_id = rows[0]
    return f"{ingest_id}|{forecast_id}|{stat.st_mtime_ns}|{stat.st_size}"


def freshness(path: PathLike = None) -> dict[str, Any]:
    """Latest fact date, the latest forecast run's data date and when it was computed."""
    rows = _scalar_rows(
        "SELECT (SELECT max(date) FROM facts),"
        " (SELECT data_as_of FROM forecast_runs ORDER BY created_at DESC LIMIT 1),"
        " (SELECT max(created_at) FROM forecast_runs),"
        " (SELECT count(*) FROM facts)",
        path,
    )
    latest_fact, forecast_as_of, forecast_at, n_facts = rows[0]
    return {
        "latest_fact_date": latest_fact,
        "forecast_as_of": forecast_as_of,
        "forecast_created_at": forecast_at,
        "n_facts": int(n_facts or 0),
    }


def is_stale(latest: dt.date | None, today: dt.date, max_days: int) -> bool:
    """True when the latest data is older than ``max_days`` days (or there is none)."""
    return latest is None or (today - latest).days > max_days


def regions(path: PathLike = None) -> pd.DataFrame:
    """The 11 regencies/cities with codes and centroids, in BPS order."""
    return read_df("SELECT * FROM regions ORDER BY bps_code", path=path)


def places(path: PathLike = None) -> pd.DataFrame:
    """The province first, then the regencies: bps_code, name, lat, lon, is_province and
    has_data (any fact for that region)."""
    has_data = "p.bps_code IN (SELECT DISTINCT region_code FROM facts) AS has_data"
    sql = f"SELECT p.*, {has_data} FROM {places_sql()} p ORDER BY p.is_province DESC, p.bps_code"  # noqa: S608
    return read_df(sql, path=path)


def commodities(path: PathLike = None) -> pd.DataFrame:
    """Commodities with names, units and group, in display order."""
    return _with_groups(read_df("SELECT * FROM commodities ORDER BY sort_order", path=path))


def latest_statuses(path: PathLike = None) -> pd.DataFrame:
    """Statuses of the latest forecast run, one row per region × commodity, with names/units."""
    return read_df(latest_statuses_sql(), path=path)


def province_summary(statuses: pd.DataFrame) -> dict[str, Any]:
    """Province KPIs from a ``latest_statuses`` frame (pure).

    Regency counts use the regencies' rows; the province's own rows (province-level prices)
    give ``province_level``, the worst of them (None when the province has no status).
    """
    if statuses.empty:
        return {
            "regions_alert": 0,
            "regions_total": 0,
            "above_reference": 0,
            "above_reference_pairs": 0,
            "lowest_cover": None,
            "province_level": None,
            "province_alerts": 0,
            "as_of": None,
        }
    own = _is_province(statuses)
    regencies = statuses[~own & (statuses["level"] >= 0)]
    worst = regencies.groupby("region_code")["level"].max()
    province = statuses[own]
    above = statuses[statuses["disparity_pct"].fillna(-1) > 0]
    cover = statuses.dropna(subset=["days_cover"]).sort_values("days_cover")
    lowest = cover.iloc[0].to_dict() if not cover.empty else None
    return {
        "regions_alert": int((worst >= 2).sum()),
        "regions_total": int(worst.size),
        "above_reference": int(above["commodity"].nunique()),
        "above_reference_pairs": int(len(above)),
        "lowest_cover": lowest,
        "province_level": int(province["level"].max()) if not province.empty else None,
        "province_alerts": int((province["level"] >= 2).sum()),
        "as_of": statuses["as_of"].max(),
    }


def _is_province(frame: pd.DataFrame) -> pd.Series:
    return frame["region_code"].astype(str) == province_code()


def region_statuses(region: str, path: PathLike = None) -> pd.DataFrame:
    """Latest statuses for one region across commodities."""
    frame = latest_statuses(path)
    return frame[frame["region_code"] == region].reset_index(drop=True)


def price_history(
    region: str, commodity: str, days: int = 180, path: PathLike = None
) -> pd.DataFrame:
    """Daily prices (best source per day) with the reference price in force on each date."""
    return read_df(PRICE_HISTORY_SQL, [region, commodity, region, commodity, days], path=path)


def stock_history(
    region: str, commodity: str, days: int = 180, path: PathLike = None
) -> pd.DataFrame:
    """Daily stock, distribution and delivery (best source per day), wide by metric."""
    frame = read_df(
        """
        WITH last AS (SELECT max(date) AS d FROM daily_values
                      WHERE region_code = ? AND commodity = ? AND metric = 'stock')
        SELECT v.date, v.metric, v.value
        FROM daily_values v, last
        WHERE v.region_code = ? AND v.commodity = ?
          AND v.metric IN ('stock', 'distribution', 'delivery')
          AND v.date > last.d - CAST(? AS INTEGER)
        """,
        [region, commodity, region, commodity, days],
        path=path,
    )
    wide = frame.pivot_table(index="date", columns="metric", values="value", aggfunc="first")
    for metric in ("stock", "distribution", "delivery"):
        if metric not in wide.columns:
            wide[metric] = float("nan")
    return wide[["stock", "distribution", "delivery"]].reset_index().sort_values("date")


def latest_forecast(
    region: str, commodity: str, metric: str, path: PathLike = None
) -> pd.DataFrame:
    """Forecast path of the latest run that forecast this series (mean and 80/95% bands)."""
    return read_df(
        """
        WITH run AS (
            SELECT f.run_id FROM forecasts f JOIN forecast_runs r USING (run_id)
            WHERE f.region_code = ? AND f.commodity = ? AND f.metric = ?
            ORDER BY r.created_at DESC LIMIT 1)
        SELECT f.date, f.horizon, f.mean, f.lo80, f.hi80, f.lo95, f.hi95, f.model, f.run_id
        FROM forecasts f JOIN run USING (run_id)
        WHERE f.region_code = ? AND f.commodity = ? AND f.metric = ?
        ORDER BY f.date
        """,
        [region, commodity, metric, region, commodity, metric],
        path=path,
    )


def reference_steps(region: str, commodity: str, path: PathLike = None) -> pd.DataFrame:
    """Reference prices (HET etc.) that apply to a region over time, oldest first."""
    return read_df(
        f"""
        SELECT kind, value, unit, valid_from, valid_to, scope, source, note
        FROM reference_prices
        WHERE commodity = {reference_code_sql("?")} AND (scope = 'province' OR region_code = ?)
        ORDER BY valid_from
        """,  # noqa: S608 - constant fragments only
        [commodity, commodity, region],
        path=path,
    )


def commodities_with_data(path: PathLike = None) -> pd.DataFrame:
    """Commodities that have any fact or status, with their group, in display order."""
    frame = read_df(
        """
        SELECT * FROM commodities
        WHERE code IN (SELECT DISTINCT commodity FROM facts)
           OR code IN (SELECT DISTINCT commodity FROM statuses)
        ORDER BY sort_order
        """,
        path=path,
    )
    return _with_groups(frame)


LATEST_SIGNALS_SQL = f"""
    SELECT signal, period, value, level, label, explanation_id, explanation_en
    FROM signals
    WHERE region_code = ? AND commodity = ? AND run_id = ({LATEST_RUN_SQL})
    ORDER BY level DESC, signal
"""  # noqa: S608 - constant fragments only


def latest_signals(region: str, commodity: str, path: PathLike = None) -> pd.DataFrame:
    """The latest run's early-warning signals of one region × commodity, strongest first."""
    return read_df(LATEST_SIGNALS_SQL, [region, commodity], path)


def choices(path: PathLike = None) -> dict[str, pd.DataFrame]:
    """Regions, the province with the regencies (``places``) and the commodities with data,
    for selection widgets."""
    return {
        "regions": regions(path),
        "places": places(path),
        "commodities": commodities_with_data(path),
    }


def region_commodities(region: str, path: PathLike = None) -> list[str]:
    """Codes of the commodities with any fact or status in one region, in display order."""
    frame = read_df(
        """
        SELECT code FROM commodities
        WHERE code IN (SELECT DISTINCT commodity FROM facts WHERE region_code = ?)
           OR code IN (SELECT DISTINCT commodity FROM statuses WHERE region_code = ?)
        ORDER BY sort_order
        """,
        [region, region],
        path=path,
    )
    return frame["code"].tolist()


def regency_view(
    region: str, commodity: str, days: int = 180, path: PathLike = None
) -> dict[str, Any]:
    """Everything the regency page shows for one region × commodity (one connection)."""
    with shared_reader(path):
        statuses = region_statuses(region, path)
        current = statuses[statuses["commodity"] == commodity]
        return {
            "statuses": statuses,
            "status": current.iloc[0].to_dict() if not current.empty else None,
            "prices": price_history(region, commodity, days, path),
            "price_forecast": latest_forecast(region, commodity, "price", path),
            "reference": reference_steps(region, commodity, path),
            "stocks": stock_history(region, commodity, days, path),
            "stock_forecast": latest_forecast(region, commodity, "stock", path),
            "latest_stock": latest_stock_report(region, commodity, path),
            "signals": latest_signals(region, commodity, path),
        }


def latest_stock_report(
    region: str, commodity: str, path: PathLike = None
) -> dict[str, Any] | None:
    """The newest stock value of a region × commodity (best source that day), with its source."""
    frame = read_df(
        "SELECT date, value, unit, source, run_id FROM daily_values"
        " WHERE region_code = ? AND commodity = ? AND metric = 'stock'"
        " ORDER BY date DESC LIMIT 1",
        [region, commodity],
        path=path,
    )
    return frame.iloc[0].to_dict() if not frame.empty else None


COMMODITY_PRICES_SQL = """
    WITH last AS (SELECT max(date) AS d FROM daily_values WHERE commodity = ? AND metric = 'price')
    SELECT v.date, v.region_code, g.name AS region_name, g.is_province, v.value AS price,
           (SELECT rp.value FROM reference_prices rp
            WHERE rp.commodity = {reference} AND rp.valid_from <= v.date
              AND (rp.valid_to IS NULL OR rp.valid_to >= v.date)
              AND (rp.scope = 'province' OR rp.region_code = v.region_code)
            ORDER BY CASE rp.scope WHEN 'regency' THEN 0 ELSE 1 END, rp.valid_from DESC
            LIMIT 1) AS reference_price
    FROM daily_values v JOIN {places} g ON g.bps_code = v.region_code, last
    WHERE v.commodity = ? AND v.metric = 'price' AND v.date > last.d - CAST(? AS INTEGER)
    ORDER BY v.date, v.region_code
"""


def commodity_prices(commodity: str, days: int = 120, path: PathLike = None) -> pd.DataFrame:
    """Daily price per region (and the province) for one commodity, with the reference price
    in force."""
    sql = COMMODITY_PRICES_SQL.replace("{places}", places_sql()).replace(
        "{reference}", reference_code_sql("v.commodity")
    )
    return read_df(sql, [commodity, commodity, days], path=path)


def price_ranking(prices: pd.DataFrame) -> pd.DataFrame:
    """Latest price per region, its gap to the reference and the change vs 7 days earlier (pure).

    Each region uses its own latest reported day; "a week ago" is its latest price on or
    before that day minus 7 days.
    """
    columns = [
        "region_code", "region_name", "is_province", "date", "price", "reference_price", "gap_pct",
    ]  # fmt: skip
    if prices.empty:
        return pd.DataFrame(columns=[*columns, "price_week_ago", "change_pct"])
    ordered = prices.sort_values("date")
    rows = []
    for _, series in ordered.groupby("region_code"):
        last = series.iloc[-1]
        earlier = series[series["date"] <= last["date"] - pd.Timedelta(days=7)]
        rows.append(
            {
                **{c: last[c] for c in columns if c != "gap_pct"},
                "price_week_ago": earlier["price"].iloc[-1] if not earlier.empty else float("nan"),
            }
        )
    frame = pd.DataFrame(rows)
    frame["gap_pct"] = (frame["price"] / frame["reference_price"] - 1) * 100
    frame["change_pct"] = (frame["price"] / frame["price_week_ago"] - 1) * 100
    return frame.sort_values("price", ascending=False).reset_index(drop=True)


def price_dispersion(prices: pd.DataFrame) -> pd.DataFrame:
    """Coefficient of variation across regions per day (SD / mean, %), with the region count."""
    if prices.empty:
        return pd.DataFrame(columns=["date", "cv_pct", "n_regions"])
    grouped = prices.groupby("date")["price"]
    frame = pd.DataFrame(
        {"cv_pct": grouped.std(ddof=0) / grouped.mean() * 100, "n_regions": grouped.count()}
    )
    return frame.reset_index()


def weekly_prices(prices: pd.DataFrame) -> pd.DataFrame:
    """Mean price per region × ISO week (week starting Monday), wide: rows regions, columns weeks."""
    if prices.empty:
        return pd.DataFrame()
    frame = prices.assign(week=pd.to_datetime(prices["date"]).dt.to_period("W-SUN").dt.start_time)
    return frame.pivot_table(index="region_name", columns="week", values="price", aggfunc="mean")


def commodity_view(commodity: str, days: int = 120, path: PathLike = None) -> dict[str, Any]:
    """Everything the commodity page shows: the regencies' ranking and dispersion, the
    province's own series beside them, and the weekly heatmap (province row first)."""
    prices = commodity_prices(commodity, days, path)
    statuses = latest_statuses(path)
    levels = statuses[statuses["commodity"] == commodity][["region_code", "level"]]
    own = _is_province(prices)
    ranking = price_ranking(prices).merge(levels, on="region_code", how="left")
    at_province = _is_province(ranking)
    return {
        "table": pd.concat([ranking[at_province], ranking[~at_province]], ignore_index=True),
        "ranking": ranking[~at_province].reset_index(drop=True),
        "province": ranking[at_province].iloc[0].to_dict() if at_province.any() else None,
        "province_prices": prices[own].reset_index(drop=True),
        "province_forecast": latest_forecast(province_code(), commodity, "price", path),
        "province_reference": reference_steps(province_code(), commodity, path),
        "dispersion": price_dispersion(prices[~own]),
        "weekly": weekly_prices(prices),
    }


GROUP_PRICES_SQL = """
    WITH grouped AS (
        SELECT v.date, v.region_code, v.commodity, v.metric, v.value,
               {group} AS group_code
        FROM daily_values v),
    last AS (SELECT max(date) AS d FROM grouped
             WHERE group_code = ? AND region_code = ? AND metric = 'price')
    SELECT g.date, g.commodity, c.name_id AS commodity_id_name, c.name_en AS commodity_en_name,
           c.price_unit, c.sort_order, g.value AS price
    FROM grouped g JOIN commodities c ON c.code = g.commodity, last
    WHERE g.group_code = ? AND g.region_code = ? AND g.metric = 'price'
      AND g.date > last.d - CAST(? AS INTEGER)
    ORDER BY c.sort_order, g.date
"""


def group_prices(
    group: str, region: str | None = None, days: int = 365, path: PathLike = None
) -> pd.DataFrame:
    """Daily prices of every commodity of a group (e.g. every rice grade and HET class) in one
    region, the province by default, over the last ``days`` days of that group's data."""
    region = region or province_code()
    sql = GROUP_PRICES_SQL.replace("{group}", case_sql("v.commodity", commodity_groups()))
    return read_df(sql, [group, region, group, region, int(days)], path=path)


def commodity_groups_with_prices(path: PathLike = None) -> pd.DataFrame:
    """Groups that have price data somewhere, with the number of commodities and places and
    whether the province itself reports them (``at_province``), in display order."""
    group = case_sql("v.commodity", commodity_groups())
    sql = f"""
        SELECT {group} AS group_code, min(c.sort_order) AS sort_order,
               count(DISTINCT v.commodity) AS n_commodities,
               count(DISTINCT v.region_code) AS n_places,
               bool_or(v.region_code = ?) AS at_province
        FROM daily_values v JOIN commodities c ON c.code = v.commodity
        WHERE v.metric = 'price' AND {group} IS NOT NULL
        GROUP BY 1 ORDER BY sort_order
        """  # noqa: S608 - CASE over committed codes
    return read_df(sql, [province_code()], path=path)


FORECAST_ACCURACY_SQL = """
    SELECT b.commodity, b.metric, count(*) AS n_series,
           median(b.mase) AS mase, median(b.mape) AS mape,
           avg(b.coverage80) AS coverage80, avg(b.coverage95) AS coverage95
    FROM backtest_results b
    WHERE b.chosen AND b.horizon IS NULL AND b.run_id = (
        SELECT run_id FROM forecast_runs
        WHERE run_id IN (SELECT DISTINCT run_id FROM backtest_results)
        ORDER BY created_at DESC LIMIT 1)
    GROUP BY b.commodity, b.metric
    ORDER BY b.commodity, b.metric
"""


def forecast_accuracy(path: PathLike = None) -> pd.DataFrame:
    """Backtest accuracy of the chosen models in the latest run, per commodity × metric."""
    return read_df(FORECAST_ACCURACY_SQL, path=path)


def forecast_runs(limit: int = 10, path: PathLike = None) -> pd.DataFrame:
    """The latest forecasting runs, newest first."""
    return read_df(
        "SELECT run_id, created_at, data_as_of, status, n_series, n_fallback, seconds, message"
        " FROM forecast_runs ORDER BY created_at DESC LIMIT ?",
        [int(limit)],
        path=path,
    )


def health_view(path: PathLike = None) -> dict[str, pd.DataFrame]:
    """Everything the data-health page shows: sources, runs, rejected rows, forecast accuracy,
    values held by the sanity guard, and what data exists per region × commodity × metric."""
    return {
        "sources": health_queries.source_freshness(path),
        "runs": health_queries.recent_runs(20, None, path),
        "rejected": health_queries.rejected_rows_of_recent_runs(10, None, path),
        "forecast_runs": forecast_runs(10, path),
        "accuracy": forecast_accuracy(path),
        "held": health_queries.held_values(path),
        "coverage": health_queries.data_coverage(path),
    }


def saved_scenarios(path: PathLike = None) -> pd.DataFrame:
    """Saved planner scenarios, newest first."""
    return read_df(
        "SELECT scenario_id, name, created_at, created_by, base_run_id, params_json"
        " FROM scenarios ORDER BY created_at DESC",
        path=path,
    )


def scenario_comparison(scenario_ids: list[str], path: PathLike = None) -> pd.DataFrame:
    """Stock-out date and lowest cover per region × commodity for saved scenarios (and baseline)."""
    if not scenario_ids:
        return pd.DataFrame()
    return read_df(
        "SELECT s.name, r.scenario_id, r.region_code, g.name AS region_name, r.commodity,"
        " r.variant, r.stockout_date, r.min_days_cover, r.unmet_demand"
        " FROM scenario_results r JOIN scenarios s USING (scenario_id)"
        " JOIN regions g ON g.bps_code = r.region_code"
        " WHERE list_contains(?, r.scenario_id)"
        " ORDER BY r.region_code, r.commodity, s.created_at",
        [list(scenario_ids)],
        path=path,
    )


def reference_prices_in_force(path: PathLike = None) -> pd.DataFrame:
    """Reference prices without an end date, with names (see warehouse/reference_edits.py)."""
    return current_reference_prices(path)
