"""Officer stock report uploads through ``services.officer_files`` (check, then load)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from services.common import ServiceError
from services.officer_files import check_officer_file, load_officer_file
from ui.i18n import text

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = {
    "laporan_stok.xlsx": ROOT / "data" / "templates" / "laporan_stok.xlsx",
    "laporan_stok.csv": ROOT / "data" / "templates" / "laporan_stok.csv",
}
MIME = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def templates() -> dict[str, bytes]:
    """Template files that exist, by download name."""
    return {name: path.read_bytes() for name, path in TEMPLATES.items() if path.is_file()}


@dataclass
class UploadStep:
    """One check or load: ``data`` holds counts, ``error_rows`` and ``preview`` for display."""

    ok: bool
    data: dict[str, Any] = field(default_factory=dict)
    message: str = ""


def preview(name: str, content: bytes, db: str, user: str) -> UploadStep:
    """Validate without writing: counts, per-row errors and a preview of the facts."""
    try:
        return UploadStep(True, check_officer_file(db, name, content, user).as_json())
    except ServiceError as problem:
        return UploadStep(False, message=str(problem))


def load_good_rows(name: str, content: bytes, db: str, user: str, partial: bool) -> UploadStep:
    """Load the file (only its good rows when ``partial``); the audit row is in the same run."""
    try:
        return UploadStep(True, load_officer_file(db, name, content, user, partial).as_json())
    except ServiceError as problem:
        return UploadStep(False, message=str(problem))


def error_rows(data: dict[str, Any], lang: str) -> pd.DataFrame:
    """Per-row problems: row number, column and the reason in the chosen language."""
    reason = "reason_id" if lang == "id" else "reason_en"
    rows = data.get("error_rows", [])
    return pd.DataFrame(
        {
            text("col_row", lang): [r.get("row") for r in rows],
            text("col_column", lang): [r.get("column") or "" for r in rows],
            text("col_reason", lang): [r.get(reason) or r.get("reason_en", "") for r in rows],
        }
    )


def preview_rows(
    data: dict[str, Any], region_names: dict[str, str], commodity_names: dict[str, str], lang: str
) -> pd.DataFrame:
    """The facts the good rows would load, in the chosen language."""
    rows = data.get("preview", [])
    return pd.DataFrame(
        {
            text("col_row", lang): [r.get("row") for r in rows],
            text("col_date", lang): [r.get("date") for r in rows],
            text("col_region", lang): [
                region_names.get(r.get("region_code"), r.get("region_code")) for r in rows
            ],
            text("col_commodity", lang): [
                commodity_names.get(r.get("commodity"), r.get("commodity")) for r in rows
            ],
            text("col_metric", lang): [text(f"metric_name_{r.get('metric')}", lang) for r in rows],
            text("col_value", lang): [f"{r.get('value'):,.1f} {r.get('unit', '')}" for r in rows],
        }
    )


def error_list(data: dict[str, Any], lang: str, limit: int = 20) -> str:
    """The first per-row problems as a Markdown bullet list (readable without the table)."""
    reason = "reason_id" if lang == "id" else "reason_en"
    rows = data.get("error_rows", [])[:limit]
    return "\n".join(f"- {r.get(reason) or r.get('reason_en', '')}" for r in rows)
