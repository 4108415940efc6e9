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
) -> tuple[pd.DataFrame, list[str], np.ndarray | None]:
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
    frame = pd.DataFrame(
        {"model": model, "horizon": np.arange(1, len(actual) + 1), "mase": mase, "mape": mape}
    )
    for lv in levels:
        lo, hi = output.bounds[lv]
        frame[f"coverage{lv}"] = ((actual >= lo - 1e-9) & (actual <= hi + 1e-9)).astype(float)
    return frame, output.warnings, output.params


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
    parts, caught = [], set()
    failed: list[str] = []
    estimated: dict[str, np.ndarray] = {}
    for model in kept:
        params = None
        for train_len in origins:
            try:
                fold, fold_warnings, params = _fold_errors(y, train_len, h, model, levels, params)
            except Exception as exc:  # noqa: BLE001 - a failing candidate is dropped, with why
                failed.append(f"{model}: {exc}")
                break
            parts.append(fold)
            caught.update(fold_warnings)
            if params is not None:
                estimated[model] = params
    errors = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    failed_models = {f.split(":")[0] for f in failed}
    if not errors.empty and failed_models:
        errors = errors[~errors["model"].isin(failed_models)]
    metric_cols = [c for c in METRICS if c in errors.columns]
    by_horizon = (
        errors.groupby(["model", "horizon"])[metric_cols].mean().reset_index()
        if not errors.empty
        else pd.DataFrame(columns=["model", "horizon", *METRICS])
    )
    if not errors.empty:
        by_horizon["n"] = errors.groupby(["model", "horizon"]).size().to_numpy()
    overall = {
        str(model): {k: float(v) for k, v in group[metric_cols].mean().items()}
        for model, group in errors.groupby("model")
    }
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
