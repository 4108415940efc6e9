"""Indonesian calendar: holidays, Idul Fitri dates and feature windows."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from seasons import FEATURE_COLUMNS, KINDS, calendar_features, holiday_table, idul_fitri_dates


def test_idul_fitri_dates_known_years():
    dates = idul_fitri_dates(date(2024, 1, 1), date(2026, 12, 31))
    assert date(2025, 3, 31) in dates
    assert date(2026, 3, 21) in dates
    assert date(2024, 4, 10) in dates
    assert len(dates) == 3  # exactly one first day per year


def test_holiday_table_columns_kinds_and_range():
    table = holiday_table(date(2024, 1, 1), date(2025, 12, 31))
    assert list(table.columns) == ["date", "name_id", "name_en", "kind"]
    assert set(table["kind"]) <= set(KINDS)
    assert table["date"].min() >= date(2024, 1, 1)
    assert table["date"].max() <= date(2025, 12, 31)
    kinds_by_date = table.groupby("date")["kind"].apply(set)
    assert "idul_fitri" in kinds_by_date[date(2025, 3, 31)]
    assert "election" in kinds_by_date[date(2024, 11, 27)]
    assert "natal" in kinds_by_date[date(2024, 12, 25)]
    assert "tahun_baru" in kinds_by_date[date(2025, 1, 1)]
    assert "idul_adha" in kinds_by_date[date(2025, 6, 6)]
    assert table["name_id"].str.contains("Idul Fitri").any()


def test_ramadan_start_is_thirty_days_before_idul_fitri():
    table = holiday_table(date(2025, 1, 1), date(2026, 12, 31))
    starts = sorted(table.loc[table["kind"] == "ramadan_start", "date"])
    assert starts == [date(2025, 3, 1), date(2026, 2, 19)]
    assert starts[0] + timedelta(days=30) == date(2025, 3, 31)


def test_ramadan_start_of_next_year_included_when_in_range():
    # Ramadan 2025 starts in March; a table for Feb-Mar 2025 must show it.
    table = holiday_table(date(2025, 2, 1), date(2025, 3, 15))
    assert (table["kind"] == "ramadan_start").sum() == 1


@pytest.mark.parametrize(
    ("column", "length"),
    [
        ("ramadan", 30),
        ("pre_lebaran", 14),
        ("lebaran", 7),
        ("post_lebaran", 14),
        ("idul_adha_week", 7),
    ],
)
def test_daily_windows_have_expected_lengths(column, length):
    days = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    features = calendar_features(days)
    assert features[column].sum() == length


def test_daily_windows_positions_2025():
    days = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    f = calendar_features(days)
    assert f.loc["2025-03-30", "pre_lebaran"] == 1.0
    assert f.loc["2025-03-31", "pre_lebaran"] == 0.0
    assert f.loc["2025-03-31", "lebaran"] == 1.0
    assert f.loc["2025-04-06", "lebaran"] == 1.0
    assert f.loc["2025-04-07", "lebaran"] == 0.0
    assert f.loc["2025-04-07", "post_lebaran"] == 1.0
    assert f.loc["2025-03-01", "ramadan"] == 1.0
    assert f.loc["2025-02-28", "ramadan"] == 0.0
    assert f.loc["2025-06-06", "idul_adha_week"] == 1.0
    assert f.loc["2025-06-07", "idul_adha_week"] == 0.0


def test_nataru_spans_year_boundary():
    days = pd.date_range("2024-12-01", "2025-01-31", freq="D")
    f = calendar_features(days)
    marked = f.index[f["nataru"] == 1.0]
    assert marked.min() == pd.Timestamp("2024-12-18")
    assert marked.max() == pd.Timestamp("2025-01-05")
    assert len(marked) == 19


def test_daily_features_are_zero_or_one_floats_indexed_by_dates():
    days = pd.date_range("2023-06-01", "2026-06-01", freq="D")
    f = calendar_features(days)
    assert list(f.columns) == list(FEATURE_COLUMNS)
    assert f.index.equals(days)
    assert all(dtype == np.float64 for dtype in f.dtypes)
    assert set(np.unique(f.to_numpy())) <= {0.0, 1.0}


def test_weekly_features_are_fractions_and_match_daily_totals():
    weeks = pd.date_range("2024-01-01", "2026-12-28", freq="W-MON")
    weekly = calendar_features(weeks)
    assert weekly.index.equals(weeks)
    values = weekly.to_numpy()
    assert np.isfinite(values).all()
    assert (values >= 0).all() and (values <= 1).all()
    fractional = (values > 0) & (values < 1)
    assert fractional.any()
    # Each label covers the 7 days ending on it, so 7 * sum equals the daily count.
    days = pd.date_range(weeks[0] - pd.Timedelta(days=6), weeks[-1], freq="D")
    daily = calendar_features(days)
    assert np.allclose(weekly.sum() * 7, daily.sum())


def test_weekly_start_label_covers_following_days():
    weeks = pd.DatetimeIndex(["2025-03-24", "2025-03-31"], freq="W-MON")
    end_label = calendar_features(weeks)
    start_label = calendar_features(weeks, week_label="start")
    # Week starting Mon 2025-03-24 holds Mar 24..30: all pre-Lebaran.
    assert start_label.loc["2025-03-24", "pre_lebaran"] == 1.0
    # Week ending Mon 2025-03-31 holds Mar 25..31: six pre-Lebaran days and Lebaran day.
    assert end_label.loc["2025-03-31", "pre_lebaran"] == pytest.approx(6 / 7)
    assert end_label.loc["2025-03-31", "lebaran"] == pytest.approx(1 / 7)
