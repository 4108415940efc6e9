"""Scenario arithmetic: monotone in demand and deliveries, delays, transfers, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from forecasting.scenario import (
    ScenarioParams,
    apply_scenario,
    shift_deliveries,
    simulate_stock,
    suggest_transfers,
)

DATES = pd.date_range("2026-11-21", periods=30, freq="D")
DIST = np.full(30, 1000.0)
DELIV = np.tile([2000.0, 0.0], 15) * 0.6


def _stockout(params: ScenarioParams, stock: float = 5000.0):
    demand, inflow = apply_scenario(DATES, DIST, DELIV, params)
    return simulate_stock(stock, inflow, demand)


@pytest.mark.parametrize("low, high", [(0, 20), (20, 50), (-10, 0)])
def test_more_demand_never_delays_the_stockout(low, high):
    a = _stockout(ScenarioParams("a", demand_pct=low))
    b = _stockout(ScenarioParams("b", demand_pct=high))
    assert b.stockout is not None
    assert a.stockout is None or b.stockout <= a.stockout
    assert b.unmet.sum() >= a.unmet.sum()
    assert np.all(b.stock <= a.stock + 1e-9)


@pytest.mark.parametrize("low, high", [(-50, 0), (0, 30), (30, 80)])
def test_more_deliveries_never_bring_the_stockout_earlier(low, high):
    a = _stockout(ScenarioParams("a", demand_pct=40, delivery_pct=low))
    b = _stockout(ScenarioParams("b", demand_pct=40, delivery_pct=high))
    assert a.stockout is not None
    assert b.stockout is None or b.stockout >= a.stockout
    assert np.all(b.stock >= a.stock - 1e-9)


def test_stock_balance_and_distribution_limit_hold():
    sim = _stockout(ScenarioParams("x", demand_pct=60))
    demand, inflow = apply_scenario(DATES, DIST, DELIV, ScenarioParams("x", demand_pct=60))
    previous = np.r_[5000.0, sim.stock[:-1]]
    assert np.allclose(sim.stock, previous + inflow - sim.served)
    assert np.all(sim.served <= previous + inflow + 1e-9)
    assert np.all(sim.stock >= 0)


def test_delay_moves_deliveries_later_inside_the_window():
    window = np.zeros(10, dtype=bool)
    window[2:5] = True
    delivery = np.arange(10, dtype=float)
    shifted = shift_deliveries(delivery, window, 3)
    assert shifted[2:5].tolist() == [0.0, 0.0, 0.0]
    assert shifted[5:8].tolist() == [5.0 + 2.0, 6.0 + 3.0, 7.0 + 4.0]
    assert shifted.sum() == delivery.sum()


def test_window_limits_the_demand_change():
    params = ScenarioParams("w", demand_pct=50, start=DATES[5].date(), end=DATES[9].date())
    demand, _ = apply_scenario(DATES, DIST, DELIV, params)
    assert demand[5:10].tolist() == [1500.0] * 5
    assert demand[:5].tolist() == [1000.0] * 5 and demand[10] == 1000.0


def test_transfers_come_from_the_nearest_donor_that_keeps_its_cover():
    regions = pd.DataFrame(
        {"name": ["Short", "Near", "Far"], "lat": [-1.6, -1.7, -2.1], "lon": [103.6, 103.7, 101.3]},
        index=["A", "B", "C"],
    )
    thresholds = pd.DataFrame({"siaga_cover_days": [11.0]}, index=["lpg_3kg"])
    units = pd.DataFrame({"stock_unit": ["tabung"]}, index=["lpg_3kg"])
    flat = lambda level: simulate_stock(level, np.zeros(5), np.zeros(5))  # noqa: E731
    paths = {
        ("A", "lpg_3kg"): (DATES[:5], flat(2000), flat(2000), 1000.0, True),
        ("B", "lpg_3kg"): (DATES[:5], flat(15000), flat(15000), 1000.0, True),
        ("C", "lpg_3kg"): (DATES[:5], flat(40000), flat(40000), 1000.0, True),
    }
    moves = suggest_transfers(paths, thresholds, regions, units)
    assert [(m["from_region"], m["to_region"]) for m in moves] == [("B", "A"), ("C", "A")]
    assert moves[0]["amount"] == 4000.0  # B keeps exactly 11 days of cover
    assert sum(m["amount"] for m in moves) == 9000.0  # A reaches 11 days


@pytest.mark.slow
def test_cli_scenario_on_a_forecast_run(forecast_warehouse, tmp_path):
    import shutil

    path = tmp_path / "w.duckdb"
    shutil.copyfile(forecast_warehouse, path)
    base = [sys.executable, "-m", "forecasting", "scenario", "--db", str(path), "--json",
            "--commodities", "lpg_3kg"]  # fmt: skip
    calm = subprocess.run(base, capture_output=True, text=True, timeout=120)
    surge = subprocess.run(
        base + ["--demand-pct", "40", "--name", "surge", "--save"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert calm.returncode == 0 and surge.returncode == 0, surge.stderr
    calm_rows = {r["region_code"]: r for r in json.loads(calm.stdout)["results"]}
    out = json.loads(surge.stdout)
    assert out["scenario_id"].startswith("sc-") and len(out["results"]) == 11
    for row in out["results"]:
        before = calm_rows[row["region_code"]]["scenario"]
        assert row["scenario"]["min_days_cover"] <= before["min_days_cover"]
        assert row["scenario"]["stock_end"] <= before["stock_end"]
        if before["stockout_date"] and row["scenario"]["stockout_date"]:
            assert row["scenario"]["stockout_date"] <= before["stockout_date"]
    from warehouse.db import read_df

    saved = read_df(
        "SELECT variant, count(*) AS n FROM scenario_results GROUP BY variant", path=path
    )
    assert dict(zip(saved.variant, saved.n, strict=True)) == {"baseline": 11, "scenario": 11}
    bad = subprocess.run(base + ["--regions", "9999"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and "unknown region" in json.loads(bad.stdout)["error"]
