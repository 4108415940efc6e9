"""Historical replay: the alerts as they would have been raised on past dates.

For each replay date ``d`` (every ``step`` days) only data dated on or before ``d`` is used.
To keep a multi-year replay cheap, the flows are projected with a simple, stated method
instead of the fitted models: daily distribution = mean of the last 7 days (reacts to demand
surges), daily delivery = mean of the last 28 days (deliveries arrive in lumps); projected
stock = last stock + cumulative (delivery − distribution). The status rules, price signals
(week-on-week, month-on-month) and alert rules are the live ones. Everything is written in
one transaction as origin ``replay``; the live alert list is untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecasting import alerting, resupply
from forecasting.batch import new_run_id
from forecasting.data import NoDataError, Reference, load_reference, load_values, wide_daily
from forecasting.signals import (
    CHANGE_HIGH_PCT,
    CHANGE_SEVERE_PCT,
    PRICE_TREND_DAYS,
    PRICE_TREND_WINDOW,
)
from forecasting.status import (
    COVER_WINDOW_DAYS,
    LEVEL_KEYS,
    PRICE_WINDOW_DAYS,
    PROJECTION_WINDOW_DAYS,
    StatusInputs,
    Thresholds,
    reasons_for,
)
from warehouse.db import write_transaction

PathLike = str | os.PathLike[str] | None
DISTRIBUTION_WINDOW = 7
DELIVERY_WINDOW = 28
HORIZON_DAYS = 30
METHOD = (
    f"replay: distribution = mean of last {DISTRIBUTION_WINDOW} days, delivery = mean of last "
    f"{DELIVERY_WINDOW} days, {HORIZON_DAYS}-day stock projection; live status and alert rules"
)


def replay_dates(first: dt.date, last: dt.date, step: int) -> list[dt.date]:
    """``first``, ``first + step``, ... up to ``last``."""
    if step < 1:
        raise ValueError("--replay-step must be at least 1 day")
    days = (last - first).days
    return [first + dt.timedelta(days=k) for k in range(0, days + 1, step)]


def _reference_wide(
    reference: Reference, pairs: pd.MultiIndex, dates: pd.DatetimeIndex
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reference value and kind in force on every date for every pair (regency beats province)."""
    value = pd.DataFrame(np.nan, index=dates, columns=pairs)
    kind = pd.DataFrame("", index=dates, columns=pairs)
    refs = reference.references.copy()
    refs["valid_from"] = pd.to_datetime(refs["valid_from"])
    refs["valid_to"] = pd.to_datetime(refs["valid_to"])
    refs["scope_rank"] = (refs["scope"] == "regency").astype(int)
    for row in refs.sort_values(["scope_rank", "valid_from"]).itertuples(index=False):
        end = row.valid_to if not pd.isna(row.valid_to) else dates[-1]
        mask = (dates >= row.valid_from) & (dates <= end)
        for pair in pairs:
            region, commodity = pair
            if commodity != row.commodity:
                continue
            if row.scope == "regency" and str(row.region_code) != region:
                continue
            value.loc[mask, pair] = float(row.value)
            kind.loc[mask, pair] = str(row.kind)
    return value, kind


def _levels(values: np.ndarray, limits: np.ndarray, above: bool) -> np.ndarray:
    """Vectorised price_level / cover_level: count of limits exceeded (NaN -> 0)."""
    out = np.zeros(values.shape, dtype=int)
    for k in range(3):
        with np.errstate(invalid="ignore"):
            hit = values > limits[k] if above else values < limits[k]
        out += np.nan_to_num(hit, nan=0).astype(int)
    return out


def price_trend_pct(price: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Projected price in ``PRICE_TREND_DAYS`` days against the reference (or normal) price, %.

    Projection: mean of the last 3 days + days × the rise per day from the mean of the 3 days
    before (rises only; a short window so an accelerating rise shows within days). Without a
    reference price the normal price is the median of the reported prices 14–41 days earlier.
    """
    span = PRICE_TREND_WINDOW
    recent = price.rolling(span, min_periods=1).mean()
    slope = ((recent - recent.shift(span)) / span).clip(lower=0).fillna(0.0)  # as live
    projected = recent + PRICE_TREND_DAYS * slope
    normal = price.rolling(28, min_periods=7).median().shift(14)
    base = reference.where(reference.notna(), normal)
    return 100 * (projected - base) / base


def daily_panel(values: pd.DataFrame, reference: Reference) -> dict[str, pd.DataFrame]:
    """Every status number for every date × pair, each date using data up to that date only.

    Rolling windows are trailing, so the value on date d never looks past d.
    """
    dates = pd.date_range(values["date"].min(), values["date"].max(), freq="D")
    wide = {m: wide_daily(values, m, dates) for m in ("stock", "price", "distribution", "delivery")}
    pairs = wide["stock"].columns
    for frame_ in wide.values():  # every pair any metric has: price-only pairs too
        pairs = pairs.union(frame_.columns, sort=True)
    stock = wide["stock"].reindex(columns=pairs)
    price = wide["price"].reindex(columns=pairs)
    dist = wide["distribution"].reindex(columns=pairs)
    deliv = wide["delivery"].reindex(columns=pairs)
    price7 = price.rolling(PRICE_WINDOW_DAYS, min_periods=1).mean()
    price30 = price.rolling(30, min_periods=1).mean()
    avg_dist = dist.rolling(COVER_WINDOW_DAYS, min_periods=1).mean()
    dist_recent = dist.rolling(DISTRIBUTION_WINDOW, min_periods=1).mean()
    deliv_recent = deliv.fillna(0.0).rolling(DELIVERY_WINDOW, min_periods=1).mean()
    last_stock = stock.ffill()
    ref_value, ref_kind = _reference_wide(reference, pairs, dates)
    net = (deliv_recent - dist_recent).to_numpy()
    s = last_stock.to_numpy()
    lowest = np.where(net < 0, s + PROJECTION_WINDOW_DAYS * net, s + net)
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(avg_dist.to_numpy() > 0, s / avg_dist.to_numpy(), np.nan)
        projected_cover = np.where(
            avg_dist.to_numpy() > 0, np.clip(lowest, 0, None) / avg_dist.to_numpy(), np.nan
        )
        stockout_days = np.where(net < 0, np.ceil(s / -net), np.nan)
        disparity = 100 * (price7.to_numpy() - ref_value.to_numpy()) / ref_value.to_numpy()
        wow = 100 * (price7.to_numpy() / price7.shift(7).to_numpy() - 1)
        mom = 100 * (price30.to_numpy() / price30.shift(30).to_numpy() - 1)
    stockout_days = np.where(stockout_days <= HORIZON_DAYS, stockout_days, np.nan)
    trend = price_trend_pct(price, ref_value)
    frame = lambda a: pd.DataFrame(a, index=dates, columns=pairs)  # noqa: E731
    supply = resupply.resupply_panel(stock, dist, deliv)
    return {
        **supply,
        "price": price7, "reference_price": ref_value, "reference_kind": ref_kind,
        "disparity_pct": frame(disparity), "stock": last_stock, "avg_distribution": avg_dist,
        "days_cover": frame(cover), "projected_cover": frame(projected_cover),
        "stockout_days": frame(stockout_days), "wow_change": frame(wow),
        "mom_change": frame(mom), "price_trend": trend,
    }  # fmt: skip


def panel_levels(
    panel: dict[str, pd.DataFrame], thresholds: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Rule levels per date × pair from the panel and the commodity thresholds."""
    pairs = panel["stock"].columns
    thr = thresholds.set_index("commodity")
    commodities = [c for _, c in pairs]
    price_limits = np.array([[thr.loc[c, f"{k}_price_pct"] if c in thr.index else np.inf
                              for c in commodities] for k in LEVEL_KEYS])  # fmt: skip
    cover_limits = np.array([[thr.loc[c, f"{k}_cover_days"] if c in thr.index else -np.inf
                              for c in commodities] for k in LEVEL_KEYS])  # fmt: skip
    index = panel["stock"].index
    frame = lambda a: pd.DataFrame(a, index=index, columns=pairs)  # noqa: E731
    change = lambda v: np.where(v > CHANGE_SEVERE_PCT, 2, np.where(v >= CHANGE_HIGH_PCT, 1, 0))  # noqa: E731
    return {
        "price_vs_reference": frame(_levels(panel["disparity_pct"].to_numpy(), price_limits, True)),
        "days_of_cover": frame(_levels(panel["days_cover"].to_numpy(), cover_limits, False)),
        "projected_cover": frame(_levels(panel["projected_cover"].to_numpy(), cover_limits, False)),
        "resupply_trend": resupply.resupply_levels(panel, cover_limits),
        "wow_change": frame(change(np.nan_to_num(panel["wow_change"].to_numpy(), nan=0.0))),
        "mom_change": frame(change(np.nan_to_num(panel["mom_change"].to_numpy(), nan=0.0))),
        "price_trend": frame(_levels(panel["price_trend"].to_numpy(), price_limits, True)),
    }


def statuses_on(
    panel: dict[str, pd.DataFrame], levels: dict[str, pd.DataFrame], as_of: dt.date,
    reference: Reference, min_level: int = 0,
) -> pd.DataFrame:  # fmt: skip
    """Status rows (level, rule, per-kind levels, reasons) for one replay date.

    With ``min_level`` only pairs whose highest rule level reaches it are returned.
    """
    day = pd.Timestamp(as_of)
    if day not in panel["stock"].index:
        return pd.DataFrame()
    thr = reference.thresholds.set_index("commodity")
    units = reference.commodities.set_index("code")
    highest = np.max([levels[rule].loc[day].to_numpy() for rule in levels], axis=0)
    rows = []
    for pair, top in zip(panel["stock"].columns, highest, strict=True):
        if top < min_level:
            continue
        region, commodity = pair
        if commodity not in thr.index:
            continue
        rule_levels = {rule: int(levels[rule].at[day, pair]) for rule in levels}
        level = max(rule_levels.values())
        rule = next(r for r, v in rule_levels.items() if v == level) if level else "none"
        numbers = {key: panel[key].at[day, pair] for key in panel}
        days = numbers.pop("stockout_days")
        numbers["stockout_date"] = None if pd.isna(days) else as_of + dt.timedelta(days=int(days))
        row = {
            "as_of": as_of, "region_code": region, "commodity": commodity, "level": level,
            "rule": rule,
            "cover_level": max(
                rule_levels["days_of_cover"], rule_levels["projected_cover"],
                rule_levels["resupply_trend"],
            ),
            "price_level": rule_levels["price_vs_reference"],
            "anomaly_level": max(
                rule_levels["wow_change"], rule_levels["mom_change"], rule_levels["price_trend"]
            ),
            "reason_id": "", "reason_en": "",
        }  # fmt: skip
        if level >= alerting.ALERT_MIN_LEVEL:
            inputs = StatusInputs(
                region, commodity, as_of, *(pd.Series(dtype=float),) * 3,
                Thresholds.from_row(thr.loc[commodity]), None,
                str(units.loc[commodity, "price_unit"]) if commodity in units.index else "",
                str(units.loc[commodity, "stock_unit"]) if commodity in units.index else "",
            )  # fmt: skip
            if rule in ("price_vs_reference", "days_of_cover", "projected_cover"):
                text_rule = rule
            else:
                stock = rule in alerting.STOCK_RULES
                text_rule = "days_of_cover" if stock else "price_vs_reference"
            row["reason_id"], row["reason_en"] = reasons_for(inputs, text_rule, level, numbers)
            if rule in ("wow_change", "mom_change", "price_trend"):
                value = numbers[rule]
                words_id = {
                    "wow_change": "Harga naik minggu ke minggu",
                    "mom_change": "Harga naik bulan ke bulan",
                    "price_trend": f"Tren harga: proyeksi {PRICE_TREND_DAYS} hari ke depan",
                }
                words_en = {
                    "wow_change": "Price up week on week",
                    "mom_change": "Price up month on month",
                    "price_trend": f"Price trend: projected {PRICE_TREND_DAYS} days ahead",
                }
                row["reason_id"] = f"{words_id[rule]} {value:+.1f}%; {row['reason_id']}".replace(
                    ".", ",", 1
                )
                row["reason_en"] = f"{words_en[rule]} {value:+.1f}%; {row['reason_en']}"
            elif rule == "resupply_trend":
                limit = Thresholds.from_row(thr.loc[commodity]).cover_days[level - 1]
                words_id, words_en = resupply.explain(numbers, level, limit)
                row["reason_id"] = f"{words_id}; {row['reason_id']}"
                row["reason_en"] = f"{words_en}; {row['reason_en']}"
        rows.append(row)
    return pd.DataFrame(rows)


def run_replay(
    path: PathLike,
    date_from: dt.date,
    date_to: dt.date | None = None,
    step: int = 1,
    regions: Sequence[str] | None = None,
    commodities: Sequence[str] | None = None,
) -> dict:
    """Replay the alert system over past dates and store the replay's alerts."""
    started = time.monotonic()
    values = load_values(path, regions, commodities)
    if values.empty:
        raise NoDataError()
    reference = load_reference(path)
    last = values["date"].max().date()
    date_to = min(date_to or last, last)
    if date_from > date_to:
        raise ValueError(f"--replay-from {date_from} is after the last data date {date_to}")
    replay_id = new_run_id("replay")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    state = alerting.empty_state()
    alerts, events = [], []
    dates = replay_dates(date_from, date_to, step)
    panel = daily_panel(values, reference)
    levels = panel_levels(panel, reference.thresholds)
    for as_of in dates:
        statuses = statuses_on(panel, levels, as_of, reference, alerting.ALERT_MIN_LEVEL)
        if statuses.empty:
            continue
        fired = alerting.firings(statuses)
        writes, state = alerting.dedup(fired, state, "replay", replay_id, now)
        writes.events["run_id"] = f"{replay_id}@{as_of.isoformat()}"
        alerts.append(writes.alerts)
        events.append(writes.events)
    all_alerts = _concat(alerts, alerting.ALERT_COLUMNS)
    all_events = _concat(events, alerting.EVENT_COLUMNS)
    with write_transaction(path) as con:
        con.execute(
            "INSERT INTO replays (replay_id, created_at, date_from, date_to, step_days, n_dates,"
            " method) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [replay_id, now, date_from, date_to, step, len(dates), METHOD],
        )
        alerting.insert_writes(con, alerting.AlertWrites(all_alerts, all_events))
    return {
        "replay_id": replay_id,
        "status": "success",
        "dates": len(dates),
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "alerts": len(all_alerts),
        "firings": len(all_events),
        "seconds": round(time.monotonic() - started, 2),
    }


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return (
        pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    )
