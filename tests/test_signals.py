"""Signals: ALPS with a known spike, IPA, change thresholds, price trend."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from forecasting import signals


def _monthly(n: int = 48, spike_at: int | None = None, spike: float = 0.0) -> pd.Series:
    rng = np.random.default_rng(5)
    months = pd.date_range("2021-01-01", periods=n, freq="MS")
    seasonal = 200 * np.sin(2 * np.pi * (months.month.to_numpy() - 1) / 12)
    values = 12000 + 15 * np.arange(n) + seasonal + rng.normal(0, 40, n)
    if spike_at is not None:
        values[spike_at] += spike
    return pd.Series(values, index=months)


def test_alps_needs_36_months():
    assert math.isnan(signals.alps_value(_monthly(35)))
    assert not math.isnan(signals.alps_value(_monthly(36)))


def test_alps_flags_a_known_spike_as_crisis_and_normal_months_as_normal():
    history = signals.alps_history(_monthly(48, spike_at=44, spike=900.0))
    assert signals.alps_label(history.iloc[44]) == ("Crisis", 2)
    calm = history.iloc[36:44]
    assert (calm.abs() < 2).all()
    assert signals.alps_label(0.1)[0] == "Normal" and signals.alps_label(0.5)[0] == "Stress"
    assert signals.alps_label(1.5)[0] == "Alert"


def test_alps_of_a_past_month_is_stored_as_computed_then():
    series = _monthly(48, spike_at=44, spike=900.0)
    then = signals.alps_value(series.iloc[:45])
    later_refit = _alps_refit_for_month(series, 44)
    assert signals.alps_history(series).iloc[44] == then
    assert then != later_refit  # re-fitting on the full series would reclassify the month


def _alps_refit_for_month(series: pd.Series, month: int) -> float:
    months = pd.DatetimeIndex(series.index)
    trend = np.arange(len(series), dtype=float)
    dummies = np.zeros((len(series), 12))
    dummies[np.arange(len(series)), months.month - 1] = 1.0
    design = np.column_stack([trend, dummies])
    coef, *_ = np.linalg.lstsq(design, series.to_numpy(), rcond=None)
    resid = series.to_numpy() - design @ coef
    sd = math.sqrt(resid @ resid / (len(series) - 13))
    return float(resid[month] / sd)


def test_ipa_is_high_after_a_sharp_rise_and_needs_history():
    base = _monthly(48)
    assert math.isnan(signals.ipa_value(base.iloc[:20]))
    risen = base.copy()
    risen.iloc[-3:] *= [1.05, 1.12, 1.20]
    assert signals.ipa_value(risen) > 1.0
    assert signals.ipa_label(signals.ipa_value(risen))[0] == "High"
    assert signals.ipa_value(risen) > signals.ipa_value(base)


def test_change_thresholds_follow_wfp():
    assert signals.change_level(9.9) == ("Normal", 0)
    assert signals.change_level(10.0) == ("High", 1)
    assert signals.change_level(25.0) == ("High", 1)
    assert signals.change_level(25.1) == ("Severe", 2)


def test_week_on_week_change_and_price_trend():
    days = pd.date_range("2026-01-01", periods=60, freq="D")
    prices = pd.Series(10000.0, index=days)
    prices.iloc[-7:] = 11500.0
    as_of = days[-1].date()
    assert round(signals.window_change_pct(prices, as_of, 7), 6) == 15.0
    projected, base, pct = signals.price_trend_pct(prices, as_of, 10000.0)
    # mean of the last 3 days + 10 days x the daily rise from the 3 days before (all 11500:
    # the step is 7 days old, so the short-window momentum is flat)
    assert projected == 11500.0 and base == 10000.0
    assert round(pct, 6) == round(100 * (projected - 10000) / 10000, 6)
    rising = prices.copy()
    rising.iloc[-3:] = 12100.0
    rising_projected, _, _ = signals.price_trend_pct(rising, as_of, 10000.0)
    assert rising_projected == 12100.0 + 10 * (600.0 / 3)
    _, normal, _ = signals.price_trend_pct(prices, as_of, None)
    assert normal == 10000.0  # median of the prices 14-41 days earlier


def test_price_signals_explain_in_both_languages():
    days = pd.date_range("2023-01-01", periods=1400, freq="D")
    prices = pd.Series(12000 + np.arange(1400) * 0.5, index=days)
    rows = signals.price_signals(
        "1571", "beras_medium", prices, dt.date(2026, 10, 31), 11000.0, (0, 10, 25)
    )
    kinds = {r["signal"] for r in rows}
    assert {"wow_change", "mom_change", "alps", "price_trend"} <= kinds
    assert all(r["explanation_id"] and r["explanation_en"] for r in rows)
    alps = next(r for r in rows if r["signal"] == "alps")
    assert "ALPS" in alps["explanation_id"] and alps["period"] == dt.date(2026, 10, 1)


def test_regency_composite_names_the_worst_commodity_and_rule():
    statuses = pd.DataFrame(
        {
            "as_of": [dt.date(2026, 11, 20)] * 3,
            "region_code": ["1501", "1501", "1502"],
            "commodity": ["lpg_3kg", "pertalite", "lpg_3kg"],
            "level": [1, 3, 0],
            "rule": ["price_vs_reference", "projected_cover", "none"],
        }
    )
    rows = {r["region_code"]: r for r in signals.regency_composites(statuses)}
    assert rows["1501"]["level"] == 3 and rows["1501"]["label"] == "pertalite"
    assert "Awas: pertalite (proyeksi ketahanan stok)" == rows["1501"]["explanation_id"]
    assert rows["1502"]["level"] == 0 and rows["1502"]["explanation_en"].startswith("Safe")


def test_cover_signals_are_levelled_on_their_own_numbers():
    status = {
        "as_of": dt.date(2026, 11, 20), "region_code": "1503", "commodity": "lpg_3kg",
        "level": 3, "rule": "projected_cover", "reason_id": "x", "reason_en": "x",
        "price": np.nan, "disparity_pct": np.nan, "price_level": 0, "days_cover": 9.3,
        "projected_cover": 0.0, "stockout_date": dt.date(2026, 12, 5), "cover_level": 3,
    }  # fmt: skip
    thresholds = pd.DataFrame(
        {"waspada_cover_days": [14.0], "siaga_cover_days": [11.0], "awas_cover_days": [7.0],
         "waspada_price_pct": [5.0], "siaga_price_pct": [20.0], "awas_price_pct": [40.0]},
        index=pd.Index(["lpg_3kg"], name="commodity"),
    )  # fmt: skip
    rows = pd.DataFrame(signals.status_signals(pd.DataFrame([status]), thresholds))
    levels = dict(zip(rows["signal"], rows["level"], strict=True))
    assert levels == {"days_of_cover": 2, "stockout": 3}  # 9.3 days is Siaga on its own
    unlevelled = pd.DataFrame(signals.status_signals(pd.DataFrame([status])))
    assert set(unlevelled["level"]) == {3}


def test_each_alert_kind_is_explained_by_its_own_rule():
    from forecasting.alerting import firings

    status = {
        "as_of": dt.date(2026, 11, 20), "region_code": "1503", "commodity": "lpg_3kg",
        "level": 3, "rule": "projected_cover", "reason_id": "Proyeksi ketahanan stok 0,0 hari",
        "reason_en": "Lowest projected cover 0.0 days", "cover_level": 3, "price_level": 1,
        "anomaly_level": 2,
    }  # fmt: skip
    rows = pd.DataFrame(
        [
            {"region_code": "1503", "commodity": "lpg_3kg", "signal": s, "level": lv,
             "explanation_id": f"{s} id", "explanation_en": f"{s} en"}
            for s, lv in (("price_vs_reference", 1), ("price_trend", 2), ("alps", 2),
                          ("days_of_cover", 2), ("resupply_trend", 2))
        ]
    )  # fmt: skip
    statuses = signals.kind_reasons(pd.DataFrame([status]), rows)
    fired = firings(statuses).set_index("kind")
    assert fired.loc["price", "rule"] == "price_trend"  # the first of the Siaga price signals
    assert fired.loc["price", "reason_id"] == "price_trend id"
    assert fired.loc["price", "reason_en"] == "price_trend en"
    assert fired.loc["stock", "rule"] == "projected_cover"  # the status's own stock rule
    assert fired.loc["stock", "reason_id"].startswith("Proyeksi ketahanan stok")
    plain = firings(pd.DataFrame([status])).set_index("kind")  # without signals: status words
    assert plain.loc["price", "reason_id"] == status["reason_id"]


def test_kind_reasons_on_no_statuses_keeps_the_columns():
    """A warehouse whose pairs get no status (no thresholds, no rules) must not crash."""
    import pandas as pd

    from forecasting.signals import kind_reasons

    out = kind_reasons(pd.DataFrame(), pd.DataFrame())
    assert out.empty
    assert {"price_rule", "stock_reason_id", "stock_reason_en"} <= set(out.columns)


def test_price_trend_after_a_holiday_gap_projects_the_recent_price():
    """Weekday-only series (PIHPS) leave the 3 days before empty after a long weekend: the
    trend still projects (no rise seen) instead of going missing."""
    import datetime as dt

    import pandas as pd

    from forecasting.signals import price_trend_pct

    days = pd.bdate_range("2023-10-02", "2023-12-29")
    days = days[(days < "2023-12-22") | (days > "2023-12-26")]  # cuti bersama
    prices = pd.Series(13_000.0, index=days)
    prices[prices.index >= "2023-12-27"] = 13_600.0
    projected, base, pct = price_trend_pct(prices, dt.date(2023, 12, 29), None)
    assert projected == 13_600.0 and base == 13_000.0
    assert round(pct, 2) == round(100 * 600 / 13_000, 2)
