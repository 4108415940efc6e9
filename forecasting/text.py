"""Small formatters for reasons written in Indonesian and English.

Numbers, money and dates come from ``warehouse/formats.py`` and level names from
``warehouse/levels.py`` (the homes shared with the dashboard and the weekly brief).
"""

from __future__ import annotations

import datetime as dt

from warehouse import formats, levels

MONTHS = formats.MONTHS
REFERENCE_NAMES = {
    "HET": ("HET", "ceiling price (HET)"),
    "HAP": ("HAP", "reference price (HAP)"),
    "harga_subsidi": ("harga subsidi", "subsidised price"),
    "harga_jual": ("harga jual resmi", "official list price"),
}
num = formats.number
rp = formats.rupiah


def pct(value: float | None, decimals: int = 1, lang: str = "id") -> str:
    """``12.34`` -> ``12,3%`` (no plus sign: the reasons say "above"/"below" in words)."""
    return formats.percent(value, decimals, lang, signed=False)


def day_label(value: dt.date | None, lang: str = "id") -> str:
    """``2024-08-07`` -> ``7 Agu 2024``."""
    return formats.date_label(value, lang)


def reference_name(kind: str, lang: str = "id") -> str:
    """Readable name of a reference price kind (HET, harga subsidi, ...)."""
    names = REFERENCE_NAMES.get(kind, (kind, kind))
    return names[0] if lang == "id" else names[1]


def level_name(level: int, lang: str = "id") -> str:
    """Name of a status level 0..3."""
    return levels.label(level, lang)


def per_unit(price_unit: str) -> str:
    """``Rp/kg`` -> ``/kg``."""
    return "/" + price_unit.split("/", 1)[1] if "/" in price_unit else ""
