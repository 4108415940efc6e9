"""Vectorised simulation of the demo panel: demand, lumpy deliveries, stock and prices.

Arrays are shaped (series, days) with series ordered commodity-major
(``s = commodity_index * n_regions + region_index``). Every series draws from its own random
stream keyed by (seed, region, commodity), so adding regions or commodities never changes
the others. The stock balance holds exactly by construction:
``stock[t] = (stock[t-1] + delivery[t]) - distribution[t]`` and
``distribution[t] <= stock[t-1] + delivery[t]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from demo.profiles import CommodityProfile, Panel, stream
from seasons import daily_features, holiday_table

BURN_IN_DAYS = 60
COVER_WINDOW_DAYS = 14  # days of cover = stock / mean distribution of the last 14 days
RECOVERY_EXTRA_DAYS = 4  # a delivery may carry up to (gap + 4) days of demand when catching up
PRICE_REF_SMOOTHING_DAYS = 21  # market prices follow a new HET over about three weeks


@dataclass
class Timeline:
    """The simulated days (burn-in first) and their calendar."""

    days: pd.DatetimeIndex
    burn: int
    features: pd.DataFrame  # seasons.daily_features, smoothed columns added
    holiday: np.ndarray  # bool per day: a public holiday

    @property
    def n(self) -> int:
        return len(self.days)


def make_timeline(start: date, end: date) -> Timeline:
    """Days from ``start - BURN_IN_DAYS`` to ``end`` with calendar features."""
    first = start - timedelta(days=BURN_IN_DAYS)
    days = pd.date_range(first, end, freq="D")
    features = daily_features(days)
    table = holiday_table(first, end)
    holiday_days = pd.to_datetime(table.loc[table["kind"] != "ramadan_start", "date"])
    holiday = days.isin(holiday_days)
    return Timeline(days=days, burn=BURN_IN_DAYS, features=features, holiday=np.asarray(holiday))


@dataclass
class SeriesDraws:
    """Per-series random numbers, stacked to (series, days)."""

    z_demand: np.ndarray
    z_delivery: np.ndarray
    z_trend: np.ndarray
    z_noise: np.ndarray
    u_gap: np.ndarray
    intervals: np.ndarray
    phase: np.ndarray
    target_u: np.ndarray


def draw_series(panel: Panel, n_days: int, seed: int) -> SeriesDraws:
    """Draw every series' random numbers from its own stable stream."""
    parts: dict[str, list[np.ndarray]] = {k: [] for k in SeriesDraws.__dataclass_fields__}
    for profile in panel.profiles:
        for code in panel.region_codes:
            rng = stream(seed, "series", code, profile.code)
            normals = rng.standard_normal((4, n_days))
            parts["z_demand"].append(normals[0])
            parts["z_delivery"].append(normals[1])
            parts["z_trend"].append(normals[2])
            parts["z_noise"].append(normals[3])
            parts["u_gap"].append(rng.random(n_days))
            parts["intervals"].append(
                rng.choice(np.asarray(profile.intervals), size=n_days, p=profile.interval_probs)
            )
            parts["phase"].append(np.asarray(rng.integers(0, max(profile.intervals))))
            parts["target_u"].append(np.asarray(rng.random()))
    return SeriesDraws(**{k: np.stack(v) for k, v in parts.items()})


def _smooth(values: np.ndarray, window: int, center: bool = True) -> np.ndarray:
    series = pd.Series(values)
    return series.rolling(window, min_periods=1, center=center).mean().to_numpy()


def season_factor(timeline: Timeline, effects: dict[str, float], window: int) -> np.ndarray:
    """1 + sum of calendar effects, ramped over ``window`` days."""
    total = np.zeros(timeline.n)
    for column, effect in effects.items():
        total += effect * timeline.features[column].to_numpy()
    return 1.0 + _smooth(total, window)


@dataclass
class StockInputs:
    """Everything the stock recursion needs, for a subset of series."""

    demand: np.ndarray  # actual demand (rounded), including incident surges
    expected: np.ndarray  # what the supplier plans with
    is_delivery: np.ndarray
    next_gap: np.ndarray
    noise: np.ndarray  # multiplicative noise on delivered quantities
    target: np.ndarray  # order-up-to level in days of expected demand
    lot: np.ndarray
    cut: np.ndarray  # bool: deliveries limited by an incident
    cut_frac: np.ndarray  # deliveries during a cut, as a share of expected demand

    def subset(self, rows: np.ndarray) -> StockInputs:
        return StockInputs(**{k: getattr(self, k)[rows] for k in self.__dataclass_fields__})


def delivery_schedule(intervals: np.ndarray, phase: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Delivery days (bool) and the number of days until the next delivery on those days."""
    n_series, n_days = intervals.shape
    positions = np.cumsum(intervals, axis=1) - intervals + phase[:, None]
    valid = positions < n_days
    rows = np.broadcast_to(np.arange(n_series)[:, None], positions.shape)
    is_delivery = np.zeros((n_series, n_days), dtype=bool)
    next_gap = np.zeros((n_series, n_days))
    is_delivery[rows[valid], positions[valid]] = True
    next_gap[rows[valid], positions[valid]] = intervals[valid]
    return is_delivery, next_gap


def simulate_stock(inputs: StockInputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run the daily stock recursion; returns delivery, distribution and end-of-day stock."""
    n_series, n_days = inputs.demand.shape
    delivery = np.zeros((n_series, n_days))
    distribution = np.zeros((n_series, n_days))
    stock = np.zeros((n_series, n_days))
    previous = np.round(inputs.target * inputs.expected[:, 0] / inputs.lot) * inputs.lot
    for t in range(n_days):
        expected = inputs.expected[:, t]
        gap = inputs.next_gap[:, t]
        order = np.maximum(inputs.target * expected - previous, 0.0)
        normal = np.minimum(order, expected * (gap + RECOVERY_EXTRA_DAYS))
        limited = inputs.cut_frac * expected * gap
        wanted = np.where(inputs.cut[:, t], limited, normal) * inputs.noise[:, t]
        quantity = np.where(
            inputs.is_delivery[:, t], np.round(wanted / inputs.lot) * inputs.lot, 0.0
        )
        available = previous + quantity
        taken = np.minimum(inputs.demand[:, t], available)
        current = available - taken
        delivery[:, t] = quantity
        distribution[:, t] = taken
        stock[:, t] = current
        previous = current
    return delivery, distribution, stock


def days_of_cover(stock: np.ndarray, distribution: np.ndarray) -> np.ndarray:
    """Stock divided by the mean distribution of the last ``COVER_WINDOW_DAYS`` days."""
    window = COVER_WINDOW_DAYS
    csum = np.cumsum(distribution, axis=1)
    shifted = np.zeros_like(csum)
    shifted[:, window:] = csum[:, :-window]
    counts = np.minimum(np.arange(1, distribution.shape[1] + 1), window)
    mean = (csum - shifted) / counts
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(mean > 0, stock / np.where(mean > 0, mean, 1.0), np.inf)
    return cover


def ar1(innovations: np.ndarray, phi: float, sd: float) -> np.ndarray:
    """A stationary AR(1) path per row with the given stationary standard deviation."""
    scaled = innovations * sd * np.sqrt(1.0 - phi**2)
    scaled[:, 0] = innovations[:, 0] * sd
    return lfilter([1.0], [1.0, -phi], scaled, axis=1)


def reference_matrix(
    references: pd.DataFrame, commodity: str, region_codes: list[str], days: pd.DatetimeIndex
) -> np.ndarray:
    """Reference price in force per (region, day); NaN where none. Regency rows win."""
    values = np.full((len(region_codes), len(days)), np.nan)
    rows = references[references["commodity"] == commodity]
    index = {code: i for i, code in enumerate(region_codes)}
    day_values = days.values.astype("datetime64[D]")
    for scope in ("province", "regency"):
        for row in rows[rows["scope"] == scope].itertuples(index=False):
            lo = np.datetime64(row.valid_from, "D")
            hi = np.datetime64(row.valid_to, "D") if pd.notna(row.valid_to) else day_values[-1]
            in_force = (day_values >= lo) & (day_values <= hi)
            if scope == "province":
                values[:, in_force] = float(row.value)
            elif str(row.region_code) in index:
                values[index[str(row.region_code)], in_force] = float(row.value)
    return values


def _smooth_rows(values: np.ndarray, window: int) -> np.ndarray:
    frame = pd.DataFrame(values.T)
    return frame.rolling(window, min_periods=1).mean().to_numpy().T


def monthly_steps(
    timeline: Timeline, seed: int, commodity: str, limit: float = 0.035
) -> np.ndarray:
    """A province-wide relative price deviation that changes on the first day of each month."""
    months = timeline.days.to_period("M")
    unique = months.unique()
    rng = stream(seed, "monthly-price", commodity)
    steps = rng.choice([-0.02, -0.01, 0.0, 0.0, 0.01, 0.02], size=len(unique))
    level = np.clip(np.cumsum(steps), -limit, limit)
    position = unique.get_indexer(months)
    return level[position]


@dataclass
class PriceInputs:
    """Pieces of the price model for one commodity over all regions."""

    profile: CommodityProfile
    reference: np.ndarray  # (regions, days)
    offsets: np.ndarray  # (regions,)
    cover: np.ndarray  # (regions, days)
    waspada_cover: float
    z_trend: np.ndarray
    z_noise: np.ndarray
    incident: np.ndarray  # (regions, days) multiplicative incident effect


def commodity_prices(inputs: PriceInputs, timeline: Timeline, seed: int) -> np.ndarray:
    """Daily prices (regions, days) for one commodity, before reporting gaps."""
    profile = inputs.profile
    reference = inputs.reference
    if profile.price_mode == "administered":
        fallback = profile.anchor or np.nanmax(reference)
        return np.where(np.isfinite(reference), reference, fallback)
    if profile.price_mode == "monthly":
        centre = np.where(np.isfinite(reference), reference, profile.anchor)
        deviation = monthly_steps(timeline, seed, profile.code)
        return np.round(centre * (1.0 + deviation) / profile.round_price) * profile.round_price
    years = (timeline.days - timeline.days[0]).days.to_numpy() / 365.25
    anchor = profile.anchor * (1.0 + profile.inflation) ** years
    smoothed = _smooth_rows(reference, PRICE_REF_SMOOTHING_DAYS)
    level = np.where(np.isfinite(smoothed), profile.ratio * smoothed, anchor[None, :])
    regional = 1.0 + inputs.offsets[:, None] * profile.regional_weight
    season = season_factor(timeline, profile.price_season, 7)[None, :]
    rng = stream(seed, "common-price", profile.code)
    common = ar1(rng.standard_normal((1, timeline.n)), 0.99, profile.common_sd)
    trend = ar1(inputs.z_trend.copy(), 0.985, profile.trend_sd)
    noise = profile.price_noise * inputs.z_noise
    shortfall = np.clip((inputs.waspada_cover - inputs.cover) / inputs.waspada_cover, 0.0, 1.0)
    scarcity = 1.0 + profile.scarcity * _smooth_rows(shortfall, 3)
    price = level * regional * season * np.exp(common + trend + noise) * scarcity * inputs.incident
    return np.round(price / profile.round_price) * profile.round_price


def gap_probability(timeline: Timeline) -> np.ndarray:
    """Chance that a price is not reported: higher on Sundays and public holidays."""
    sunday = (timeline.days.day_of_week == 6).astype(float)
    return np.clip(0.035 + 0.22 * sunday + 0.30 * timeline.holiday, 0.0, 0.6)
