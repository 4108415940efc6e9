"""The faster status paths give what the per-pair code gave, and the statuses overlap the fits."""

from __future__ import annotations

import threading

import pandas as pd

from forecasting import batch, signals
from forecasting.data import load_reference, load_values, series_of
from warehouse.reference_rule import ReferenceBook
from warehouse.reference_rule import reference_in_force as lookup


def test_grouped_monthly_means_equal_each_pairs_own(demo_warehouse):
    values = load_values(demo_warehouse, None, ["beras_medium", "lpg_3kg"])
    as_of = (values["date"].max() - pd.Timedelta(days=40)).date()
    grouped = signals.pair_monthly_means(values, as_of)
    prices = series_of(values, "price")
    assert grouped.keys() == prices.keys() and len(grouped) > 10
    for key, daily in prices.items():
        own = signals.monthly_means(daily[daily.index <= pd.Timestamp(as_of)])
        assert own.index.equals(grouped[key].index), key
        assert (own.to_numpy() == grouped[key].to_numpy()).all(), key  # bit for bit
        assert grouped[key].index[-1] <= pd.Timestamp(as_of)


def test_one_book_answers_as_the_per_pair_lookup(demo_warehouse):
    reference = load_reference(demo_warehouse)
    book = ReferenceBook(reference.references)
    values = load_values(demo_warehouse, None, ["beras_medium", "pertalite", "gula_pasir"])
    day = values["date"].max().date()
    found = 0
    for region, commodity in (
        values[["region_code", "commodity"]].drop_duplicates().itertuples(index=False)
    ):
        row = book.on(region, commodity, day)
        expected = lookup(reference.references, commodity, region, day)
        assert (None if row is None else (row.value, row.kind)) == expected
        found += expected is not None
    assert found > 0


def _where() -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = pd.DataFrame({"thread": [threading.get_ident()]})
    return frame, frame


def test_statuses_run_beside_worker_processes_and_after_a_serial_fit():
    _, (alongside, _) = batch._fit_and_judge([], 2, None, None, _where)
    _, (serial, _) = batch._fit_and_judge([], 1, None, None, _where)
    assert alongside["thread"].iloc[0] != threading.get_ident()
    assert serial["thread"].iloc[0] == threading.get_ident()
