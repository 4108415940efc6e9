"""Rolling-origin backtests: MASE, MAPE and interval coverage by horizon, and model choice.

The statistical models are estimated once, on the data up to the first (earliest) origin; at
later origins the same parameters are re-filtered on the longer history (no look-ahead, and
cheap). Each origin forecasts ``h`` steps and errors are compared with the actual values. MASE is scaled by the in-sample mean absolute
one-step change of the training window (non-seasonal scale, so short series can be scored).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting.models import ALL_MODELS, fit_predict, usable_models

METRICS: tuple[str, ...] = ("mase", "mape", "coverage80", "coverage95")


@dataclass
class BacktestResult:
    """Backtest errors of every candidate model on one series."""

    n_obs: int
    horizon: int
    origins: list[pd.Timestamp]
    by_horizon: pd.DataFrame  # model, horizon, mase, mape, coverage80, coverage95, n
    overall: dict[str, dict[str, float]]  # model -> metric -> value
    chosen: str
    fallback_reason: str = ""
    warnings: list[str] = field(default_factory=list)
    params: dict[str, np.ndarray] = field(default_factory=dict)  # estimated at the first origin


def origins_for(n_obs: int, h: int, n_folds: int, step: int | None = None) -> list[int]:
    """Training lengths of the rolling origins (the last one leaves exactly ``h`` points)."""
    step = step or h
    last = n_obs - h
    return sorted({last - i * step for i in range(n_folds) if last - i * step >= 8})


def _mase_scale(train: np.ndarray) -> float:
    steps = np.abs(np.diff(train))
    return float(steps.mean()) if len(steps) else float("nan")


def _fold_errors(
    y: pd.Series,
    train_len: int,
    h: int,
    model: str,
    levels: Sequence[int],
    params: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], list[str], np.ndarray | None]:
    """Errors of one origin by horizon (metric -> array), warnings and the parameters."""
    train = y.iloc[:train_len]
    actual = y.iloc[train_len : train_len + h].to_numpy(float)
    output = fit_predict(train, len(actual), model, levels, params)
    scale = _mase_scale(train.to_numpy(float))
    abs_err = np.abs(actual - output.mean)
    if scale > 0:
        mase = abs_err / scale
    else:
        mase = np.where(abs_err == 0, 0.0, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        mape = np.where(actual != 0, 100 * abs_err / np.abs(actual), np.nan)
    errors = {"mase": mase, "mape": mape}
    for lv in levels:
        lo, hi = output.bounds[lv]
        errors[f"coverage{lv}"] = ((actual >= lo - 1e-9) & (actual <= hi + 1e-9)).astype(float)
    return errors, output.warnings, output.params


def _nanmean(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    """Mean skipping NaN (NaN where nothing is left), summed as pandas sums a column."""
    present = ~np.isnan(values)
    count = present.sum(axis=axis)
    total = np.where(present, values, 0.0).sum(axis=axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _stack(rows: list[np.ndarray], width: int) -> np.ndarray:
    """Origins as rows of ``width`` horizons (a short last origin padded with NaN)."""
    return np.vstack([np.pad(r, (0, width - len(r)), constant_values=np.nan) for r in rows])


def _summaries(
    folds: dict[str, list[dict[str, np.ndarray]]], metrics: Sequence[str]
) -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
    """Metrics by model and horizon (mean over origins, ``n`` origins) and overall."""
    rows: list[pd.DataFrame] = []
    overall: dict[str, dict[str, float]] = {}
    for model in sorted(folds):
        parts = folds[model]
        width = max(len(part["mase"]) for part in parts)
        stacked = {metric: _stack([p[metric] for p in parts], width) for metric in metrics}
        n = np.array([sum(len(p["mase"]) > i for p in parts) for i in range(width)])
        frame = pd.DataFrame({"model": model, "horizon": np.arange(1, width + 1)})
        for metric in metrics:
            frame[metric] = _nanmean(stacked[metric], axis=0)
        frame["n"] = n
        rows.append(frame)
        overall[model] = {
            metric: float(_nanmean(np.concatenate([p[metric] for p in parts])))
            for metric in metrics
        }
    by_horizon = pd.concat(rows, ignore_index=True)
    return by_horizon, overall


def choose_model(overall: dict[str, dict[str, float]], candidates: Sequence[str]) -> str:
    """Lowest mean MASE wins; ties go to the simpler model (the order of ``candidates``)."""
    best, best_score = candidates[0], float("inf")
    for model in candidates:
        score = overall.get(model, {}).get("mase", float("nan"))
        if np.isfinite(score) and score < best_score - 1e-12:
            best, best_score = model, score
    return best


def rolling_origin(
    y: pd.Series,
    h: int,
    models: Sequence[str] = ALL_MODELS,
    n_folds: int = 3,
    step: int | None = None,
    levels: Sequence[int] = (80, 95),
) -> BacktestResult:
    """Backtest each usable candidate on a regular series and choose one.

    A series too short for any origin keeps the simplest candidate and says why.
    """
    kept, reason = usable_models(len(y) - h, models)
    if not kept:
        kept = ["naive"]
    origins = origins_for(len(y), h, n_folds, step)
    if not origins:
        return BacktestResult(
            n_obs=len(y),
            horizon=h,
            origins=[],
            by_horizon=pd.DataFrame(columns=["model", "horizon", *METRICS, "n"]),
            overall={},
            chosen="naive",
            fallback_reason=f"only {len(y)} observations: too short to backtest {h} steps ahead",
        )
    folds: dict[str, list[dict[str, np.ndarray]]] = {}
    caught: set[str] = set()
    failed: list[str] = []
    estimated: dict[str, np.ndarray] = {}
    for model in kept:
        params = None
        model_folds = []
        for train_len in origins:
            try:
                fold, fold_warnings, params = _fold_errors(y, train_len, h, model, levels, params)
            except Exception as exc:  # noqa: BLE001 - a failing candidate is dropped, with why
                failed.append(f"{model}: {exc}")
                model_folds = []
                break
            model_folds.append(fold)
            caught.update(fold_warnings)
            if params is not None:
                estimated[model] = params
        if model_folds:
            folds[model] = model_folds
    scored = {"mase", "mape", *[f"coverage{lv}" for lv in levels]}
    metrics = [m for m in METRICS if m in scored]
    if folds:
        by_horizon, overall = _summaries(folds, metrics)
    else:
        by_horizon, overall = pd.DataFrame(columns=["model", "horizon", *METRICS]), {}
    candidates = [m for m in kept if m in overall] or ["naive"]
    chosen = choose_model(overall, candidates)
    if failed:
        reason = "; ".join(filter(None, [reason, *[f"failed in backtest ({f})" for f in failed]]))
    return BacktestResult(
        n_obs=len(y),
        horizon=h,
        origins=[y.index[o - 1] for o in origins],
        by_horizon=by_horizon,
        overall=overall,
        chosen=chosen,
        fallback_reason=reason,
        warnings=sorted(caught),
        params=estimated,
    )
