"""Indonesian calendar effects: public holidays, derived Ramadan starts and feature windows.

Built on the ``holidays`` package's Indonesia calendar (Indonesian and English names).
Ramadan is not a public holiday: its first day is taken as 30 days before Idul Fitri
(1 Syawal), which is within a day of the announced date in every year.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

RAMADAN_DAYS = 30
PRE_LEBARAN_DAYS = 14
LEBARAN_DAYS = 7  # Idul Fitri day and the six days after it (cuti bersama, mudik return)
POST_LEBARAN_DAYS = 14
IDUL_ADHA_WEEK_DAYS = 7  # the seven days up to and including Idul Adha
NATARU_START = (12, 18)  # month, day
NATARU_END = (1, 5)

KINDS = ("idul_fitri", "idul_adha", "natal", "tahun_baru", "ramadan_start", "election", "other")
FEATURE_COLUMNS = (
    "ramadan",
    "pre_lebaran",
    "lebaran",
    "post_lebaran",
    "nataru",
    "idul_adha_week",
)

_ESTIMATED_SUFFIX = " (estimated)"


def _kind_of(name_en: str) -> str:
    """Map an English holiday name from the ``holidays`` package to our kind."""
    name = name_en.removesuffix(_ESTIMATED_SUFFIX).strip()
    if name.startswith("Eid al-Fitr"):
        return "idul_fitri"
    if name.startswith("Eid al-Adha"):
        return "idul_adha"
    if name.startswith("Christmas"):
        return "natal"
    if name == "New Year's Day":
        return "tahun_baru"
    if "Election" in name:
        return "election"
    return "other"


def _calendar(years: range, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=list(years), language=language)


def _holiday_rows(years: range) -> list[dict[str, object]]:
    """One row per public holiday (several per date when holidays coincide); a fresh list."""
    return [dict(row) for row in _cached_holiday_rows(years.start, years.stop)]


@lru_cache(maxsize=64)
def _cached_holiday_rows(first_year: int, stop_year: int) -> tuple[dict[str, object], ...]:
    years = range(first_year, stop_year)
    cal_id = _calendar(years, "id")
    cal_en = _calendar(years, "en_US")
    rows: list[dict[str, object]] = []
    for day in sorted(cal_en):
        names_en = cal_en.get_list(day)
        names_id = cal_id.get_list(day)
        if len(names_id) != len(names_en):
            names_id = ["; ".join(names_id)] * len(names_en)
        for name_id, name_en in zip(names_id, names_en, strict=True):
            rows.append(
                {"date": day, "name_id": name_id, "name_en": name_en, "kind": _kind_of(name_en)}
            )
    return tuple(rows)


def _first_days(rows: list[dict[str, object]], english_name: str) -> list[date]:
    """Dates whose English name is exactly the first day of the given feast."""
    return sorted(
        {
            row["date"]  # type: ignore[misc]
            for row in rows
            if str(row["name_en"]).removesuffix(_ESTIMATED_SUFFIX) == english_name
        }
    )


def _years(start: date, end: date, pad: int = 1) -> range:
    return range(start.year - pad, end.year + pad + 1)


def holiday_table(start: date, end: date) -> pd.DataFrame:
    """Public holidays and derived Ramadan starts between ``start`` and ``end`` inclusive.

    Columns: date, name_id, name_en, kind (one of ``KINDS``), sorted by date.
    """
    rows = _holiday_rows(_years(start, end))
    for fitri in _first_days(rows, "Eid al-Fitr"):
        rows.append(
            {
                "date": fitri - timedelta(days=RAMADAN_DAYS),
                "name_id": "Awal Ramadan (perkiraan)",
                "name_en": "Start of Ramadan (approximate)",
                "kind": "ramadan_start",
            }
        )
    frame = pd.DataFrame(rows, columns=["date", "name_id", "name_en", "kind"])
    frame = frame[(frame["date"] >= start) & (frame["date"] <= end)]
    return frame.sort_values(["date", "kind"], kind="stable").reset_index(drop=True)


def idul_fitri_dates(start: date, end: date) -> list[date]:
    """The first day of Idul Fitri in each year, within ``start``..``end`` inclusive."""
    rows = _holiday_rows(_years(start, end, pad=0))
    return [d for d in _first_days(rows, "Eid al-Fitr") if start <= d <= end]


def idul_adha_dates(start: date, end: date) -> list[date]:
    """Idul Adha in each year, within ``start``..``end`` inclusive."""
    rows = _holiday_rows(_years(start, end, pad=0))
    return [d for d in _first_days(rows, "Eid al-Adha") if start <= d <= end]


def _mark(days: pd.DatetimeIndex, anchors: list[date], first: int, last: int) -> np.ndarray:
    """1.0 on days within ``anchor + first`` .. ``anchor + last`` (inclusive) of any anchor."""
    values = np.zeros(len(days))
    day_numbers = days.values.astype("datetime64[D]").astype(np.int64)
    for anchor in anchors:
        a = np.datetime64(anchor, "D").astype(np.int64)
        values[(day_numbers >= a + first) & (day_numbers <= a + last)] = 1.0
    return values


def _nataru(days: pd.DatetimeIndex) -> np.ndarray:
    month, day = days.month.to_numpy(), days.day.to_numpy()
    start_month, start_day = NATARU_START
    end_month, end_day = NATARU_END
    late_december = (month == start_month) & (day >= start_day)
    early_january = (month == end_month) & (day <= end_day)
    return (late_december | early_january).astype(float)


def daily_features(days: pd.DatetimeIndex) -> pd.DataFrame:
    """Calendar window indicators (0.0/1.0) for each day of a daily index."""
    days = pd.DatetimeIndex(days).normalize()
    if len(days) == 0:
        return pd.DataFrame(columns=list(FEATURE_COLUMNS), index=days, dtype=float)
    first, last = days.min().date(), days.max().date()
    # Windows reach up to 30 days before and 20 days after their anchor feast.
    fitri = idul_fitri_dates(first - timedelta(days=40), last + timedelta(days=40))
    adha = idul_adha_dates(first - timedelta(days=10), last + timedelta(days=10))
    lebaran_end = LEBARAN_DAYS - 1
    columns = {
        "ramadan": _mark(days, fitri, -RAMADAN_DAYS, -1),
        "pre_lebaran": _mark(days, fitri, -PRE_LEBARAN_DAYS, -1),
        "lebaran": _mark(days, fitri, 0, lebaran_end),
        "post_lebaran": _mark(days, fitri, lebaran_end + 1, lebaran_end + POST_LEBARAN_DAYS),
        "nataru": _nataru(days),
        "idul_adha_week": _mark(days, adha, -(IDUL_ADHA_WEEK_DAYS - 1), 0),
    }
    return pd.DataFrame(columns, index=days)


def _is_weekly(dates: pd.DatetimeIndex) -> bool:
    freq = dates.freqstr or (pd.infer_freq(dates) if len(dates) >= 3 else None)
    if freq:
        return freq.startswith("W")
    if len(dates) >= 2:
        return bool((np.diff(dates.values).astype("timedelta64[D]") == 7).all())
    return False


def calendar_features(dates: pd.DatetimeIndex, week_label: str = "end") -> pd.DataFrame:
    """Calendar window features indexed by ``dates``, as floats.

    For a daily index each column is 0.0/1.0. For a weekly index (e.g. ``W-MON``) each
    value is the share of the week's seven days inside the window. Weekly labels follow
    pandas ``resample("W-MON")``: a label is the last day of its week (``week_label="end"``);
    pass ``week_label="start"`` when labels are the first day of the week.
    """
    dates = pd.DatetimeIndex(dates)
    if not _is_weekly(dates):
        frame = daily_features(dates)
        frame.index = dates
        return frame
    if week_label not in {"end", "start"}:
        raise ValueError("week_label must be 'end' or 'start'")
    offset = -6 if week_label == "end" else 0
    labels = dates.normalize()
    span = pd.date_range(
        labels.min() + pd.Timedelta(days=offset), labels.max() + pd.Timedelta(days=offset + 6)
    )
    daily = daily_features(span)
    weekly = daily.rolling(7, min_periods=7).mean()  # value at day t = mean over t-6..t
    week_ends = labels + pd.Timedelta(days=offset + 6)
    frame = weekly.reindex(week_ends)
    frame.index = dates
    return frame
