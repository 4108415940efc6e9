"""The weekly export for the governor's office, built in memory.

``prepare_weekly`` builds the tables (the command line writes them to disk with
``reports.export.write_export``); ``build_weekly_export`` also renders every file and the
manifest as bytes for the dashboard's downloads, so no temporary folder is ever written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field

import pandas as pd

from reports.export import build_manifest, file_suffix, render_files
from reports.weekly import NoData, StaleData, WeeklyExport, build_weekly
from reports.weeks import IsoWeek, parse_week
from services.common import ServiceError, require_user
from warehouse.db import WarehouseBusy, WarehouseMissing

PathLike = str | os.PathLike[str] | None
DIALECTS = ("standard", "excel-id")
FORMATS = ("csv", "xlsx")


class NoExportData(ServiceError):
    """No warehouse, no data at all, or none in the requested week."""


class StaleExport(ServiceError):
    """The newest data is older than the staleness limit (and stale exports were not asked)."""

    def __init__(self, message: str, data_as_of: dt.date, age_days: int) -> None:
        super().__init__(message)
        self.data_as_of = data_as_of
        self.age_days = age_days


class ExportBusy(ServiceError):
    """The warehouse is being refreshed."""


@dataclass(frozen=True)
class WeeklyRequest:
    """Which export: ISO week (None = the last complete week of the data), dialect, format."""

    week: IsoWeek | None = None
    dialect: str = "standard"
    fmt: str = "csv"
    allow_stale: bool = False
    brief: bool = True
    today: dt.date | None = None
    price_days: tuple[int, ...] | None = None
    stale_days: int | None = None


@dataclass(frozen=True)
class WeeklyFiles:
    """A built export: its files (name -> bytes, manifest included) and tables to preview."""

    week: str
    data_as_of: dt.date
    stale: bool
    files: dict[str, bytes]
    tables: dict[str, pd.DataFrame]
    rows: dict[str, int]
    notes: list[str] = field(default_factory=list)


def week_from_text(text: str | None) -> IsoWeek | None:
    """``2026-W47`` -> the week; blank -> None; anything else -> ``ServiceError``."""
    if not text or not text.strip():
        return None
    try:
        return parse_week(text.strip())
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc


def prepare_weekly(db: PathLike, request: WeeklyRequest) -> WeeklyExport:
    """The export's tables, or a ``ServiceError`` saying why there is none."""
    if request.dialect not in DIALECTS or request.fmt not in FORMATS:
        raise ServiceError(f"unknown dialect/format {request.dialect!r}/{request.fmt!r}")
    try:
        return build_weekly(
            db,
            request.week,
            today=request.today,
            price_days=request.price_days,
            stale_days=request.stale_days,
            allow_stale=request.allow_stale,
        )
    except StaleData as exc:
        raise StaleExport(str(exc), exc.data_as_of, exc.age_days) from exc
    except (NoData, WarehouseMissing) as exc:
        raise NoExportData(str(exc)) from exc
    except WarehouseBusy as exc:
        raise ExportBusy(
            f"Data sedang diperbarui, coba lagi sebentar. / Data is refreshing, retry. ({exc})"
        ) from exc


def build_weekly_export(db: PathLike, request: WeeklyRequest, user: str | None) -> WeeklyFiles:
    """Build the export for a logged-in officer, every file rendered in memory."""
    require_user(user)
    export = prepare_weekly(db, request)
    rendered = render_files(export, request.dialect, request.fmt, request.brief)
    manifest = build_manifest(export, rendered, request.dialect, request.fmt)
    suffix = file_suffix(request.dialect, request.fmt) or ("_xlsx" if request.fmt == "xlsx" else "")
    files = {name: data for name, (data, _rows) in rendered.items()}
    manifest_name = f"jsw_weekly_manifest_{export.week.label}{suffix}.json"
    files[manifest_name] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    return WeeklyFiles(
        export.week.label,
        export.data_as_of,
        export.stale,
        files,
        export.tables,
        manifest["rows"],
        export.notes,
    )
