"""Accuracy cost of re-filtering stored parameters instead of re-estimating every day.

A daily run re-estimates a series at most once a week and re-filters the stored model and
parameters on the newer data in between (``forecasting/series.py``). This benchmark measures
what that costs: at several past origins T of every sampled series it forecasts the next
``h`` points twice, with the candidates backtested and estimated on data up to T (a refit),
and with the model and parameters chosen ``--lag`` days earlier re-filtered on data up to T
(the oldest stored fit a daily run can use), and scores both against what happened.

Prices are weekly, so their stored fit is one week (one point) old; daily flows use the lag
in days (default 6, the worst case). Prices that move only in rare steps (administered or
sticky, ``forecasting.series.administered``) are scored separately: the naive forecast the
batch now gives them without fitting anything ("no fit") against the full candidate
backtest they got before ("models").

python bench/bench_forecast_refilter.py --db WAREHOUSE [--sample 40] [--origins 3] [--lag 6]
       [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from unittest import mock

import numpy as np

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasting.batch import build_tasks  # noqa: E402
from forecasting.data import load_values  # noqa: E402
from forecasting.series import SeriesTask, StoredFit, administered, run_task  # noqa: E402


def _scores(forecast: np.ndarray, actual: np.ndarray, train: np.ndarray) -> tuple[float, float]:
    scale = float(np.mean(np.abs(np.diff(train)))) if len(train) > 1 else float("nan")
    err = np.abs(actual - forecast)
    mase = float(err.mean() / scale) if scale > 0 else float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        mape = float(np.nanmean(np.where(actual != 0, 100 * err / np.abs(actual), np.nan)))
    return mase, mape


def _at(task: SeriesTask, end: int, stored: StoredFit | None = None) -> SeriesTask:
    y = task.y.iloc[:end]
    y.index.freq = task.y.index.freq
    return SeriesTask(task.region, task.commodity, task.metric, y, task.h, task.candidates,
                      task.n_folds, task.step, stored)  # fmt: skip


def compare(task: SeriesTask, origins: int, lag_days: int) -> list[dict]:
    """Refit vs re-filtered-stale-fit scores of one series at ``origins`` past origins."""
    lag = 1 if task.metric == "price" else lag_days
    rows = []
    n = len(task.y)
    for i in range(origins):
        end = n - task.h - i * task.h
        if end - lag < 40:
            break
        actual = task.y.iloc[end : end + task.h].to_numpy(float)
        train = task.y.iloc[:end].to_numpy(float)
        fresh = run_task(_at(task, end))
        old = run_task(_at(task, end - lag))
        stored = StoredFit(old.model, old.params, dt.date.today(), old.fallback_reason)
        refiltered = run_task(_at(task, end, stored))
        for arm, result in (("refit", fresh), ("refilter", refiltered)):
            mase, mape = _scores(result.forecast["mean"].to_numpy(float), actual, train)
            inside = (actual >= result.forecast["lo80"].to_numpy(float) - 1e-9) & (
                actual <= result.forecast["hi80"].to_numpy(float) + 1e-9
            )
            rows.append({"metric": task.metric, "arm": arm, "model": result.model,
                         "mase": mase, "mape": mape, "coverage80": float(inside.mean())})  # fmt: skip
    return rows


def compare_steps(task: SeriesTask, origins: int) -> list[dict]:
    """No-fit naive vs the full candidate backtest on a step-moving price at past origins."""
    rows = []
    for i in range(origins):
        end = len(task.y) - task.h - i * task.h
        if end < 40:
            break
        actual = task.y.iloc[end : end + task.h].to_numpy(float)
        train = task.y.iloc[:end].to_numpy(float)
        no_fit = run_task(_at(task, end))
        with mock.patch("forecasting.series.administered", return_value=False):
            models = run_task(_at(task, end))
        for arm, result in (("no fit", no_fit), ("models", models)):
            mase, mape = _scores(result.forecast["mean"].to_numpy(float), actual, train)
            inside = (actual >= result.forecast["lo80"].to_numpy(float) - 1e-9) & (
                actual <= result.forecast["hi80"].to_numpy(float) + 1e-9
            )
            rows.append({"metric": "step price", "arm": arm, "model": result.model,
                         "mase": mase, "mape": mape, "coverage80": float(inside.mean())})  # fmt: skip
    return rows


def _summary(rows: list[dict], arms: tuple[str, str]) -> dict:
    summary: dict[str, dict[str, dict[str, float]]] = {}
    for metric in sorted({r["metric"] for r in rows}):
        for arm in arms:
            part = [r for r in rows if r["metric"] == metric and r["arm"] == arm]
            summary.setdefault(metric, {})[arm] = {
                key: float(np.nanmean([r[key] for r in part]))
                for key in ("mase", "mape", "coverage80")
            } | {"n": len(part)}
        same = [
            a["model"] == b["model"]
            for a, b in zip(rows[0::2], rows[1::2], strict=True)
            if a["metric"] == metric
        ]
        summary[metric]["same_model_share"] = {"share": float(np.mean(same))}
    return summary


def run(db: Path, sample: int, origins: int, lag_days: int) -> dict:
    """Scores per metric and arm, over a sample of the warehouse's series."""
    tasks = build_tasks(load_values(db))
    steps = [t for t in tasks if t.metric == "price" and administered(t.y) and t.y.nunique() > 1]
    administered_count = sum(t.metric == "price" and administered(t.y) for t in tasks)
    tasks = [t for t in tasks if not (t.metric == "price" and administered(t.y))]
    step = max(1, len(tasks) // sample)
    chosen = tasks[::step][:sample]
    started = time.process_time()
    rows = [row for task in chosen for row in compare(task, origins, lag_days)]
    summary = _summary(rows, ("refit", "refilter"))
    step_rows = [row for task in steps[:sample] for row in compare_steps(task, origins)]
    if step_rows:
        summary.update(_summary(step_rows, ("no fit", "models")))
    return {
        "db": str(db),
        "series": len(tasks) + administered_count,
        "administered_prices": administered_count,
        "sample": len(chosen),
        "origins": origins,
        "lag_days": lag_days,
        "cpu_s": time.process_time() - started,
        "by_metric": summary,
        "load_average": os.getloadavg()[0],
    }


def table(r: dict) -> str:
    """Markdown table of one result."""
    lines = [
        f"{r['db']}: {r['series']} series ({r['administered_prices']} prices moving only in "
        f"rare steps, forecast naive without fits); sample {r['sample']} series x up to {r['origins']} "
        f"origins; stored fit {r['lag_days']} days old (prices: 1 week); load average "
        f"{r['load_average']:.1f}",
        "",
        "| metric | arm | mean MASE | mean MAPE % | coverage 80 % | forecasts | same model |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for metric, arms in r["by_metric"].items():
        share = arms["same_model_share"]["share"]
        for arm in [a for a in arms if a != "same_model_share"]:
            s = arms[arm]
            lines.append(
                f"| {metric} | {arm} | {s['mase']:.3f} | {s['mape']:.2f} | "
                f"{s['coverage80']:.3f} | {s['n']} | {share:.0%} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--origins", type=int, default=3)
    parser.add_argument("--lag", type=int, default=6, help="age of the stored fit, in days")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.db, args.sample, args.origins, args.lag)
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
