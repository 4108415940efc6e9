"""The early-warning engine: every status number and rule level for every date × pair.

One code path for the live run and the historical replay. ``daily_panel`` computes, for each
date, the status numbers from data dated (and known) on or before that date only — trailing
windows, never a look past the date; ``panel_levels`` turns them into rule levels;
``statuses_on`` reads one date's status rows. The live run calls the same functions on the
warehouse as it is and takes the last date; the replay takes every replay date.

Stock is read the way depots work (``forecasting.deliveries``): unreported days are unknown,
the projection carries the next expected deliveries, a missed delivery is a warning, and a
pair whose reports are too sparse is not judged on stock. Price rules: 7-day mean against the
reference in force, price trend, week-on-week and month-on-month rises, WFP ALPS and FAO IPA
on the monthly means known on each date. The stock-out probability comes from simulated
paths of demand and deliveries (``forecasting.stockout``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from forecasting import alerting, deliveries, resupply, signals, stockout, text
from forecasting.data import Reference, wide_daily
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
from warehouse.reference_rule import ReferenceBook

NUMBER_COLUMNS = (
    "price", "reference_price", "disparity_pct", "stock", "avg_distribution", "days_cover",
    "stockout_date", "projected_cover", "stock_age", "report_share", "too_sparse",
)  # fmt: skip
RUN_GRACE_DAYS = 1
ANOMALY_RULES = ("wow_change", "mom_change", "price_trend", "alps", "ipa")
DISTRIBUTION_WINDOW = 7  # demand spread, and the fallback flows without a learnt pattern
DELIVERY_WINDOW = 28
HORIZON_DAYS = PROJECTION_WINDOW_DAYS
METHOD = (
    "engine: live status code on what each date's run knew; stock projected from the last "
    f"report with the demand of the last {deliveries.DEMAND_REPORTS} reports and the expected "
    "deliveries of each pair's learnt pattern"
)


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


def daily_panel(
    values: pd.DataFrame,
    reference: Reference,
    end: dt.date | None = None,
    only: dt.date | None = None,
    start: pd.Timestamp | None = None,
) -> dict[str, pd.DataFrame]:
    """Every status number for every date × pair, each date using data up to that date only.

    Rolling windows are trailing, so the value on date d never looks past d. With ``only``
    the costly per-date learning (delivery pattern, ALPS/IPA) runs for that date alone: the
    live run reads one date, and its numbers there are those of the full panel. ``start``
    (default: the first date in ``values``) anchors the weekly pattern refresh.
    """
    last = max(values["date"].max(), pd.Timestamp(end or values["date"].max()))
    dates = pd.date_range(values["date"].min() if start is None else start, last, freq="D")
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
    avg_dist = dist.rolling(COVER_WINDOW_DAYS, min_periods=1).mean().ffill()
    dist_recent = dist.rolling(DISTRIBUTION_WINDOW, min_periods=1).mean().ffill()
    deliv_recent = deliv.rolling(DELIVERY_WINDOW, min_periods=1).mean().ffill()
    last_stock = stock.ffill()
    ref_value, ref_kind = ReferenceBook(reference.references).wide(pairs, dates)
    reports = deliveries.report_state(stock)
    day = None if only is None else pd.Timestamp(only)
    pattern = deliveries.delivery_pattern(stock, dist, deliv, day)
    spacing = 1.0 / reports["report_share"].where(reports["report_share"] > 0)
    schedule = deliveries.expected_schedule(pattern, reports["stock_age"], spacing)
    s = last_stock.to_numpy()
    demand = deliveries.reported_mean(dist)
    lowest, first_empty = deliveries.lowest_projection(
        s, reports["stock_age"].to_numpy(), demand.to_numpy(),
        schedule["delivery_due_in"].to_numpy(), pattern["delivery_interval"].to_numpy(),
        pattern["delivery_size"].to_numpy(), deliv_recent.to_numpy(), PROJECTION_WINDOW_DAYS,
        pattern["delivery_cut"].to_numpy(),
    )  # fmt: skip
    sparse = reports["too_sparse"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where((avg_dist.to_numpy() > 0) & ~sparse, s / avg_dist.to_numpy(), np.nan)
        projected_cover = np.where(
            (avg_dist.to_numpy() > 0) & ~sparse,
            np.clip(lowest, 0, None) / avg_dist.to_numpy(), np.nan,
        )  # fmt: skip
        stockout_days = np.where(sparse, np.nan, first_empty)
        disparity = 100 * (price7.to_numpy() - ref_value.to_numpy()) / ref_value.to_numpy()
        wow = 100 * (price7.to_numpy() / price7.shift(7).to_numpy() - 1)
        mom = 100 * (price30.to_numpy() / price30.shift(30).to_numpy() - 1)
    stockout_days = np.where(stockout_days <= HORIZON_DAYS, stockout_days, np.nan)
    trend = price_trend_pct(price, ref_value)
    frame = lambda a: pd.DataFrame(a, index=dates, columns=pairs)  # noqa: E731
    ratio = np.log(dist.where(dist > 0) / dist_recent.shift(1).where(dist_recent.shift(1) > 0))
    demand_sd = ratio.rolling(28, min_periods=5).std().ffill()
    alps, ipa = monthly_indicators(price, day)
    supply = resupply.resupply_panel(stock, dist, pattern["arrived"])
    supply["resupply_active"] = supply["resupply_active"] & ~reports["too_sparse"]
    return {
        **supply, **reports, **schedule,
        **{k: pattern[f"delivery_{k}"] for k in ("interval", "calendar", "size", "gap_sd",
                                                 "size_cv")},
        "delivery_cut": pattern["delivery_cut"] > 0,
        "demand": demand, "demand_sd": demand_sd, "delivery_rate": deliv_recent,
        "alps": alps, "ipa": ipa,
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
        "projected_cover": _local(
            frame(_levels(panel["projected_cover"].to_numpy(), cover_limits, False)),
            panel["delivery_cut"] | panel["delivery_missed"].astype(bool),
        ),
        "resupply_trend": resupply.resupply_levels(panel, cover_limits),
        "wow_change": frame(change(np.nan_to_num(panel["wow_change"].to_numpy(), nan=0.0))),
        "mom_change": frame(change(np.nan_to_num(panel["mom_change"].to_numpy(), nan=0.0))),
        "price_trend": frame(_levels(panel["price_trend"].to_numpy(), price_limits, True)),
        "alps": frame(_class_levels(panel["alps"].to_numpy(), signals.alps_label)),
        "ipa": frame(_class_levels(panel["ipa"].to_numpy(), signals.ipa_label)),
    }


def _local(levels: pd.DataFrame, own_cause: pd.DataFrame) -> pd.DataFrame:
    """Projected-cover levels, held at Waspada on days when at least half of the commodity's
    regencies (three or more) are projected at Waspada or worse together, unless the pair's own
    arrivals are cut or its expected delivery was missed (a local cause): a province-wide draw-down while deliveries keep their usual size (the
    Lebaran rise before allocations catch up, a pause when freight stops) is not a local
    supply problem, and the current days of cover still fires if it becomes one; a draw-down
    with smaller arrivals everywhere is a province-wide supply shock and is warned of."""
    out = levels.copy()
    commodities = levels.columns.get_level_values(-1)
    for commodity in commodities.unique():
        columns = levels.columns[commodities == commodity]
        if len(columns) < deliveries.MIN_REGIONS_COMMON:
            continue
        block = levels[columns]
        common = (block >= 1).sum(axis=1) >= deliveries.COMMON_SHARE * len(columns)
        held = block.clip(upper=1).where(~own_cause[columns].astype(bool), block)
        out.loc[common, columns] = held.loc[common]
    return out


def _class_levels(values: np.ndarray, label) -> np.ndarray:
    """Level of each ALPS / IPA value through the signal's own classes."""
    out = np.zeros(values.shape, dtype=int)
    for index in zip(*np.nonzero(np.isfinite(values)), strict=True):
        out[index] = label(float(values[index]))[1]
    return out


def monthly_indicators(
    price: pd.DataFrame, only: pd.Timestamp | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """WFP ALPS and FAO IPA per date × pair on the monthly means known on that date.

    The month in progress counts with its days so far, as the live run computes it
    (``signals.alps_value`` / ``signals.ipa_value``, restated on arrays for speed); dates with
    fewer than 36 months of prices are NaN. With ``only`` just that date is computed.
    """
    alps = np.full(price.shape, np.nan)
    ipa = np.full(price.shape, np.nan)
    month = price.index.to_period("M")
    # the running mean is needed only in the month of ``only`` when one date is asked for
    in_month = np.ones(len(month), bool) if only is None else month == _period_of(only, month)
    monthly = price.groupby(month).mean()
    for j, column in enumerate(price.columns):
        daily = price[column]
        complete = monthly[column].dropna()
        if len(complete) < signals.ALPS_MIN_MONTHS:
            continue
        first = complete.index[signals.ALPS_MIN_MONTHS - 2]  # 35 months before, then this one
        running = np.full(len(daily), np.nan)
        if in_month.any():
            running[in_month] = (
                daily[in_month].groupby(month[in_month]).transform(lambda g: g.expanding().mean())
            ).to_numpy()
        ordinal = np.array([p.ordinal for p in complete.index])
        values = complete.to_numpy(float)
        wanted = (month > first) & np.isfinite(running)
        if only is not None:
            wanted &= price.index == only
        for i in np.flatnonzero(wanted):
            n = int(np.searchsorted(ordinal, month[i].ordinal))
            months = np.append(ordinal[:n], month[i].ordinal)
            y = np.append(values[:n], running[i])
            alps[i, j] = _alps(months, y)
            ipa[i, j] = _ipa(months, y)
    frame = lambda a: pd.DataFrame(a, index=price.index, columns=price.columns)  # noqa: E731
    return frame(alps), frame(ipa)


def _period_of(day: pd.Timestamp, month: pd.PeriodIndex) -> pd.Period:
    """The calendar month of ``day`` in the frequency of ``month``."""
    return pd.Timestamp(day).to_period(month.freq)


def _alps(months: np.ndarray, y: np.ndarray) -> float:
    """``signals.alps_value`` on month ordinals and means."""
    trend = (months - months[0]).astype(float)
    dummies = np.zeros((len(y), 12))
    dummies[np.arange(len(y)), months % 12] = 1.0
    design = np.column_stack([trend, dummies])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    dof = max(len(y) - np.linalg.matrix_rank(design), 1)
    sd = float(np.sqrt(resid @ resid / dof))
    return float(resid[-1] / sd) if sd > 0 else 0.0


def _ipa(months: np.ndarray, y: np.ndarray) -> float:
    """``signals.ipa_value`` on month ordinals and means (missing months are gaps)."""
    full = np.full(months[-1] - months[0] + 1, np.nan)
    full[months - months[0]] = y
    calendar = (np.arange(len(full)) + months[0]) % 12

    def standardised(lag: int) -> float:
        rate = np.full(len(full), np.nan)
        rate[lag:] = (full[lag:] / full[:-lag]) ** (1 / lag) - 1
        valid = np.isfinite(rate)
        if not valid.any():
            return float("nan")
        last = np.flatnonzero(valid)[-1]
        same = rate[valid & (calendar == calendar[last])]
        if len(same) < signals.IPA_MIN_SAME_MONTH:
            return float("nan")
        sd = float(np.std(same, ddof=1))
        return float((rate[last] - same.mean()) / sd) if sd > 0 else 0.0

    z_q, z_a = standardised(3), standardised(12)
    if np.isnan(z_q) or np.isnan(z_a):
        return float("nan")
    return signals.IPA_GAMMA * z_q + (1 - signals.IPA_GAMMA) * z_a


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
    pairs = panel["stock"].columns
    level_rows = {rule: _day_row(levels[rule], day, pairs) for rule in levels}
    number_rows = {key: _day_row(panel[key], day, pairs) for key in panel}
    highest = np.max([level_rows[rule] for rule in levels], axis=0)
    rows = []
    for j, (pair, top) in enumerate(zip(pairs, highest, strict=True)):
        if top < min_level:
            continue
        region, commodity = pair
        if commodity not in thr.index:
            continue
        rule_levels = {rule: int(values[j]) for rule, values in level_rows.items()}
        level = max(rule_levels.values())
        rule = next(r for r, v in rule_levels.items() if v == level) if level else "none"
        numbers = {key: values[j] for key, values in number_rows.items()}
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
            "anomaly_level": max(rule_levels[r] for r in ANOMALY_RULES),
            "reason_id": "", "reason_en": "",
            **{key: numbers.get(key) for key in NUMBER_COLUMNS},
        }  # fmt: skip
        if level >= alerting.ALERT_MIN_LEVEL or min_level == 0:  # the replay words only alerts
            inputs = StatusInputs(
                region, commodity, as_of, *_presence(numbers, as_of),
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
            if rule in ("alps", "ipa"):
                label = (signals.alps_label if rule == "alps" else signals.ipa_label)(numbers[rule])
                words = f"{rule.upper()} {text.num(numbers[rule], 2, 'id')} ({label[0]})"
                row["reason_id"] = f"{words}; {row['reason_id']}"
                row["reason_en"] = f"{words.replace(',', '.')}; {row['reason_en']}"
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


def _day_row(frame: pd.DataFrame, day: pd.Timestamp, pairs: pd.Index) -> np.ndarray:
    """One date's values of a date × pair frame in the order of ``pairs``, each element as
    ``frame.at[day, pair]`` gives it (numpy scalars of the frame's one dtype)."""
    if frame.columns.equals(pairs) and frame.dtypes.nunique() <= 1:
        return frame.loc[day].to_numpy()
    out = np.empty(len(pairs), dtype=object)
    for j, pair in enumerate(pairs):
        out[j] = frame.at[day, pair]
    return out


def probabilities_on(
    panel: dict[str, pd.DataFrame], levels: dict[str, pd.DataFrame], as_of: dt.date,
    reference: Reference,
) -> pd.DataFrame:  # fmt: skip
    """P(days of cover < Siaga within 7/14/21 days) for every judged pair on ``as_of``."""
    day = pd.Timestamp(as_of)
    if day not in panel["stock"].index:
        return pd.DataFrame(columns=stockout.PROBABILITY_COLUMNS)
    row = {key: frame.loc[day] for key, frame in panel.items()}
    thr = reference.thresholds.set_index("commodity")
    pairs = panel["stock"].columns
    siaga = np.array([thr.loc[c, "siaga_cover_days"] if c in thr.index else np.nan
                      for _, c in pairs], dtype=float)  # fmt: skip
    judged = ~row["too_sparse"].to_numpy(bool) & np.isfinite(row["days_cover"].to_numpy(float))
    if not judged.any():
        return pd.DataFrame(columns=stockout.PROBABILITY_COLUMNS)
    pick = lambda key: row[key].to_numpy(float)[judged]  # noqa: E731
    inputs = [pick(key) for key in ("stock", "stock_age", "demand", "demand_sd",
                                     "delivery_due_in", "interval", "size", "gap_sd", "size_cv",
                                     "delivery_rate", "avg_distribution")] + [siaga[judged]]  # fmt: skip
    chosen = pairs[judged]
    below = np.vstack([
        stockout.simulate_below(*(column[i : i + 1] for column in inputs),
                                seed=stockout.pair_seed(region, commodity))
        for i, (region, commodity) in enumerate(chosen)
    ])  # fmt: skip
    frame = pd.DataFrame({
        "as_of": as_of, "region_code": chosen.get_level_values(0),
        "commodity": chosen.get_level_values(1),
    })  # fmt: skip
    for h in stockout.HORIZONS:
        frame[f"p_stockout_{h}"] = below[:, h - 1]
    return frame


def final_cover_below(values: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """1/0 per date × pair: reported cover below Siaga in the final data (NaN unreported)."""
    dates = pd.date_range(values["date"].min(), values["date"].max(), freq="D")
    stock = wide_daily(values, "stock", dates)
    dist = wide_daily(values, "distribution", dates).reindex(columns=stock.columns)
    avg = dist.rolling(COVER_WINDOW_DAYS, min_periods=1).mean()
    thr = reference.thresholds.set_index("commodity")
    siaga = np.array([thr.loc[c, "siaga_cover_days"] if c in thr.index else np.nan
                      for _, c in stock.columns], dtype=float)  # fmt: skip
    cover = (stock / avg.where(avg > 0)).to_numpy()
    with np.errstate(invalid="ignore"):
        below = np.where(np.isfinite(cover), (cover < siaga[None, :]).astype(float), np.nan)
    return pd.DataFrame(below, index=dates, columns=stock.columns)


def panels_as_known(vintages: pd.DataFrame, reference: Reference, dates: list[dt.date]):
    """Yield ``(as_of, panel, levels)`` for each date, from the facts known at its end.

    One panel serves every date on which what was known then equals the final data up to that
    date (no late report, no later revision of a fact dated on or before it); the other dates
    get a panel of their own vintage.
    """
    current = current_values(vintages)
    shared = None
    late = _late_dates(vintages)
    for as_of in dates:
        if pd.Timestamp(as_of) in late:
            known = vintage_on(vintages, as_of)
            if known.empty:
                continue
            panel = daily_panel(known, reference, as_of)
            yield as_of, panel, panel_levels(panel, reference.thresholds)
            continue
        if shared is None:
            panel = daily_panel(current, reference)
            shared = (panel, panel_levels(panel, reference.thresholds))
        yield as_of, *shared


def _best_source(known: pd.DataFrame) -> pd.DataFrame:
    """One value per date × pair × metric: the best-ranked source (as ``daily_values``)."""
    known = known.sort_values("source_rank", kind="stable")
    known = known.drop_duplicates(["date", "region_code", "commodity", "metric"])
    known = known.sort_values(["region_code", "commodity", "metric", "date"])
    return known.drop(columns=["known_on", "superseded_on", "source_rank"])


def current_values(vintages: pd.DataFrame) -> pd.DataFrame:
    """The versions in force now (what ``daily_values`` shows)."""
    return _best_source(vintages[vintages["superseded_on"].isna()])


def vintage_on(vintages: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The versions known to the run of ``as_of``, for dates up to it.

    The run of a day is made once that day's reports are in: what was seen by the end of the
    next day (``RUN_GRACE_DAYS``) counts; a report that came later is missing that day.
    """
    day = pd.Timestamp(as_of)
    run_day = day + pd.Timedelta(days=RUN_GRACE_DAYS)
    known = vintages[
        (vintages["date"] <= day)
        & (vintages["known_on"] <= run_day)
        & (vintages["superseded_on"].isna() | (vintages["superseded_on"] > run_day))
    ]
    return _best_source(known)


def _late_dates(vintages: pd.DataFrame) -> set[pd.Timestamp]:
    """Dates on which some fact dated on or before them was not yet known in its final form."""
    late: set[pd.Timestamp] = set()
    final = vintages["superseded_on"].isna()
    lagged = vintages[final & (vintages["known_on"] > vintages["date"])]
    revised = vintages[~final]
    spans = [(r.date, r.known_on) for r in lagged.itertuples(index=False)]
    spans += [(r.date, r.superseded_on) for r in revised.itertuples(index=False)]
    grace = pd.Timedelta(days=RUN_GRACE_DAYS + 1)
    for start, end in spans:
        late.update(pd.date_range(start, end - grace, freq="D"))
    return late


def live_statuses(values: pd.DataFrame, reference: Reference, as_of: dt.date) -> pd.DataFrame:
    """Every pair's engine status on ``as_of`` (the live run's statuses), with probabilities.

    One commodity at a time (no rule reads across commodities; the province-wide hold reads
    all regions of one), so memory grows with the regions, not regions × commodities.
    """
    values = values[values["date"] <= pd.Timestamp(as_of)]
    if values.empty:
        return pd.DataFrame()
    start = values["date"].min()
    found = [
        _live_statuses_of(group, reference, as_of, start)
        for _, group in values.groupby("commodity", sort=True)
    ]
    found = [frame for frame in found if not frame.empty]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame()


def _live_statuses_of(
    values: pd.DataFrame, reference: Reference, as_of: dt.date, start: pd.Timestamp
) -> pd.DataFrame:
    panel = daily_panel(values, reference, as_of, only=as_of, start=start)
    levels = panel_levels(panel, reference.thresholds)
    statuses = statuses_on(panel, levels, as_of, reference, min_level=0)
    if statuses.empty:
        return statuses
    probabilities = probabilities_on(panel, levels, as_of, reference)
    return statuses.merge(
        probabilities.drop(columns="as_of"), on=["region_code", "commodity"], how="left"
    )


ENGINE_COLUMNS = (
    "level", "rule", "reason_id", "reason_en", "cover_level", "price_level", "anomaly_level",
    "days_cover", "projected_cover", "stockout_date", "p_stockout_7", "p_stockout_14",
    "p_stockout_21",
)  # fmt: skip


def adopt(words: pd.DataFrame, engine_rows: pd.DataFrame) -> pd.DataFrame:
    """Live statuses: the engine's levels, rules and numbers on ``compute_status`` rows.

    Where the engine raises no rule the ``compute_status`` words stay (what is safe, what is
    missing, not assessed); a pair the engine does not judge on stock because its reports are
    too sparse says so.
    """
    if engine_rows.empty or words.empty:
        return words
    out = words.copy()
    for column in ENGINE_COLUMNS:
        if column not in out.columns:
            out[column] = np.nan if column.startswith("p_") else None
    keyed = engine_rows.set_index(["region_code", "commodity"])
    position = {key: i for i, key in enumerate(keyed.index)}
    for index, row in out.iterrows():
        key = (row["region_code"], row["commodity"])
        if key not in position:
            continue
        mine = keyed.iloc[position[key]]
        for column in ("cover_level", "price_level", "anomaly_level", "days_cover",
                       "projected_cover", "stockout_date", "p_stockout_7", "p_stockout_14",
                       "p_stockout_21"):  # fmt: skip
            out.at[index, column] = mine[column]
        if int(mine["level"]) > 0 or int(row["level"]) > 0:
            for column in ("level", "rule", "reason_id", "reason_en"):
                out.at[index, column] = mine[column]
        if bool(mine["too_sparse"]) and not pd.isna(mine["stock_age"]):
            words_id, words_en = sparse_words(mine["stock_age"], mine["report_share"])
            out.at[index, "reason_id"] = f"{out.at[index, 'reason_id']}; {words_id}"
            out.at[index, "reason_en"] = f"{out.at[index, 'reason_en']}; {words_en}"
    return out


def sparse_words(age: float, share: float) -> tuple[str, str]:
    """Why a pair's stock is not judged: its reports are too old or too sparse (id, en)."""
    pct_id, pct_en = text.pct(100 * share, 0, "id"), text.pct(100 * share, 0, "en")
    return (
        f"stok tidak dinilai: laporan terlalu jarang (laporan terakhir {age:.0f} hari lalu;"
        f" {pct_id} hari dilaporkan dalam {deliveries.DENSITY_DAYS} hari terakhir)",
        f"stock not assessed: reports too sparse (last report {age:.0f} days ago;"
        f" {pct_en} of days reported in the last {deliveries.DENSITY_DAYS} days)",
    )


def _presence(numbers: dict, as_of: dt.date) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Price, stock and distribution stand-ins dated as last reported (for the words on what
    is missing): a point where the engine has a value, none where it has not."""
    day = pd.Timestamp(as_of)

    def point(value: float, when: pd.Timestamp) -> pd.Series:
        if value is None or pd.isna(value):
            return pd.Series(dtype=float, index=pd.DatetimeIndex([]))
        return pd.Series([float(value)], index=pd.DatetimeIndex([when]))

    age = numbers.get("stock_age")
    stock_day = day - pd.Timedelta(days=0 if age is None or pd.isna(age) else int(age))
    return (
        point(numbers.get("price"), day),
        point(numbers.get("stock"), stock_day),
        point(numbers.get("avg_distribution"), day),
    )
