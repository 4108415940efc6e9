"""Early-warning signals, each with its explanation in words (id/en).

* ``price_vs_reference`` and ``days_of_cover`` – the status rules, restated as signals.
* ``stockout`` – projected stock-out date from the forecasts: level by days until it.
* ``wow_change`` / ``mom_change`` – 7-day mean vs the previous 7 days, 30-day mean vs the
  previous 30 days; WFP: a rise of 10–25 % is high (Waspada), above 25 % severe (Siaga).
* ``alps`` – WFP ALPS: monthly price on a linear trend plus 12 month dummies (no constant),
  (actual − fitted) ÷ SD of residuals; Normal < 0.25, Stress 0.25–1, Alert 1–2, Crisis ≥ 2.
  Needs ≥ 36 months. Each month's value is computed with data up to that month only.
* ``ipa`` – FAO GIEWS IPA: CQGR and CAGR standardised against the same calendar month
  (equal weights), IPA = 0.4·IPA_q + 0.6·IPA_a; Normal < 0.5, moderate 0.5–1, high ≥ 1.
* ``resupply_trend`` – deliveries not keeping up: the slide of the days of cover left after
  each delivery, projected 14 days (``forecasting.resupply``); it raises the stock level.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from forecasting import resupply, text
from forecasting.data import series_of, wide_daily
from forecasting.status import (
    COVER_WINDOW_DAYS,
    LEVEL_KEYS,
    NOT_ASSESSED,
    SAFE_PREFIXES,
    Thresholds,
    cover_level,
)
from warehouse.reference_rule import ReferenceBook

SIGNAL_COLUMNS = [
    "run_id", "as_of", "region_code", "commodity", "signal", "period", "value", "level",
    "label", "explanation_id", "explanation_en",
]  # fmt: skip
ALPS_MIN_MONTHS = 36
IPA_GAMMA = 0.4
IPA_MIN_SAME_MONTH = 3
CHANGE_HIGH_PCT = 10.0
CHANGE_SEVERE_PCT = 25.0
ANOMALY_RULES = ("wow_change", "mom_change", "alps", "ipa", "price_trend")
SUPPLY_RULES = ("resupply_trend",)
SUPPLY_HISTORY_DAYS = resupply.GAP_HISTORY_DAYS + 30
PRICE_TREND_DAYS = 10
PRICE_TREND_WINDOW = 3
RECENT_PRICE_DAYS = 70  # covers every daily window of the price signals (60 days at most)


def alps_label(value: float) -> tuple[str, int]:
    """WFP ALPS class and the status level it maps to (Alert -> Waspada, Crisis -> Siaga)."""
    if value is None or math.isnan(value):
        return "", 0
    if value >= 2:
        return "Crisis", 2
    if value >= 1:
        return "Alert", 1
    if value >= 0.25:
        return "Stress", 0
    return "Normal", 0


def ipa_label(value: float) -> tuple[str, int]:
    """FAO IPA class and the status level it maps to (high -> Waspada)."""
    if value is None or math.isnan(value):
        return "", 0
    if value >= 1:
        return "High", 1
    if value >= 0.5:
        return "Moderate", 0
    return "Normal", 0


def change_level(change_pct: float) -> tuple[str, int]:
    """WFP rise thresholds: 10–25 % high (Waspada), above 25 % severe (Siaga)."""
    if change_pct is None or math.isnan(change_pct):
        return "", 0
    if change_pct > CHANGE_SEVERE_PCT:
        return "Severe", 2
    if change_pct >= CHANGE_HIGH_PCT:
        return "High", 1
    return "Normal", 0


def monthly_means(daily_price: pd.Series) -> pd.Series:
    """Mean price per calendar month (month-start index), months without data dropped."""
    return daily_price.dropna().resample("MS").mean().dropna()


def alps_value(monthly: pd.Series) -> float:
    """ALPS of the last month, fitted on the months up to it (NaN under 36 months)."""
    y = monthly.dropna()
    if len(y) < ALPS_MIN_MONTHS:
        return float("nan")
    months = pd.DatetimeIndex(y.index)
    trend = (months.year - months[0].year) * 12 + (months.month - months[0].month)
    dummies = np.zeros((len(y), 12))
    dummies[np.arange(len(y)), months.month - 1] = 1.0
    design = np.column_stack([trend.to_numpy(float), dummies])
    coef, *_ = np.linalg.lstsq(design, y.to_numpy(float), rcond=None)
    resid = y.to_numpy(float) - design @ coef
    dof = max(len(y) - np.linalg.matrix_rank(design), 1)
    sd = math.sqrt(float(resid @ resid) / dof)
    return float(resid[-1] / sd) if sd > 0 else 0.0


def alps_history(monthly: pd.Series) -> pd.Series:
    """ALPS of each month as it would have been computed then (expanding window)."""
    y = monthly.dropna()
    values = [alps_value(y.iloc[: i + 1]) for i in range(len(y))]
    return pd.Series(values, index=y.index)


def _standardised_same_month(rates: pd.Series) -> float:
    rates = rates.dropna()
    if rates.empty:
        return float("nan")
    last = rates.index[-1]
    same = rates[rates.index.month == last.month]
    if len(same) < IPA_MIN_SAME_MONTH:
        return float("nan")
    sd = float(same.std(ddof=1))
    return float((same.iloc[-1] - same.mean()) / sd) if sd > 0 else 0.0


def ipa_value(monthly: pd.Series, gamma: float = IPA_GAMMA) -> float:
    """IPA of the last month (NaN without three same-month values of each growth rate)."""
    y = monthly.dropna().asfreq("MS")
    cqgr = (y / y.shift(3)) ** (1 / 3) - 1
    cagr = (y / y.shift(12)) ** (1 / 12) - 1
    z_q = _standardised_same_month(cqgr)
    z_a = _standardised_same_month(cagr)
    if math.isnan(z_q) or math.isnan(z_a):
        return float("nan")
    return gamma * z_q + (1 - gamma) * z_a


def window_change_pct(daily_price: pd.Series, as_of: dt.date, days: int) -> float:
    """Percent change of the mean over the last ``days`` vs the ``days`` before them."""
    end = pd.Timestamp(as_of)
    prices = daily_price.dropna()
    recent = prices[(prices.index > end - pd.Timedelta(days=days)) & (prices.index <= end)]
    before = prices[
        (prices.index > end - pd.Timedelta(days=2 * days))
        & (prices.index <= end - pd.Timedelta(days=days))
    ]
    if recent.empty or before.empty or before.mean() == 0:
        return float("nan")
    return 100.0 * (recent.mean() / before.mean() - 1)


def price_trend_pct(
    daily_price: pd.Series, as_of: dt.date, reference: float | None
) -> tuple[float, float, float]:
    """(projected price, base price, % above base) ``PRICE_TREND_DAYS`` days ahead.

    Projection: mean of the last 3 days + days × the rise per day from the mean of the 3 days
    before (rises only; a short window so an accelerating rise shows within days; no rise when
    nothing was reported in the 3 days before, as after a long weekend). The base is
    the reference price in force, or without one the "normal" price: the median of the prices
    reported 14–41 days earlier.
    """
    end = pd.Timestamp(as_of)
    prices = daily_price[daily_price.index <= end].dropna()

    def mean_between(first: int, last: int) -> float:
        window = prices[(prices.index > end - pd.Timedelta(days=last)) &
                        (prices.index <= end - pd.Timedelta(days=first))]  # fmt: skip
        return float(window.mean()) if len(window) else float("nan")

    span = PRICE_TREND_WINDOW
    recent = mean_between(0, span)
    earlier = mean_between(span, 2 * span)  # empty after a weekend or holiday: no rise seen
    slope = 0.0 if math.isnan(earlier) else max((recent - earlier) / span, 0.0)
    projected = recent + PRICE_TREND_DAYS * slope
    base = reference
    if base is None or math.isnan(base):
        window = prices[(prices.index > end - pd.Timedelta(days=42)) &
                        (prices.index <= end - pd.Timedelta(days=14))]  # fmt: skip
        base = float(window.median()) if len(window) >= 7 else float("nan")
    if math.isnan(projected) or math.isnan(base) or base == 0:
        return projected, base, float("nan")
    return projected, base, 100 * (projected - base) / base


def _row(as_of, region, commodity, signal, period, value, level, label, exp_id, exp_en) -> dict:
    return {
        "as_of": as_of,
        "region_code": region,
        "commodity": commodity,
        "signal": signal,
        "period": period,
        "value": value,
        "level": int(level),
        "label": label,
        "explanation_id": exp_id,
        "explanation_en": exp_en,
    }


def price_signals(
    region: str,
    commodity: str,
    daily_price: pd.Series,
    as_of: dt.date,
    reference: float | None = None,
    price_limits: tuple[float, float, float] | None = None,
    monthly: pd.Series | None = None,
) -> list[dict]:
    """Week-on-week, month-on-month, price trend, ALPS and IPA signals for one price series.

    ``monthly`` (the series' ``monthly_means`` up to ``as_of``) may be passed in when it was
    computed for many pairs at once (``pair_monthly_means``)."""
    rows = []
    if price_limits is not None:
        rows.extend(_trend_rows(region, commodity, daily_price, as_of, reference, price_limits))
    for signal, days, name_id, name_en in (
        ("wow_change", 7, "minggu ke minggu", "week on week"),
        ("mom_change", 30, "bulan ke bulan", "month on month"),
    ):
        change = window_change_pct(daily_price, as_of, days)
        if math.isnan(change):
            continue
        label, level = change_level(change)
        rows.append(_row(
            as_of, region, commodity, signal, as_of, change, level, label,
            f"Perubahan harga {name_id} {text.pct(change, 1, 'id')} (tinggi ≥10%, parah >25%)",
            f"Price change {name_en} {text.pct(change, 1, 'en')} (high ≥10%, severe >25%)",
        ))  # fmt: skip
    if monthly is None:
        monthly = monthly_means(daily_price[daily_price.index <= pd.Timestamp(as_of)])
    if len(monthly) >= ALPS_MIN_MONTHS:
        value = alps_value(monthly)
        label, level = alps_label(value)
        month = monthly.index[-1].date()
        rows.append(_row(
            as_of, region, commodity, "alps", month, value, level, label,
            f"ALPS {text.num(value, 2, 'id')} ({label}) untuk {text.MONTHS['id'][month.month - 1]}"
            f" {month.year}: harga dibanding tren dan pola musiman {len(monthly)} bulan",
            f"ALPS {text.num(value, 2, 'en')} ({label}) for {text.MONTHS['en'][month.month - 1]}"
            f" {month.year}: price against trend and seasonal pattern of {len(monthly)} months",
        ))  # fmt: skip
        ipa = ipa_value(monthly)
        if not math.isnan(ipa):
            label, level = ipa_label(ipa)
            rows.append(_row(
                as_of, region, commodity, "ipa", month, ipa, level, label,
                f"IPA {text.num(ipa, 2, 'id')} ({label}): laju kenaikan 3 dan 12 bulan dibanding"
                " bulan yang sama tahun-tahun sebelumnya",
                f"IPA {text.num(ipa, 2, 'en')} ({label}): 3- and 12-month growth against the"
                " same month of earlier years",
            ))  # fmt: skip
    return rows


def _trend_rows(
    region: str,
    commodity: str,
    daily_price: pd.Series,
    as_of: dt.date,
    reference: float | None,
    limits: tuple[float, float, float],
) -> list[dict]:
    projected, base, pct = price_trend_pct(daily_price, as_of, reference)
    if math.isnan(pct):
        return []
    level = sum(1 for limit in limits if pct > limit)
    base_id = "harga acuan" if reference else "harga normal (median 14–41 hari lalu)"
    base_en = "reference price" if reference else "normal price (median 14–41 days ago)"
    period = as_of + dt.timedelta(days=PRICE_TREND_DAYS)
    return [
        _row(
            as_of,
            region,
            commodity,
            "price_trend",
            period,
            pct,
            level,
            "",
            f"Tren harga: proyeksi {text.rp(projected, 'id')} dalam {PRICE_TREND_DAYS} hari,"
            f" {text.pct(pct, 1, 'id')} terhadap {base_id} {text.rp(base, 'id')}"
            f" (batas Siaga {text.pct(limits[1], 0, 'id')})",
            f"Price trend: projected {text.rp(projected, 'en')} in {PRICE_TREND_DAYS} days,"
            f" {text.pct(pct, 1, 'en')} against the {base_en} {text.rp(base, 'en')}"
            f" (Warning limit {text.pct(limits[1], 0, 'en')})",
        )  # fmt: skip
    ]


def _own_cover_level(
    value: float, commodity: str, thresholds: pd.DataFrame | None, fallback: int
) -> int:
    """Level of a days-of-cover value on its own (not the status's combined stock level)."""
    if thresholds is None or commodity not in thresholds.index:
        return fallback
    return cover_level(value, Thresholds.from_row(thresholds.loc[commodity]).cover_days)


def status_signals(statuses: pd.DataFrame, thresholds: pd.DataFrame | None = None) -> list[dict]:
    """The status rules restated as signals (price vs reference, days of cover, stock-out).

    With ``thresholds`` (indexed by commodity) days of cover is levelled on its own and the
    stock-out by the lowest projected cover; without, both carry the status's stock level.
    """
    rows = []
    for s in statuses.itertuples(index=False):
        if not pd.isna(s.disparity_pct):
            rows.append(_row(
                s.as_of, s.region_code, s.commodity, "price_vs_reference", s.as_of,
                s.disparity_pct, s.price_level, "", *_first_sentence(s, "price"),
            ))  # fmt: skip
        if not pd.isna(s.days_cover):
            rows.append(_row(
                s.as_of, s.region_code, s.commodity, "days_of_cover", s.as_of, s.days_cover,
                _own_cover_level(s.days_cover, s.commodity, thresholds, s.cover_level), "",
                *_first_sentence(s, "cover"),
            ))  # fmt: skip
        if s.stockout_date is not None and not pd.isna(s.stockout_date):
            days = (pd.Timestamp(s.stockout_date) - pd.Timestamp(s.as_of)).days
            rows.append(_row(
                s.as_of, s.region_code, s.commodity, "stockout", s.stockout_date, days,
                _own_cover_level(s.projected_cover, s.commodity, thresholds, s.cover_level), "",
                f"Proyeksi stok habis {text.day_label(pd.Timestamp(s.stockout_date).date(), 'id')}"
                f" ({days} hari lagi) bila penyaluran dan pasokan mengikuti perkiraan",
                f"Projected stock-out {text.day_label(pd.Timestamp(s.stockout_date).date(), 'en')}"
                f" (in {days} days) if distribution and deliveries follow the forecast",
            ))  # fmt: skip
    return rows


def _first_sentence(status, kind: str) -> tuple[str, str]:
    if kind == "price":
        value = status.disparity_pct
        return (
            f"Harga {text.pct(value, 1, 'id')} terhadap acuan {text.rp(status.reference_price, 'id')}",
            f"Price {text.pct(value, 1, 'en')} against reference {text.rp(status.reference_price, 'en')}",
        )
    return (
        f"Stok cukup {text.num(status.days_cover, 1, 'id')} hari (penyaluran rata-rata {COVER_WINDOW_DAYS} hari)",
        f"Stock covers {text.num(status.days_cover, 1, 'en')} days ({COVER_WINDOW_DAYS}-day mean distribution)",
    )


RULE_NAMES = {
    "price_vs_reference": ("harga terhadap acuan", "price vs reference"),
    "days_of_cover": ("ketahanan stok", "days of cover"),
    "projected_cover": ("proyeksi ketahanan stok", "projected cover"),
    "price_trend": ("tren harga", "price trend"),
    "wow_change": ("kenaikan harga mingguan", "week-on-week rise"),
    "mom_change": ("kenaikan harga bulanan", "month-on-month rise"),
    "alps": ("ALPS", "ALPS"),
    "ipa": ("IPA", "IPA"),
    "resupply_trend": ("tren pasokan", "resupply trend"),
}


def regency_composites(statuses: pd.DataFrame) -> list[dict]:
    """Per regency: the worst level over its commodities, naming the commodity and rule."""
    rows = []
    if statuses.empty:
        return rows
    for region, group in statuses.groupby("region_code", sort=True):
        worst = group.sort_values(["level", "commodity"], ascending=[False, True]).iloc[0]
        level = int(worst["level"])
        as_of = worst["as_of"]
        unassessed = int((group["level"] == NOT_ASSESSED).sum())
        if level == NOT_ASSESSED:
            exp_id = f"Belum dinilai: data {len(group)} komoditas belum cukup untuk dinilai"
            exp_en = f"Not assessed: not enough data for {len(group)} commodities"
        elif level == 0 and unassessed:
            assessed = len(group) - unassessed
            exp_id = (
                f"Aman: {assessed} komoditas dalam batas aman, {unassessed} belum dapat dinilai"
            )
            exp_en = f"Safe: {assessed} commodities within limits, {unassessed} not assessed"
        elif level == 0:
            exp_id = f"Aman: semua {len(group)} komoditas dalam batas aman"
            exp_en = f"Safe: all {len(group)} commodities within limits"
        else:
            hit = group[group["level"] == level]
            names = ", ".join(
                f"{c} ({RULE_NAMES.get(r, (r, r))[0]})"
                for c, r in zip(hit.commodity, hit.rule, strict=True)
            )
            names_en = ", ".join(
                f"{c} ({RULE_NAMES.get(r, (r, r))[1]})"
                for c, r in zip(hit.commodity, hit.rule, strict=True)
            )
            exp_id = f"{text.level_name(level, 'id')}: {names}"
            exp_en = f"{text.level_name(level, 'en')}: {names_en}"
        rows.append(_row(as_of, region, "*", "regency_status", as_of, float(level), level,
                         str(worst["commodity"]), exp_id, exp_en))  # fmt: skip
    return rows


def run_signals(
    values: pd.DataFrame, reference, statuses: pd.DataFrame, as_of: dt.date
) -> pd.DataFrame:
    """All signals of a run as one frame (``SIGNAL_COLUMNS`` minus run_id)."""
    thresholds = reference.thresholds.set_index("commodity")
    rows = status_signals(statuses, thresholds) if not statuses.empty else []
    rows.extend(supply_signals(values, thresholds, as_of))
    book = ReferenceBook(reference.references)
    limits = {
        c: Thresholds.from_row(thresholds.loc[c]).price_pct for c in thresholds.index.unique()
    }
    months = pair_monthly_means(values, as_of)
    no_months = pd.Series(dtype=float, index=pd.DatetimeIndex([], freq="MS"))
    no_days = pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    prices = values[values["metric"] == "price"]
    day = pd.Timestamp(as_of)
    recent = series_of(  # the daily windows read at most 60 days back (month on month)
        prices[(prices["date"] > day - pd.Timedelta(days=RECENT_PRICE_DAYS))
               & (prices["date"] <= day) & prices["value"].notna()], "price",
    )  # fmt: skip
    keys = prices[["region_code", "commodity"]].drop_duplicates()
    for region, commodity in sorted(zip(keys["region_code"], keys["commodity"], strict=True)):
        found = book.on(region, commodity, as_of)
        rows.extend(
            price_signals(
                region, commodity, recent.get((region, commodity), no_days), as_of,
                None if found is None else found.value, limits.get(commodity),
                months.get((region, commodity), no_months),
            )
        )  # fmt: skip
    return pd.DataFrame(rows, columns=[c for c in SIGNAL_COLUMNS if c != "run_id"])


def pair_monthly_means(values: pd.DataFrame, as_of: dt.date) -> dict[tuple[str, str], pd.Series]:
    """``monthly_means`` of every pair's prices up to ``as_of``, in one grouped pass."""
    prices = values[
        (values["metric"] == "price")
        & values["value"].notna()
        & (values["date"] <= pd.Timestamp(as_of))
    ]
    if prices.empty:
        return {}
    grouper = pd.Grouper(key="date", freq="MS")
    means = prices.groupby(["region_code", "commodity", grouper], sort=True)["value"].mean()
    means = means.astype(float)
    return {
        (str(region), str(commodity)): group.droplevel([0, 1]).dropna()
        for (region, commodity), group in means.groupby(level=[0, 1], sort=True)
    }


def supply_signals(values: pd.DataFrame, thresholds: pd.DataFrame, as_of: dt.date) -> list[dict]:
    """The resupply-trend signal on ``as_of`` for every pair with stock and deliveries."""
    end = pd.Timestamp(as_of)
    dates = pd.date_range(end - pd.Timedelta(days=SUPPLY_HISTORY_DAYS), end, freq="D")
    stock = wide_daily(values, "stock", dates)
    if stock.columns.empty:
        return []
    distribution = wide_daily(values, "distribution", dates).reindex(columns=stock.columns)
    delivery = wide_daily(values, "delivery", dates).reindex(columns=stock.columns)
    panel = resupply.resupply_panel(stock, distribution, delivery)
    limits = np.array([
        [thresholds.loc[c, f"{k}_cover_days"] if c in thresholds.index else -np.inf
         for _, c in stock.columns]
        for k in LEVEL_KEYS
    ])  # fmt: skip
    levels = resupply.resupply_levels(panel, limits).iloc[-1]
    today = {key: frame.iloc[-1] for key, frame in panel.items()}
    period = as_of + dt.timedelta(days=resupply.HORIZON_DAYS)
    rows = []
    for column, (region, commodity) in enumerate(stock.columns):
        if not today["resupply_active"].iloc[column]:
            continue
        numbers = {key: float(series.iloc[column]) for key, series in today.items()}
        level = int(levels.iloc[column])
        shown = max(level, 1)  # below Waspada the reason still names the Waspada limit
        exp_id, exp_en = resupply.explain(numbers, shown, limits[shown - 1][column])
        projected = max(numbers["resupply_projected"], 0.0)
        rows.append(_row(as_of, region, commodity, "resupply_trend", period, projected, level,
                         "", exp_id, exp_en))  # fmt: skip
    return rows


# Signals that can carry an alert of each kind, in the order a tie is explained.
KIND_SIGNALS = {
    "price": ("price_vs_reference", "price_trend", "wow_change", "mom_change", "alps", "ipa"),
    "stock": ("days_of_cover", "stockout", "resupply_trend"),
}
SIGNAL_RULE = {"stockout": "projected_cover"}  # status rule of a signal named otherwise
KIND_LEVEL = {"price": ("price_level", "anomaly_level"), "stock": ("cover_level",)}


def kind_reasons(statuses: pd.DataFrame, signal_rows: pd.DataFrame) -> pd.DataFrame:
    """Add ``<kind>_rule`` and ``<kind>_reason_id/en`` for price and stock alerts.

    When the status's own rule belongs to that kind its rule and reason are kept; otherwise the
    explanation of the strongest signal of that kind is used, so a price alert never explains
    itself with a stock number (and the other way round).
    """
    statuses = statuses.copy()
    if statuses.empty:
        for kind in KIND_SIGNALS:
            for column in ("rule", "reason_id", "reason_en"):
                statuses[f"{kind}_{column}"] = pd.Series(dtype=object)
        return statuses
    for kind, names in KIND_SIGNALS.items():
        own = statuses["rule"].isin([SIGNAL_RULE.get(n, n) for n in names])
        for column in ("rule", "reason_id", "reason_en"):
            statuses[f"{kind}_{column}"] = statuses[column].where(own, "")
        if signal_rows.empty:
            continue
        candidates = signal_rows[signal_rows["signal"].isin(names)]
        by_pair = dict(list(candidates.groupby(["region_code", "commodity"], sort=False)))
        for index, status in statuses[~own].iterrows():
            level = max(int(status.get(c, 0) or 0) for c in KIND_LEVEL[kind])
            pair = by_pair.get((status["region_code"], status["commodity"]))
            if level == 0 or pair is None:
                continue
            mine = pair[pair["level"] == level]
            if mine.empty:
                continue
            best = mine.loc[mine["signal"].map(names.index).idxmin()]
            statuses.at[index, f"{kind}_rule"] = SIGNAL_RULE.get(best["signal"], best["signal"])
            statuses.at[index, f"{kind}_reason_id"] = best["explanation_id"]
            statuses.at[index, f"{kind}_reason_en"] = best["explanation_en"]
    return statuses


def _strip_safe(reason: object, lang: str) -> str:
    """A reason without its "Aman: "-style opening (the status is being raised)."""
    text_ = str(reason)
    for prefix in SAFE_PREFIXES[lang]:
        if text_.startswith(prefix):
            return text_.removeprefix(prefix)
    return text_


def apply_signal_levels(statuses: pd.DataFrame, signal_rows: pd.DataFrame) -> pd.DataFrame:
    """Raise a status to a signal's level when it is higher, naming that rule.

    Price anomalies raise ``anomaly_level`` (price alerts); supply signals raise
    ``cover_level`` (stock alerts).
    """
    if statuses.empty or signal_rows.empty:
        return statuses
    statuses = statuses.copy()
    statuses["anomaly_level"] = 0
    raising = signal_rows["signal"].isin(ANOMALY_RULES + SUPPLY_RULES)
    anomalies = signal_rows[raising & (signal_rows["level"] > 0)]
    for a in anomalies.sort_values("level").itertuples(index=False):
        mask = (statuses["region_code"] == a.region_code) & (statuses["commodity"] == a.commodity)
        column = "cover_level" if a.signal in SUPPLY_RULES else "anomaly_level"
        for index in statuses.index[mask]:
            statuses.at[index, column] = max(statuses.at[index, column], a.level)
            if a.level > statuses.at[index, "level"]:
                statuses.at[index, "level"] = int(a.level)
                statuses.at[index, "rule"] = str(a.signal)
                before_id = _strip_safe(statuses.at[index, "reason_id"], "id")
                before_en = _strip_safe(statuses.at[index, "reason_en"], "en")
                statuses.at[index, "reason_id"] = f"{a.explanation_id}; {before_id}"
                statuses.at[index, "reason_en"] = f"{a.explanation_en}; {before_en}"
    return statuses
