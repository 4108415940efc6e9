"""A world: regencies' depots, random disruptions and their ground truth, drawn per seed.

Everything random is drawn from the seed: depot sizes and policies, which regencies report
sparsely, and (unless ``incidents=False``) how many disruptions happen, where, when, how
large and how long. The incident-free world of a seed is the same world with no disruption.

Ground truth comes from the cause: a disruption is an **incident** when it pushes the depot's
true stock below the regulatory minimum (the commodity's Siaga days in ``data/thresholds.csv``
× the *planned* daily demand) — ``start`` is that day, ``end`` the first day after the cause
ended with stock back above it. A disruption the depot absorbs is listed as ``absorbed``, not
as an incident. Nothing here reads the alert rules or their measured cover.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import numpy as np
import pandas as pd

from worlds.depots import Depot, Simulated, simulate

ROOT = Path(__file__).resolve().parents[1]
LEBARAN = tuple(
    dt.date.fromisoformat(d)
    for d in ("2022-05-02", "2023-04-22", "2024-04-10", "2025-03-31", "2026-03-20", "2027-03-10")
)
AFTER_CAUSE_DAYS = 30  # how long after a cause ends its breach may still begin


@dataclass(frozen=True)
class Commodity:
    code: str
    name: str  # as officers write it
    unit: str
    policy: str
    base: tuple[float, float]  # range of planned daily demand per regency
    decimals: int


COMMODITIES = (
    Commodity("pertalite", "Pertalite", "kL", "reorder", (40, 250), 1),
    Commodity("biosolar", "Biosolar", "kL", "reorder", (25, 150), 1),
    Commodity("lpg_3kg", "LPG 3 kg", "tabung", "reorder", (2500, 15000), 0),
    Commodity("beras_medium", "Beras Medium", "ton", "quota", (15, 90), 1),
    Commodity("gula_pasir", "Gula Pasir", "ton", "quota", (2, 12), 1),
)
LOCAL_KINDS = ("abrupt_stop", "slow_drift", "demand_surge", "supply_cut")


@dataclass
class Disruption:
    """A cause acting on one or more depots."""

    kind: str
    commodity: str
    regions: tuple[str, ...]
    cause: int  # day index
    length: int  # days the cause acts (a drift: ramp + hold)
    size: float  # delivered share (cuts, shocks, drift floor) or demand multiplier (surge)
    ramp: int = 0


@dataclass
class World:
    """Days, depots with their simulated truth, disruptions and the ground truth."""

    dates: pd.DatetimeIndex
    depots: dict[tuple[str, str], Depot]
    truth: dict[tuple[str, str], Simulated]
    disruptions: list[Disruption]
    incidents: pd.DataFrame
    absorbed: pd.DataFrame
    sparse_regions: dict[str, tuple[int, int]] = field(default_factory=dict)


def siaga_days() -> dict[str, float]:
    """The regulatory Siaga minimum (days of cover) per commodity from data/thresholds.csv."""
    with (ROOT / "data" / "thresholds.csv").open(encoding="utf-8") as handle:
        return {row["commodity"]: float(row["siaga_cover_days"]) for row in csv.DictReader(handle)}


def region_names() -> dict[str, str]:
    """The kab/kota of the deployment's province (``JSW_PROVINCE``, default 15) by BPS code."""
    province = (os.environ.get("JSW_PROVINCE") or "15").strip()
    with (ROOT / "data" / "regions.csv").open(encoding="utf-8") as handle:
        return {
            row["bps_code"]: row["name"]
            for row in csv.DictReader(handle)
            if row["province_bps"] == province
        }


def _planned(dates: pd.DatetimeIndex, base: float, growth: float, policy: str) -> np.ndarray:
    """Planned daily demand: a slow background trend and the Lebaran rise allocations follow."""
    years = np.arange(len(dates)) / 365.25
    planned = base * (1 + growth * years)
    bump = 0.08 if policy == "reorder" else 0.12
    for day in LEBARAN:
        before = (dates >= pd.Timestamp(day) - pd.Timedelta(days=14)) & (dates < pd.Timestamp(day))
        planned = np.where(before, planned * (1 + bump), planned)
    return planned


def _depot(region: str, spec: Commodity, dates, siaga: float, rng) -> Depot:
    planned = _planned(dates, rng.uniform(*spec.base), rng.uniform(-0.04, 0.08), spec.policy)
    if spec.policy == "reorder":
        reorder = siaga + rng.uniform(4, 9) + 3
        return Depot(region, spec.code, "reorder", planned, reorder_days=reorder,
                     order_up_to_days=reorder + rng.uniform(5, 12), decimals=spec.decimals)  # fmt: skip
    return Depot(region, spec.code, "quota", planned, quota_weekday=int(rng.integers(0, 7)),
                 quota_margin=rng.uniform(1.0, 1.04), cap_days=siaga + rng.uniform(10, 18),
                 decimals=spec.decimals)  # fmt: skip


def plan_disruptions(
    regions: list[str], commodities: list[Commodity], n_days: int, rng: np.random.Generator
) -> list[Disruption]:
    """Random local disruptions (8–12 per 2 years of 11 regencies, scaled) and 1–2 shocks."""
    scale = len(regions) * len(commodities) / 55 * n_days / 730
    n_local = max(1, int(round(rng.integers(8, 13) * scale)))
    quota_codes = [c.code for c in commodities if c.policy == "quota"]
    busy: dict[tuple[str, str], list[int]] = {}
    plan: list[Disruption] = []
    tries = 0
    while len(plan) < n_local and tries < 500:
        tries += 1
        kind = str(rng.choice(LOCAL_KINDS if quota_codes else LOCAL_KINDS[:3]))
        codes = quota_codes if kind == "supply_cut" else [c.code for c in commodities]
        pair = (str(rng.choice(regions)), str(rng.choice(codes)))
        cause = int(rng.integers(90, n_days - 10))
        if any(abs(cause - other) < 90 for other in busy.get(pair, [])):
            continue
        busy.setdefault(pair, []).append(cause)
        plan.append(_local(kind, pair, cause, rng))
    for _ in range(int(rng.integers(1, 3))):
        commodity = str(rng.choice([c.code for c in commodities]))
        cause = int(rng.integers(90, n_days - 10))
        plan.append(Disruption("province_shock", commodity, tuple(regions), cause,
                               int(rng.integers(10, 25)), rng.uniform(0.3, 0.6)))  # fmt: skip
    return sorted(plan, key=lambda d: d.cause)


def _local(kind: str, pair: tuple[str, str], cause: int, rng) -> Disruption:
    region, commodity = pair
    if kind == "abrupt_stop":
        return Disruption(kind, commodity, (region,), cause, int(rng.integers(10, 31)), 0.0)
    if kind == "slow_drift":
        ramp = int(rng.integers(25, 51))
        return Disruption(kind, commodity, (region,), cause, ramp + int(rng.integers(10, 26)),
                          rng.uniform(0.35, 0.65), ramp)  # fmt: skip
    if kind == "demand_surge":
        return Disruption(kind, commodity, (region,), cause, int(rng.integers(10, 26)),
                          rng.uniform(1.35, 1.9))  # fmt: skip
    return Disruption(kind, commodity, (region,), cause, int(rng.integers(21, 43)),
                      rng.uniform(0.25, 0.6))  # fmt: skip


def apply(disruption: Disruption, depot: Depot) -> None:
    """Write the disruption's multipliers into the depot's supply or demand path."""
    days = slice(disruption.cause, disruption.cause + disruption.length)
    if disruption.kind == "demand_surge":
        depot.demand_mult[days] *= disruption.size
        return
    if disruption.kind == "slow_drift":
        path = np.ones(disruption.length) * disruption.size
        path[: disruption.ramp] = np.linspace(1.0, disruption.size, disruption.ramp + 1)[1:]
        span = depot.supply_mult[days]
        span *= path[: len(span)]
        return
    depot.supply_mult[days] *= disruption.size


def breach(truth: Simulated, minimum: np.ndarray, disruption: Disruption) -> tuple[int, int] | None:
    """(start, end) day indices of the stock's fall below the minimum that the cause led to."""
    n = len(minimum)
    cause_end = min(disruption.cause + disruption.length, n - 1)
    below = truth.stock < minimum
    last_search = min(cause_end + AFTER_CAUSE_DAYS, n - 1)
    starts = np.flatnonzero(below[disruption.cause : last_search + 1])
    if not len(starts):
        return None
    start = disruption.cause + int(starts[0])
    after = np.flatnonzero(~below[max(start, cause_end) :])
    end = max(start, cause_end) + int(after[0]) if len(after) else n - 1
    return start, end


class WorldOptions(TypedDict, total=False):
    """The optional choices of :func:`build_world` (passed through by ``worlds.build.build``)."""

    days: int
    regions: list[str] | None
    commodities: list[str] | None
    incidents: bool


def build_world(
    seed: int,
    end: dt.date,
    days: int = 730,
    regions: list[str] | None = None,
    commodities: list[str] | None = None,
    incidents: bool = True,
) -> World:
    """Draw and simulate one world."""
    streams = np.random.SeedSequence(seed).spawn(4)
    depot_rng, plan_rng, noise_seq, report_rng = (
        np.random.default_rng(streams[0]), np.random.default_rng(streams[1]),
        streams[2], np.random.default_rng(streams[3]),
    )  # fmt: skip
    names = region_names()
    regions = list(regions or names)
    specs = [c for c in COMMODITIES if not commodities or c.code in commodities]
    dates = pd.date_range(end=pd.Timestamp(end), periods=days, freq="D")
    weekdays = dates.day_of_week.to_numpy()
    siaga = siaga_days()
    depots = {(r, c.code): _depot(r, c, dates, siaga[c.code], depot_rng) for r in regions
              for c in specs}  # fmt: skip
    plan = plan_disruptions(regions, specs, days, plan_rng)
    if incidents:
        for disruption in plan:
            for region in disruption.regions:
                apply(disruption, depots[(region, disruption.commodity)])
    noise = noise_seq.spawn(len(depots))
    truth = {
        pair: simulate(depot, weekdays, np.random.default_rng(s))
        for (pair, depot), s in zip(depots.items(), noise, strict=True)
    }
    rows, absorbed = [], []
    for disruption in plan if incidents else []:
        for region in disruption.regions:
            pair = (region, disruption.commodity)
            minimum = siaga[disruption.commodity] * depots[pair].planned
            found = breach(truth[pair], minimum, disruption)
            record = _truth_row(disruption, region, names, dates, found)
            (rows if found else absorbed).append(record)
    sparse = _sparse_regions(regions, report_rng)
    return World(dates, depots, truth, plan if incidents else [], _frame(rows), _frame(absorbed),
                 sparse)  # fmt: skip


def _sparse_regions(regions: list[str], rng) -> dict[str, tuple[int, int]]:
    """Up to 3 regencies that report only every 2–4 days."""
    count = min(3, max(1, len(regions) // 4))
    picked = rng.choice(regions, size=count, replace=False)
    return {str(r): (2, 4) for r in picked}


def _truth_row(disruption: Disruption, region: str, names, dates, found) -> dict:
    cause_end = min(disruption.cause + disruption.length, len(dates) - 1)
    if disruption.kind == "demand_surge":
        size = f"demand × {disruption.size:.2f}"
    elif disruption.kind == "abrupt_stop":
        size = "no deliveries"
    else:
        size = f"deliveries × {disruption.size:.2f}"
    note = (
        f"{disruption.kind}: {size} from {dates[disruption.cause].date()} to "
        f"{dates[cause_end].date()}"
    )
    if found and found[1] == len(dates) - 1:
        note += "; still below the minimum at the end of the data"
    return {
        "region": names.get(region, region),
        "commodity": disruption.commodity,
        "kind": disruption.kind,
        "cause_date": dates[disruption.cause].date().isoformat(),
        "start": dates[found[0]].date().isoformat() if found else "",
        "end": dates[found[1]].date().isoformat() if found else "",
        "note": note,
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    columns = ["region", "commodity", "kind", "cause_date", "start", "end", "note"]
    return pd.DataFrame(rows, columns=columns)
