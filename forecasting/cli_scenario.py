"""``python -m forecasting scenario``: what-if projection on the stored forecasts.

This path imports no statsmodels: it only reads the latest run and does arithmetic, so a
whole-province scenario answers quickly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys

from warehouse.db import WarehouseError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m forecasting scenario",
        description="Project stock, days of cover, stock-out dates and price bands under a scenario.",
    )
    p.add_argument("--name", default="skenario", help="scenario name")
    p.add_argument("--regions", help="comma-separated BPS codes (default: all)")
    p.add_argument("--commodities", help="comma-separated commodity codes (default: all)")
    p.add_argument("--start", type=dt.date.fromisoformat, help="window start YYYY-MM-DD")
    p.add_argument("--end", type=dt.date.fromisoformat, help="window end YYYY-MM-DD")
    p.add_argument("--demand-pct", type=float, default=0.0, help="demand change in %% (window)")
    p.add_argument("--delivery-pct", type=float, default=0.0, help="delivery change in %% (window)")
    p.add_argument(
        "--delay-days", type=int, default=0, help="deliveries in the window arrive later"
    )
    p.add_argument(
        "--quota-pct", type=float, default=0.0, help="allocation change in %% from start"
    )
    p.add_argument("--ref-price-pct", type=float, default=0.0, help="reference price change in %%")
    p.add_argument("--run-id", help="use this forecasting run (default: the latest)")
    p.add_argument("--save", action="store_true", help="store the scenario in the warehouse")
    p.add_argument("--user", help="who saves the scenario (default: the operating-system user)")
    p.add_argument("--db", help="warehouse path (default: JSW_DB or data/warehouse.duckdb)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    return p


def _codes(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    from forecasting.scenario import ScenarioParams
    from services.common import ServiceError
    from services.scenarios import run_scenario, save_scenario

    params = ScenarioParams(
        name=args.name,
        regions=_codes(args.regions),
        commodities=_codes(args.commodities),
        start=args.start,
        end=args.end,
        demand_pct=args.demand_pct,
        delivery_pct=args.delivery_pct,
        delay_days=args.delay_days,
        quota_pct=args.quota_pct,
        ref_price_pct=args.ref_price_pct,
    )
    try:
        if args.save:
            run = save_scenario(args.db, params, args.user or getpass.getuser(), args.run_id)
        else:
            run = run_scenario(args.db, params, args.run_id)
    except (WarehouseError, ServiceError) as exc:
        if args.json:
            print(json.dumps({"status": "failed", "error": str(exc)}))
        print(f"Scenario failed: {exc}", file=sys.stderr)
        return 1
    outcome = run.as_dict()
    outcome["status"] = "success"
    if args.json:
        print(json.dumps(outcome))
        return 0
    print(f"scenario {outcome['name']} on run {outcome['base_run_id']}")
    for r in outcome["results"]:
        b, s = r["baseline"], r["scenario"]
        print(
            f"  {r['region_code']} {r['commodity']:<14} min cover {b['min_days_cover']} -> "
            f"{s['min_days_cover']} days; stock-out {b['stockout_date']} -> {s['stockout_date']}"
        )
    for t in outcome["transfers"]:
        print(f"  transfer {t['amount']} {t['unit']} {t['commodity']} {t['from_name']} -> "
              f"{t['to_name']} ({t['distance_km']} km)")  # fmt: skip
    return 0
