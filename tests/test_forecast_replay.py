"""Historical replay and alert scoring."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from forecasting import engine, score
from forecasting.data import load_reference, load_values
from tests.forecast_helpers import END, build_small_warehouse

PRICE_KINDS = {"price_spike", "price_gouging", "price_surge"}


def test_replay_panel_never_looks_past_its_date(tmp_path):
    path = build_small_warehouse(tmp_path / "w.duckdb", days=150)
    values, reference = load_values(path), load_reference(path)
    cut = pd.Timestamp(END) - pd.Timedelta(days=20)
    full = engine.daily_panel(values, reference)
    early = engine.daily_panel(values[values["date"] <= cut], reference)
    for key in ("price", "days_cover", "projected_cover", "price_trend", "wow_change",
                "resupply_slide", "resupply_projected"):  # fmt: skip
        a = full[key].loc[:cut].to_numpy(dtype=float)
        b = early[key].loc[:cut].to_numpy(dtype=float)
        assert np.allclose(a, b, equal_nan=True), key


def test_score_counts_leads_misses_and_false_alarm_days():
    incidents = pd.DataFrame(
        {
            "incident_id": ["i1", "i2"],
            "region_code": ["1501", "1502"],
            "commodity": ["lpg_3kg", "lpg_3kg"],
            "kind": ["shortage", "shortage"],
            "start_date": pd.to_datetime(["2025-03-20", "2025-06-10"]),
            "end_date": pd.to_datetime(["2025-03-30", "2025-06-20"]),
        }
    )
    firings = pd.DataFrame(
        {
            "as_of": pd.to_datetime(["2025-03-10", "2025-03-17", "2025-01-06", "2025-03-17"]),
            "region_code": ["1501", "1501", "1501", "1503"],
            "commodity": ["lpg_3kg"] * 4,
        }
    )
    result = score.score_firings(firings, incidents, (dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    assert result["incidents"] == 2 and result["detected"] == 1 and result["recall"] == 0.5
    assert result["median_lead_days"] == 10.0
    assert result["false_alert_days"] == 2 and result["false_alarm_rate"] == 0.5


@pytest.mark.slow
def test_demo_replay_meets_the_recall_lead_and_false_alarm_bars(demo_warehouse, tmp_path):
    """The issue's bars on the demo, measured as docs/forecasting.md states: a daily replay."""
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_warehouse, path)
    run = subprocess.run(
        [sys.executable, "-m", "forecasting", "run", "--db", str(path), "--json",
         "--replay-from", "2024-01-22", "--replay-step", "1"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    scored = subprocess.run(
        [sys.executable, "-m", "forecasting", "score", "--db", str(path), "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    result = json.loads(scored.stdout)
    assert result["incidents"] >= 8
    assert result["recall"] >= 0.9
    assert result["false_alarm_rate"] <= 0.10
    assert result["median_lead_days"] >= 7
    supply = [d for d in result["details"] if d["kind"] not in PRICE_KINDS]
    assert all(d["lead_days"] >= 7 for d in supply), supply
    from warehouse.alerts import list_alerts

    assert list_alerts(path).empty  # replay alerts stay out of the live list
    assert len(list_alerts(path, origin="replay")) >= result["detected"]
