"""The status scale shared by forecasting, pages and reports (one definition everywhere)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    """One step of the status scale."""

    value: int
    code: str
    label_id: str
    label_en: str
    colour: str
    meaning_id: str
    meaning_en: str


LEVELS: tuple[Level, ...] = (
    Level(
        0, "aman", "Aman", "Safe", "#2e7d32", "Pasokan dan harga normal", "Supply and price normal"
    ),
    Level(1, "waspada", "Waspada", "Watch", "#f9a825", "Perlu dipantau", "Needs watching"),
    Level(2, "siaga", "Siaga", "Warning", "#ef6c00", "Perlu tindakan segera", "Action needed soon"),
    Level(
        3, "awas", "Awas", "Critical", "#c62828", "Kritis: tindakan hari ini", "Critical: act today"
    ),
)
NO_DATA_COLOUR = "#9e9e9e"
NOT_ASSESSED = Level(
    -1,
    "belum_dinilai",
    "Belum dinilai",
    "Not assessed",
    NO_DATA_COLOUR,
    "Data belum cukup untuk dinilai",
    "Not enough data to assess",
)


def level(value: int) -> Level:
    """The level for an integer 0..3; below 0 (no rule had its input) is ``NOT_ASSESSED``."""
    if int(value) < 0:
        return NOT_ASSESSED
    return LEVELS[min(int(value), len(LEVELS) - 1)]


def label(value: int, lang: str = "id") -> str:
    """The level's name in the given language."""
    item = level(value)
    return item.label_id if lang == "id" else item.label_en
