"""Probability of a stock-out: simulated paths of demand and deliveries, and its calibration.

For one date and every pair, ``N_PATHS`` paths are simulated from the last stock report:

* **demand** per day = the mean of the last 7 reported days (as the projection) × a
  log-normal level factor per path (the uncertainty of that mean and an 8 % drift of demand
  over the coming weeks) × a
  log-normal day factor whose spread is the pair's day-to-day spread of the last 28 reported
  days (log ratio to the 7-day mean);
* **deliveries** = the pair's learnt pattern (``forecasting.deliveries``): the next expected
  arrival, then one every usual interval, each arrival's timing shifted by a draw from the
  spread of the pair's past gaps and its size by a draw from the spread of past sizes.
  Without a learnt pattern deliveries come at the recent mean rate.

P(days of cover < Siaga within h days) is the share of paths whose cover (stock ÷ the 14-day
mean distribution) falls below the commodity's Siaga limit on any of the next h days, for
h = 7, 14, 21. The replay scores these against what happened (cover below Siaga in the
final data within h days): ``calibration`` bins the predictions and compares the mean
prediction with the observed frequency per bin (a reliability table).
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

N_PATHS = 100
LEVEL_DRIFT = 0.08  # sd of the demand level over the next weeks (log scale)
HORIZONS = (7, 14, 21)
SEED = 20240101
BINS = (0.0, 0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 1.0001)
PROBABILITY_COLUMNS = ["as_of", "region_code", "commodity", "p_stockout_7", "p_stockout_14",
                       "p_stockout_21"]  # fmt: skip
CALIBRATION_COLUMNS = ["replay_id", "horizon_days", "bin_low", "bin_high", "n",
                       "mean_predicted", "observed"]  # fmt: skip


def pair_seed(region_code: str, commodity: str) -> int:
    """A pair's own random stream: its probabilities do not depend on which other pairs are
    simulated with it (the live run goes one commodity at a time, the replay all at once)."""
    return SEED + zlib.crc32(f"{region_code}|{commodity}".encode())


def simulate_below(
    stock: np.ndarray,
    age: np.ndarray,
    demand: np.ndarray,
    demand_sd: np.ndarray,
    due_in: np.ndarray,
    interval: np.ndarray,
    size: np.ndarray,
    gap_sd: np.ndarray,
    size_cv: np.ndarray,
    fallback_rate: np.ndarray,
    avg_distribution: np.ndarray,
    siaga_days: np.ndarray,
    horizon: int = max(HORIZONS),
    n_paths: int = N_PATHS,
    seed: int = SEED,
) -> np.ndarray:
    """(pairs × horizon) share of paths whose cover is below Siaga on day k or earlier."""
    rng = np.random.default_rng(seed)
    n = len(stock)
    age = np.nan_to_num(age).astype(int)
    total = int(age.max(initial=0)) + horizon
    sd = np.nan_to_num(demand_sd, nan=0.1)[:, None, None]
    noise = rng.standard_normal((n, n_paths, total))
    # the demand level itself is uncertain (a 7-day mean, and demand drifts): one factor a path
    level_sd = np.sqrt(sd**2 / 7 + LEVEL_DRIFT**2)
    level = np.exp(level_sd * rng.standard_normal((n, n_paths, 1)) - level_sd**2 / 2)
    daily = np.nan_to_num(demand)[:, None, None] * level * np.exp(sd * noise - sd**2 / 2)
    days = np.arange(1, total + 1)[None, None, :]
    has_pattern = np.isfinite(interval) & np.isfinite(size) & np.isfinite(due_in)
    shortest = np.nanmin(np.where(has_pattern, interval, np.inf), initial=np.inf)
    n_max = int(np.ceil(total / max(shortest, 1.0))) + 1 if has_pattern.any() else 0
    delivered = np.zeros((n, n_paths, total))
    if n_max:
        k = np.arange(n_max)[None, None, :]
        jitter = rng.standard_normal((n, n_paths, n_max)) * np.nan_to_num(gap_sd)[:, None, None]
        first = np.nan_to_num(due_in)[:, None, None]
        arrive = np.rint(first + k * np.nan_to_num(interval)[:, None, None] + jitter)
        arrive = np.maximum(arrive, 1)
        amount = np.nan_to_num(size)[:, None, None] * np.exp(
            np.nan_to_num(size_cv)[:, None, None] * rng.standard_normal((n, n_paths, n_max))
            - np.nan_to_num(size_cv)[:, None, None] ** 2 / 2
        )
        amount = np.where(has_pattern[:, None, None], amount, 0.0)
        inside = arrive <= total
        per_day = np.zeros((n, n_paths, total + 1))
        i, j, _ = np.nonzero(inside)
        np.add.at(per_day, (i, j, arrive[inside].astype(int)), amount[inside])
        delivered = np.cumsum(per_day, axis=-1)[..., 1:]
    continuous = np.where(has_pattern, 0.0, np.nan_to_num(fallback_rate))[:, None, None] * days
    path = stock[:, None, None] - np.cumsum(daily, axis=-1) + delivered + continuous
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = path / avg_distribution[:, None, None]
    below = cover < siaga_days[:, None, None]
    out = np.empty((n, horizon))
    for i in range(n):  # days after today: from the last report's age on
        ahead = below[i, :, age[i] : age[i] + horizon]
        out[i] = np.logical_or.accumulate(ahead, axis=-1).mean(axis=0)
    valid = np.isfinite(stock) & (avg_distribution > 0) & np.isfinite(siaga_days)
    return np.where(valid[:, None], out, np.nan)


def calibration(probabilities: pd.DataFrame, below: pd.DataFrame) -> pd.DataFrame:
    """Reliability table: per horizon and probability bin, mean prediction vs observed share.

    ``below`` is the final data's "cover below Siaga" per date × (region_code, commodity)
    (NaN where not reported); an outcome within h days is observed when any of the next h days
    was below, unknown when none of them was reported.
    """
    if probabilities.empty or below.empty:
        return pd.DataFrame(columns=CALIBRATION_COLUMNS)
    rows = []
    values = below.to_numpy(float)
    index = {d: i for i, d in enumerate(below.index)}
    columns = {c: j for j, c in enumerate(below.columns)}
    for horizon in HORIZONS:
        predicted, observed = [], []
        for p in probabilities.itertuples(index=False):
            i = index.get(pd.Timestamp(p.as_of))
            j = columns.get((p.region_code, p.commodity))
            value = getattr(p, f"p_stockout_{horizon}")
            if i is None or j is None or pd.isna(value) or i + horizon >= len(values):
                continue
            future = values[i + 1 : i + 1 + horizon, j]
            if not np.isfinite(future).any():
                continue
            predicted.append(value)
            observed.append(float(np.nanmax(future) > 0))
        frame = pd.DataFrame({"p": predicted, "o": observed})
        if frame.empty:
            continue
        frame["bin"] = pd.cut(frame["p"], BINS, right=False, labels=False)
        for b, group in frame.groupby("bin"):
            rows.append({
                "horizon_days": horizon, "bin_low": BINS[int(b)],
                "bin_high": min(BINS[int(b) + 1], 1.0), "n": len(group),
                "mean_predicted": float(group["p"].mean()), "observed": float(group["o"].mean()),
            })  # fmt: skip
    return pd.DataFrame(rows, columns=[c for c in CALIBRATION_COLUMNS if c != "replay_id"])


def insert_calibration(con, frame: pd.DataFrame) -> None:
    """Store a replay's reliability table (inside the replay's write transaction)."""
    if frame.empty:
        return
    con.register("calibration_frame", frame[CALIBRATION_COLUMNS])
    columns = ", ".join(CALIBRATION_COLUMNS)
    con.execute(
        f"INSERT INTO stockout_calibration ({columns})"  # noqa: S608
        f" SELECT {columns} FROM calibration_frame"
    )
    con.unregister("calibration_frame")


def cumulative_sd(sd: np.ndarray) -> np.ndarray:
    """Standard deviation of the cumulative sum of a flow's forecast errors, days 1..H.

    ``sd`` is the forecast's standard deviation of each day's value (h = 1, 2, ...). Read as
    a linear innovations model (ETS, random walk, window mean): the h-step variance
    v_h = σ² Σ_{i<h} ψ_i², so ψ_0 = 1, ψ_i² = (v_{i+1} − v_i) / σ² with σ² = v_1. A shock
    on day j stays in every later day's value, so the cumulative error is
    Σ_j ε_j Ψ_{H−j} with Ψ_n = ψ_0 + … + ψ_n, and Var = σ² Σ_{n<H} Ψ_n². Daily errors that
    do not grow with h (ψ_i = 0) give the independent sum √H·σ; a level that wanders gives
    more. A flow without a first-day spread falls back to the independent sum.
    """
    variance = np.nan_to_num(np.asarray(sd, dtype=float)) ** 2
    if len(variance) == 0 or variance[0] <= 0:
        return np.sqrt(np.cumsum(variance))
    sigma2 = variance[0]
    psi = np.sqrt(np.clip(np.diff(variance, prepend=0.0), 0, None) / sigma2)
    psi[0] = 1.0
    return np.sqrt(sigma2 * np.cumsum(np.cumsum(psi) ** 2))
