"""A depot world with sparse officer reporting, to measure the early-warning engine on.

Writes an officer stock file (``python -m ingest file`` format: tanggal, kabupaten_kota,
komoditas, stok, penyaluran, penerimaan, satuan) and the planted incidents as CSV:

* depots of three kinds: **reorder point** (order a fixed quantity when the stock falls to the
  reorder point, arriving after a lead time), **weekly quota** (a fixed allocation every
  Monday, shared unevenly over the week) and **frequent refill** (order up to a target every
  1–3 days);
* reporting: 10 % of days missing at random everywhere; three regencies report only every
  2–4 days;
* incidents (unless ``--no-incidents``): a delivery stop, a quota cut or a demand surge the
  deliveries do not follow; the start is the first day the true cover falls below Siaga.

    python bench/depot_world.py --out /tmp/world [--seed 5] [--years 2] [--no-incidents]
    python -m ingest file /tmp/world/officer_stock.csv --db W --user bench
    python -m forecasting run --replay-from 2025-03-01 --db W
    python bench/false_alarms.py --db W --incidents /tmp/world/incidents.csv
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

REGIONS = ("1501", "1502", "1503", "1504", "1505", "1506", "1507", "1508", "1509", "1571", "1572")
NAMES = {
    "1501": "Kerinci", "1502": "Merangin", "1503": "Sarolangun", "1504": "Batang Hari",
    "1505": "Muaro Jambi", "1506": "Tanjung Jabung Timur", "1507": "Tanjung Jabung Barat",
    "1508": "Tebo", "1509": "Bungo", "1571": "Kota Jambi", "1572": "Kota Sungai Penuh",
}  # fmt: skip
# commodity: (daily demand range, unit, Siaga days, officer name)
COMMODITIES = {
    "lpg_3kg": ((800.0, 6000.0), "tabung", 11.0, "LPG 3 kg"),
    "pertalite": ((20.0, 160.0), "kL", 20.0, "Pertalite"),
    "beras_medium": ((8.0, 60.0), "ton", 30.0, "Beras Medium"),
}
SPARSE_REGIONS = ("1503", "1507", "1572")
MISSING_SHARE = 0.10
WEEKDAY = np.array([1.0, 0.95, 0.95, 1.0, 1.05, 1.15, 0.9])


@dataclass
class Depot:
    kind: str  # reorder | quota | frequent
    demand: float
    siaga: float


def _policy(commodity: str, siaga: float, rng: np.random.Generator) -> str:
    if commodity == "beras_medium":
        return "quota" if rng.random() < 0.5 else "reorder"
    return ("reorder", "quota", "frequent")[int(rng.integers(0, 3))]


def _incident(rng: np.random.Generator, n: int) -> tuple[str, int, int] | None:
    kind = ("delivery_stop", "quota_cut", "demand_surge")[int(rng.integers(0, 3))]
    start = int(rng.integers(120, n - 60))
    return kind, start, int(rng.integers(18, 35))


def simulate(depot: Depot, n: int, rng: np.random.Generator, incident) -> dict[str, np.ndarray]:
    """True daily stock, distribution and delivery of one depot."""
    weekday = WEEKDAY[(np.arange(n) + 0) % 7]
    demand = depot.demand * weekday * rng.lognormal(0.0, 0.08, n)
    kind_i, start_i, length_i = incident if incident else ("", n + 1, 0)
    surge = np.ones(n)
    if kind_i == "demand_surge":
        surge[start_i : start_i + length_i] = 1.7
    demand = demand * surge
    supply_factor = np.ones(n)
    if kind_i == "delivery_stop":
        supply_factor[start_i : start_i + min(length_i, 14)] = 0.0
    if kind_i == "quota_cut":
        supply_factor[start_i : start_i + length_i] = 0.45
    target = depot.siaga * 1.9 * depot.demand
    reorder_point = depot.siaga * 1.45 * depot.demand
    quantity = target - reorder_point
    stock = target * (0.8 + 0.2 * rng.random())
    stocks, dists, delivs = np.zeros(n), np.zeros(n), np.zeros(n)
    pipeline: dict[int, float] = {}
    lead = int(rng.integers(1, 4))
    every = int(rng.integers(1, 4))
    for d in range(n):
        arriving = pipeline.pop(d, 0.0)
        if depot.kind == "quota" and d % 7 == 0:
            arriving += 7.0 * depot.demand * rng.uniform(0.97, 1.03)
        if depot.kind == "frequent" and d % every == 0:
            arriving += max(target - stock, 0.0) * rng.uniform(0.9, 1.0) + depot.demand * every
        arriving *= supply_factor[d]
        served = min(demand[d], stock + arriving)
        stock = stock + arriving - served
        on_order = sum(pipeline.values())
        if depot.kind == "reorder" and stock + on_order <= reorder_point:
            pipeline[d + lead] = pipeline.get(d + lead, 0.0) + quantity * rng.uniform(0.95, 1.05)
        stocks[d], dists[d], delivs[d] = stock, served, arriving
    return {"stock": stocks, "distribution": dists, "delivery": delivs}


def _start_of_shortage(flows, siaga: float, cause: int, length: int) -> int | None:
    avg = pd.Series(flows["distribution"]).rolling(14, min_periods=1).mean().to_numpy()
    cover = flows["stock"] / np.where(avg > 0, avg, np.nan)
    for d in range(cause, min(cause + length + 20, len(cover))):
        if cover[d] < siaga:
            return d
    return None


def build(out: Path, seed: int = 5, years: int = 2, incidents: bool = True,
          end: dt.date = dt.date(2026, 10, 31)) -> tuple[Path, Path]:  # fmt: skip
    """Write ``officer_stock.csv`` and ``incidents.csv`` into ``out``; return their paths."""
    rng = np.random.default_rng(seed)
    n = 365 * years
    dates = pd.date_range(end=pd.Timestamp(end), periods=n, freq="D")
    rows, planted = [], []
    for region in REGIONS:
        every_range = (2, 5) if region in SPARSE_REGIONS else (1, 2)
        for commodity, ((low, high), unit, siaga, name) in COMMODITIES.items():
            depot = Depot(_policy(commodity, siaga, rng), float(rng.uniform(low, high)), siaga)
            incident = _incident(rng, n) if incidents and rng.random() < 0.6 else None
            flows = simulate(depot, n, rng, incident)
            if incident:
                start = _start_of_shortage(flows, siaga, incident[1], incident[2])
                if start is not None:
                    planted.append({
                        "incident_id": f"w{seed}-{region}-{commodity}",
                        "region_code": region, "commodity": commodity, "kind": incident[0],
                        "cause_date": dates[incident[1]].date(),
                        "start_date": dates[start].date(),
                        "end_date": dates[min(incident[1] + incident[2] + 14, n - 1)].date(),
                        "description": f"{incident[0]} at a {depot.kind} depot",
                    })  # fmt: skip
            reported = rng.random(n) > MISSING_SHARE
            if region in SPARSE_REGIONS:
                reported[:] = False
                day = 0
                while day < n:
                    reported[day] = True
                    day += int(rng.integers(*every_range))
            for d in np.flatnonzero(reported):
                rows.append({
                    "tanggal": dates[d].strftime("%d/%m/%Y"), "kabupaten_kota": NAMES[region],
                    "komoditas": name, "stok": round(flows["stock"][d], 1),
                    "penyaluran": round(flows["distribution"][d], 1),
                    "penerimaan": round(flows["delivery"][d], 1), "satuan": unit,
                })  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    stock_file, incident_file = out / "officer_stock.csv", out / "incidents.csv"
    pd.DataFrame(rows).to_csv(stock_file, index=False)
    columns = ["incident_id", "region_code", "commodity", "kind", "cause_date", "start_date",
               "end_date", "description"]  # fmt: skip
    pd.DataFrame(planted, columns=columns).to_csv(incident_file, index=False)
    return stock_file, incident_file


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--years", type=int, default=2)
    p.add_argument("--no-incidents", action="store_true")
    args = p.parse_args()
    stock, incidents = build(args.out, args.seed, args.years, not args.no_incidents)
    print(f"{stock}\n{incidents}")


if __name__ == "__main__":
    main()
