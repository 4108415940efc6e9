"""Indonesian number, money and date formatting (pure functions)."""

from __future__ import annotations

import datetime as dt
import math

MONTHS = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | int | None, decimals: int = 0, lang: str = "id") -> str:
    """``12345.6`` -> ``12.345,6`` (id) or ``12,345.6`` (en); missing -> ``–``."""
    if _missing(value):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def rupiah(value: float | int | None, lang: str = "id") -> str:
    """``13500`` -> ``Rp 13.500`` (whole rupiah)."""
    if _missing(value):
        return "–"
    return f"Rp {number(round(float(value)), 0, lang)}"


def percent(value: float | None, decimals: int = 1, lang: str = "id", signed: bool = True) -> str:
    """``12.34`` -> ``+12,3%``."""
    if _missing(value):
        return "–"
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{number(value, decimals, lang)}%"


def date_label(value: dt.date | dt.datetime | None, lang: str = "id", missing: str = "–") -> str:
    """``2024-08-07`` -> ``7 Agu 2024``; ``missing`` for None/NaN/NaT."""
    if value is None or _missing(value) or value != value:
        return missing
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"


MARKDOWN_SPECIALS = "\\`*_{}[]()<>#+-.!|~$:"


def plain(text: object) -> str:
    """``text`` with every Markdown/HTML special character escaped, so Streamlit shows it as
    typed: cell text from an upload never becomes a link, an image or formatting."""
    return "".join(f"\\{char}" if char in MARKDOWN_SPECIALS else char for char in str(text))
