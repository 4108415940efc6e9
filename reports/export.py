"""Write one weekly export to disk: files named by week, a manifest, and an archive copy.

Layout under the output folder::

    jsw_weekly_detail_2026-W47.csv          (standard dialect; ``_excel-id`` suffix otherwise)
    jsw_weekly_commodities_2026-W47.csv
    jsw_weekly_regencies_2026-W47.csv
    jsw_weekly_2026-W47.xlsx                (--format xlsx: one workbook, three sheets)
    jsw_weekly_brief_2026-W47.html          (--brief)
    jsw_weekly_manifest_2026-W47.json
    archive/2026-W47/<digest>/...           (copies of the files + manifest.json)

The archive folder name is the first 16 hex digits of a hash over the files' sha256 sums, so
running twice on the same warehouse rewrites identical bytes, and a revised export lands in
a new folder beside the old one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reports import settings
from reports.brief import brief_html
from reports.weekly import WeeklyExport
from reports.writers import csv_bytes, write_atomic, xlsx_bytes

SHEET_NAMES = {"detail": "detail", "commodities": "komoditas", "regencies": "kabkota"}


@dataclass(frozen=True)
class WrittenExport:
    """Where an export was written and what it holds."""

    files: list[Path]
    manifest_path: Path
    archive_dir: Path
    manifest: dict


def file_suffix(dialect: str, fmt: str) -> str:
    """Name suffix that keeps the variants of one week apart (standard CSV has none)."""
    if fmt == "xlsx":
        return ""
    return "" if dialect == "standard" else f"_{dialect}"


def render_files(
    export: WeeklyExport, dialect: str = "standard", fmt: str = "csv", brief: bool = False
) -> dict[str, tuple[bytes, int]]:
    """File name -> (bytes, data rows) for one export, without touching the disk."""
    label = export.week.label
    suffix = file_suffix(dialect, fmt)
    files: dict[str, tuple[bytes, int]] = {}
    if fmt == "csv":
        for name, table in export.tables.items():
            files[f"jsw_weekly_{name}_{label}{suffix}.csv"] = (
                csv_bytes(table, dialect),
                len(table),
            )
    elif fmt == "xlsx":
        sheets = {SHEET_NAMES[name]: table for name, table in export.tables.items()}
        data = xlsx_bytes(sheets, export.data_as_of, title=f"Jambi Supply Watch {label}")
        files[f"jsw_weekly_{label}.xlsx"] = (data, len(export.detail))
    else:
        raise ValueError(f"Unknown format {fmt!r}; use csv or xlsx")
    if brief:
        files[f"jsw_weekly_brief_{label}.html"] = (brief_html(export).encode("utf-8"), 0)
    return files


def build_manifest(
    export: WeeklyExport, files: dict[str, tuple[bytes, int]], dialect: str, fmt: str
) -> dict:
    """The manifest: what was exported, from which data, with checksums (no clock time)."""
    return {
        "schema_version": settings.SCHEMA_VERSION,
        "week": export.week.label,
        "week_start": export.week.monday.isoformat(),
        "week_end": export.week.sunday.isoformat(),
        "price_days": settings.price_days_label(export.price_days),
        "data_as_of": export.data_as_of.isoformat(),
        "stale": export.stale,
        "status_run_id": export.status_run_id,
        "dialect": dialect if fmt == "csv" else None,
        "format": fmt,
        "rows": {name: len(table) for name, table in export.tables.items()},
        "files": [
            {
                "name": name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "rows": rows,
            }
            for name, (data, rows) in sorted(files.items())
        ],
        "notes": export.notes,
    }


def manifest_digest(manifest: dict) -> str:
    """A short stable digest over the manifest (identifies one archived export)."""
    text = json.dumps(manifest, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write_export(
    export: WeeklyExport,
    out_dir: Path,
    dialect: str = "standard",
    fmt: str = "csv",
    brief: bool = False,
) -> WrittenExport:
    """Write the files, the manifest and the archive copy; safe to run twice."""
    files = render_files(export, dialect, fmt, brief)
    manifest = build_manifest(export, files, dialect, fmt)
    manifest_bytes = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    archive_dir = out_dir / "archive" / export.week.label / manifest_digest(manifest)
    written = []
    for name, (data, _rows) in files.items():
        write_atomic(archive_dir / name, data)
        write_atomic(out_dir / name, data)
        written.append(out_dir / name)
    write_atomic(archive_dir / "manifest.json", manifest_bytes)
    suffix = file_suffix(dialect, fmt) or ("_xlsx" if fmt == "xlsx" else "")
    manifest_path = out_dir / f"jsw_weekly_manifest_{export.week.label}{suffix}.json"
    write_atomic(manifest_path, manifest_bytes)
    return WrittenExport(written, manifest_path, archive_dir, manifest)


def read_back(path: Path, dialect: str = "standard") -> pd.DataFrame:
    """Read an exported CSV back with pandas (BOM, separator and decimal mark of the dialect)."""
    from reports.writers import DIALECTS

    separator, decimal = DIALECTS[dialect]
    return pd.read_csv(
        path,
        sep=separator,
        decimal=decimal,
        encoding="utf-8-sig",
        dtype={"region_code": str, "top_rise_region_code": str},
    )
