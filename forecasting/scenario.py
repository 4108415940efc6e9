"""What-if scenarios on the stored forecasts (numpy/pandas arithmetic; no model fitting).

The baseline is the latest successful run's daily distribution and delivery forecasts and
the last observed stock. A scenario changes, within its window ``start``..``end``:

* demand (distribution) by ``demand_pct`` %;
* deliveries by ``delivery_pct`` %, and/or delays them by ``delay_days`` days (what was due
  on day d arrives on day d + delay);
* the quota (the regular allocation) by ``quota_pct`` % from ``start`` to the end of the
  projection;
* the reference price by ``ref_price_pct`` % (moves the disparity of the forecast price band).

Stock is simulated day by day: distribution is served up to the available stock
(stock(d−1) + delivery(d)); the rest is unmet demand. Days of cover use the run's 14-day
mean distribution. For a regency projected to fall below its Siaga cover, transfers are
suggested from the nearest regencies (centroid distance) whose cover stays at or above the
Siaga threshold through the projection after giving.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import secrets
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from warehouse.db import read_df, write_transaction

PathLike = str | os.PathLike[str] | None
EARTH_RADIUS_KM = 6371.0


@dataclass
class ScenarioParams:
    """A planner's scenario."""

    name: str
    regions: list[str] = field(default_factory=list)  # empty = all
    commodities: list[str] = field(default_factory=list)  # empty = all with stock
    start: dt.date | None = None  # default: first projected day
    end: dt.date | None = None  # default: last projected day
    demand_pct: float = 0.0
    delivery_pct: float = 0.0
    delay_days: int = 0
    quota_pct: float = 0.0
    ref_price_pct: float = 0.0

    def to_json(self) -> str:
        data = asdict(self)
        for key in ("start", "end"):
            data[key] = data[key].isoformat() if data[key] else None
        return json.dumps(data, sort_keys=True)


@dataclass
class Simulation:
    """Daily path of one simulated variant."""

    stock: np.ndarray
    served: np.ndarray
    unmet: np.ndarray
    stockout: int | None  # index of the first day with unmet demand


def simulate_stock(last_stock: float, delivery: np.ndarray, demand: np.ndarray) -> Simulation:
    """Day-by-day stock: serve demand up to stock(d−1) + delivery(d), carry the rest over."""
    stock = np.empty(len(demand))
    served = np.empty(len(demand))
    level = max(float(last_stock), 0.0)
    for i, (inflow, want) in enumerate(zip(delivery, demand, strict=True)):
        available = level + max(float(inflow), 0.0)
        served[i] = min(max(float(want), 0.0), available)
        level = available - served[i]
        stock[i] = level
    unmet = np.clip(np.asarray(demand, float) - served, 0, None)
    short = np.flatnonzero(unmet > 1e-9)
    return Simulation(stock, served, unmet, int(short[0]) if len(short) else None)


def shift_deliveries(delivery: np.ndarray, window: np.ndarray, delay: int) -> np.ndarray:
    """Deliveries due inside the window arrive ``delay`` days later (beyond the horizon: lost)."""
    if delay <= 0:
        return delivery.copy()
    shifted = delivery.copy()
    shifted[window] = 0.0
    for i in np.flatnonzero(window):
        if i + delay < len(shifted):
            shifted[i + delay] += delivery[i]
    return shifted


def apply_scenario(
    dates: pd.DatetimeIndex,
    distribution: np.ndarray,
    delivery: np.ndarray,
    params: ScenarioParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Scenario demand and deliveries from the baseline forecasts."""
    start = pd.Timestamp(params.start) if params.start else dates[0]
    end = pd.Timestamp(params.end) if params.end else dates[-1]
    window = np.asarray((dates >= start) & (dates <= end))
    from_start = np.asarray(dates >= start)
    demand = np.where(window, distribution * (1 + params.demand_pct / 100), distribution)
    inflow = np.where(window, delivery * (1 + params.delivery_pct / 100), delivery)
    inflow = np.where(from_start, inflow * (1 + params.quota_pct / 100), inflow)
    inflow = shift_deliveries(inflow, window, int(params.delay_days))
    return np.clip(demand, 0, None), np.clip(inflow, 0, None)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two centroids in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def latest_run_id(path: PathLike) -> str:
    """The latest successful forecasting run that has stock projections."""
    frame = read_df(
        "SELECT r.run_id FROM forecast_runs r WHERE r.status = 'success' AND EXISTS"
        " (SELECT 1 FROM forecasts f WHERE f.run_id = r.run_id AND f.metric = 'stock')"
        " ORDER BY r.created_at DESC LIMIT 1",
        path=path,
    )
    if frame.empty:
        raise ValueError("no forecasting run yet: run `python -m forecasting run` first")
    return str(frame.iloc[0]["run_id"])


def load_base(path: PathLike, run_id: str) -> dict[str, pd.DataFrame]:
    """The run's flow and price forecasts, statuses, thresholds, regions and units."""
    forecasts = read_df(
        "SELECT region_code, commodity, metric, date, mean, lo80, hi80 FROM forecasts"
        " WHERE run_id = ? AND metric IN ('distribution', 'delivery', 'price')",
        [run_id],
        path,
    )
    forecasts["date"] = pd.to_datetime(forecasts["date"])
    return {
        "forecasts": forecasts,
        "statuses": read_df("SELECT * FROM statuses WHERE run_id = ?", [run_id], path),
        "thresholds": read_df("SELECT * FROM thresholds", path=path).set_index("commodity"),
        "regions": read_df("SELECT bps_code, name, lat, lon FROM regions", path=path).set_index(
            "bps_code"
        ),
        "commodities": read_df("SELECT code, stock_unit, price_unit FROM commodities", path=path)
        .set_index("code"),
    }  # fmt: skip


def flow_table(forecasts: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    """Daily distribution and delivery forecast means per (region, commodity)."""
    flows = forecasts[forecasts["metric"].isin(["distribution", "delivery"])]
    wide = flows.pivot_table(
        index=["region_code", "commodity", "date"], columns="metric", values="mean"
    )
    for column in ("distribution", "delivery"):
        if column not in wide.columns:
            wide[column] = 0.0
    wide = wide.fillna(0.0)
    return {
        (str(region), str(commodity)): group.droplevel([0, 1]).sort_index()
        for (region, commodity), group in wide.groupby(level=[0, 1], sort=False)
    }


def _summary(sim: Simulation, dates: pd.DatetimeIndex, avg_dist: float) -> dict:
    cover = sim.stock / avg_dist if avg_dist and avg_dist > 0 else np.full(len(sim.stock), np.nan)
    return {
        "stock_end": round(float(sim.stock[-1]), 2),
        "min_days_cover": None if np.all(np.isnan(cover)) else round(float(np.nanmin(cover)), 2),
        "stockout_date": dates[sim.stockout].date().isoformat()
        if sim.stockout is not None
        else None,
        "unmet_demand": round(float(sim.unmet.sum()), 2),
    }


def run_scenario(path: PathLike, params: ScenarioParams, run_id: str | None = None) -> dict:
    """Baseline vs scenario for every region × commodity in scope, plus transfer suggestions."""
    started = time.monotonic()
    run_id = run_id or latest_run_id(path)
    base = load_base(path, run_id)
    statuses = base["statuses"]
    if params.regions:
        unknown = sorted(set(params.regions) - set(base["regions"].index))
        if unknown:
            raise ValueError(
                f"unknown region codes: {', '.join(unknown)} (use BPS codes, e.g. 1571)"
            )
    results, paths = [], {}
    table = flow_table(base["forecasts"])
    prices = base["forecasts"][base["forecasts"]["metric"] == "price"]
    base["prices"] = {key: group for key, group in prices.groupby(["region_code", "commodity"])}
    for s in statuses.itertuples(index=False):
        if pd.isna(s.stock):
            continue
        flows = table.get((s.region_code, s.commodity))
        if flows is None or flows.empty:
            continue
        dates = pd.DatetimeIndex(flows.index)
        dist, deliv = flows["distribution"].to_numpy(), flows["delivery"].to_numpy()
        baseline = simulate_stock(s.stock, deliv, dist)
        in_scope = (not params.regions or s.region_code in params.regions) and (
            not params.commodities or s.commodity in params.commodities
        )
        demand, inflow = apply_scenario(dates, dist, deliv, params)
        scenario = simulate_stock(s.stock, inflow, demand)
        paths[(s.region_code, s.commodity)] = (dates, baseline, scenario if in_scope else baseline,
                                               float(s.avg_distribution or 0), in_scope)  # fmt: skip
        if not in_scope:
            continue
        results.append(_result_row(base, s, dates, baseline, scenario, params))
    if not results:
        raise ValueError("nothing to simulate: no stock data for the chosen regions/commodities")
    transfers = suggest_transfers(paths, base["thresholds"], base["regions"], base["commodities"])
    return {
        "name": params.name,
        "base_run_id": run_id,
        "params": json.loads(params.to_json()),
        "results": results,
        "transfers": transfers,
        "seconds": round(time.monotonic() - started, 3),
    }


def _price_band(base: dict, s, params: ScenarioParams) -> dict:
    prices = base["prices"].get((s.region_code, s.commodity), base["forecasts"].iloc[:0])
    if params.start:
        prices = prices[prices["date"] >= pd.Timestamp(params.start)]
    if params.end:
        prices = prices[prices["date"] <= pd.Timestamp(params.end) + pd.Timedelta(days=6)]
    reference = None if pd.isna(s.reference_price) else float(s.reference_price)
    new_reference = reference * (1 + params.ref_price_pct / 100) if reference else None
    lo = float(prices["lo80"].min()) if not prices.empty else None
    hi = float(prices["hi80"].max()) if not prices.empty else None

    def disparity(value: float | None, ref: float | None) -> float | None:
        return None if value is None or not ref else round(100 * (value - ref) / ref, 2)

    return {
        "price_lo80": None if lo is None else round(lo, 0),
        "price_hi80": None if hi is None else round(hi, 0),
        "reference_price": reference,
        "scenario_reference_price": None if new_reference is None else round(new_reference, 0),
        "disparity_hi80_baseline_pct": disparity(hi, reference),
        "disparity_hi80_scenario_pct": disparity(hi, new_reference),
    }


def _result_row(base, s, dates, baseline, scenario, params) -> dict:
    avg = float(s.avg_distribution) if not pd.isna(s.avg_distribution) else 0.0
    region = base["regions"].loc[s.region_code] if s.region_code in base["regions"].index else None
    unit = (
        base["commodities"].loc[s.commodity] if s.commodity in base["commodities"].index else None
    )
    return {
        "region_code": s.region_code,
        "region_name": None if region is None else str(region["name"]),
        "commodity": s.commodity,
        "stock_unit": None if unit is None else str(unit["stock_unit"]),
        "last_stock": float(s.stock),
        "avg_distribution": avg,
        "baseline": _summary(baseline, dates, avg),
        "scenario": _summary(scenario, dates, avg),
        **_price_band(base, s, params),
        "path": [
            [d.date().isoformat(), round(float(b), 2), round(float(x), 2)]
            for d, b, x in zip(dates, baseline.stock, scenario.stock, strict=True)
        ],
    }


def suggest_transfers(paths: dict, thresholds: pd.DataFrame, regions: pd.DataFrame,
                      units: pd.DataFrame) -> list[dict]:  # fmt: skip
    """Nearest donors that keep Siaga cover after giving, for each short regency."""
    suggestions = []
    by_commodity: dict[str, list] = {}
    for (region, commodity), item in paths.items():
        by_commodity.setdefault(commodity, []).append((region, *item))
    for commodity, items in by_commodity.items():
        if commodity not in thresholds.index:
            continue
        siaga = float(thresholds.loc[commodity, "siaga_cover_days"])
        spare = {}
        for region, _dates, _base, scen, avg, _scope in items:
            spare[region] = float(np.min(scen.stock)) - siaga * avg if avg > 0 else 0.0
        for region, _dates, _base, scen, avg, in_scope in items:
            if not in_scope or avg <= 0:
                continue
            need = float(np.max(siaga * avg - scen.stock))
            if need <= 0:
                continue
            donors = sorted(
                (r for r in spare if r != region and spare[r] > 0 and r in regions.index),
                key=lambda r: _distance(regions, region, r),
            )
            for donor in donors:
                if need <= 0:
                    break
                amount = min(need, spare[donor])
                spare[donor] -= amount
                need -= amount
                suggestions.append({
                    "commodity": commodity,
                    "from_region": donor,
                    "from_name": str(regions.loc[donor, "name"]),
                    "to_region": region,
                    "to_name": str(regions.loc[region, "name"]) if region in regions.index else region,
                    "amount": round(amount, 1),
                    "unit": str(units.loc[commodity, "stock_unit"]) if commodity in units.index else "",
                    "distance_km": round(_distance(regions, region, donor), 1),
                })  # fmt: skip
    return suggestions


def _distance(regions: pd.DataFrame, a: str, b: str) -> float:
    if a not in regions.index or b not in regions.index:
        return float("inf")
    ra, rb = regions.loc[a], regions.loc[b]
    return haversine_km(float(ra["lat"]), float(ra["lon"]), float(rb["lat"]), float(rb["lon"]))


def save_scenario(path: PathLike, outcome: dict, params: ScenarioParams,
                  user: str | None = None) -> str:  # fmt: skip
    """Store the scenario and its baseline/scenario results; returns the scenario id."""
    with write_transaction(path) as con:
        return insert_scenario(con, outcome, params, user)


def insert_scenario(con, outcome: dict, params: ScenarioParams, user: str | None = None) -> str:
    """Insert a scenario and its results inside the caller's write transaction; returns its id."""
    scenario_id = f"sc-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
    rows = []
    for r in outcome["results"]:
        for variant, column in (("baseline", 1), ("scenario", 2)):
            summary = r[variant]
            rows.append({
                "scenario_id": scenario_id, "region_code": r["region_code"],
                "commodity": r["commodity"], "variant": variant,
                "stock_end": summary["stock_end"], "min_days_cover": summary["min_days_cover"],
                "stockout_date": summary["stockout_date"], "unmet_demand": summary["unmet_demand"],
                "price_lo80": r["price_lo80"], "price_hi80": r["price_hi80"],
                "reference_price": r["reference_price"] if variant == "baseline"
                else r["scenario_reference_price"],
                "path_json": json.dumps([[p[0], p[column]] for p in r["path"]]),
            })  # fmt: skip
    frame = pd.DataFrame(rows)
    frame["stockout_date"] = pd.to_datetime(frame["stockout_date"]).dt.date
    con.execute(
        "INSERT INTO scenarios (scenario_id, name, created_at, created_by, base_run_id,"
        " params_json) VALUES (?, ?, ?, ?, ?, ?)",
        [scenario_id, params.name, dt.datetime.now(dt.UTC).replace(tzinfo=None), user,
         outcome["base_run_id"], params.to_json()],
    )  # fmt: skip
    con.register("scenario_frame", frame)
    con.execute("INSERT INTO scenario_results SELECT * FROM scenario_frame")
    con.unregister("scenario_frame")
    return scenario_id


def list_scenarios(path: PathLike = None) -> pd.DataFrame:
    """Saved scenarios, newest first."""
    return read_df("SELECT * FROM scenarios ORDER BY created_at DESC", path=path)
