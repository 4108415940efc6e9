"""Days of cover: ONE definition for the statuses, the replay, resupply and the weekly export.

Days of cover = closing stock ÷ mean daily distribution over the ``COVER_WINDOW_DAYS`` days
ending on the day the cover is stated for (both ends included). Missing stock, missing
distribution or a mean distribution of zero or less give NaN ("unknown"), never infinity.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import numpy as np
import pandas as pd

COVER_WINDOW_DAYS = 14
D = TypeVar("D", dt.date, pd.Timestamp, pd.Series)


def window_start(end: D) -> D:
    """First day of the distribution window ending on ``end``."""
    return end - pd.Timedelta(days=COVER_WINDOW_DAYS - 1)


def _as_float(value: object) -> float:
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return float("nan")
    return float(value)


def days_of_cover(stock, mean_distribution):
    """Stock ÷ mean daily distribution, for scalars (-> float) or aligned Series/arrays."""
    if np.ndim(stock) == 0 and np.ndim(mean_distribution) == 0:
        s, d = _as_float(stock), _as_float(mean_distribution)
        return s / d if d > 0 and not np.isnan(s) else float("nan")
    s = pd.to_numeric(pd.Series(stock), errors="coerce").to_numpy(dtype="float64")
    d = pd.to_numeric(pd.Series(mean_distribution), errors="coerce").to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(d > 0, s / d, np.nan)
    return pd.Series(cover, index=stock.index) if isinstance(stock, pd.Series) else cover
