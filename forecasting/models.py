"""Forecast models behind one interface.

``forecast(frame, h, level, models)`` takes a long frame (``unique_id``, ``ds``, ``y``), a
horizon and interval levels, and returns a tidy frame (``unique_id``, ``ds``, ``model``,
``horizon``, ``mean``, ``lo80``, ``hi80``, ``lo95``, ``hi95``), like statsforecast's
``forecast()``. The per-series worker is :func:`fit_predict`, which captures every warning
instead of printing it.

Candidates:

* ``naive`` – last value; spread grows with the square root of the horizon.
* ``seasonal_naive`` – value one season ago (52 weeks weekly, 7 days daily).
* ``window_mean`` – mean of the last two seasons (14 days daily, 8 weeks weekly); suits
  lumpy flows such as deliveries, where the level matters and not the last value.
* ``ets`` – statsmodels ``ETSModel``: additive error, damped additive trend for weekly
  series; additive error and additive weekday season for daily series.
* ``uc_calendar`` – statsmodels ``UnobservedComponents`` (local level, weekly Fourier
  season for daily series) with the calendar regressors from ``seasons``
  (ramadan, pre_lebaran, lebaran, post_lebaran, nataru).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

LEVELS: tuple[int, ...] = (80, 95)
BASELINES: tuple[str, ...] = ("naive", "seasonal_naive")
STATISTICAL: tuple[str, ...] = ("window_mean", "ets", "uc_calendar")
ALL_MODELS: tuple[str, ...] = BASELINES + STATISTICAL
CALENDAR_COLUMNS: tuple[str, ...] = ("ramadan", "pre_lebaran", "lebaran", "post_lebaran", "nataru")
SEASON_LENGTH = {"W-MON": 52, "W": 52, "D": 7}
MIN_OBS = {"ets": 16, "uc_calendar": 26}
_Z = {80: 1.2815515655446004, 95: 1.959963984540054}


@dataclass
class ModelOutput:
    """Point forecast and interval bounds for one series and one model."""

    mean: np.ndarray
    bounds: dict[int, tuple[np.ndarray, np.ndarray]]
    warnings: list[str] = field(default_factory=list)
    params: np.ndarray | None = None


def season_length(freq: str) -> int:
    """Season length for a pandas frequency string (52 for weekly, 7 for daily)."""
    return SEASON_LENGTH.get(freq, SEASON_LENGTH.get(freq.split("-")[0], 1))


def regular_series(y: pd.Series, freq: str) -> pd.Series:
    """Put a series on a regular index of ``freq`` and fill gaps by linear interpolation.

    Series read from the database carry no frequency; statsmodels needs one to forecast.
    """
    y = y.dropna().sort_index()
    y = y[~y.index.duplicated(keep="last")]
    if y.empty:
        return y.astype(float)
    regular = y.reindex(_regular_index(y.index.min(), y.index.max(), freq)).astype(float)
    regular = regular.interpolate(limit_direction="both")
    if regular.index.freq is None:
        regular.index.freq = pd.tseries.frequencies.to_offset(freq)
    return regular


@functools.lru_cache(maxsize=256)
def _regular_index(start: pd.Timestamp, end: pd.Timestamp, freq: str) -> pd.DatetimeIndex:
    """``date_range`` kept per process: pandas builds a weekly range date by date, and the
    series of one warehouse share their grid."""
    return pd.date_range(start, end, freq=freq)


def future_index(y: pd.Series, h: int) -> pd.DatetimeIndex:
    """The ``h`` dates after the end of a regular series."""
    offset = y.index.freq or pd.tseries.frequencies.to_offset(pd.infer_freq(y.index))
    return pd.date_range(y.index[-1] + offset, periods=h, freq=offset)


def _normal_bounds(
    mean: np.ndarray, sd: np.ndarray, levels: Sequence[int]
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    return {lv: (mean - _z(lv) * sd, mean + _z(lv) * sd) for lv in levels}


def _z(level: int) -> float:
    if level in _Z:
        return _Z[level]
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 200)


def _naive(y: pd.Series, h: int, levels: Sequence[int]) -> ModelOutput:
    values = y.to_numpy(dtype=float)
    steps = np.diff(values)
    sd = float(np.std(steps, ddof=1)) if len(steps) > 1 else 0.0
    mean = np.full(h, values[-1])
    return ModelOutput(mean, _normal_bounds(mean, sd * np.sqrt(np.arange(1, h + 1)), levels))


def _seasonal_naive(y: pd.Series, h: int, m: int, levels: Sequence[int]) -> ModelOutput:
    values = y.to_numpy(dtype=float)
    if len(values) <= m:
        return _naive(y, h, levels)
    last_season = values[-m:]
    mean = np.array([last_season[i % m] for i in range(h)])
    diffs = values[m:] - values[:-m]
    sd = float(np.std(diffs, ddof=1)) if len(diffs) > 1 else 0.0
    seasons_ahead = np.floor(np.arange(h) / m) + 1
    return ModelOutput(mean, _normal_bounds(mean, sd * np.sqrt(seasons_ahead), levels))


def _window_mean(y: pd.Series, h: int, m: int, levels: Sequence[int]) -> ModelOutput:
    values = y.to_numpy(dtype=float)
    window = values[-2 * max(m, 4) :]
    mean = np.full(h, float(window.mean()))
    spread = values[-8 * max(m, 4) :]
    sd = float(np.std(spread, ddof=1)) if len(spread) > 1 else 0.0
    return ModelOutput(mean, _normal_bounds(mean, np.full(h, sd), levels))


@functools.cache
def _ets_model_class() -> type:
    """``ETSModel`` whose results skip the parameter covariance (a complex-step Hessian that
    statsmodels computes for every fit and smooth, ~40 % of a re-filter). Forecasts and
    prediction intervals never read it: they are the same numbers."""
    from statsmodels.tsa.exponential_smoothing.ets import (
        ETSModel,
        ETSResults,
        ETSResultsWrapper,
    )

    class ResultsWithoutCovariance(ETSResults):
        @property
        def cov_params_approx(self) -> np.ndarray:
            return np.full((self.k_params, self.k_params), np.nan)

    class Model(ETSModel):
        _res_classes = {"fit": (ResultsWithoutCovariance, ETSResultsWrapper)}

    return Model


def _ets(
    y: pd.Series, h: int, m: int, levels: Sequence[int], params: np.ndarray | None = None
) -> ModelOutput:
    model_class = _ets_model_class()
    values = pd.Series(y.to_numpy(dtype=float))  # positions, not dates: date handling is slow
    if m == 7 and len(y) >= 3 * m:
        model = model_class(values, error="add", seasonal="add", seasonal_periods=7)
    else:
        model = model_class(values, error="add", trend="add", damped_trend=True)
    if params is None:
        params = model.fit(disp=False, maxiter=200, return_params=True)
    result = model.smooth(params)
    start = len(y)
    prediction = result.get_prediction(start=start, end=start + h - 1)
    mean = np.asarray(prediction.predicted_mean, dtype=float)
    bounds: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for lv in levels:
        interval = np.asarray(prediction.pred_int(alpha=1 - lv / 100), dtype=float)
        bounds[lv] = (interval[:, 0], interval[:, 1])
    return ModelOutput(mean, bounds, params=np.asarray(result.params))


def calendar_exog(index: pd.DatetimeIndex) -> pd.DataFrame:
    """Calendar regressors for a daily or weekly index (columns ``CALENDAR_COLUMNS``)."""
    from seasons import calendar_features

    features = calendar_features(index)
    return features[list(CALENDAR_COLUMNS)].astype(float).fillna(0.0)


@functools.lru_cache(maxsize=512)
def _calendar_block(start: pd.Timestamp, periods: int, freq: str) -> np.ndarray:
    """``calendar_exog`` of a regular index as a read-only array, kept per worker: the
    series of one warehouse share their grid, so backtest folds and series reuse it."""
    index = pd.date_range(start, periods=periods, freq=freq)
    block = calendar_exog(index).to_numpy(dtype=float)
    block.flags.writeable = False
    return block


def _calendar_matrix(index: pd.DatetimeIndex) -> np.ndarray:
    if len(index) == 0 or index.freqstr is None:
        return calendar_exog(index).to_numpy(dtype=float)
    return _calendar_block(index[0], len(index), index.freqstr)


def _uc_calendar(
    y: pd.Series, h: int, m: int, levels: Sequence[int], params: np.ndarray | None = None
) -> ModelOutput:
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    exog = _calendar_matrix(y.index)
    exog_future = _calendar_matrix(future_index(y, h))
    keep = [
        i
        for i in range(len(CALENDAR_COLUMNS))
        if exog[:, i].std(ddof=1) > 0 and exog[:, i].sum() >= 2
    ]
    seasonal = [{"period": 7, "harmonics": 3}] if m == 7 and len(y) >= 4 * m else None
    model = UnobservedComponents(
        y.to_numpy(dtype=float),
        level="local level",
        freq_seasonal=seasonal,
        exog=exog[:, keep] if keep else None,
        mle_regression=False,
    )
    if params is None or len(params) != len(model.param_names):
        params = model.fit(disp=False, maxiter=100, return_params=True)
    # the filter alone (no smoother, no parameter covariance) is all a forecast reads
    result = model.filter(params, cov_type="none")
    forecast = result.get_forecast(h, exog=exog_future[:, keep] if keep else None)
    mean = np.asarray(forecast.predicted_mean, dtype=float)
    bounds = {}
    for lv in levels:
        ci = np.asarray(forecast.conf_int(alpha=1 - lv / 100), dtype=float)
        bounds[lv] = (ci[:, 0], ci[:, 1])
    return ModelOutput(mean, bounds, params=np.asarray(result.params))


def fit_predict(
    y: pd.Series,
    h: int,
    model: str,
    levels: Sequence[int] = LEVELS,
    params: np.ndarray | None = None,
) -> ModelOutput:
    """Fit one model on a regular series and forecast ``h`` steps with interval bounds.

    With ``params`` (from an earlier fit of the same model) the statistical models are only
    re-filtered on ``y`` instead of re-estimated, which makes rolling origins cheap.
    Warnings raised while fitting are captured and returned, never printed.
    """
    freq = y.index.freqstr or "D"
    m = season_length(freq)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if model == "naive":
            output = _naive(y, h, levels)
        elif model == "seasonal_naive":
            output = _seasonal_naive(y, h, m, levels)
        elif model == "window_mean":
            output = _window_mean(y, h, m, levels)
        elif model == "ets":
            output = _ets(y, h, m, levels, params)
        elif model == "uc_calendar":
            output = _uc_calendar(y, h, m, levels, params)
        else:
            raise ValueError(f"unknown model {model!r}; choose from {', '.join(ALL_MODELS)}")
    output.warnings = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    if not np.all(np.isfinite(output.mean)):
        raise FloatingPointError(f"{model} produced a non-finite forecast")
    return output


def usable_models(n_obs: int, candidates: Sequence[str] = ALL_MODELS) -> tuple[list[str], str]:
    """The candidates a series of ``n_obs`` points supports, and why others were dropped."""
    kept = [c for c in candidates if n_obs >= MIN_OBS.get(c, 2)]
    dropped = [c for c in candidates if c not in kept]
    reason = ""
    if dropped:
        reason = f"only {n_obs} observations: {', '.join(dropped)} need more"
    return kept, reason


def output_frame(
    output: ModelOutput, dates: pd.DatetimeIndex, model: str, unique_id: str = ""
) -> pd.DataFrame:
    """Tidy forecast rows for one series and model."""
    frame = pd.DataFrame(
        {
            "unique_id": unique_id,
            "ds": dates,
            "model": model,
            "horizon": np.arange(1, len(dates) + 1),
            "mean": output.mean,
        }
    )
    for lv, (lo, hi) in output.bounds.items():
        frame[f"lo{lv}"] = np.minimum(lo, output.mean)
        frame[f"hi{lv}"] = np.maximum(hi, output.mean)
    return frame


def forecast(
    frame: pd.DataFrame,
    h: int,
    level: Sequence[int] = LEVELS,
    models: Sequence[str] = ("naive", "seasonal_naive", "ets"),
    freq: str = "W-MON",
) -> pd.DataFrame:
    """Forecast every series of a long frame (``unique_id``, ``ds``, ``y``) with each model.

    Returns the tidy frame described in the module docstring; a model a series is too short
    for is skipped for that series.
    """
    parts = []
    for unique_id, group in frame.groupby("unique_id", sort=True):
        y = regular_series(group.set_index(pd.DatetimeIndex(group["ds"]))["y"], freq)
        if y.empty:
            continue
        kept, _ = usable_models(len(y), models)
        for model in kept:
            output = fit_predict(y, h, model, level)
            parts.append(output_frame(output, future_index(y, h), model, str(unique_id)))
    if not parts:
        return pd.DataFrame(
            columns=["unique_id", "ds", "model", "horizon", "mean"]
            + [f"{b}{lv}" for lv in level for b in ("lo", "hi")]
        )
    return pd.concat(parts, ignore_index=True)
