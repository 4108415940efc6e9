"""Status of one region × commodity as of a date: the rules, their numbers and the reason.

Pure functions: the batch passes in the observed daily values, the dated reference prices,
the thresholds row and (optionally) the projected stock path.

Rules (the level is the highest of them; the rule named is the one that set it):

* ``price_vs_reference`` – mean price of the last 7 days against the reference price in force
  on the status date: level k when the disparity exceeds the level's percentage.
* ``days_of_cover`` – last stock ÷ mean daily distribution of the last 14 days, below the
  level's days.
* ``projected_cover`` – the lowest projected days of cover within the next 21 days (projected
  stock ÷ the same mean distribution), below the level's days.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting import text
from warehouse import cover as cover_rule

PRICE_WINDOW_DAYS = 7
COVER_WINDOW_DAYS = cover_rule.COVER_WINDOW_DAYS  # one home: warehouse/cover.py
PROJECTION_WINDOW_DAYS = 21
LEVEL_KEYS = ("waspada", "siaga", "awas")
NOT_ASSESSED = -1  # no rule had its input: the status says what is missing instead of "Aman"
STOCK_STALE_DAYS = COVER_WINDOW_DAYS
MISSING_WORDS = {
    "id": {
        "no_stock": "Belum ada laporan stok",
        "stale_stock": "Laporan stok terakhir {day} ({days} hari lalu), terlalu lama untuk dinilai",
        "no_distribution": "Penyaluran {days} hari terakhir belum dilaporkan, ketahanan stok"
        " tidak dapat dihitung",
        "no_price": "Belum ada laporan harga",
        "stale_price": "Tidak ada laporan harga {days} hari terakhir (terakhir {day})",
    },
    "en": {
        "no_stock": "No stock reports yet",
        "stale_stock": "Last stock report {day} ({days} days ago), too old to assess",
        "no_distribution": "No distribution reported in the last {days} days, days of cover"
        " cannot be computed",
        "no_price": "No price reports yet",
        "stale_price": "No price reported in the last {days} days (last {day})",
    },
}
# How a level-0 or not-assessed reason begins, by what was assessed (stripped when raised).
SAFE_PREFIXES = {
    "id": ("Aman menurut harga: ", "Aman menurut stok: ", "Belum dinilai: ", "Aman: "),
    "en": ("Safe on price: ", "Safe on stock: ", "Not assessed: ", "Safe: "),
}
STATUS_FIELDS = (
    "as_of", "region_code", "commodity", "level", "rule", "reason_id", "reason_en", "price",
    "reference_price", "disparity_pct", "stock", "avg_distribution", "cover_window_days",
    "days_cover", "stockout_date", "projected_cover", "price_level", "cover_level",
)  # fmt: skip


@dataclass(frozen=True)
class Thresholds:
    """Days-of-cover and price-disparity limits for Waspada/Siaga/Awas of one commodity."""

    cover_days: tuple[float, float, float]
    price_pct: tuple[float, float, float]

    @classmethod
    def from_row(cls, row: dict | pd.Series) -> Thresholds:
        return cls(
            cover_days=tuple(float(row[f"{k}_cover_days"]) for k in LEVEL_KEYS),
            price_pct=tuple(float(row[f"{k}_price_pct"]) for k in LEVEL_KEYS),
        )


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def disparity_pct(price: float | None, reference: float | None) -> float:
    """Percentage by which a price exceeds (positive) or falls below its reference."""
    if _missing(price) or _missing(reference) or not reference:
        return float("nan")
    return 100.0 * (float(price) - float(reference)) / float(reference)


def days_of_cover(stock: float | None, avg_daily_distribution: float | None) -> float:
    """Stock ÷ average daily distribution (NaN when either is missing or distribution is 0)."""
    return cover_rule.days_of_cover(stock, avg_daily_distribution)


def price_level(disparity: float, limits: tuple[float, float, float]) -> int:
    """0..3: the highest level whose percentage the disparity exceeds."""
    if _missing(disparity):
        return 0
    return sum(1 for limit in limits if disparity > limit)


def cover_level(cover: float, limits: tuple[float, float, float]) -> int:
    """0..3: the highest level whose days of cover the value falls below."""
    if _missing(cover):
        return 0
    return sum(1 for limit in limits if cover < limit)


def stockout_date(projection: pd.Series) -> dt.date | None:
    """First date on which the projected stock reaches zero (``projection`` indexed by date)."""
    empty = projection[projection <= 0]
    return None if empty.empty else pd.Timestamp(empty.index[0]).date()


def window_mean(series: pd.Series, end: dt.date, days: int) -> float:
    """Mean of the values dated within the ``days`` days ending on ``end`` (NaN if none)."""
    if series.empty:
        return float("nan")
    start = pd.Timestamp(end) - pd.Timedelta(days=days - 1)
    values = series[(series.index >= start) & (series.index <= pd.Timestamp(end))].dropna()
    return float(values.mean()) if len(values) else float("nan")


def last_value(series: pd.Series, end: dt.date) -> float:
    """The latest value dated on or before ``end``."""
    if series.empty:
        return float("nan")
    values = series[series.index <= pd.Timestamp(end)].dropna()
    return float(values.iloc[-1]) if len(values) else float("nan")


@dataclass
class StatusInputs:
    """What one status needs; series are indexed by date (Timestamp)."""

    region: str
    commodity: str
    as_of: dt.date
    price: pd.Series
    stock: pd.Series
    distribution: pd.Series
    thresholds: Thresholds
    reference: tuple[float, str] | None
    price_unit: str = "Rp/kg"
    stock_unit: str = "ton"
    projected_stock: pd.Series | None = None


def compute_status(inputs: StatusInputs) -> dict:
    """The status row: numbers, level, the rule that fired and reasons in id/en.

    A rule without its input (no stock report, no price in the last 7 days) is not assessed and
    the reason says what is missing; with no rule assessable the level is ``NOT_ASSESSED``.
    """
    thr = inputs.thresholds
    price = window_mean(inputs.price, inputs.as_of, PRICE_WINDOW_DAYS)
    ref_value, ref_kind = inputs.reference if inputs.reference else (float("nan"), "")
    disparity = disparity_pct(price, ref_value)
    stock = last_value(inputs.stock, inputs.as_of)
    avg_dist = window_mean(inputs.distribution, inputs.as_of, COVER_WINDOW_DAYS)
    cover = float("nan") if _stock_stale(inputs) else days_of_cover(stock, avg_dist)
    stockout = None
    projected_cover = float("nan")
    if inputs.projected_stock is not None and len(inputs.projected_stock):
        stockout = stockout_date(inputs.projected_stock)
        soon = inputs.projected_stock.iloc[:PROJECTION_WINDOW_DAYS]
        projected_cover = days_of_cover(float(soon.min()), avg_dist)
        if not _missing(projected_cover):
            projected_cover = max(projected_cover, 0.0)
    levels = {
        "price_vs_reference": price_level(disparity, thr.price_pct),
        "days_of_cover": cover_level(cover, thr.cover_days),
        "projected_cover": cover_level(projected_cover, thr.cover_days),
    }
    level = max(levels.values())
    rule = next(r for r, v in levels.items() if v == level) if level > 0 else "none"
    if level == 0 and _missing(price) and _missing(cover) and _missing(projected_cover):
        level, rule = NOT_ASSESSED, "not_assessed"
    facts = _Facts(inputs, price, ref_value, ref_kind, disparity, stock, avg_dist, cover)
    reason_id, reason_en = _reasons(rule, level, facts, projected_cover, stockout)
    return {
        "as_of": inputs.as_of,
        "region_code": inputs.region,
        "commodity": inputs.commodity,
        "level": int(level),
        "rule": rule,
        "reason_id": reason_id,
        "reason_en": reason_en,
        "price": price,
        "reference_price": ref_value,
        "disparity_pct": disparity,
        "stock": stock,
        "avg_distribution": avg_dist,
        "cover_window_days": COVER_WINDOW_DAYS,
        "days_cover": cover,
        "stockout_date": stockout,
        "projected_cover": projected_cover,
        "price_level": levels["price_vs_reference"],
        "cover_level": max(levels["days_of_cover"], levels["projected_cover"]),
    }


def _last_date(series: pd.Series, end: dt.date) -> dt.date | None:
    values = series[series.index <= pd.Timestamp(end)].dropna() if len(series) else series
    return pd.Timestamp(values.index[-1]).date() if len(values) else None


def _stock_stale(inputs: StatusInputs) -> bool:
    """The last stock report is older than the cover window: too old to count as today's."""
    last = _last_date(inputs.stock, inputs.as_of)
    return last is not None and (inputs.as_of - last).days >= STOCK_STALE_DAYS


def missing_inputs(inputs: StatusInputs, lang: str) -> list[str]:
    """What the rules lack for this pair, in words ("Belum ada laporan stok", ...)."""
    words = MISSING_WORDS[lang]
    out = []
    last_stock = _last_date(inputs.stock, inputs.as_of)
    if last_stock is None:
        out.append(words["no_stock"])
    elif _stock_stale(inputs):
        days = (inputs.as_of - last_stock).days
        out.append(words["stale_stock"].format(day=text.day_label(last_stock, lang), days=days))
    elif _missing(window_mean(inputs.distribution, inputs.as_of, COVER_WINDOW_DAYS)):
        out.append(words["no_distribution"].format(days=COVER_WINDOW_DAYS))
    last_price = _last_date(inputs.price, inputs.as_of)
    if last_price is None:
        out.append(words["no_price"])
    elif _missing(window_mean(inputs.price, inputs.as_of, PRICE_WINDOW_DAYS)):
        out.append(
            words["stale_price"].format(
                days=PRICE_WINDOW_DAYS, day=text.day_label(last_price, lang)
            )
        )
    return out


@dataclass
class _Facts:
    inputs: StatusInputs
    price: float
    ref_value: float
    ref_kind: str
    disparity: float
    stock: float
    avg_dist: float
    cover: float


def _limit(values: tuple[float, float, float], level: int) -> float:
    return values[max(level, 1) - 1]


def _price_text(f: _Facts, level: int, lang: str) -> str:
    unit = text.per_unit(f.inputs.price_unit)
    if _missing(f.price):
        return (
            "tidak ada laporan harga 7 hari terakhir"
            if lang == "id"
            else "no price reported in the last 7 days"
        )
    if _missing(f.ref_value):
        base = "harga rata-rata 7 hari" if lang == "id" else "7-day mean price"
        tail = "tanpa harga acuan" if lang == "id" else "no reference price"
        return f"{base} {text.rp(f.price, lang)}{unit} ({tail})"
    ref = text.reference_name(f.ref_kind, lang)
    limit = _limit(f.inputs.thresholds.price_pct, level if level else 1)
    above = f.disparity >= 0
    if lang == "id":
        where = "di atas" if above else "di bawah"
        limit_text = f"batas {text.level_name(max(level, 1), 'id')} {text.pct(limit, 0, 'id')}"
        return (
            f"Harga rata-rata 7 hari {text.rp(f.price, 'id')}{unit}, "
            f"{text.pct(abs(f.disparity), 1, 'id')} {where} {ref} {text.rp(f.ref_value, 'id')} "
            f"({limit_text})"
        )
    where = "above" if above else "below"
    limit_text = f"{text.level_name(max(level, 1), 'en')} limit {text.pct(limit, 0, 'en')}"
    return (
        f"7-day mean price {text.rp(f.price, 'en')}{unit}, "
        f"{text.pct(abs(f.disparity), 1, 'en')} {where} the {ref} {text.rp(f.ref_value, 'en')} "
        f"({limit_text})"
    )


def _cover_text(f: _Facts, level: int, lang: str) -> str:
    unit = f.inputs.stock_unit
    if _missing(f.cover):
        return (
            "ketahanan stok tidak dapat dihitung (stok atau penyaluran belum dilaporkan)"
            if lang == "id"
            else "days of cover unknown (stock or distribution not reported)"
        )
    limit = _limit(f.inputs.thresholds.cover_days, level if level else 1)
    name = text.level_name(max(level, 1), lang)
    dist = text.num(f.avg_dist, 0 if f.avg_dist >= 100 else 1, lang)
    if lang == "id":
        where = "di bawah" if f.cover < limit else "di atas"
        return (
            f"Stok cukup {text.num(f.cover, 1, 'id')} hari ({where} batas {name} "
            f"{text.num(limit, 0, 'id')} hari); rata-rata penyaluran {COVER_WINDOW_DAYS} hari "
            f"{dist} {unit}/hari"
        )
    where = "below" if f.cover < limit else "above"
    return (
        f"Stock covers {text.num(f.cover, 1, 'en')} days ({where} the {name} limit of "
        f"{text.num(limit, 0, 'en')} days); mean distribution over {COVER_WINDOW_DAYS} days "
        f"{dist} {unit}/day"
    )


def _projection_text(
    f: _Facts, level: int, projected_cover: float, stockout: dt.date | None, lang: str
) -> str:
    limit = _limit(f.inputs.thresholds.cover_days, level if level else 1)
    name = text.level_name(max(level, 1), lang)
    parts = []
    if lang == "id":
        parts.append(
            f"Proyeksi ketahanan stok terendah {text.num(projected_cover, 1, 'id')} hari dalam "
            f"{PROJECTION_WINDOW_DAYS} hari ke depan (batas {name} {text.num(limit, 0, 'id')} hari)"
        )
        if stockout:
            days = (stockout - f.inputs.as_of).days
            parts.append(f"proyeksi stok habis {text.day_label(stockout, 'id')} ({days} hari lagi)")
    else:
        parts.append(
            f"Lowest projected cover {text.num(projected_cover, 1, 'en')} days within the next "
            f"{PROJECTION_WINDOW_DAYS} days ({name} limit {text.num(limit, 0, 'en')} days)"
        )
        if stockout:
            days = (stockout - f.inputs.as_of).days
            parts.append(f"projected stock-out {text.day_label(stockout, 'en')} (in {days} days)")
    return "; ".join(parts)


def reasons_for(
    inputs: StatusInputs,
    rule: str,
    level: int,
    numbers: dict,
) -> tuple[str, str]:
    """Reasons in id/en from already computed numbers (used by the historical replay)."""
    facts = _Facts(
        inputs,
        numbers["price"],
        numbers["reference_price"],
        numbers.get("reference_kind", ""),
        numbers["disparity_pct"],
        numbers["stock"],
        numbers["avg_distribution"],
        numbers["days_cover"],
    )
    return _reasons(rule, level, facts, numbers["projected_cover"], numbers["stockout_date"])


def _reasons(
    rule: str, level: int, f: _Facts, projected_cover: float, stockout: dt.date | None
) -> tuple[str, str]:
    out = []
    for lang in ("id", "en"):
        missing = missing_inputs(f.inputs, lang)
        price_seen, cover_seen = not _missing(f.price), not _missing(f.cover)
        if rule == "price_vs_reference":
            main = _price_text(f, level, lang)
        elif rule == "days_of_cover":
            main = _cover_text(f, level, lang)
        elif rule == "projected_cover":
            main = _projection_text(f, level, projected_cover, stockout, lang)
            tail = _cover_text(f, cover_level(f.cover, f.inputs.thresholds.cover_days), lang)
            main += "; " + tail[0].lower() + tail[1:]
        elif rule == "not_assessed":
            words = missing or [_cover_text(f, 0, lang)]
            main = SAFE_PREFIXES[lang][2] + "; ".join(w[0].lower() + w[1:] for w in words)
            missing = []
        elif price_seen and cover_seen or not missing:
            prefix = SAFE_PREFIXES[lang][3]
            main = prefix + _cover_text(f, 0, lang) + "; " + _price_text(f, 0, lang)
        elif price_seen:
            main = SAFE_PREFIXES[lang][0] + _price_text(f, 0, lang)
        else:
            main = SAFE_PREFIXES[lang][1] + _cover_text(f, 0, lang)
        if missing:
            main += "; " + "; ".join(m[0].lower() + m[1:] for m in missing)
        out.append(main)
    return out[0], out[1]


def projected_stock(
    last_stock: float, delivery: np.ndarray, distribution: np.ndarray
) -> np.ndarray:
    """Projected end-of-day stock: last stock + cumulative (delivery − distribution)."""
    return float(last_stock) + np.cumsum(np.asarray(delivery) - np.asarray(distribution))
