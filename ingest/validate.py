"""Validation of tidy fact rows before they are loaded: what is wrong is rejected with a reason."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from ingest.normalise import PROVINCE_CODE, commodities, region_lookup

# "price" is the consumer price (compared with the HET); other price levels are kept apart.
PRICE_LEVEL_METRICS = ("price_wholesale", "price_producer", "price_mill", "price_procurement")
METRICS = ("price", "stock", "distribution", "delivery", *PRICE_LEVEL_METRICS)
FACT_COLUMNS = ["date", "region_code", "commodity", "metric", "value", "unit"]
EARLIEST_DATE = dt.date(2000, 1, 1)
WIB = dt.timezone(dt.timedelta(hours=7))


def today_wib() -> dt.date:
    """Today's date in Jambi (WIB, UTC+7)."""
    return dt.datetime.now(WIB).date()


@dataclass
class Fact:
    """One observation before loading; row_number/raw point back to the input for messages."""

    date: dt.date
    region_code: str
    commodity: str
    metric: str
    value: float
    unit: str
    row_number: int | None = None
    raw: str = ""
    sheet: str = ""


@dataclass
class Rejection:
    """A row (or cell) that was not loaded, with the reason in Indonesian and English."""

    row_number: int | None
    column: str | None
    raw: str
    reason_id: str
    reason_en: str
    sheet: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "row": self.row_number,
            "column": self.column,
            "raw": self.raw,
            "reason_id": self.reason_id,
            "reason_en": self.reason_en,
        }

    @property
    def reason(self) -> str:
        """Both languages, as stored in ``rejected_rows.reason``."""
        return f"{self.reason_id} | {self.reason_en}"


@dataclass
class Checked:
    """Validation result: accepted facts as a frame, and the rejections."""

    accepted: pd.DataFrame
    rejected: list[Rejection] = field(default_factory=list)
    duplicates_dropped: int = 0


def _fact_problem(fact: Fact, regions: set[str], known: dict) -> tuple[str, str, str] | None:
    """(column, reason_id, reason_en) for the first problem of one fact, or None."""
    if fact.metric not in METRICS:
        return "metric", f"metrik '{fact.metric}' tidak dikenal", f"unknown metric '{fact.metric}'"
    if fact.region_code not in regions:
        return (
            "region",
            f"kode wilayah '{fact.region_code}' tidak dikenal",
            f"unknown region code '{fact.region_code}'",
        )
    if fact.commodity not in known:
        return (
            "commodity",
            f"komoditas '{fact.commodity}' tidak dikenal",
            f"unknown commodity '{fact.commodity}'",
        )
    if not isinstance(fact.date, dt.date) or not (
        EARLIEST_DATE <= fact.date <= today_wib() + dt.timedelta(days=1)
    ):
        return (
            "date",
            f"tanggal {fact.date} di luar rentang wajar (2000 s.d. hari ini)",
            f"date {fact.date} is outside the plausible range (2000 to today)",
        )
    if fact.value is None or not math.isfinite(fact.value):
        return "value", "nilai kosong atau bukan angka", "value is empty or not a number"
    if fact.value < 0:
        return "value", f"nilai negatif ({fact.value:g})", f"negative value ({fact.value:g})"
    if fact.metric.startswith("price") and fact.value == 0:
        return "value", "harga 0 tidak valid", "a price of 0 is not valid"
    return None


def _row_key(fact: Fact) -> str | None:
    """The input row a fact comes from (sheet and row), so a row is held or loaded whole."""
    return None if fact.row_number is None else f"{fact.sheet}#{fact.row_number}"


def validate_facts(facts: list[Fact]) -> Checked:
    """Check each fact; identical duplicates are merged, conflicting duplicates rejected."""
    regions = set(region_lookup().values()) | {PROVINCE_CODE}
    known = commodities()
    rejected: list[Rejection] = []
    kept: dict[tuple, Fact] = {}
    duplicates = 0
    for fact in facts:
        problem = _fact_problem(fact, regions, known)
        if problem:
            column, reason_id, reason_en = problem
            rejected.append(
                Rejection(fact.row_number, column, fact.raw, reason_id, reason_en, fact.sheet)
            )
            continue
        key = (fact.date, fact.region_code, fact.commodity, fact.metric)
        if key in kept:
            first = kept[key]
            if math.isclose(first.value, fact.value) and first.unit == fact.unit:
                duplicates += 1
                continue
            rejected.append(
                Rejection(
                    fact.row_number,
                    fact.metric,
                    fact.raw,
                    f"duplikat: {fact.date:%d/%m/%Y} {fact.region_code} {fact.commodity} "
                    f"sudah ada di baris {first.row_number} dengan nilai lain ({first.value:g})",
                    f"duplicate: {fact.date:%d/%m/%Y} {fact.region_code} {fact.commodity} "
                    f"already given in row {first.row_number} with another value ({first.value:g})",
                    fact.sheet,
                )
            )
            continue
        kept[key] = fact
    frame = pd.DataFrame(
        [
            [f.date, f.region_code, f.commodity, f.metric, float(f.value), f.unit, _row_key(f)]
            for f in kept.values()
        ],
        columns=[*FACT_COLUMNS, "row_key"],
    )
    return Checked(frame, rejected, duplicates)
