"""A small synthetic warehouse for forecasting tests (two regions, two commodities)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from warehouse.db import write_transaction

END = dt.date(2026, 6, 30)


def synthetic_facts(days: int = 400, end: dt.date = END, seed: int = 3) -> pd.DataFrame:
    """Daily price, stock, distribution and delivery for 1571/1505 × lpg_3kg/beras_medium.

    Stock obeys stock(d) = stock(d-1) + delivery(d) - distribution(d). Region 1505's LPG
    deliveries stop for the last 12 days, so its cover falls.
    """
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end=pd.Timestamp(end), periods=days, freq="D")
    rows = []
    setups = {
        ("1571", "lpg_3kg"): (18500.0, 4000.0, 2, 70000.0, "tabung"),
        ("1505", "lpg_3kg"): (19000.0, 1500.0, 2, 27000.0, "tabung"),
        ("1571", "beras_medium"): (13400.0, 40.0, 7, 2400.0, "ton"),
        ("1505", "beras_medium"): (13600.0, 15.0, 7, 900.0, "ton"),
    }
    for (region, commodity), (price0, demand, every, stock0, unit) in setups.items():
        price = price0 + np.cumsum(rng.normal(0, price0 * 0.002, days))
        dist = np.clip(
            demand * (1 + 0.1 * np.sin(np.arange(days) * 2 * np.pi / 7))
            + rng.normal(0, demand * 0.05, days),
            0,
            None,
        )
        deliv = np.zeros(days)
        deliv[::every] = demand * every
        if region == "1505" and commodity == "lpg_3kg":
            deliv[-12:] = 0.0
        stock = np.zeros(days)
        level = stock0
        for i in range(days):
            dist[i] = min(dist[i], level + deliv[i])
            level = level + deliv[i] - dist[i]
            stock[i] = level
        price_unit = "Rp/tabung" if unit == "tabung" else "Rp/kg"
        for metric, values, u in (
            ("price", price, price_unit),
            ("stock", stock, unit),
            ("distribution", dist, unit),
            ("delivery", deliv, unit),
        ):
            frame = pd.DataFrame({"date": dates.date, "value": values})
            if metric == "price":
                frame = frame[rng.random(days) > 0.07]
            frame = frame.assign(
                region_code=region,
                commodity=commodity,
                metric=metric,
                source="demo",
                unit=u,
                run_id="synthetic",
            )
            rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def build_small_warehouse(path: Path, days: int = 400) -> Path:
    """Write the synthetic facts into a fresh warehouse at ``path``."""
    facts = synthetic_facts(days)
    with write_transaction(path, fresh=True) as con:
        con.register("facts_frame", facts)
        con.execute(
            "INSERT INTO facts (date, region_code, commodity, metric, source, value, unit, run_id)"
            " SELECT date, region_code, commodity, metric, source, value, unit, run_id"
            " FROM facts_frame"
        )
    return path
