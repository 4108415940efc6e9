"""Synthetic daily price facts for the warehouse-write tests."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

REGIONS = ["1501", "1502", "1571"]
COMMODITIES = ["beras_medium", "gula_pasir"]


def daily_prices(first: dt.date, days: int, seed: int = 3) -> pd.DataFrame:
    """One random price (Rp 12.000-14.000) per day x region x commodity, in fact columns."""
    frame = pd.MultiIndex.from_product(
        [pd.date_range(first, periods=days).date, REGIONS, COMMODITIES],
        names=["date", "region_code", "commodity"],
    ).to_frame(index=False)
    frame["metric"] = "price"
    frame["value"] = np.random.default_rng(seed).uniform(12_000, 14_000, len(frame)).round(-1)
    frame["unit"] = "Rp/kg"
    return frame
