"""``python -m forecasting backtest`` on CSV files (synthetic and the real PIHPS Jambi export)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "forecasting", "backtest", *args, "--json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.mark.slow
def test_csv_backtest_reports_baselines_and_the_chosen_model(tmp_path):
    days = pd.date_range("2022-01-03", periods=700, freq="D")
    rng = np.random.default_rng(2)
    trend = 12000 + np.cumsum(rng.normal(3, 20, 700))
    pd.DataFrame({"day": days, "harga": trend}).to_csv(tmp_path / "p.csv", index=False)
    proc = _run("--csv", str(tmp_path / "p.csv"), "--date-col", "day", "--value-col", "harga",
                "--freq", "W", "--horizon", "4", "--eval-folds", "4", "--select-folds", "2")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["horizon"] == 4
    series = out["series"][0]
    weeks = len(pd.Series(trend, index=days).resample("W-MON").mean())
    assert series["name"] == "harga" and series["n_obs"] == weeks
    assert {"naive", "seasonal_naive"} <= set(series["models"])
    assert series["chosen"] in series["models"]
    metrics = series["models"]["naive"]
    assert set(metrics) == {"mase", "mape", "coverage80", "coverage95"}
    assert 0 <= metrics["coverage80"] <= metrics["coverage95"] <= 1


def test_csv_backtest_explains_a_wrong_column(tmp_path):
    pd.DataFrame({"day": ["2024-01-01"], "x": [1]}).to_csv(tmp_path / "p.csv", index=False)
    proc = _run("--csv", str(tmp_path / "p.csv"), "--date-col", "day", "--value-col", "harga")
    assert proc.returncode == 1
    error = json.loads(proc.stdout)["error"]
    assert "harga" in error and "available: day, x" in error


@pytest.mark.slow
def test_real_pihps_rice_chosen_model_beats_seasonal_naive(realdata):
    path = realdata / "pihps_jambi_ifpd" / "pihps_jambi_province_daily_2020_2023.csv"
    proc = _run("--csv", str(path), "--date-col", "Tanggal", "--freq", "W", "--horizon", "4",
                "--value-col", "Beras Kualitas Medium I,Beras Kualitas Super II",
                "--select-folds", "3", "--eval-folds", "6")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    for series in out["series"]:
        chosen = series["models"][series["chosen"]]["mase"]
        assert chosen < series["models"]["seasonal_naive"]["mase"], series["name"]
    assert out["chosen_vs_baseline"]["seasonal_naive"]["chosen_better"] == 2
