"""Resupply trend: is each delivery still restoring the stock, or is cover sliding?

A depot or agent that is supplied every 1–3 days is normally refilled to about the same level
after each delivery, so the days of cover measured on delivery days stay flat while the daily
cover saw-tooths in between. When deliveries stop keeping up with distribution (a quota cut,
a road cut, a demand surge the allocation does not follow) each delivery leaves the stock a
little lower. This rule watches that slide, well before the stock itself crosses Siaga:

* **level after delivery**: days of cover (stock ÷ mean distribution of the last 14 days) on
  every day a delivery arrived;
* **slide**: least-squares slope of those levels over the last ``WINDOW_DAYS`` days, in days of
  cover per day. When a delivery is overdue (more days since the last one than the pair's
  longest gap of the last ``GAP_HISTORY_DAYS`` days has passed without one) today's cover
  counts as a level too, so a
  stopped supply shows at once;
* **compared with the other regencies**: the slope minus the median slope of the same
  commodity in all regencies that day; the slide used is the milder of the two (own and
  relative), so a province-wide seasonal draw-down after Lebaran or the New Year, when
  every depot lowers its stock together, does not count as a local supply problem (a run
  of a single regency, or a day when only it has a slope, uses its own slope);
* **projection**: cover + slide × ``HORIZON_DAYS``; the level is the cover level of that
  projection (capped at Siaga — it is an extrapolation) when the slide is steeper than
  ``MIN_SLIDE`` days per day and the pair is supplied at least every ``FREQUENT_EVERY_DAYS``
  days on average over the last 90 days (weekly-supplied stock saw-tooths too slowly to read).

Every number on date d uses data dated on or before d only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from forecasting import text

WINDOW_DAYS = 7
HORIZON_DAYS = 14
MIN_SLIDE = 0.35  # days of cover lost per day
GAP_HISTORY_DAYS = 180
FREQUENCY_HISTORY_DAYS = 90
FREQUENT_EVERY_DAYS = 3
MIN_DELIVERIES = 10  # before the gap history says what is usual
MIN_REGIONS_FOR_RELATIVE = 2  # the pair itself and at least one other
MAX_LEVEL = 2  # Siaga
COVER_WINDOW_DAYS = 14


def _since_last(has: np.ndarray) -> np.ndarray:
    """Days since the last delivery on or before each day (NaN before the first one)."""
    n, m = has.shape
    index = np.broadcast_to(np.arange(n, dtype=float)[:, None], (n, m))
    last = pd.DataFrame(np.where(has, index, np.nan)).ffill().to_numpy()
    return index - last


def _longest_usual_gap(has: np.ndarray, since: np.ndarray) -> np.ndarray:
    """Longest gap between deliveries in the ``GAP_HISTORY_DAYS`` days before each day."""
    closed = np.full(has.shape, np.nan)
    if has.size == 0:  # no days or no pairs with stock: nothing to measure
        return closed
    previous = np.vstack([np.full((1, has.shape[1]), np.nan), since[:-1]])
    closed[has] = previous[has] + 1.0
    gaps = pd.DataFrame(closed)
    longest = gaps.rolling(GAP_HISTORY_DAYS, min_periods=1).max().shift(1)
    count = gaps.notna().astype(float).rolling(GAP_HISTORY_DAYS, min_periods=1).sum().shift(1)
    return longest.where(count >= MIN_DELIVERIES).to_numpy()


def _window_sum(values: np.ndarray, days: int) -> np.ndarray:
    """Sum over the ``days`` days ending on each day (rows are days)."""
    return pd.DataFrame(values).rolling(days, min_periods=1).sum().to_numpy()


def _slide(level: np.ndarray, has: np.ndarray, overdue: np.ndarray) -> np.ndarray:
    """OLS slope of the after-delivery levels (plus today's cover when overdue) per day."""
    n = level.shape[0]
    t = np.broadcast_to(np.arange(n, dtype=float)[:, None], level.shape) - n / 2.0
    weight = (has & np.isfinite(level)).astype(float)
    y = np.nan_to_num(level)
    sums = [
        _window_sum(weight * t**p * y**q, WINDOW_DAYS)
        for p, q in ((0, 0), (1, 0), (2, 0), (0, 1), (1, 1))
    ]
    extra = (overdue & np.isfinite(level)).astype(float)
    s0, st, stt, sy, sty = (
        s + extra * t**p * y**q
        for s, (p, q) in zip(sums, ((0, 0), (1, 0), (2, 0), (0, 1), (1, 1)), strict=True)
    )  # fmt: skip
    enough = (s0 >= 3) | ((extra > 0) & (s0 >= 2))
    denominator = s0 * stt - st**2
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (s0 * sty - st * sy) / denominator
    return np.where(enough & (denominator > 1e-9), slope, np.nan)


def _relative(slope: pd.DataFrame) -> pd.DataFrame:
    """Slope minus the median slope of the same commodity's regencies that day."""
    out = slope.copy()
    commodities = slope.columns.get_level_values("commodity")
    for commodity in commodities.unique():
        columns = slope.columns[commodities == commodity]
        block = slope[columns]
        enough = block.notna().sum(axis=1) >= MIN_REGIONS_FOR_RELATIVE
        median = block.median(axis=1).where(enough, 0.0)
        out[columns] = block.sub(median, axis=0)
    return out


def resupply_panel(
    stock: pd.DataFrame, distribution: pd.DataFrame, delivery: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """The rule's numbers per day × (region_code, commodity) from wide daily frames.

    Frames share one daily index and the same MultiIndex columns; missing stock is carried
    forward, missing deliveries count as none.
    """
    last_stock = stock.ffill()
    avg = distribution.rolling(COVER_WINDOW_DAYS, min_periods=1).mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = (last_stock / avg.where(avg > 0)).to_numpy()
    has = (delivery.fillna(0.0) > 0).to_numpy(dtype=bool)
    since = _since_last(has)
    usual_gap = _longest_usual_gap(has, since)
    with np.errstate(invalid="ignore"):
        overdue = ~has & (since >= usual_gap)
    frame = lambda a: pd.DataFrame(a, index=stock.index, columns=stock.columns)  # noqa: E731
    own = frame(_slide(cover, has, overdue))
    slide = np.fmax(own, _relative(own))
    per_day = pd.DataFrame(has.astype(float)).rolling(FREQUENCY_HISTORY_DAYS, min_periods=30)
    frequent = per_day.mean().shift(1).to_numpy() >= 1.0 / FREQUENT_EVERY_DAYS
    return {
        "resupply_slide": slide,
        "resupply_projected": frame(cover) + slide.clip(upper=0.0) * HORIZON_DAYS,
        "resupply_overdue_days": frame(np.where(overdue, since, np.nan)),
        "resupply_usual_gap": frame(usual_gap),
        "resupply_active": (slide < -MIN_SLIDE) & frame(frequent),
    }


def resupply_levels(panel: dict[str, pd.DataFrame], cover_limits: np.ndarray) -> pd.DataFrame:
    """0..2 per cell: cover level of the projection where the rule is active (else 0).

    ``cover_limits`` is (3, n_columns): Waspada, Siaga, Awas days per column.
    """
    projected = panel["resupply_projected"].to_numpy()
    levels = np.zeros(projected.shape, dtype=int)
    for k in range(3):
        with np.errstate(invalid="ignore"):
            levels += np.nan_to_num(projected < cover_limits[k], nan=0).astype(int)
    levels = np.minimum(levels, MAX_LEVEL)
    active = panel["resupply_active"].to_numpy()
    frame = panel["resupply_projected"]
    return pd.DataFrame(np.where(active, levels, 0), index=frame.index, columns=frame.columns)


def explain(numbers: Mapping[str, float], level: int, limit: float) -> tuple[str, str]:
    """The rule's reason in Indonesian and English, from one pair's ``resupply_panel`` numbers.

    ``limit`` is the days-of-cover limit of ``level``, the level the projection reached.
    """
    slide, projected = numbers["resupply_slide"], numbers["resupply_projected"]
    overdue_days, usual_gap = numbers["resupply_overdue_days"], numbers["resupply_usual_gap"]
    rate_id, rate_en = text.num(-slide, 1, "id"), text.num(-slide, 1, "en")
    proj_id, proj_en = (
        text.num(max(projected, 0.0), 1, "id"),
        text.num(max(projected, 0.0), 1, "en"),
    )
    lim_id = f"{text.level_name(level, 'id')} {text.num(limit, 0, 'id')}"
    lim_en = f"{text.level_name(level, 'en')} limit {text.num(limit, 0, 'en')}"
    reason_id = (
        f"Pasokan tidak mengimbangi penyaluran: stok setelah pengiriman turun {rate_id} hari "
        f"per hari ({WINDOW_DAYS} hari terakhir, dibanding juga dengan kabupaten/kota lain)"
    )
    reason_en = (
        f"Deliveries are not keeping up: stock after deliveries is falling {rate_en} days of "
        f"cover per day (last {WINDOW_DAYS} days, also compared with the other regencies)"
    )
    if not math.isnan(overdue_days):
        reason_id += (
            f"; belum ada pengiriman selama {overdue_days:.0f} hari (biasanya paling lama "
            f"{usual_gap:.0f} hari)"
        )
        reason_en += (
            f"; no delivery for {overdue_days:.0f} days (usually at most {usual_gap:.0f} days)"
        )
    reason_id += (
        f"; bila berlanjut, ketahanan stok {proj_id} hari dalam {HORIZON_DAYS} hari "
        f"(batas {lim_id} hari)"
    )
    reason_en += (
        f"; if this continues, cover will be {proj_en} days in {HORIZON_DAYS} days ({lim_en} days)"
    )
    return reason_id, reason_en
