"""Depots built for the engine tests: reorder-point and weekly-quota LPG depots, as reports."""

from __future__ import annotations

import numpy as np
import pandas as pd

START = pd.Timestamp("2025-01-01")
DEMAND = 3000.0  # tabung per day; LPG 3 kg limits: Waspada 14, Siaga 11, Awas 7 days


def reorder_depot(days: int, seed: int, stop_from: int | None = None) -> pd.DataFrame:
    """Order 9 days of demand when stock (with what is on order) falls to 16 days; 2-day lead.

    The cycle bottom is about 14 days of cover (above Siaga); from ``stop_from`` nothing
    arrives any more.
    """
    rng = np.random.default_rng(seed)
    stock, pipeline, rows = 22 * DEMAND, {}, []
    for d in range(days):
        arriving = pipeline.pop(d, 0.0) if stop_from is None or d < stop_from else 0.0
        served = min(DEMAND * rng.lognormal(0, 0.08), stock + arriving)
        stock += arriving - served
        if stock + sum(pipeline.values()) <= 16 * DEMAND:
            pipeline[d + 2] = 9 * DEMAND
        rows.append((d, stock, served, arriving))
    return _frame(rows)


def quota_depot(
    days: int, seed: int, missed_from: int | None = None, cut_from: int | None = None,
    cut: float = 1.0,
) -> pd.DataFrame:  # fmt: skip
    """Seven days of demand delivered every Monday; from ``missed_from`` the quota stops;
    from ``cut_from`` each load is ``cut`` × the quota."""
    rng = np.random.default_rng(seed)
    stock, rows = 21 * DEMAND, []
    for d in range(days):
        monday = (START + pd.Timedelta(days=d)).day_of_week == 0
        arriving = 7 * DEMAND if monday and (missed_from is None or d < missed_from) else 0.0
        arriving *= cut if cut_from is not None and d >= cut_from else 1.0
        served = min(DEMAND * rng.lognormal(0, 0.08), stock + arriving)
        stock += arriving - served
        rows.append((d, stock, served, arriving))
    return _frame(rows)


def _frame(rows: list[tuple[int, float, float, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["day", "stock", "distribution", "delivery"])
    frame["date"] = START + pd.to_timedelta(frame["day"], unit="D")
    return frame.drop(columns="day")


def as_values(depots: dict[str, pd.DataFrame], reported: dict[str, np.ndarray] | None = None):
    """Long ``values`` (date, region_code, commodity, metric, value) of LPG depots by region;
    ``reported`` masks the days each region reported (unreported days have no row at all)."""
    parts = []
    for region, frame in depots.items():
        kept = frame if reported is None else frame[reported[region]]
        long = kept.melt(id_vars="date", var_name="metric", value_name="value")
        parts.append(long.assign(region_code=region, commodity="lpg_3kg"))
    values = pd.concat(parts, ignore_index=True)
    return values[["date", "region_code", "commodity", "metric", "value"]]
