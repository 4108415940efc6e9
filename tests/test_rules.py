"""One home per rule: the reference price in force, days of cover, Indonesian formatting and
level names — and every caller gives the same answer as the home."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasting import status, text
from reports import brief, settings
from ui import format as ui_format
from warehouse import cover, formats, levels, queries
from warehouse.db import init_warehouse, write_transaction
from warehouse.reference_rule import IN_FORCE_ORDER_SQL, ReferenceBook, reference_in_force

COLUMNS = ["commodity", "scope", "region_code", "kind", "value", "valid_from", "valid_to"]
REFS = pd.DataFrame(
    [
        ["gula", "province", None, "HAP", 17500, "2024-01-01", None],
        ["gula", "province", None, "HET", 18000, "2023-01-01", None],  # older, but a ceiling
        ["gula", "regency", "1501", "HAP", 17000, "2024-06-01", "2024-12-31"],
        ["beras", "province", None, "HET", 13100, "2024-06-01", "2025-08-21"],
        ["beras", "province", None, "HET", 14000, "2025-08-22", None],
    ],
    columns=COLUMNS,
)


def test_the_tie_break_is_scope_then_kind_then_newest():
    on = dt.date(2024, 7, 1)
    assert reference_in_force(REFS, "gula", "1501", on) == (17000.0, "HAP")  # regency first
    assert reference_in_force(REFS, "gula", "1502", on) == (18000.0, "HET")  # HET beats HAP
    assert reference_in_force(REFS, "gula", "1501", dt.date(2025, 1, 1)) == (18000.0, "HET")
    assert reference_in_force(REFS, "beras", "1571", dt.date(2025, 8, 21))[0] == 13100.0
    assert reference_in_force(REFS, "beras", "1571", dt.date(2025, 8, 22))[0] == 14000.0
    assert reference_in_force(REFS, "beras", "1571", dt.date(2020, 1, 1)) is None
    found = ReferenceBook(REFS).on("1502", "gula", on)  # the lookup the status batch uses
    assert (found.value, found.kind) == (18000.0, "HET")


@pytest.mark.slow
def test_the_replay_grid_agrees_with_the_live_lookup_on_every_day():
    dates = pd.date_range("2022-12-25", "2025-09-05", freq="D")
    pairs = pd.MultiIndex.from_tuples(
        [("1501", "gula"), ("1502", "gula"), ("1571", "beras"), ("1501", "cabai")]
    )
    book = ReferenceBook(REFS)
    value, kind = book.wide(pairs, dates)
    for day in dates[::3]:
        for region, commodity in pairs:
            live = reference_in_force(REFS, commodity, region, day.date())
            cell = value.loc[day, (region, commodity)]
            if live is None:
                assert np.isnan(cell) and kind.loc[day, (region, commodity)] == ""
            else:
                assert (cell, kind.loc[day, (region, commodity)]) == live


def test_the_dashboard_queries_use_the_same_rule(tmp_db):
    init_warehouse(tmp_db)
    with write_transaction(tmp_db) as con:
        con.execute("DELETE FROM reference_prices WHERE commodity = 'gula_pasir'")
        for row in (
            ("province", None, "HAP", 17500, dt.date(2024, 1, 1)),
            ("province", None, "HET", 18000, dt.date(2023, 1, 1)),
        ):
            con.execute(
                "INSERT INTO reference_prices VALUES ('gula_pasir', ?, ?, ?, ?, 'Rp/kg', ?, NULL,"
                " 'uji', NULL)",
                list(row),
            )
        con.execute(
            "INSERT INTO facts (date, region_code, commodity, metric, source, value, unit, run_id)"
            " VALUES (DATE '2024-07-01', '1501', 'gula_pasir', 'price', 'uji',"
            " 17900, 'Rp/kg', 'run-1')"
        )
    history = queries.price_history("1501", "gula_pasir", 30, path=tmp_db)
    assert history["reference_price"].tolist() == [18000.0]
    assert "CASE rp.kind WHEN 'HET' THEN 0" in IN_FORCE_ORDER_SQL


def test_days_of_cover_has_one_definition_and_one_window():
    assert cover.days_of_cover(1400, 100) == 14.0
    assert np.isnan(cover.days_of_cover(1400, 0)) and np.isnan(cover.days_of_cover(None, 5))
    assert np.isnan(cover.days_of_cover(pd.NA, 5))
    frame = cover.days_of_cover(pd.Series([100.0, 50.0, None]), pd.Series([10.0, 0.0, 5.0]))
    assert frame.iloc[0] == 10.0 and frame.iloc[1:].isna().all()
    assert status.days_of_cover(1400, 100) == 14.0
    assert status.COVER_WINDOW_DAYS == settings.COVER_WINDOW_DAYS == cover.COVER_WINDOW_DAYS
    assert cover.window_start(dt.date(2026, 11, 20)) == dt.date(2026, 11, 7)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(13500, "Rp 13.500"), (13499.6, "Rp 13.500"), (None, "–"), (float("nan"), "–")],
)
def test_rupiah_is_the_same_everywhere(value, expected):
    assert formats.rupiah(value) == ui_format.rupiah(value) == text.rp(value) == expected


def test_numbers_dates_and_percent_are_the_same_everywhere():
    assert formats.number(12345.67, 1) == "12.345,7" == text.num(12345.67, 1)
    assert brief._number(12345.67, 1) == "12.345,7" and formats.number(12345.67, 1, "en") == (
        "12,345.7"
    )
    assert (
        formats.date_label(dt.date(2024, 8, 7))
        == "7 Agu 2024"
        == text.day_label(dt.date(2024, 8, 7))
    )
    assert ui_format.date_label(pd.Timestamp("2024-05-07"), "en") == "7 May 2024"
    assert ui_format.date_label(pd.NaT) == "–"
    assert formats.percent(2.5) == "+2,5%" and text.pct(2.5) == "2,5%"
    assert brief._pct(-1.234) == "-1,23%"


def test_level_names_come_from_the_level_scale():
    for item in levels.LEVELS:
        assert text.level_name(item.value, "id") == item.label_id
        assert text.level_name(item.value, "en") == item.label_en
