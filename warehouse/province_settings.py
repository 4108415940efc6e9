"""Per-province settings no national table gives (``data/provinces/<bps>.toml``).

A settings file holds the LPG 3 kg HET per kab/kota, province prices that differ by
province (non-subsidised fuel) and thresholds that differ from ``data/thresholds.csv``.
``JSW_PROVINCE_SETTINGS`` may point to another file. A province without a file still runs:
its LPG 3 kg HET is simply "not set" and the dashboard says so.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse import geography
from warehouse.reference import DATA_DIR

SETTINGS_DIR = DATA_DIR / "provinces"
SETTINGS_ENV = "JSW_PROVINCE_SETTINGS"
PRICE_COLUMNS = [
    "commodity",
    "scope",
    "region_code",
    "kind",
    "value",
    "unit",
    "valid_from",
    "valid_to",
    "source",
    "note",
]
# commodities whose HET only a province settings file gives (per kab/kota)
HET_FROM_SETTINGS = frozenset({"lpg_3kg"})
THRESHOLD_FIELDS = (
    "waspada_cover_days",
    "siaga_cover_days",
    "awas_cover_days",
    "waspada_price_pct",
    "siaga_price_pct",
    "awas_price_pct",
)


class SettingsError(ValueError):
    """A settings file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class ProvinceSettings:
    """The parsed settings of one province (empty when it has no file)."""

    province: str
    path: Path
    exists: bool
    lpg_het: dict[str, float] = field(default_factory=dict)
    lpg_source: str = ""
    lpg_note: str = ""
    lpg_notes: dict[str, str] = field(default_factory=dict)
    lpg_valid_from: dt.date | None = None
    prices: list[dict[str, Any]] = field(default_factory=list)
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)


def settings_path(code: str | None = None) -> Path:
    """The settings file of province ``code`` (``JSW_PROVINCE_SETTINGS`` wins when set)."""
    override = os.environ.get(SETTINGS_ENV)
    if override:
        return Path(override)
    return SETTINGS_DIR / f"{code or geography.province_code()}.toml"


def _date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SettingsError(f"{where}: {value!r} is not a date (write 2025-01-31)") from None


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise SettingsError(f"{where}: {value!r} is not a positive number")
    return float(value)


def _lpg(table: dict[str, Any], path: Path, regencies: set[str]) -> dict[str, Any]:
    values = {}
    for code, value in (table.get("values") or {}).items():
        where = f"{path.name} [lpg_3kg_het.values] {code}"
        if str(code) not in regencies:
            raise SettingsError(f"{where}: not a BPS kab/kota code of this province")
        values[str(code)] = _number(value, where)
    return {
        "lpg_het": values,
        "lpg_source": str(table.get("source", "")),
        "lpg_note": str(table.get("note", "")),
        "lpg_notes": {str(k): str(v) for k, v in (table.get("notes") or {}).items()},
        "lpg_valid_from": _date(table.get("valid_from", "2000-01-01"), f"{path.name} valid_from"),
    }


def _prices(items: list[dict[str, Any]], path: Path) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(items, start=1):
        where = f"{path.name} [[prices]] #{i}"
        missing = {"commodity", "kind", "value", "unit", "valid_from", "source"} - set(item)
        if missing:
            raise SettingsError(f"{where}: missing {', '.join(sorted(missing))}")
        out.append(
            {
                **item,
                "value": _number(item["value"], where),
                "valid_from": _date(item["valid_from"], where),
            }
        )
    return out


def _thresholds(table: dict[str, Any], path: Path) -> dict[str, dict[str, float]]:
    out = {}
    for commodity, values in table.items():
        unknown = set(values) - set(THRESHOLD_FIELDS)
        if unknown:
            raise SettingsError(f"{path.name} [thresholds.{commodity}]: unknown {sorted(unknown)}")
        out[commodity] = {
            k: _number(v, f"{path.name} [thresholds.{commodity}] {k}") if v else 0.0
            for k, v in values.items()
        }
    return out


def load_settings(code: str | None = None) -> ProvinceSettings:
    """Parse and check the settings of province ``code`` (default: the deployment's)."""
    code = code or geography.province_code()
    path = settings_path(code)
    if not path.is_file():
        return ProvinceSettings(code, path, exists=False)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot be read as TOML ({exc})") from exc
    regencies = set(geography.regions(code)["bps_code"])
    return ProvinceSettings(
        code,
        path,
        exists=True,
        **_lpg(raw.get("lpg_3kg_het") or {}, path, regencies),
        prices=_prices(raw.get("prices") or [], path),
        thresholds=_thresholds(raw.get("thresholds") or {}, path),
    )


def _rice_rows(code: str) -> pd.DataFrame:
    zone = geography.province(code).het_beras_zone
    frame = pd.read_csv(DATA_DIR / "het_beras.csv", dtype={"zone": "string"})
    frame = frame[frame["zone"] == str(zone)].copy()
    frame["scope"] = "province"
    frame["region_code"] = pd.NA
    frame["note"] = f"zona {zone} ({geography.province(code).name})"
    return frame


def reference_prices(code: str | None = None) -> pd.DataFrame:
    """Reference prices in force for the province: national, rice HET zone, its settings."""
    code = code or geography.province_code()
    settings = load_settings(code)
    national = pd.read_csv(DATA_DIR / "reference_prices.csv", dtype={"region_code": "string"})
    lpg = [
        {
            "commodity": "lpg_3kg",
            "scope": "regency",
            "region_code": region,
            "kind": "HET",
            "value": value,
            "unit": "Rp/tabung",
            "valid_from": settings.lpg_valid_from,
            "source": settings.lpg_source or settings.path.name,
            "note": settings.lpg_notes.get(region, settings.lpg_note),
        }
        for region, value in sorted(settings.lpg_het.items())
    ]
    province_rows = [{"scope": "province", **item} for item in settings.prices]
    frame = pd.concat(
        [_rice_rows(code), national, pd.DataFrame(province_rows), pd.DataFrame(lpg)],
        ignore_index=True,
    ).reindex(columns=PRICE_COLUMNS)
    for column in ("valid_from", "valid_to"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    frame["region_code"] = frame["region_code"].astype("string")
    frame["value"] = frame["value"].astype(float)
    return frame


def thresholds(code: str | None = None) -> pd.DataFrame:
    """``data/thresholds.csv`` with the province's overrides applied."""
    frame = pd.read_csv(DATA_DIR / "thresholds.csv")
    for commodity, values in load_settings(code).thresholds.items():
        mask = frame["commodity"] == commodity
        if not mask.any():
            raise SettingsError(f"[thresholds.{commodity}]: unknown commodity")
        for key, value in values.items():
            frame.loc[mask, key] = value
        frame.loc[mask, "source"] = "province settings"
    return frame


def lpg_het_missing(code: str | None = None) -> list[str]:
    """BPS codes of the province's kab/kota with no LPG 3 kg HET set."""
    code = code or geography.province_code()
    configured = set(load_settings(code).lpg_het)
    return [c for c in geography.regions(code)["bps_code"] if c not in configured]
