"""Real price episodes: the written rule on built series, warning timing, and the DM split."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.price_episodes import episode_warnings, find_episodes, outside_alerts
from forecasting.step_backtest import diebold_mariano, origin_errors, weekly


def _steps(levels: list[tuple[str, float]], end: str = "2023-12-31") -> pd.Series:
    """A working-day price series that steps to each level on its date (PIHPS-like)."""
    days = pd.bdate_range("2022-01-03", end)
    price = pd.Series(np.nan, index=days)
    for day, level in levels:
        price[price.index >= pd.Timestamp(day)] = level
    return price.ffill()


def test_a_stepped_rise_is_one_episode_with_its_trough_mid_and_peak():
    prices = _steps([("2022-01-03", 12000), ("2023-03-01", 12300), ("2023-03-15", 12700),
                     ("2023-04-01", 13200), ("2023-04-20", 13300)])  # fmt: skip
    episodes = find_episodes(prices)
    assert len(episodes) == 1
    row = episodes.iloc[0]
    assert pd.Timestamp("2023-02-01") <= row.trough <= pd.Timestamp("2023-03-01")
    assert pd.Timestamp("2023-03-15") <= row.mid <= pd.Timestamp("2023-04-05")
    assert pd.Timestamp("2023-04-20") <= row.peak <= pd.Timestamp("2023-04-30")
    assert 9 < row.rise_pct < 11.5


def test_flat_prices_small_rises_and_falls_are_not_episodes():
    assert find_episodes(_steps([("2022-01-03", 12000)])).empty
    small = _steps([("2022-01-03", 12000), ("2022-06-01", 12400)])  # +3.3 %
    assert find_episodes(small).empty
    fall = _steps([("2022-01-03", 12000), ("2022-06-01", 10000)])
    assert find_episodes(fall).empty


def test_warnings_are_timed_against_the_bulk_and_the_rest_count_as_outside():
    episodes = pd.DataFrame(
        {
            "trough": pd.to_datetime(["2023-03-01"]), "mid": pd.to_datetime(["2023-03-20"]),
            "peak": pd.to_datetime(["2023-04-20"]), "rise_pct": [10.0],
            "trough_price": [12000], "peak_price": [13200],
        }
    )  # fmt: skip
    firings = pd.DataFrame(
        {
            "as_of": pd.to_datetime(["2023-03-10", "2023-03-25", "2023-08-01", "2023-05-01"]),
            "alert_id": ["A", "A", "B", "C"],
        }
    )
    timed = episode_warnings(episodes, firings)
    assert timed["first_warning"].iloc[0] == pd.Timestamp("2023-03-10")
    assert timed["lead_to_mid"].iloc[0] == 10 and timed["lead_to_trough"].iloc[0] == -9
    assert outside_alerts(episodes, firings) == 1  # B; C is within 14 days after the peak


def test_diebold_mariano_sees_a_better_model_and_not_an_equal_one():
    rng = np.random.default_rng(1)
    naive = rng.normal(0, 2.0, 120)
    better = rng.normal(0, 1.0, 120)
    result = diebold_mariano(better, naive, 1)
    assert result["dm"] < -3 and result["p_value"] < 0.01
    same = diebold_mariano(naive.copy(), naive, 1)
    assert same["dm"] is None


def test_step_weeks_are_the_weeks_whose_price_moved():
    prices = _steps([("2022-01-03", 12000), ("2022-09-05", 12600), ("2023-02-06", 13000)])
    y = weekly(prices)
    errors = origin_errors(y, 1, 60, models=())
    # the origins cover the February step only; a Monday step straddles two W-MON weeks
    assert errors["step"].sum() == 2
    assert np.all(errors.loc[~errors["step"], "naive"] == 0)
    assert errors.loc[errors["step"], "naive"].sum() == pytest.approx(400, abs=1)
