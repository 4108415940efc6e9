"""Reading stock the way depots work: report gaps, delivery patterns, expected deliveries.

* **Missing is not zero.** A day without a report is unknown. The stock carried is the last
  reported one with its age; flows are averaged over the days that were reported; deliveries
  are read from the stock balance between two reports (stock now − stock then + what was
  distributed in between), so a delivery on an unreported day is seen at the next report.
* **Delivery pattern** of each pair, learnt from the arrivals of the last ``PATTERN_DAYS``
  days known on each date (refreshed when an arrival becomes known, and weekly): the usual
  interval (mean gap), the longest gap, the usual size (the rate delivered over the last
  ``RATE_INTERVALS`` intervals, at least ``RATE_MIN_DAYS`` days, times the interval), the
  spread of gaps and sizes, and the quota calendar (the weekday at least ``CALENDAR_SHARE``
  of the arrivals fall on, for weekly or slower deliveries).
* **Expected deliveries.** Stock is projected from the last report with the demand of the last
  ``DEMAND_REPORTS`` reported days and the next expected arrivals in it: the next one is due one usual interval
  after the last (on the calendar weekday for quota depots), at the latest after the longest
  usual gap; so the normal bottom of a reorder cycle is not a warning. A delivery **missed** —
  the longest usual gap (plus the report spacing beyond daily) has passed without one — is
  projected to come as late again as it already is, which is a warning once the stock cannot
  bridge that; unless at least half of the commodity's regencies missed one the same day
  (refills pause together after Lebaran and the New Year).
* **Too sparse to judge**: fewer than ``MIN_REPORT_SHARE`` of the last ``DENSITY_DAYS`` days
  reported, or the last stock report older than ``STALE_DAYS`` days: no stock rule fires
  and the status says so.

Every number on date d uses reports dated on or before d only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from seasons.calendar import daily_features

PATTERN_DAYS = 180
RATE_MIN_DAYS = 56
RATE_INTERVALS = 4
MIN_ARRIVALS = 4
REFRESH_DAYS = 7
CALENDAR_SHARE = 0.6
DEMAND_WINDOW_DAYS = 7
DEMAND_REPORTS = 7
FALLBACK_DELIVERY_DAYS = 28
HORIZON_DAYS = 21
MIN_REACH_DAYS = 7
STALE_DAYS = 7
DENSITY_DAYS = 28
MIN_REPORT_SHARE = 0.25
COMMON_SHARE = 0.5
MIN_REGIONS_COMMON = 3
QUOTA_GRACE_DAYS = 2  # days past its weekday before a quota delivery counts as missed
CUT_MIN_SHORTFALL = 0.2  # an arrival this much below the usual size is a cut ...
CUT_SIZE_SPREADS = 3  # ... and at least this many spreads (cv) of the usual sizes below it
CUT_OUTLIER_IQRS = 3  # a load beyond Tukey's far-out fences of the window's loads ...
CUT_OUTLIER_RATIO = 2  # ... and over twice (under half) their median is not a usual load


def _ffill_index(mask: np.ndarray) -> np.ndarray:
    """Index of the last True row on or before each row, per column (-1 before the first)."""
    n = mask.shape[0]
    index = np.where(mask, np.arange(n)[:, None], -1)
    return np.maximum.accumulate(index, axis=0)


def arrivals(
    stock: pd.DataFrame, distribution: pd.DataFrame, delivery: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quantity arrived since the previous stock report, on each report day (NaN elsewhere),
    and how many days before that report it is placed (half the gap since the previous one).

    From the stock balance: stock now − stock at the previous report + what was distributed in
    between (reported days as reported, unreported days at the mean of the last 7 reported
    days). A reported delivery counts at least as reported; a balance under one day of demand
    is read as no delivery (reporting noise).
    """
    s = stock.to_numpy(float)
    reported = np.isfinite(s)
    last = _ffill_index(reported)
    previous = np.vstack([np.full((1, s.shape[1]), -1), last[:-1]])
    columns = np.arange(s.shape[1])
    prev_stock = np.where(previous >= 0, s[np.clip(previous, 0, None), columns], np.nan)
    demand = distribution.rolling(DEMAND_WINDOW_DAYS, min_periods=1).mean().ffill()
    filled = distribution.fillna(demand.shift(1)).fillna(demand).fillna(0.0)
    cumulative = filled.cumsum().to_numpy()
    prev_cum = np.where(previous >= 0, cumulative[np.clip(previous, 0, None), columns], np.nan)
    balance = s - prev_stock + (cumulative - prev_cum)
    d = delivery.to_numpy(float)
    with np.errstate(invalid="ignore"):
        reported_delivery = np.where(d > 0, d, 0.0)
        size = np.fmax(balance, reported_delivery)
        arrived = reported & ((d > 0) | (balance > demand.to_numpy()))
    frame = lambda a: pd.DataFrame(a, index=stock.index, columns=stock.columns)  # noqa: E731
    rows = np.arange(s.shape[0])[:, None]
    lag = np.where(arrived & (previous >= 0), (rows - previous) // 2, np.nan)
    return frame(np.where(arrived, size, np.nan)), frame(lag)


def _pattern_column(
    arrived: np.ndarray,
    lag: np.ndarray,
    weekdays: np.ndarray,
    demand: np.ndarray,
    stock: np.ndarray,
    seasonal: np.ndarray,
    only: int | None = None,
) -> tuple[np.ndarray, ...]:
    """Per day: last arrival index, usual interval, longest gap, usual size, calendar weekday,
    spread of the gaps (days) and of the arrival sizes (coefficient of variation).

    An arrival seen on a report day counts from that day on, placed ``lag`` days earlier.
    ``demand`` (per day, known on each day) measures each arrival and the ``stock`` reported
    with it in days of demand, for telling a cut from allocations that follow demand or a
    depot topped up to its usual level; an arrival on a ``seasonal`` day (Lebaran and the
    weeks after it, when allocations return from the Lebaran extra) is not read as a cut.
    With ``only`` (a day's index) the pattern is exact on that day alone (the live run reads
    one day; earlier days are left unknown).
    """
    n = len(arrived)
    known = np.flatnonzero(np.isfinite(arrived))
    days = known - np.nan_to_num(lag[known]).astype(int)
    sizes = arrived[known]
    with np.errstate(divide="ignore", invalid="ignore"):
        in_days = np.where(demand[known] > 0, sizes / demand[known], np.nan)
        after = np.where(demand[known] > 0, stock[known] / demand[known], np.nan)
    last = np.full(n, np.nan)
    interval = np.full(n, np.nan)
    longest = np.full(n, np.nan)
    size = np.full(n, np.nan)
    calendar = np.full(n, -1)
    gap_sd = np.full(n, np.nan)
    size_cv = np.full(n, np.nan)
    cut = np.full(n, np.nan)
    if len(known) == 0:
        return last, interval, longest, size, calendar, gap_sd, size_cv, cut
    seen = np.searchsorted(known, np.arange(n), side="right")
    last = np.where(seen > 0, days[np.clip(seen - 1, 0, None)], np.nan)
    # the pattern changes when an arrival becomes known; old ones leave it weekly
    grid = np.union1d(known, np.arange(0, n, REFRESH_DAYS))
    if only is not None:  # newest grid day first: the day's value is the last one computed
        grid = grid[grid <= only][::-1]
    for t in grid:
        hi = seen[t]
        lo = np.searchsorted(days, t - PATTERN_DAYS, side="right")
        if hi - lo < MIN_ARRIVALS:
            continue
        window = days[lo:hi]
        gaps = np.diff(window)
        interval[t] = float(gaps.mean())
        longest[t] = float(gaps.max())
        recent = max(RATE_MIN_DAYS, RATE_INTERVALS * interval[t])
        first = min(np.searchsorted(days, t - recent, side="right"), hi - 3)
        rate = float(sizes[first + 1 : hi].sum()) / max(float(days[hi - 1] - days[first]), 1.0)
        size[t] = rate * interval[t]
        gap_sd[t] = float(gaps.std())
        recent_sizes = sizes[first + 1 : hi]
        size_cv[t] = (
            float(recent_sizes.std() / recent_sizes.mean()) if recent_sizes.mean() > 0 else 0.0
        )
        cut[t] = float(not seasonal[known[hi - 1]] and _is_cut(in_days[lo:hi], after[lo:hi]))
        if cut[t]:  # a cut: the smaller arrivals are what comes next
            size[t] = float(sizes[hi - 1])
        counts = np.bincount(weekdays[window], minlength=7)
        if counts.max() >= CALENDAR_SHARE * len(window) and interval[t] >= 6:
            calendar[t] = int(counts.argmax())
        if only is not None:
            break
    on_grid = np.isin(np.arange(n), grid)
    filled = [
        pd.Series(np.where(on_grid, a, np.nan)).ffill().to_numpy()
        for a in (interval, longest, size, calendar.astype(float), gap_sd, size_cv, cut)
    ]
    interval, longest, size, calendar, gap_sd, size_cv, cut = filled
    calendar = np.nan_to_num(calendar, nan=-1.0)
    return last, interval, longest, size, calendar, gap_sd, size_cv, np.nan_to_num(cut)


def _is_cut(in_days: np.ndarray, after: np.ndarray) -> bool:
    """Whether the latest arrival is a cut: clearly smaller than the usual ones in days of
    demand, and the stock it left clearly below the usual level after an arrival (by at least
    half of what is missing). Less per load for the same demand (a quota or supply cut), or
    demand the allocation does not follow, is a cut; allocations that follow demand, or a
    smaller load that tops the depot up to its usual level (it was fuller), are not.

    Usual = the median of the earlier arrivals in the pattern window; clearly smaller = more
    than ``CUT_MIN_SHORTFALL`` below it and more than ``CUT_SIZE_SPREADS`` spreads (the
    coefficient of variation of the usual arrivals, ``usual_spread``) below it.
    """
    valid = np.isfinite(in_days) & np.isfinite(after)
    earlier, levels = in_days[:-1][valid[:-1]], after[:-1][valid[:-1]]
    if len(earlier) < MIN_ARRIVALS - 1 or not valid[-1]:
        return False
    usual = float(np.median(earlier))
    cv = usual_spread(earlier)
    shortfall = max(CUT_MIN_SHORTFALL, CUT_SIZE_SPREADS * cv)
    missing = usual - float(in_days[-1])
    lower = float(np.median(levels)) - float(after[-1])
    return usual > 0 and missing > usual * shortfall and lower >= missing / 2


def usual_spread(loads: np.ndarray) -> float:
    """Coefficient of variation of the usual loads: without the gross outliers, loads beyond
    Tukey's far-out fences (more than ``CUT_OUTLIER_IQRS`` interquartile ranges outside the
    quartiles) that are also over ``CUT_OUTLIER_RATIO`` times the median or under its
    ``1 / CUT_OUTLIER_RATIO`` (a stock report keyed wrong read as a huge load, a one-off extra
    allocation, an earlier cut). One such load would otherwise widen the spread so much that no
    cut could be read; loads that merely vary widely are all kept. All loads when fewer than
    ``MIN_ARRIVALS - 1`` would be left.
    """
    q1, median, q3 = np.percentile(loads, [25, 50, 75])
    fence = CUT_OUTLIER_IQRS * (q3 - q1)
    high = (loads > q3 + fence) & (loads > CUT_OUTLIER_RATIO * median)
    low = (loads < q1 - fence) & (CUT_OUTLIER_RATIO * loads < median)
    usual = loads[~(high | low)]
    if len(usual) < MIN_ARRIVALS - 1:
        usual = loads
    return float(usual.std() / usual.mean()) if usual.mean() > 0 else 0.0


def delivery_pattern(
    stock: pd.DataFrame,
    distribution: pd.DataFrame,
    delivery: pd.DataFrame,
    only: pd.Timestamp | None = None,
) -> dict[str, pd.DataFrame]:
    """The learnt pattern per date × pair (see the module docstring); with ``only`` exact on
    that date alone (the rest of the learnt columns left unknown)."""
    position = None if only is None else int(stock.index.get_loc(only))
    arrived, lag = arrivals(stock, distribution, delivery)
    weekdays = stock.index.day_of_week.to_numpy()
    demand = reported_mean(distribution).shift(1).to_numpy(float)  # before the arrival day
    stock_values = stock.to_numpy(float)
    features = daily_features(stock.index)
    seasonal = (features["lebaran"] + features["post_lebaran"]).to_numpy() > 0
    names = ("last_arrival", "interval", "longest_gap", "size", "calendar", "gap_sd", "size_cv",
             "cut")  # fmt: skip
    out = {name: np.full(stock.shape, np.nan) for name in names}
    for j in range(stock.shape[1]):
        found = _pattern_column(
            arrived.iloc[:, j].to_numpy(float),
            lag.iloc[:, j].to_numpy(float),
            weekdays,
            demand[:, j],
            stock_values[:, j],
            seasonal,
            position,
        )
        for name, column in zip(names, found, strict=True):
            out[name][:, j] = column
    frame = lambda a: pd.DataFrame(a, index=stock.index, columns=stock.columns)  # noqa: E731
    return {f"delivery_{name}": frame(values) for name, values in out.items()} | {
        "arrived": arrived
    }


def reported_mean(frame: pd.DataFrame, reports: int = DEMAND_REPORTS) -> pd.DataFrame:
    """Mean of each column's last ``reports`` reported values, carried to the days after."""
    return frame.apply(
        lambda column: column.dropna().rolling(reports, min_periods=1).mean().reindex(frame.index)
    ).ffill()


def report_state(stock: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Age of the last stock report (days) and the share of recent days reported."""
    reported = stock.notna()
    last = _ffill_index(reported.to_numpy())
    rows = np.arange(len(stock))[:, None]
    age = np.where(last >= 0, rows - last, np.nan)
    share = reported.astype(float).rolling(DENSITY_DAYS, min_periods=1).mean()
    frame = lambda a: pd.DataFrame(a, index=stock.index, columns=stock.columns)  # noqa: E731
    sparse = (share < MIN_REPORT_SHARE) | (frame(age) > STALE_DAYS) | frame(np.isnan(age))
    return {"stock_age": frame(age), "report_share": share, "too_sparse": sparse}


def _common(missed: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """True where at least half of the commodity's regencies with a pattern missed one that day.

    Refills pause together after Lebaran and the New Year (stock above target): not local.
    """
    out = pd.DataFrame(False, index=missed.index, columns=missed.columns)
    commodities = missed.columns.get_level_values(-1)
    for commodity in commodities.unique():
        columns = missed.columns[commodities == commodity]
        n_known = known[columns].sum(axis=1)
        share = missed[columns].sum(axis=1) / n_known.where(n_known >= MIN_REGIONS_COMMON)
        out[columns] = np.repeat((share >= COMMON_SHARE).to_numpy()[:, None], len(columns), 1)
    return out


def expected_schedule(
    pattern: dict[str, pd.DataFrame], age: pd.DataFrame, report_spacing: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Days from the last report to the next expected arrival, and whether one was missed."""
    index = np.arange(len(age))[:, None]
    report_day = index - age.to_numpy()
    last = pattern["delivery_last_arrival"].to_numpy()
    interval = pattern["delivery_interval"].to_numpy()
    longest = pattern["delivery_longest_gap"].to_numpy()
    calendar = pattern["delivery_calendar"].to_numpy()
    since = report_day - last
    slack = np.nan_to_num(report_spacing.to_numpy(), nan=1.0) - 1.0  # 0 when reported daily
    with np.errstate(invalid="ignore"):
        # a quota delivery comes on its weekday: missed once it is QUOTA_GRACE_DAYS late
        on_calendar = np.where(calendar >= 0, interval + QUOTA_GRACE_DAYS, np.inf)
        missed = since > np.minimum(longest, on_calendar) + slack
        due = np.maximum(last + interval, report_day + 1)
        due = np.minimum(due, np.maximum(last + longest, report_day + 1))
    weekdays = age.index.day_of_week.to_numpy()[:, None]
    # quota calendar: the first calendar weekday on or after the due day
    base_weekday = (weekdays - index) % 7  # weekday of day 0
    with np.errstate(invalid="ignore"):
        due_weekday = (base_weekday + np.nan_to_num(due)) % 7
        shift = np.where(calendar >= 0, (calendar - due_weekday) % 7, 0)
        shift = np.where(shift > 3, shift - 7, shift)  # nearest calendar day
    due = np.maximum(due + shift, report_day + 1)
    due = np.where(missed, report_day + since, due)  # a missed delivery: the wait so far again
    frame = lambda a: pd.DataFrame(a, index=age.index, columns=age.columns)  # noqa: E731
    missed = frame(missed) & ~_common(frame(missed), frame(np.isfinite(longest)))
    return {
        "delivery_due_in": frame(due - report_day),
        "delivery_missed": missed,
        "delivery_overdue_days": frame(np.where(missed.to_numpy(), since, np.nan)),
    }


def lowest_projection(
    stock: np.ndarray,
    age: np.ndarray,
    demand: np.ndarray,
    due_in: np.ndarray,
    interval: np.ndarray,
    size: np.ndarray,
    fallback_rate: np.ndarray,
    horizon: int = HORIZON_DAYS,
    cut: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Lowest projected stock within ``horizon`` days after today, and days until it is 0.

    Arrays are (dates × pairs). Projection from the last report (``age`` days ago): demand
    per day, the expected arrivals (``size`` every ``interval`` days from ``due_in``), read
    up to the bottom of the cycle after the next arrival (at least ``MIN_REACH_DAYS``); where
    the arrivals were ``cut`` (smaller than usual, which lasts) over the whole horizon; without
    a learnt pattern a continuous ``fallback_rate`` of deliveries over the whole horizon.
    """
    age = np.nan_to_num(age)
    k = np.arange(1, horizon + 1)[None, None, :]
    steps = age[..., None] + k
    with np.errstate(invalid="ignore"):
        has_pattern = np.isfinite(interval) & np.isfinite(size) & np.isfinite(due_in)
        n_arrivals = np.where(
            steps >= due_in[..., None],
            np.floor((steps - due_in[..., None]) / np.maximum(interval, 1)[..., None]) + 1,
            0,
        )
        delivered = np.where(
            has_pattern[..., None],
            n_arrivals * np.nan_to_num(size)[..., None],
            steps * np.nan_to_num(fallback_rate)[..., None],
        )
        path = stock[..., None] - steps * demand[..., None] + delivered
        # with a learnt pattern, read up to the bottom of the cycle after the next arrival:
        # further out it is mostly the noise of the demand and rate estimates (at least a week)
        reach = np.clip(due_in - age + interval, MIN_REACH_DAYS, horizon)
        reach = np.where(has_pattern, reach, horizon)
        if cut is not None:
            reach = np.where(cut > 0, horizon, reach)
        path = np.where(k <= reach[..., None], path, np.inf)
    lowest = np.min(path, axis=-1)
    empty = path <= 0
    first = np.where(empty.any(axis=-1), empty.argmax(axis=-1) + 1, np.nan)
    return lowest, first
