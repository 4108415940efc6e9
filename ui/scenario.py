"""Planner scenarios: the form's values as ``ScenarioParams``, the result as tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from services.scenarios import ScenarioParams, ScenarioRun
from services.scenarios import run_scenario as project

PERCENT_FIELDS = ("demand_pct", "delivery_pct", "quota_pct", "ref_price_pct")


def scenario_params(params: dict[str, Any]) -> ScenarioParams:
    """The scenario form's values as typed parameters (blank fields mean "no change")."""
    dates = {k: params[k] if isinstance(params.get(k), dt.date) else None for k in ("start", "end")}
    return ScenarioParams(
        name=str(params.get("name") or "skenario"),
        regions=list(params.get("regions") or []),
        commodities=list(params.get("commodities") or []),
        delay_days=int(params.get("delay_days") or 0),
        **dates,
        **{key: float(params.get(key) or 0.0) for key in PERCENT_FIELDS},
    )


def run_scenario(params: dict[str, Any], db: str) -> ScenarioRun:
    """Project the scenario on the stored forecasts (arithmetic only, in process)."""
    return project(db, scenario_params(params))


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
