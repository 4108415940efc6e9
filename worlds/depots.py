"""Depot simulation: daily demand, reorder-point and weekly-quota depots, supply disruptions.

Two inventory policies, as depots and agents actually run:

* **(s, S) reorder point** (fuel, LPG): after each day's distribution, when stock plus what is
  on order falls to ``s`` days of planned demand, an order up to ``S`` is placed; it arrives
  after a random lead time of 1–5 days.
* **Weekly quota** (rice, sugar): one delivery on a fixed weekday, the week's allocation
  (7 days of planned demand × a small margin, plus a third of any shortfall below a week
  under the cap, which the office adds to the next allocations), never above the storage cap.

Distribution is what customers ask for, limited by what is on hand. Disruptions act on the
cause: a delivery multiplier per day (cuts, stops, drifts, shocks) and a demand multiplier
per day (surges). Deliveries held back by a stop arrive when it ends (orders stay open).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

WEEKDAY_FACTOR = np.array([1.04, 1.0, 0.98, 1.0, 1.03, 1.08, 0.87])  # Monday .. Sunday


@dataclass
class Depot:
    """One region × commodity depot and its simulated days."""

    region_code: str
    commodity: str
    policy: str  # "reorder" | "quota"
    planned: np.ndarray  # planned daily demand (what allocations are based on)
    reorder_days: float = 0.0  # s, in days of planned demand
    order_up_to_days: float = 0.0  # S, in days of planned demand
    quota_weekday: int = 0
    quota_margin: float = 1.0
    cap_days: float = 0.0
    decimals: int = 1
    demand_mult: np.ndarray = field(default_factory=lambda: np.ones(0))
    supply_mult: np.ndarray = field(default_factory=lambda: np.ones(0))

    def __post_init__(self) -> None:
        n = len(self.planned)
        if len(self.demand_mult) != n:
            self.demand_mult = np.ones(n)
        if len(self.supply_mult) != n:
            self.supply_mult = np.ones(n)


@dataclass
class Simulated:
    """Daily truth of one depot: stock (end of day), distribution, deliveries, demand."""

    stock: np.ndarray
    distribution: np.ndarray
    delivery: np.ndarray
    demand: np.ndarray


def _round(value: float, decimals: int) -> float:
    return float(round(value, decimals))


def simulate(depot: Depot, weekdays: np.ndarray, rng: np.random.Generator) -> Simulated:
    """Run the depot day by day (noise from ``rng``)."""
    n = len(depot.planned)
    noise = rng.lognormal(-0.5 * 0.09**2, 0.09, n)
    demand = depot.planned * WEEKDAY_FACTOR[weekdays] * noise * depot.demand_mult
    start_days = (
        (depot.reorder_days + depot.order_up_to_days) / 2
        if depot.policy == "reorder"
        else depot.cap_days - 3
    )
    stock = _round(start_days * depot.planned[0], depot.decimals)
    pending: dict[int, float] = {}  # arrival day -> quantity ordered
    held = 0.0  # supply withheld by a stop, delivered when supply resumes
    out = {k: np.zeros(n) for k in ("stock", "distribution", "delivery", "demand")}
    for day in range(n):
        due = pending.pop(day, 0.0)
        if depot.policy == "quota" and weekdays[day] == depot.quota_weekday:
            cap = depot.cap_days * depot.planned[day]
            shortfall = max(0.0, cap - 7 * depot.planned[day] - stock)  # made up over weeks
            allocation = 7 * depot.planned[day] * depot.quota_margin + shortfall / 3
            due += min(allocation, max(0.0, cap - stock))
        mult = depot.supply_mult[day]
        if depot.policy == "reorder" and mult == 0:
            held += due  # a stop: open orders wait and arrive when supply resumes
            due = 0.0
        elif depot.policy == "reorder":
            due, held = due + held, 0.0
        arrived = due * mult  # a cut delivers part of each load; the rest is lost
        arrived = _round(arrived, depot.decimals)
        want = _round(demand[day], depot.decimals)
        available = _round(stock + arrived, depot.decimals)
        sold = min(want, available)
        stock = _round(available - sold, depot.decimals)
        if depot.policy == "reorder":
            position = stock + sum(pending.values()) + held
            if position <= depot.reorder_days * depot.planned[day]:
                lead = int(rng.integers(1, 6))
                order = depot.order_up_to_days * depot.planned[day] - position
                pending[day + lead] = pending.get(day + lead, 0.0) + order
        out["stock"][day], out["distribution"][day] = stock, sold
        out["delivery"][day], out["demand"][day] = arrived, demand[day]
    return Simulated(out["stock"], out["distribution"], out["delivery"], out["demand"])
