"""Status rules: dated reference prices, days of cover, levels and worded reasons."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from forecasting import status as st
from forecasting.text import num
from warehouse.reference_rule import reference_in_force

THRESHOLDS = st.Thresholds(cover_days=(14.0, 11.0, 7.0), price_pct=(5.0, 20.0, 40.0))


def _references() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "commodity": ["beras_medium", "beras_medium", "lpg_3kg", "lpg_3kg"],
            "scope": ["province", "province", "province", "regency"],
            "region_code": [None, None, None, "1505"],
            "kind": ["HET", "HET", "HET", "HET"],
            "value": [13100.0, 14000.0, 16000.0, 18000.0],
            "valid_from": [dt.date(2024, 6, 1), dt.date(2025, 8, 22)] + [dt.date(2022, 1, 1)] * 2,
            "valid_to": [dt.date(2025, 8, 21), None, None, None],
        }
    )


def test_reference_in_force_follows_the_date_of_a_mid_series_change():
    refs = _references()
    before = reference_in_force(refs, "beras_medium", "1571", dt.date(2025, 8, 21))
    after = reference_in_force(refs, "beras_medium", "1571", dt.date(2025, 8, 22))
    assert before == (13100.0, "HET")
    assert after == (14000.0, "HET")
    assert reference_in_force(refs, "beras_medium", "1571", dt.date(2020, 1, 1)) is None


def test_regency_reference_beats_province():
    refs = _references()
    assert reference_in_force(refs, "lpg_3kg", "1505", dt.date(2025, 1, 1))[0] == 18000.0
    assert reference_in_force(refs, "lpg_3kg", "1571", dt.date(2025, 1, 1))[0] == 16000.0


def test_disparity_uses_the_reference_of_each_date_across_a_change():
    refs = _references()
    dates = pd.date_range("2025-08-15", "2025-08-28", freq="D")
    price = pd.Series(14410.0, index=dates)
    results = {}
    for day in (dt.date(2025, 8, 21), dt.date(2025, 8, 28)):
        inputs = st.StatusInputs(
            "1571", "beras_medium", day, price, pd.Series(dtype=float), pd.Series(dtype=float),
            THRESHOLDS, reference_in_force(refs, "beras_medium", "1571", day),
        )  # fmt: skip
        results[day] = st.compute_status(inputs)
    assert round(results[dt.date(2025, 8, 21)]["disparity_pct"], 6) == round(
        100 * (14410 - 13100) / 13100, 6
    )
    assert round(results[dt.date(2025, 8, 28)]["disparity_pct"], 6) == round(
        100 * (14410 - 14000) / 14000, 6
    )
    assert results[dt.date(2025, 8, 21)]["level"] == 1  # 10.0 % > 5 %
    assert results[dt.date(2025, 8, 28)]["level"] == 0  # 2.9 %


def test_days_of_cover_is_stock_over_mean_distribution_of_the_window():
    dates = pd.date_range("2026-01-01", periods=30, freq="D")
    distribution = pd.Series(np.r_[np.full(16, 5000.0), np.full(14, 1000.0)], index=dates)
    stock = pd.Series(np.linspace(20000, 6200, 30), index=dates)
    inputs = st.StatusInputs(
        "1501", "lpg_3kg", dates[-1].date(), pd.Series(dtype=float), stock, distribution,
        THRESHOLDS, None, "Rp/tabung", "tabung",
    )  # fmt: skip
    row = st.compute_status(inputs)
    assert row["avg_distribution"] == 1000.0
    assert row["days_cover"] == 6.2
    assert row["level"] == 3 and row["rule"] == "days_of_cover"
    assert "6,2 hari" in row["reason_id"] and "batas Awas 7 hari" in row["reason_id"]
    assert "1.000 tabung/hari" in row["reason_id"]
    assert "6.2 days" in row["reason_en"]


def test_levels_use_the_thresholds():
    assert [st.cover_level(c, (14, 11, 7)) for c in (20, 13.9, 10, 6.9)] == [0, 1, 2, 3]
    assert [st.price_level(p, (5, 20, 40)) for p in (-3, 6, 21, 41)] == [0, 1, 2, 3]
    assert st.days_of_cover(100, 0) != st.days_of_cover(100, 0)  # NaN when nothing is drawn


def test_projected_cover_rule_warns_before_the_stock_is_low():
    dates = pd.date_range("2026-01-01", periods=20, freq="D")
    distribution = pd.Series(1000.0, index=dates)
    stock = pd.Series(20000.0, index=dates)
    future = pd.date_range("2026-01-21", periods=30, freq="D")
    projection = pd.Series(st.projected_stock(20000, np.zeros(30), np.full(30, 1000.0)), future)
    inputs = st.StatusInputs(
        "1501", "lpg_3kg", dates[-1].date(), pd.Series(dtype=float), stock, distribution,
        THRESHOLDS, None, "Rp/tabung", "tabung", projection,
    )  # fmt: skip
    row = st.compute_status(inputs)
    assert row["days_cover"] == 20.0
    assert row["projected_cover"] == 0.0  # 20 000 - 21 × 1 000 < 0 within 21 days
    assert row["rule"] == "projected_cover" and row["level"] == 3
    assert row["stockout_date"] == dt.date(2026, 2, 9)
    assert "9 Feb 2026" in row["reason_id"]


def test_indonesian_number_format():
    assert num(1234.5, 1) == "1.234,5"
    assert num(1234.5, 1, "en") == "1,234.5"


def _status(price: pd.Series, stock: pd.Series, distribution: pd.Series, reference=None) -> dict:
    inputs = st.StatusInputs(
        "15", "pihps_beras", dt.date(2023, 12, 29), price, stock, distribution, THRESHOLDS,
        reference, "Rp/kg", "ton",
    )  # fmt: skip
    return st.compute_status(inputs)


EMPTY = pd.Series(dtype=float, index=pd.DatetimeIndex([]))
DAYS = pd.date_range("2023-12-01", "2023-12-29", freq="D")


def test_price_only_status_is_safe_on_price_and_says_no_stock_is_reported():
    row = _status(pd.Series(13600.0, index=DAYS), EMPTY, EMPTY)
    assert row["level"] == 0 and row["rule"] == "none"
    assert row["reason_id"].startswith("Aman menurut harga: harga rata-rata 7 hari Rp 13.600/kg")
    assert row["reason_id"].endswith("; belum ada laporan stok")
    assert row["reason_en"].endswith("; no stock reports yet")


def test_stock_only_status_is_safe_on_stock_and_says_no_price_is_reported():
    row = _status(EMPTY, pd.Series(3000.0, index=DAYS), pd.Series(100.0, index=DAYS))
    assert row["level"] == 0 and round(row["days_cover"], 6) == 30.0
    assert row["reason_id"].startswith("Aman menurut stok: Stok cukup 30,0 hari")
    assert row["reason_id"].endswith("; belum ada laporan harga")


def test_stopped_series_are_not_assessed_and_say_since_when():
    old = pd.date_range("2023-11-01", "2023-12-10", freq="D")
    row = _status(pd.Series(13600.0, index=old), pd.Series(3000.0, index=old), EMPTY)
    assert row["level"] == st.NOT_ASSESSED and row["rule"] == "not_assessed"
    assert np.isnan(row["days_cover"])  # a 19-day-old stock is not today's cover
    assert row["reason_id"] == (
        "Belum dinilai: laporan stok terakhir 10 Des 2023 (19 hari lalu), terlalu lama untuk"
        " dinilai; tidak ada laporan harga 7 hari terakhir (terakhir 10 Des 2023)"
    )


def test_stock_without_distribution_says_cover_cannot_be_computed():
    row = _status(EMPTY, pd.Series(3000.0, index=DAYS), EMPTY)
    assert row["level"] == st.NOT_ASSESSED
    assert "penyaluran 14 hari terakhir belum dilaporkan" in row["reason_id"]
    assert "belum ada laporan harga" in row["reason_id"].lower()
