"""A batch on a small warehouse writes consistent tables."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from forecasting.batch import run_batch
from tests.forecast_helpers import END, build_small_warehouse
from warehouse.db import read_df


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    path = build_small_warehouse(tmp_path_factory.mktemp("fc") / "small.duckdb")
    outcome = run_batch(path, workers=1)
    return path, outcome


@pytest.mark.slow
def test_every_forecast_row_belongs_to_a_committed_run(small_run):
    path, outcome = small_run
    orphans = read_df(
        "SELECT count(*) AS n FROM forecasts f LEFT JOIN forecast_runs r USING (run_id)"
        " WHERE r.run_id IS NULL",
        path=path,
    ).n[0]
    assert orphans == 0
    run = read_df("SELECT * FROM forecast_runs", path=path).iloc[0]
    assert run.status == "success" and str(run.data_as_of)[:10] == END.isoformat()
    assert run.n_series == len(outcome.results) == 12


def test_forecast_shapes_and_nested_intervals(small_run):
    path, _ = small_run
    counts = read_df(
        "SELECT metric, count(*) AS n FROM forecasts GROUP BY metric ORDER BY metric", path=path
    )
    assert dict(zip(counts.metric, counts.n, strict=True)) == {
        "delivery": 4 * 30, "distribution": 4 * 30, "price": 4 * 8, "stock": 4 * 30,
    }  # fmt: skip
    bad = read_df(
        "SELECT count(*) AS n FROM forecasts WHERE NOT (lo95 <= lo80 AND lo80 <= mean"
        " AND mean <= hi80 AND hi80 <= hi95)",
        path=path,
    ).n[0]
    assert bad == 0


def test_one_status_per_region_and_commodity_with_reasons(small_run):
    path, _ = small_run
    statuses = read_df("SELECT * FROM statuses", path=path)
    assert len(statuses) == 4
    assert not statuses.duplicated(["region_code", "commodity"]).any()
    assert statuses["reason_id"].str.len().min() > 20
    stopped = statuses[(statuses.region_code == "1505") & (statuses.commodity == "lpg_3kg")].iloc[0]
    assert stopped.level >= 2  # deliveries stopped for 12 days
    assert stopped.rule in {"days_of_cover", "projected_cover"}


def test_series_records_and_backtests_are_stored(small_run):
    path, _ = small_run
    series = read_df("SELECT * FROM forecast_series", path=path)
    assert len(series) == 12 and series["n_obs"].min() > 0
    chosen = read_df(
        "SELECT region_code, commodity, metric, model FROM backtest_results"
        " WHERE chosen AND horizon IS NULL",
        path=path,
    )
    merged = series.merge(chosen, on=["region_code", "commodity", "metric"], suffixes=("", "_bt"))
    assert len(merged) == 12 and (merged["model"] == merged["model_bt"]).all()


def test_stopped_deliveries_raise_one_stock_alert(small_run):
    path, _ = small_run
    alerts = read_df("SELECT * FROM alerts", path=path)
    stock = alerts[(alerts.kind == "stock") & (alerts.region_code == "1505")]
    assert len(stock) == 1 and stock.iloc[0].commodity == "lpg_3kg"


@pytest.mark.slow
def test_cli_json_summary(tmp_path):
    path = build_small_warehouse(tmp_path / "w.duckdb", days=200)
    proc = subprocess.run(
        [sys.executable, "-m", "forecasting", "run", "--db", str(path), "--json",
         "--regions", "1505", "--commodities", "lpg_3kg", "--workers", "1"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    *progress, summary = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [p["done"] for p in progress] == [1, 2, 3] and progress[-1]["total"] == 3
    assert set(summary) >= {"run_id", "status", "n_series", "n_fallback", "seconds", "data_as_of"}
    assert summary["status"] == "success" and summary["n_series"] == 3
    assert "Warning" not in proc.stderr


def test_cli_fails_clearly_without_a_warehouse(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "forecasting", "run", "--db", str(tmp_path / "none.duckdb"), "--json"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["status"] == "failed"


def test_demo_run_flags_the_incidents_ongoing_at_the_end(forecast_warehouse):
    statuses = read_df("SELECT * FROM statuses", path=forecast_warehouse)
    assert len(statuses) == 88 and not statuses.duplicated(["region_code", "commodity"]).any()
    ongoing = read_df(
        "SELECT region_code, commodity FROM incidents WHERE end_date >= "
        "(SELECT max(date) FROM facts)",
        path=forecast_warehouse,
    )
    assert len(ongoing) >= 2
    flagged = statuses.merge(ongoing, on=["region_code", "commodity"])
    assert (flagged["level"] >= 2).all()
    from warehouse.alerts import list_alerts

    alerts = list_alerts(forecast_warehouse)
    pairs = set(zip(alerts.region_code, alerts.commodity, strict=True))
    assert set(zip(ongoing.region_code, ongoing.commodity, strict=True)) <= pairs
    assert len(alerts) <= 2 * len(ongoing) + 2  # few alerts, not one per regency


@pytest.mark.slow
def test_warehouse_backtest_cli(tmp_path):
    path = build_small_warehouse(tmp_path / "w.duckdb", days=420)
    proc = subprocess.run(
        [sys.executable, "-m", "forecasting", "backtest", "--db", str(path), "--json",
         "--regions", "1571", "--select-folds", "2", "--eval-folds", "3"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {s["name"] for s in out["series"]} == {"1571/beras_medium/price", "1571/lpg_3kg/price"}
    assert all("seasonal_naive" in s["models"] for s in out["series"])


def test_stored_fits_are_reused_by_the_next_run_and_give_the_same_forecast(small_run):
    """The run's parameters come back from the warehouse, a rerun re-filters them (no
    re-estimation on the same data) and forecasts what the stored run forecast."""
    import numpy as np

    from forecasting.batch import attach_stored_fits, build_tasks, load_stored_fits
    from forecasting.data import load_values
    from forecasting.series import run_task

    path, outcome = small_run
    fits = load_stored_fits(path, outcome.data_as_of)
    assert len(fits) == 12
    assert all(f.fitted_on == outcome.data_as_of for f in fits.values())
    assert any(f.params is not None for f in fits.values())  # a statistical model was stored
    tasks = build_tasks(load_values(path))
    assert attach_stored_fits(tasks, fits, outcome.data_as_of) == len(tasks) == 12
    stored = read_df(
        "SELECT region_code, commodity, metric, horizon, mean FROM forecasts"
        " WHERE metric <> 'stock' ORDER BY horizon",
        path=path,
    )
    for task in tasks:
        result = run_task(task)
        assert not result.refitted and result.model == fits[task.key].model
        expected = stored[
            (stored["region_code"] == task.region)
            & (stored["commodity"] == task.commodity)
            & (stored["metric"] == task.metric)
        ]["mean"].to_numpy()
        np.testing.assert_allclose(result.forecast["mean"].to_numpy(), expected, rtol=1e-9)
    later = outcome.data_as_of + dt.timedelta(days=7)
    assert attach_stored_fits(tasks, fits, later) == 0  # a week old: every series re-estimated


def test_flow_tasks_read_only_their_window_and_equal_the_full_history():
    """A flow task is built from the last 120 days and the report before them; a gap across
    the window's start is interpolated as it is from the whole history."""
    import numpy as np
    import pandas as pd

    from forecasting.batch import build_tasks, flow_tails
    from forecasting.series import FLOW_TRAIN_DAYS, flow_task

    dates = pd.date_range("2025-01-01", periods=400, freq="D")
    values = np.arange(400, dtype=float) * 3.0 + 50.0
    reported = np.ones(400, dtype=bool)
    reported[260:300] = False  # no report for 40 days across the window's first day (280)
    reported[395] = False
    frame = pd.DataFrame(
        {"date": dates, "region_code": "1501", "commodity": "beras", "metric": "distribution",
         "value": np.where(reported, values, np.nan)}
    )  # fmt: skip
    tail = flow_tails(frame, "distribution")[("1501", "beras")]
    assert tail.index.min() == dates[259]  # the last report before the window, not earlier
    assert len(tail) < 400 - 40
    full = flow_task("1501", "beras", "distribution", frame.set_index("date")["value"])
    (task,) = build_tasks(frame)
    assert len(task.y) == FLOW_TRAIN_DAYS and task.y.index.freqstr == "D"
    pd.testing.assert_series_equal(task.y, full.y, check_exact=True)


def test_tasks_built_per_commodity_are_the_tasks_of_the_whole_warehouse():
    import numpy as np
    import pandas as pd

    from forecasting.batch import build_tasks, task_batches, task_order

    dates = pd.date_range("2025-06-01", periods=150, freq="D")
    rows = [
        pd.DataFrame({"date": dates, "region_code": region, "commodity": commodity,
                      "metric": metric, "value": np.linspace(10, 20, 150) + k})
        for k, (region, commodity, metric) in enumerate(
            (r, c, m) for r in ("1571", "1501") for c in ("gula_pasir", "beras_medium")
            for m in ("price", "distribution", "delivery", "stock")
        )
    ]  # fmt: skip
    values = pd.concat(rows, ignore_index=True)
    batches = list(task_batches(values))
    assert [{t.commodity for t in b} for b in batches] == [{"beras_medium"}, {"gula_pasir"}]
    streamed = sorted((t for b in batches for t in b), key=task_order)
    whole = build_tasks(values)
    assert [t.key for t in streamed] == [t.key for t in whole] and len(whole) == 12
    for a, b in zip(streamed, whole, strict=True):
        pd.testing.assert_series_equal(a.y, b.y, check_exact=True)
