"""One forecast task per series: backtest the candidates, choose, refit, forecast.

This module is what the worker processes run; it must stay importable without the warehouse
being open and must never print warnings (they are captured and returned).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting.backtest import choose_model, rolling_origin
from forecasting.models import fit_predict, future_index, output_frame, regular_series

PRICE_FREQ = "W-MON"
PRICE_HORIZON_WEEKS = 8
FLOW_HORIZON_DAYS = 30
FLOW_TRAIN_DAYS = 120
PRICE_CANDIDATES = ("naive", "seasonal_naive", "ets", "uc_calendar")
FLOW_CANDIDATES = ("naive", "seasonal_naive", "window_mean", "ets")
INTERMITTENT_ZERO_SHARE = 0.3


@dataclass
class SeriesTask:
    """A series to forecast, already on a regular index."""

    region: str
    commodity: str
    metric: str
    y: pd.Series
    h: int
    candidates: tuple[str, ...]
    n_folds: int
    step: int


@dataclass
class SeriesResult:
    """The chosen model's forecast and the backtest evidence for one series."""

    region: str
    commodity: str
    metric: str
    model: str
    n_obs: int
    fallback_reason: str
    warnings: list[str]
    forecast: pd.DataFrame
    overall: dict[str, dict[str, float]] = field(default_factory=dict)
    by_horizon: pd.DataFrame = field(default_factory=pd.DataFrame)


def price_task(region: str, commodity: str, daily_price: pd.Series) -> SeriesTask:
    """Weekly (W-MON) mean prices, 8 weeks ahead."""
    weekly = daily_price.dropna().resample(PRICE_FREQ).mean()
    y = regular_series(weekly, PRICE_FREQ)
    return SeriesTask(region, commodity, "price", y, PRICE_HORIZON_WEEKS, PRICE_CANDIDATES, 2, 4)


def flow_task(region: str, commodity: str, metric: str, daily: pd.Series) -> SeriesTask:
    """Daily distribution or delivery, 30 days ahead, fitted on the last 120 days."""
    y = regular_series(daily, "D")
    y = y.iloc[-FLOW_TRAIN_DAYS:]
    y.index.freq = "D"
    return SeriesTask(region, commodity, metric, y, FLOW_HORIZON_DAYS, FLOW_CANDIDATES, 2, 14)


def _constant(y: pd.Series) -> bool:
    values = y.to_numpy(float)
    return len(values) > 0 and bool(np.all(values == values[0]))


def _intermittent(y: pd.Series) -> bool:
    """Lumpy flows (many zero days): a projection needs their level, not the last value."""
    return float((y.to_numpy(float) == 0).mean()) > INTERMITTENT_ZERO_SHARE


def run_task(task: SeriesTask) -> SeriesResult:
    """Backtest, choose and forecast; fall back to naive with a reason.

    The chosen statistical model keeps the parameters it was estimated with at the first
    backtest origin and is re-filtered on all data for the forecast (one estimation per model
    and series keeps the full batch within its time budget).
    """
    y = task.y
    if len(y) < 2:
        return _empty_result(task, f"only {len(y)} observations: nothing to forecast")
    candidates = task.candidates
    reason = ""
    if _constant(y):
        candidates = ("naive",)
        reason = "constant series (administered price): naive"
    backtest = rolling_origin(y, task.h, candidates, task.n_folds, task.step)
    chosen = backtest.chosen
    reason = "; ".join(filter(None, [reason, backtest.fallback_reason]))
    if task.metric != "price" and chosen in ("naive", "seasonal_naive") and _intermittent(y):
        level_models = [m for m in candidates if m in backtest.overall and "naive" not in m]
        if level_models:
            chosen = choose_model(backtest.overall, level_models)
    caught = set(backtest.warnings)
    try:
        output = fit_predict(y, task.h, chosen, params=backtest.params.get(chosen))
    except Exception as exc:  # noqa: BLE001 - any model failure falls back to naive
        last_line = traceback.format_exception_only(type(exc), exc)[-1].strip()
        reason = "; ".join(filter(None, [reason, f"{chosen} failed on full data ({last_line})"]))
        chosen = "naive"
        output = fit_predict(y, task.h, chosen)
    caught.update(output.warnings)
    frame = output_frame(output, future_index(y, task.h), chosen)
    if task.metric != "price":
        frame = _clip_non_negative(frame)
    return SeriesResult(
        region=task.region,
        commodity=task.commodity,
        metric=task.metric,
        model=chosen,
        n_obs=len(y),
        fallback_reason=reason,
        warnings=sorted(caught),
        forecast=frame,
        overall=backtest.overall,
        by_horizon=backtest.by_horizon,
    )


def _clip_non_negative(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("mean", "lo80", "hi80", "lo95", "hi95"):
        frame[column] = frame[column].clip(lower=0.0)
    return frame


def _empty_result(task: SeriesTask, reason: str) -> SeriesResult:
    return SeriesResult(
        task.region, task.commodity, task.metric, "none", len(task.y), reason, [], pd.DataFrame()
    )


def run_chunk(tasks: list[SeriesTask]) -> list[SeriesResult]:
    """Run several tasks in one worker call (fewer round trips)."""
    return [run_task(task) for task in tasks]
