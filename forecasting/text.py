"""Small formatters for reasons written in Indonesian and English (no ``ui`` import)."""

from __future__ import annotations

import datetime as dt
import math

MONTHS = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
REFERENCE_NAMES = {
    "HET": ("HET", "ceiling price (HET)"),
    "HAP": ("HAP", "reference price (HAP)"),
    "harga_subsidi": ("harga subsidi", "subsidised price"),
    "harga_jual": ("harga jual resmi", "official list price"),
}
LEVEL_NAMES = {
    "id": ("Aman", "Waspada", "Siaga", "Awas"),
    "en": ("Safe", "Watch", "Warning", "Critical"),
}


def num(value: float | None, decimals: int = 0, lang: str = "id") -> str:
    """``1234.5`` -> ``1.234,5`` (id) or ``1,234.5`` (en); missing -> ``–``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def rp(value: float | None, lang: str = "id") -> str:
    """``13500`` -> ``Rp 13.500``."""
    text = num(None if value is None else round(float(value)), 0, lang)
    return "–" if text == "–" else f"Rp {text}"


def pct(value: float | None, decimals: int = 1, lang: str = "id") -> str:
    """``12.34`` -> ``12,3%``."""
    text = num(value, decimals, lang)
    return "–" if text == "–" else f"{text}%"


def day_label(value: dt.date | None, lang: str = "id") -> str:
    """``2024-08-07`` -> ``7 Agu 2024``."""
    if value is None:
        return "–"
    return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"


def reference_name(kind: str, lang: str = "id") -> str:
    """Readable name of a reference price kind (HET, harga subsidi, ...)."""
    names = REFERENCE_NAMES.get(kind, (kind, kind))
    return names[0] if lang == "id" else names[1]


def level_name(level: int, lang: str = "id") -> str:
    """Name of a status level 0..3."""
    return LEVEL_NAMES[lang][max(0, min(int(level), 3))]


def per_unit(price_unit: str) -> str:
    """``Rp/kg`` -> ``/kg``."""
    return "/" + price_unit.split("/", 1)[1] if "/" in price_unit else ""
