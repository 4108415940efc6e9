"""One forecast task per series: backtest the candidates, choose, refit, forecast.

This module is what the worker processes run; it must stay importable without the warehouse
being open and must never print warnings (they are captured and returned).
"""

from __future__ import annotations

import datetime as dt
import traceback
import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting.backtest import choose_model, rolling_origin
from forecasting.models import (
    ModelOutput,
    fit_predict,
    future_index,
    output_frame,
    regular_series,
)

PRICE_FREQ = "W-MON"
PRICE_HORIZON_WEEKS = 8
FLOW_HORIZON_DAYS = 30
FLOW_TRAIN_DAYS = 120
PRICE_TRAIN_WEEKS = 156  # three years: three Ramadan and Lebaran seasons for the regressors
FLOW_FOLDS = 1
PRICE_FOLDS = 2
PRICE_CANDIDATES = ("naive", "seasonal_naive", "ets", "uc_calendar")
FLOW_CANDIDATES = ("naive", "seasonal_naive", "window_mean", "ets")
INTERMITTENT_ZERO_SHARE = 0.3
REFIT_DAYS = 7
ADMINISTERED_FLAT_POINTS = 13
ADMINISTERED_MAX_STEP_SHARE = 0.1


@dataclass
class StoredFit:
    """A series' model choice and parameters from an earlier run (re-filtered, not re-estimated).

    ``overall`` is the backtest evidence of the run that estimated them (model -> metric).
    """

    model: str
    params: np.ndarray | None
    fitted_on: dt.date
    reason: str = ""
    overall: dict[str, dict[str, float]] = field(default_factory=dict)


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
    stored: StoredFit | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.region, self.commodity, self.metric)


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
    params: np.ndarray | None = None
    fitted_on: dt.date | None = None  # data date of the run that estimated the parameters
    refitted: bool = True


def price_task(
    region: str, commodity: str, daily_price: pd.Series, weekly: bool = False
) -> SeriesTask:
    """Weekly (W-MON) mean prices, 8 weeks ahead, fitted on the last ``PRICE_TRAIN_WEEKS``
    weeks (``weekly``: the means are already taken)."""
    weekly = daily_price if weekly else daily_price.dropna().resample(PRICE_FREQ).mean()
    y = regular_series(weekly, PRICE_FREQ)
    if len(y) > PRICE_TRAIN_WEEKS:
        y = y.iloc[-PRICE_TRAIN_WEEKS:]
        y.index.freq = PRICE_FREQ
    return SeriesTask(
        region, commodity, "price", y, PRICE_HORIZON_WEEKS, PRICE_CANDIDATES, PRICE_FOLDS, 4
    )


def flow_task(region: str, commodity: str, metric: str, daily: pd.Series) -> SeriesTask:
    """Daily distribution or delivery, 30 days ahead, fitted on the last 120 days and
    chosen on one backtest origin (the last 30 days)."""
    y = regular_series(daily, "D")
    y = y.iloc[-FLOW_TRAIN_DAYS:]
    y.index.freq = "D"
    return SeriesTask(
        region, commodity, metric, y, FLOW_HORIZON_DAYS, FLOW_CANDIDATES, FLOW_FOLDS, 14
    )


def _constant(y: pd.Series) -> bool:
    values = y.to_numpy(float)
    return len(values) > 0 and bool(np.all(values == values[0]))


def administered(y: pd.Series) -> bool:
    """A price that moves only in rare steps: unchanged for the last 13 points, at most 10 %
    of steps non-zero (HET, subsidised fuel and LPG changed by decree; sticky market quotes).

    Fitting models to such a series costs time and buys nothing: it is forecast with the naive
    model, flat; a series that never moved gets zero-width bands.
    """
    values = y.to_numpy(float)
    if len(values) < ADMINISTERED_FLAT_POINTS:
        return _constant(y)
    if not np.all(values[-ADMINISTERED_FLAT_POINTS:] == values[-1]):
        return False
    steps = np.count_nonzero(np.diff(values))
    return steps <= ADMINISTERED_MAX_STEP_SHARE * (len(values) - 1)


def refit_slot(region: str, commodity: str, metric: str) -> int:
    """The weekday-like slot (0-6) on which a series is re-estimated (staggers the refits)."""
    return zlib.crc32(f"{region}|{commodity}|{metric}".encode()) % REFIT_DAYS


def refit_due(task: SeriesTask, stored: StoredFit | None, as_of: dt.date) -> bool:
    """Whether ``task`` must be re-estimated on data up to ``as_of`` rather than re-filtered.

    Parameters live at most ``REFIT_DAYS`` days; each series is also re-estimated on its own
    day of the week (``refit_slot``), so a daily run re-estimates about a seventh of them.
    """
    if stored is None or stored.fitted_on > as_of:
        return True
    if (as_of - stored.fitted_on).days >= REFIT_DAYS:
        return True
    if stored.fitted_on == as_of:
        return False
    return as_of.toordinal() % REFIT_DAYS == refit_slot(*task.key)


def _intermittent(y: pd.Series) -> bool:
    """Lumpy flows (many zero days): a projection needs their level, not the last value."""
    return float((y.to_numpy(float) == 0).mean()) > INTERMITTENT_ZERO_SHARE


def run_task(task: SeriesTask) -> SeriesResult:
    """Backtest, choose and forecast; fall back to naive with a reason.

    The chosen statistical model keeps the parameters it was estimated with at the first
    backtest origin and is re-filtered on all data for the forecast (one estimation per model
    and series keeps the full batch within its time budget). A task carrying a stored fit
    (``task.stored``) skips the backtest and re-filters the stored model and parameters.
    """
    y = task.y
    if len(y) < 2:
        return _empty_result(task, f"only {len(y)} observations: nothing to forecast")
    if task.stored is not None:
        refiltered = _refilter(task, task.stored)
        if refiltered is not None:
            return refiltered
    candidates = task.candidates
    reason = ""
    if task.metric == "price" and administered(y):
        candidates = ("naive",)
        steps = int(np.count_nonzero(np.diff(y.to_numpy(float))))
        reason = (
            "constant series (administered price): naive, flat with zero-width bands"
            if _constant(y)
            else f"price moves only in rare steps ({steps} changes in {len(y)} weeks, none in"
            f" the last {ADMINISTERED_FLAT_POINTS}; administered or sticky): naive, no model fitted"
        )
    backtest = rolling_origin(y, task.h, candidates, task.n_folds, task.step)
    chosen = backtest.chosen
    reason = "; ".join(filter(None, [reason, backtest.fallback_reason]))
    if task.metric != "price" and chosen in ("naive", "seasonal_naive") and _intermittent(y):
        level_models = [m for m in candidates if m in backtest.overall and "naive" not in m]
        if level_models:
            chosen = choose_model(backtest.overall, level_models)
    caught = set(backtest.warnings)
    params = backtest.params.get(chosen)
    try:
        output = fit_predict(y, task.h, chosen, params=params)
    except Exception as exc:  # noqa: BLE001 - any model failure falls back to naive
        last_line = traceback.format_exception_only(type(exc), exc)[-1].strip()
        reason = "; ".join(filter(None, [reason, f"{chosen} failed on full data ({last_line})"]))
        chosen, params = "naive", None
        output = fit_predict(y, task.h, chosen)
    if task.metric == "price" and _constant(y):
        output = _flat(output)
    caught.update(output.warnings)
    return _result(task, chosen, output, reason, caught, backtest.overall, backtest.by_horizon,
                   params, None, refitted=True)  # fmt: skip


def _refilter(task: SeriesTask, stored: StoredFit) -> SeriesResult | None:
    """The stored model re-filtered on the current data, or None when it no longer applies."""
    if stored.model == "none" or stored.model not in task.candidates + ("naive",):
        return None
    if "naive, " in stored.reason and not administered(task.y):
        return None  # the price started to move: choose a model again
    try:
        output = fit_predict(task.y, task.h, stored.model, params=stored.params)
    except Exception:  # noqa: BLE001 - a stored fit that no longer fits is re-estimated
        return None
    if task.metric == "price" and _constant(task.y):
        output = _flat(output)
    return _result(task, stored.model, output, stored.reason, set(output.warnings),
                   stored.overall, pd.DataFrame(), stored.params, stored.fitted_on,
                   refitted=False)  # fmt: skip


def _flat(output: ModelOutput) -> ModelOutput:
    """Zero-width bands around the last value (an administered price until the next decree)."""
    for level, _ in list(output.bounds.items()):
        output.bounds[level] = (output.mean.copy(), output.mean.copy())
    return output


def _result(
    task: SeriesTask,
    model: str,
    output: ModelOutput,
    reason: str,
    caught: set[str],
    overall: dict[str, dict[str, float]],
    by_horizon: pd.DataFrame,
    params: np.ndarray | None,
    fitted_on: dt.date | None,
    refitted: bool,
) -> SeriesResult:
    frame = output_frame(output, future_index(task.y, task.h), model)
    if task.metric != "price":
        frame = _clip_non_negative(frame)
    return SeriesResult(
        region=task.region,
        commodity=task.commodity,
        metric=task.metric,
        model=model,
        n_obs=len(task.y),
        fallback_reason=reason,
        warnings=sorted(caught),
        forecast=frame,
        overall=overall,
        by_horizon=by_horizon,
        params=None if params is None else np.asarray(params, dtype=float),
        fitted_on=fitted_on,
        refitted=refitted,
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
