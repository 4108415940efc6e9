"""Real price episodes (sustained rises) and when the replayed price warnings fired around them.

The rule that finds an episode, written so anyone can reproduce it on the same file:

1. the daily price series, on calendar days, each day carrying the last reported price
   (PIHPS reports on working days only);
2. ``s`` = its trailing 7-day mean;
3. a **rising run** is a stretch of days on which ``s`` is at least 3 % above its value 28 days
   earlier; runs less than 14 days apart are one run;
4. an **episode** goes from the **trough** (lowest ``s`` in the 28 days before the run begins)
   to the **peak** (highest ``s`` within the run) and must rise at least 5 %;
5. the **bulk of the rise** begins on the first day ``s`` has covered half of the rise
   (``mid``).

A warning belongs to an episode when a price alert of that series fired within
``[trough − 14 days, peak]``; its lead is counted to the trough and to ``mid`` (positive =
before). Price alerts (episodes of firings, one per alert) with no firing day within
``[trough − 14 days, peak + 14 days]`` of any episode of their series are warnings outside
the episodes, counted per series × year of replay.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from forecasting.data import load_values
from forecasting.score import replay_firings, replay_period

PathLike = str | os.PathLike[str] | None
RISE_WINDOW = 28
RUN_RISE = 0.03
MERGE_DAYS = 14
MIN_RISE = 0.05
MARGIN_DAYS = 14
SMOOTH_DAYS = 7


def smoothed(prices: pd.Series) -> pd.Series:
    """Trailing 7-day mean of the calendar-day price (last reported price carried)."""
    daily = prices.sort_index().asfreq("D").ffill()
    return daily.rolling(SMOOTH_DAYS, min_periods=1).mean()


def rising_runs(s: pd.Series) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Runs of days whose 28-day rise is at least ``RUN_RISE``; runs < 14 days apart merge."""
    rise = s / s.shift(RISE_WINDOW) - 1
    days = rise.index[rise.to_numpy() >= RUN_RISE]
    runs: list[list[pd.Timestamp]] = []
    for day in days:
        if runs and (day - runs[-1][1]).days <= MERGE_DAYS:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


def find_episodes(prices: pd.Series) -> pd.DataFrame:
    """Sustained rises of one daily price series: trough, mid, peak, rise %."""
    s = smoothed(prices)
    rows = []
    for first, last in rising_runs(s):
        before = s[first - pd.Timedelta(days=RISE_WINDOW) : first]
        a = before.idxmin()
        b = s[first:last].idxmax()
        rise = s[b] / s[a] - 1
        if rise < MIN_RISE:
            continue
        half = s[a] + (s[b] - s[a]) / 2
        mid = s[a:b][s[a:b] >= half].index[0]
        rows.append({"trough": a, "mid": mid, "peak": b, "rise_pct": round(100 * rise, 1),
                     "trough_price": round(float(s[a])), "peak_price": round(float(s[b]))})  # fmt: skip
    return pd.DataFrame(rows, columns=["trough", "mid", "peak", "rise_pct", "trough_price",
                                       "peak_price"])  # fmt: skip


def episode_warnings(episodes: pd.DataFrame, firings: pd.DataFrame) -> pd.DataFrame:
    """Each episode with its first price warning and the leads to trough and mid."""
    out = episodes.reset_index(drop=True)
    for column in ("trough", "mid", "peak"):
        out[column] = pd.to_datetime(out[column])
    firsts = []
    for row in out.itertuples(index=False):
        days = firings["as_of"]
        hit = days[(days >= row.trough - pd.Timedelta(days=MARGIN_DAYS)) & (days <= row.peak)]
        firsts.append(hit.min() if not hit.empty else pd.NaT)
    out["first_warning"] = pd.to_datetime(
        pd.Series(firsts, index=out.index, dtype="datetime64[ns]")
    )
    out["lead_to_trough"] = (out["trough"] - out["first_warning"]).dt.days
    out["lead_to_mid"] = (out["mid"] - out["first_warning"]).dt.days
    return out


def outside_alerts(episodes: pd.DataFrame, firings: pd.DataFrame) -> int:
    """Alerts (episodes of firings) with no firing day near any episode of the series."""
    if firings.empty:
        return 0
    near = np.zeros(len(firings), dtype=bool)
    margin = pd.Timedelta(days=MARGIN_DAYS)
    for row in episodes.itertuples(index=False):
        near |= firings["as_of"].between(row.trough - margin, row.peak + margin).to_numpy()
    touched = set(firings.loc[near, "alert_id"])
    return len(set(firings["alert_id"]) - touched)


def price_episode_table(path: PathLike = None, replay_id: str | None = None) -> dict:
    """Episodes of every price series in the warehouse and the replay's price warnings."""
    replay_id, period = replay_period(path, replay_id)
    values = load_values(path)
    prices = values[values["metric"] == "price"]
    firings = replay_firings(path, replay_id)
    firings = firings[firings["kind"] == "price"]
    start, end = pd.Timestamp(period[0]), pd.Timestamp(period[1])
    years = ((period[1] - period[0]).days + 1) / 365.25
    rows, series_rows = [], []
    for (region, commodity), group in prices.groupby(["region_code", "commodity"]):
        series = group.set_index("date")["value"].astype(float)
        episodes = find_episodes(series)
        episodes = episodes[(episodes["trough"] >= start) & (episodes["trough"] <= end)]
        own = firings[(firings["region_code"] == region) & (firings["commodity"] == commodity)]
        table = episode_warnings(episodes, own)
        outside = outside_alerts(episodes, own)
        series_rows.append({"region_code": region, "commodity": commodity,
                            "episodes": len(table), "alerts": int(own["alert_id"].nunique()),
                            "alerts_outside": outside,
                            "outside_per_year": round(outside / years, 2)})  # fmt: skip
        for row in table.itertuples(index=False):
            rows.append(
                {
                    "region_code": region, "commodity": commodity,
                    "trough": row.trough.date().isoformat(), "mid": row.mid.date().isoformat(),
                    "peak": row.peak.date().isoformat(), "rise_pct": row.rise_pct,
                    "trough_price": row.trough_price, "peak_price": row.peak_price,
                    "first_warning": None if pd.isna(row.first_warning)
                    else row.first_warning.date().isoformat(),
                    "lead_to_trough": None if pd.isna(row.lead_to_trough) else int(row.lead_to_trough),
                    "lead_to_mid": None if pd.isna(row.lead_to_mid) else int(row.lead_to_mid),
                }
            )  # fmt: skip
    warned = [r for r in rows if r["first_warning"] is not None]
    before_mid = [r for r in warned if r["lead_to_mid"] > 0]
    return {
        "replay_id": replay_id,
        "date_from": period[0].isoformat(),
        "date_to": period[1].isoformat(),
        "rule": {
            "smooth_days": SMOOTH_DAYS,
            "rise_window_days": RISE_WINDOW,
            "run_rise_pct": 100 * RUN_RISE,
            "merge_days": MERGE_DAYS,
            "min_rise_pct": 100 * MIN_RISE,
            "margin_days": MARGIN_DAYS,
        },  # fmt: skip
        "episodes": len(rows),
        "warned": len(warned),
        "warned_before_bulk": len(before_mid),
        "median_lead_to_mid": float(np.median([r["lead_to_mid"] for r in warned]))
        if warned
        else None,
        "alerts_outside": sum(s["alerts_outside"] for s in series_rows),
        "series": series_rows,
        "table": rows,
    }
