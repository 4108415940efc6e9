"""Indonesian (and English) number, money, percent and date formatting: the one home.

Used by the dashboard (``ui/format.py``), the reasons the forecasting batch writes
(``forecasting/text.py``) and the weekly brief (``reports/brief.py``), so ``Rp 13.500``,
``12.345,6``, ``+2,5%`` and ``7 Agu 2024`` look the same everywhere. Pure functions; a
missing value (None, NaN, NaT, ``pd.NA``) prints as ``–``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

MISSING = "–"
MONTHS = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and ``pd.NA``."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # containers are never "missing" scalars
        return False


def number(value: float | int | None, decimals: int = 0, lang: str = "id") -> str:
    """``12345.6`` -> ``12.345,6`` (id) or ``12,345.6`` (en)."""
    if is_missing(value):
        return MISSING
    text = f"{float(value):,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def rupiah(value: float | int | None, lang: str = "id") -> str:
    """``13500`` -> ``Rp 13.500`` (whole rupiah)."""
    if is_missing(value):
        return MISSING
    return f"Rp {number(round(float(value)), 0, lang)}"


def percent(value: float | None, decimals: int = 1, lang: str = "id", signed: bool = True) -> str:
    """``12.34`` -> ``+12,3%`` (``12,3%`` with ``signed=False``)."""
    if is_missing(value):
        return MISSING
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{number(value, decimals, lang)}%"


def date_label(
    value: dt.date | dt.datetime | None, lang: str = "id", missing: str = MISSING
) -> str:
    """``2024-08-07`` -> ``7 Agu 2024`` (id) or ``7 Aug 2024`` (en)."""
    if is_missing(value):
        return missing
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"


def month_label(value: dt.date, lang: str = "id", year: bool = True) -> str:
    """``2024-08-07`` -> ``Agu 2024`` (or ``Agu``)."""
    name = MONTHS[lang][value.month - 1]
    return f"{name} {value.year}" if year else name
