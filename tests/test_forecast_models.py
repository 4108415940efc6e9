"""Model interface, intervals and fallbacks (pure functions on synthetic series)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasting.backtest import rolling_origin
from forecasting.models import forecast, regular_series
from forecasting.series import SeriesTask, StoredFit, administered, refit_due, run_task


def _weekly(n: int = 120, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ds = pd.date_range("2023-01-02", periods=n, freq="W-MON")
    y = 13000 + np.cumsum(rng.normal(0, 40, n))
    return pd.DataFrame({"unique_id": "a", "ds": ds, "y": y})


def test_forecast_returns_tidy_frame_with_nested_intervals():
    out = forecast(_weekly(), h=8, models=("naive", "seasonal_naive", "ets", "uc_calendar"))
    assert set(out["model"]) == {"naive", "seasonal_naive", "ets", "uc_calendar"}
    assert (out.groupby("model").size() == 8).all()
    assert (out["lo95"] <= out["lo80"]).all() and (out["lo80"] <= out["mean"]).all()
    assert (out["mean"] <= out["hi80"]).all() and (out["hi80"] <= out["hi95"]).all()
    first = out[out["model"] == "naive"].sort_values("horizon")
    widths = (first["hi80"] - first["lo80"]).to_numpy()
    assert np.all(np.diff(widths) > 0)  # naive spread grows with the horizon


def test_gappy_series_is_regularised_before_fitting():
    frame = _weekly(60)
    gappy = frame.drop(index=[10, 11, 30])
    y = regular_series(gappy.set_index("ds")["y"], "W-MON")
    assert len(y) == 60 and not y.isna().any()
    assert y.index.freqstr == "W-MON"


def test_short_series_falls_back_with_a_reason():
    ds = pd.date_range("2026-01-05", periods=12, freq="W-MON")
    y = pd.Series(np.linspace(13000, 13500, 12), index=ds)
    y.index.freq = "W-MON"
    task = SeriesTask("1571", "beras_medium", "price", y, 8, ("naive", "ets", "uc_calendar"), 2, 4)
    result = run_task(task)
    assert result.model == "naive"
    assert "12 observations" in result.fallback_reason
    assert len(result.forecast) == 8


def test_constant_administered_price_uses_naive_and_says_so():
    ds = pd.date_range("2024-01-01", periods=80, freq="W-MON")
    y = pd.Series(10000.0, index=ds)
    y.index.freq = "W-MON"
    task = SeriesTask("1571", "pertalite", "price", y, 8, ("naive", "ets"), 2, 4)
    result = run_task(task)
    assert result.model == "naive" and "constant" in result.fallback_reason
    assert (result.forecast["mean"] == 10000.0).all()


def test_backtest_prefers_the_model_that_tracks_a_weekly_pattern():
    ds = pd.date_range("2026-01-01", periods=140, freq="D")
    pattern = np.tile([100, 100, 100, 100, 100, 300, 300], 20).astype(float)
    y = pd.Series(pattern + np.random.default_rng(0).normal(0, 3, 140), index=ds)
    y.index.freq = "D"
    result = rolling_origin(y, 14, ("naive", "seasonal_naive"), n_folds=2, step=14)
    assert result.chosen == "seasonal_naive"
    assert result.overall["seasonal_naive"]["mase"] < result.overall["naive"]["mase"]
    assert set(result.by_horizon["horizon"]) == set(range(1, 15))


def test_unknown_model_is_rejected():
    with pytest.raises(ValueError, match="unknown model"):
        forecast(_weekly(30), h=2, models=("prophet",))


def _weekly_series(values: np.ndarray) -> pd.Series:
    ds = pd.date_range("2024-01-01", periods=len(values), freq="W-MON")
    y = pd.Series(values.astype(float), index=ds)
    y.index.freq = "W-MON"
    return y


def test_price_moving_in_decree_steps_is_forecast_flat_without_models():
    y = _weekly_series(np.r_[np.full(50, 10000.0), np.full(30, 10500.0)])
    assert administered(y)
    task = SeriesTask("1571", "pertalite", "price", y, 8, ("naive", "ets", "uc_calendar"), 2, 4)
    result = run_task(task)
    assert result.model == "naive" and "rare steps (1 changes" in result.fallback_reason
    assert set(result.overall) == {"naive"}  # no model was fitted to a decree price
    assert (result.forecast["mean"] == 10500.0).all()
    assert (result.forecast["hi95"] > result.forecast["lo95"]).all()  # a step may come


def test_constant_price_gets_zero_width_bands():
    y = _weekly_series(np.full(80, 10000.0))
    result = run_task(SeriesTask("1571", "pertalite", "price", y, 8, ("naive", "ets"), 2, 4))
    assert "zero-width" in result.fallback_reason
    assert (result.forecast["lo95"] == result.forecast["hi95"]).all()


def test_market_price_is_not_mistaken_for_an_administered_one():
    rng = np.random.default_rng(3)
    moving = _weekly_series(13000 + np.cumsum(rng.normal(0, 40, 80)))
    assert not administered(moving)
    recently_flat = _weekly_series(np.r_[moving.to_numpy()[:70], np.full(10, 13000.0)])
    assert not administered(recently_flat)  # flat for 10 weeks only, moved every week before


def test_stored_parameters_are_refiltered_and_give_the_refit_forecast():
    rng = np.random.default_rng(5)
    y = _weekly_series(13000 + 25 * np.arange(120) + rng.normal(0, 40, 120))
    task = SeriesTask("1571", "beras_medium", "price", y, 8, ("ets",), 2, 4)
    fitted = run_task(task)
    assert fitted.refitted and fitted.model == "ets" and fitted.params is not None
    task.stored = StoredFit("ets", fitted.params, dt.date(2026, 5, 4), "", fitted.overall)
    refiltered = run_task(task)
    assert not refiltered.refitted and refiltered.model == "ets"
    assert refiltered.overall == fitted.overall  # the backtest evidence of the refit run
    np.testing.assert_allclose(refiltered.forecast["mean"], fitted.forecast["mean"])
    np.testing.assert_allclose(refiltered.forecast["hi95"], fitted.forecast["hi95"])


def test_each_series_is_refit_weekly_on_its_own_day():
    y = _weekly_series(np.arange(30.0))
    fitted_on = dt.date(2026, 11, 2)
    stored = StoredFit("ets", np.zeros(3), fitted_on)
    keys = [(f"15{i:02d}", "beras_medium", "price") for i in range(70)]
    tasks = [SeriesTask(r, c, m, y, 8, ("naive", "ets"), 2, 4) for r, c, m in keys]
    assert all(refit_due(t, None, fitted_on) for t in tasks)  # nothing stored: estimate
    assert not any(refit_due(t, stored, fitted_on) for t in tasks)  # estimated today
    week = [fitted_on + dt.timedelta(days=d) for d in range(1, 7)]
    due_days = [sum(refit_due(t, stored, day) for day in week) for t in tasks]
    assert set(due_days) <= {0, 1}  # at most once in the six days after a fit
    per_day = [sum(refit_due(t, stored, day) for t in tasks) for day in week]
    assert max(per_day) < len(tasks) / 3  # staggered: a daily run refits a fraction
    late = fitted_on + dt.timedelta(days=7)
    assert all(refit_due(t, stored, late) for t in tasks)  # a week old: always re-estimated
    assert all(refit_due(t, stored, fitted_on - dt.timedelta(days=1)) for t in tasks)


def test_ets_and_uc_equal_the_stock_statsmodels_results_they_shortcut():
    """The fits skip the parameter covariance (ETS) and the smoother (UC); the forecasts and
    intervals must be those of statsmodels' own fit-and-smooth path."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    from forecasting.models import calendar_exog, fit_predict, future_index

    y = regular_series(_weekly(150, seed=4).set_index("ds")["y"], "W-MON")
    ets = fit_predict(y, 8, "ets")
    stock = ETSModel(pd.Series(y.to_numpy()), error="add", trend="add", damped_trend=True)
    reference = stock.fit(disp=False, maxiter=200).get_prediction(start=150, end=157)
    frame = reference.summary_frame(alpha=0.05)
    assert np.array_equal(ets.mean, frame["mean"].to_numpy())
    assert np.array_equal(ets.bounds[95][0], frame["pi_lower"].to_numpy())
    assert np.array_equal(ets.bounds[95][1], frame["pi_upper"].to_numpy())

    uc = fit_predict(y, 8, "uc_calendar")
    exog, future = calendar_exog(y.index), calendar_exog(future_index(y, 8))
    keep = [c for c in exog.columns if exog[c].std() > 0 and exog[c].sum() >= 2]
    assert keep  # the 150 weeks hold Ramadan and Lebaran: the regressors are used
    model = UnobservedComponents(y.to_numpy(), level="local level",
                                 exog=exog[keep].to_numpy(), mle_regression=False)  # fmt: skip
    stock_uc = model.fit(disp=False, maxiter=100).get_forecast(8, exog=future[keep].to_numpy())
    assert np.allclose(uc.mean, stock_uc.predicted_mean, rtol=1e-12, atol=0)
    assert np.allclose(uc.bounds[80][1], stock_uc.conf_int(alpha=0.2)[:, 1], rtol=1e-12, atol=0)


def test_price_tasks_are_estimated_on_the_last_three_years_only():
    """A weekly price longer than the cap keeps its last ``PRICE_TRAIN_WEEKS`` weeks; a
    shorter one is unchanged; flows are chosen on one backtest origin."""
    from forecasting.series import (
        FLOW_FOLDS,
        FLOW_TRAIN_DAYS,
        PRICE_FOLDS,
        PRICE_TRAIN_WEEKS,
        flow_task,
        price_task,
    )

    long = _weekly(PRICE_TRAIN_WEEKS + 60, seed=5).set_index("ds")["y"]
    task = price_task("1571", "beras_medium", long, weekly=True)
    assert len(task.y) == PRICE_TRAIN_WEEKS and task.y.index.freqstr == "W-MON"
    assert task.y.index[0] == long.index[60] and task.y.iloc[-1] == long.iloc[-1]
    assert task.n_folds == PRICE_FOLDS == 2
    short = _weekly(PRICE_TRAIN_WEEKS - 10, seed=5).set_index("ds")["y"]
    assert len(price_task("1571", "beras_medium", short, weekly=True).y) == len(short)
    daily = pd.Series(np.arange(200.0), index=pd.date_range("2026-01-01", periods=200))
    flow = flow_task("1571", "beras_medium", "distribution", daily)
    assert len(flow.y) == FLOW_TRAIN_DAYS and flow.n_folds == FLOW_FOLDS == 1
    scored = run_task(flow).by_horizon
    assert len(scored) == 30 * len(flow.candidates) and (scored["n"] == 1).all()  # one origin
