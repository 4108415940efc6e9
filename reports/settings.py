"""Report settings: which weekdays count for prices, staleness limit, schema version.

Settings come from CLI options first, then environment variables, then defaults:

* ``JSW_REPORT_PRICE_DAYS`` (default ``mon-wed``): weekdays whose prices count, as a range
  (``mon-wed``, ``mon-sun``) or a comma list (``mon,wed,fri``).
* ``JSW_STALE_DAYS`` (default ``3``): refuse to export when the newest data is older than this
  many days before ``--today``.
* ``JSW_REPORT_DIR`` (default ``exports/weekly``): output folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from warehouse import cover

SCHEMA_VERSION = "1"
DEFAULT_PRICE_DAYS = "mon-wed"
DEFAULT_STALE_DAYS = 3
HOLD_THRESHOLD_PCT = 0.5
COVER_WINDOW_DAYS = cover.COVER_WINDOW_DAYS  # one home: warehouse/cover.py
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT_DIR = ROOT / "exports" / "weekly"

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class SettingError(ValueError):
    """A setting or option value that cannot be understood."""


def parse_price_days(text: str) -> tuple[int, ...]:
    """``"mon-wed"`` -> ``(0, 1, 2)``; ``"mon,fri"`` -> ``(0, 4)`` (0 = Monday)."""
    days: set[int] = set()
    for part in str(text).lower().replace(" ", "").split(","):
        if not part:
            continue
        ends = part.split("-")
        if len(ends) > 2 or any(end not in WEEKDAYS for end in ends):
            raise SettingError(
                f"Hari harga tidak dikenal / unknown price days: {text!r}. "
                "Pakai misalnya / use e.g. 'mon-wed', 'mon-sun' atau 'mon,wed,fri'."
            )
        first, last = WEEKDAYS.index(ends[0]), WEEKDAYS.index(ends[-1])
        if last < first:
            raise SettingError(f"Rentang hari terbalik / reversed day range: {part!r}")
        days.update(range(first, last + 1))
    if not days:
        raise SettingError("Hari harga kosong / no price days given")
    return tuple(sorted(days))


def price_days_label(days: tuple[int, ...]) -> str:
    """``(0, 1, 2)`` -> ``"mon-wed"``; non-contiguous days -> ``"mon,wed"``."""
    if list(days) == list(range(days[0], days[-1] + 1)) and len(days) > 1:
        return f"{WEEKDAYS[days[0]]}-{WEEKDAYS[days[-1]]}"
    return ",".join(WEEKDAYS[d] for d in days)


def price_days_setting(option: str | None = None) -> tuple[int, ...]:
    """The weekdays that count for prices: option, else ``JSW_REPORT_PRICE_DAYS``, else Mon–Wed."""
    return parse_price_days(option or os.environ.get("JSW_REPORT_PRICE_DAYS") or DEFAULT_PRICE_DAYS)


def stale_days_setting(option: int | None = None) -> int:
    """Maximum age in days of the newest data: option, else ``JSW_STALE_DAYS``, else 3."""
    if option is not None:
        return int(option)
    text = os.environ.get("JSW_STALE_DAYS")
    if not text:
        return DEFAULT_STALE_DAYS
    try:
        value = int(text)
    except ValueError:
        raise SettingError(
            f"JSW_STALE_DAYS harus bilangan bulat / must be an integer: {text!r}"
        ) from None
    if value < 0:
        raise SettingError(f"JSW_STALE_DAYS tidak boleh negatif / must not be negative: {value}")
    return value


def out_dir_setting(option: str | os.PathLike[str] | None = None) -> Path:
    """Output folder: option, else ``JSW_REPORT_DIR``, else ``exports/weekly``."""
    if option:
        return Path(option)
    env = os.environ.get("JSW_REPORT_DIR")
    return Path(env) if env else DEFAULT_OUT_DIR
