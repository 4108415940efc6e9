"""``python -m forecasting backtest``: rolling-origin backtest of the warehouse or of a CSV.

Model choice is honest (nested): the model is chosen on the earlier origins only, and every
model, the chosen one included, is then scored on the later origins it was not chosen on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import numpy as np
import pandas as pd

from warehouse.db import WarehouseError

FREQS = {"D": "D", "W": "W-MON"}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m forecasting backtest",
        description="Rolling-origin backtest: MASE, MAPE, 80%/95% coverage per series and model.",
    )
    p.add_argument("--db", help="warehouse path (default: JSW_DB or data/warehouse.duckdb)")
    p.add_argument("--regions", help="warehouse: comma-separated BPS codes")
    p.add_argument("--commodities", help="warehouse: comma-separated commodity codes")
    p.add_argument("--csv", help="backtest a CSV file instead of the warehouse")
    p.add_argument("--date-col", help="CSV: the date column")
    p.add_argument("--value-col", help="CSV: value column(s), comma-separated")
    p.add_argument("--freq", choices=sorted(FREQS), default="W", help="D daily or W weekly means")
    p.add_argument("--horizon", type=int, help="steps ahead (default 4 weekly, 14 daily)")
    p.add_argument("--select-folds", type=int, default=4, help="origins used to choose a model")
    p.add_argument("--eval-folds", type=int, default=8, help="later origins used to score")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    return p


def evaluate_series(
    name: str,
    y: pd.Series,
    h: int,
    candidates: Sequence[str],
    select_folds: int,
    eval_folds: int,
) -> dict:
    """Choose on the earlier origins, score every candidate on the later ones."""
    from forecasting.backtest import rolling_origin

    selection_end = len(y) - eval_folds * h
    selection = rolling_origin(y.iloc[:selection_end], h, candidates, select_folds, h)
    evaluation = rolling_origin(y, h, candidates, eval_folds, h)
    return {
        "name": name,
        "n_obs": int(len(y)),
        "chosen": selection.chosen,
        "fallback_reason": selection.fallback_reason or None,
        "eval_origins": [str(o.date()) for o in evaluation.origins],
        "models": {
            model: {k: _round(v) for k, v in metrics.items()}
            for model, metrics in evaluation.overall.items()
        },
    }


def _round(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 4)


def summarise(series: list[dict]) -> dict:
    """Mean metrics per model across series, and how often the chosen model beat the baselines."""
    models = sorted({m for s in series for m in s["models"]} | {"chosen"})
    overall = {}
    for model in models:
        rows = [
            s["models"].get(s["chosen"] if model == "chosen" else model)
            for s in series
            if (s["chosen"] if model == "chosen" else model) in s["models"]
        ]
        overall[model] = {
            k: _round(np.nanmean([r[k] for r in rows if r.get(k) is not None]))
            if any(r.get(k) is not None for r in rows)
            else None
            for k in ("mase", "mape", "coverage80", "coverage95")
        }
    beats = {}
    for baseline in ("naive", "seasonal_naive"):
        pairs = [
            (s["models"][s["chosen"]]["mase"], s["models"][baseline]["mase"])
            for s in series
            if baseline in s["models"] and s["chosen"] in s["models"]
            and s["models"][s["chosen"]]["mase"] is not None
            and s["models"][baseline]["mase"] is not None
        ]  # fmt: skip
        beats[baseline] = {
            "series": len(pairs),
            "chosen_better": sum(1 for c, b in pairs if c < b),
            "chosen_not_worse": sum(1 for c, b in pairs if c <= b),
        }
    return {"overall": overall, "chosen_vs_baseline": beats}


def csv_series(path: str, date_col: str, value_cols: list[str], freq: str) -> dict[str, pd.Series]:
    """Regular series (daily or W-MON means) from CSV columns; gaps interpolated."""
    from forecasting.models import regular_series

    frame = pd.read_csv(path)
    missing = [c for c in [date_col, *value_cols] if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{path}: column(s) not found: {', '.join(missing)}; "
            f"available: {', '.join(map(str, frame.columns[:40]))}"
        )
    dates = pd.to_datetime(frame[date_col], errors="coerce")
    if dates.isna().all():
        raise ValueError(f"{path}: column {date_col!r} holds no readable dates")
    out = {}
    for column in value_cols:
        values = pd.to_numeric(frame[column], errors="coerce")
        series = pd.Series(values.to_numpy(), index=dates).dropna()
        series = series[series.index.notna()].sort_index()
        if freq != "D":
            series = series.resample(freq).mean().dropna()
        out[column] = regular_series(series, freq)
    return out


def warehouse_series(args) -> tuple[dict[str, pd.Series], int, str]:
    from forecasting.batch import build_tasks
    from forecasting.data import load_values

    regions = args.regions.split(",") if args.regions else None
    commodities = args.commodities.split(",") if args.commodities else None
    values = load_values(args.db, regions, commodities)
    if values.empty:
        raise ValueError("no data in the warehouse for the chosen regions and commodities")
    values = values[values["metric"] == "price"]
    tasks = build_tasks(values)
    return {f"{t.region}/{t.commodity}/price": t.y for t in tasks}, args.horizon or 4, "W-MON"


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    from forecasting.series import FLOW_CANDIDATES, PRICE_CANDIDATES

    try:
        if args.csv:
            if not args.date_col or not args.value_col:
                raise ValueError("--csv needs --date-col and --value-col")
            freq = FREQS[args.freq]
            columns = [c.strip() for c in args.value_col.split(",") if c.strip()]
            series = csv_series(args.csv, args.date_col, columns, freq)
            h = args.horizon or (4 if freq != "D" else 14)
        else:
            series, h, freq = warehouse_series(args)
        candidates = PRICE_CANDIDATES if freq != "D" else FLOW_CANDIDATES
        results = []
        for name, y in series.items():
            if len(y) < (args.select_folds + args.eval_folds + 2) * h:
                results.append({"name": name, "n_obs": int(len(y)), "chosen": None,
                                "fallback_reason": f"only {len(y)} points: too short",
                                "models": {}})  # fmt: skip
                continue
            results.append(
                evaluate_series(name, y, h, candidates, args.select_folds, args.eval_folds)
            )
    except (WarehouseError, ValueError, FileNotFoundError) as exc:
        if args.json:
            print(json.dumps({"status": "failed", "error": str(exc)}))
        print(f"Backtest failed: {exc}", file=sys.stderr)
        return 1
    scored = [r for r in results if r["chosen"]]
    out = {"horizon": h, "freq": freq, "series": results, **summarise(scored)}
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"horizon {h} ({freq}); {len(scored)} series scored")
    for r in results:
        models = " ".join(
            f"{m}={v['mase']}" for m, v in r["models"].items() if v.get("mase") is not None
        )
        print(f"  {r['name']:<40} chosen={r['chosen']}  MASE {models}")
    for model, metrics in out["overall"].items():
        print(f"  overall {model:<15} {metrics}")
    print(f"  chosen vs baselines: {out['chosen_vs_baseline']}")
    return 0
