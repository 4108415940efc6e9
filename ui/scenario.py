"""Planner scenarios: build the ``python -m forecasting scenario`` call and read its result."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ui.jobs import JobResult, run_cli

PERCENT_FIELDS = ("demand_pct", "delivery_pct", "quota_pct", "ref_price_pct")


def scenario_args(params: dict[str, Any], save_as: str | None = None) -> list[str]:
    """CLI arguments for a scenario; ``save_as`` (a user name) adds ``--save --user``."""
    args = ["scenario", "--json", "--name", str(params.get("name") or "skenario")]
    if params.get("regions"):
        args += ["--regions", ",".join(params["regions"])]
    if params.get("commodities"):
        args += ["--commodities", ",".join(params["commodities"])]
    for key in ("start", "end"):
        if isinstance(params.get(key), dt.date):
            args += [f"--{key}", params[key].isoformat()]
    for key in PERCENT_FIELDS:
        if params.get(key):
            args += [f"--{key.replace('_', '-')}", f"{float(params[key]):g}"]
    if params.get("delay_days"):
        args += ["--delay-days", str(int(params["delay_days"]))]
    if save_as:
        args += ["--save", "--user", save_as]
    return args


def run_scenario(params: dict[str, Any], db: str, save_as: str | None = None) -> JobResult:
    """Run the scenario CLI against ``db`` (scenarios are arithmetic on stored forecasts)."""
    return run_cli("forecasting", scenario_args(params, save_as), db=db, timeout=300)


def _date(value: Any) -> pd.Timestamp | None:
    return pd.Timestamp(value) if value else None


def summary_frame(data: dict[str, Any]) -> pd.DataFrame:
    """One row per region × commodity: baseline vs scenario stock-out, cover and unmet demand."""
    rows = []
    for item in data.get("results", []):
        base, scen = item["baseline"], item["scenario"]
        rows.append(
            {
                "region_code": item["region_code"],
                "region_name": item["region_name"],
                "commodity": item["commodity"],
                "unit": item.get("stock_unit", ""),
                "baseline_stockout": _date(base.get("stockout_date")),
                "scenario_stockout": _date(scen.get("stockout_date")),
                "baseline_min_cover": base.get("min_days_cover"),
                "scenario_min_cover": scen.get("min_days_cover"),
                "baseline_unmet": base.get("unmet_demand"),
                "scenario_unmet": scen.get("unmet_demand"),
            }
        )
    return pd.DataFrame(rows)


def path_frame(data: dict[str, Any], region: str, commodity: str) -> pd.DataFrame:
    """Daily projected stock of one region × commodity: date, baseline, scenario."""
    for item in data.get("results", []):
        if item["region_code"] == region and item["commodity"] == commodity:
            frame = pd.DataFrame(item.get("path", []), columns=["date", "baseline", "scenario"])
            frame["date"] = pd.to_datetime(frame["date"])
            return frame
    return pd.DataFrame(columns=["date", "baseline", "scenario"])


def transfers_frame(data: dict[str, Any]) -> pd.DataFrame:
    """Suggested transfers from regencies with spare cover."""
    columns = ["commodity", "from_name", "to_name", "amount", "unit", "distance_km"]
    return pd.DataFrame(data.get("transfers", []), columns=columns)
