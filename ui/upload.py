"""Officer stock report uploads through ``services.officer_files`` (check, then load)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from services.common import ServiceError
from services.officer_files import check_officer_file, load_officer_file
from ui.format import number, plain, rupiah
from ui.i18n import text

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = {
    "laporan_stok.xlsx": ROOT / "data" / "templates" / "laporan_stok.xlsx",
    "laporan_stok.csv": ROOT / "data" / "templates" / "laporan_stok.csv",
    "laporan_harga.xlsx": ROOT / "data" / "templates" / "laporan_harga.xlsx",
    "laporan_harga.csv": ROOT / "data" / "templates" / "laporan_harga.csv",
}
MIME = {
    ".csv": "text/csv",
    ".xls": "application/vnd.ms-excel",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UPLOAD_TYPES = ["csv", "xlsx", "xls", "ods"]


def templates() -> dict[str, bytes]:
    """Template files that exist, by download name."""
    return {name: path.read_bytes() for name, path in TEMPLATES.items() if path.is_file()}


@dataclass
class UploadStep:
    """One check or load: ``data`` holds counts, ``error_rows`` and ``preview`` for display."""

    ok: bool
    data: dict[str, Any] = field(default_factory=dict)
    message: str = ""


def preview(
    name: str, content: bytes, db: str, user: str, aliases: dict[str, str] | None = None
) -> UploadStep:
    """Validate without writing: counts, per-row errors and a preview of the facts."""
    try:
        return UploadStep(True, check_officer_file(db, name, content, user, aliases).as_json())
    except ServiceError as problem:
        return UploadStep(False, message=str(problem))


def load_good_rows(
    name: str,
    content: bytes,
    db: str,
    user: str,
    partial: bool,
    aliases: dict[str, str] | None = None,
) -> UploadStep:
    """Load the file (only its good rows when ``partial``); the audit row is in the same run."""
    try:
        return UploadStep(
            True, load_officer_file(db, name, content, user, partial, aliases).as_json()
        )
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
            text("col_value", lang): [_value_label(r, lang) for r in rows],
        }
    )


def _value_label(row: dict[str, Any], lang: str) -> str:
    """``4.321 tabung`` / ``Rp 13.500`` in Indonesian, ``4,321 tabung`` in English."""
    value = row.get("value")
    decimals = 0 if value is None or float(value).is_integer() else 1
    unit = row.get("unit", "") or ""
    if str(row.get("metric", "")).startswith("price") and unit.startswith("Rp"):
        return f"{rupiah(value, lang)}{unit[2:]}"
    return f"{number(value, decimals, lang)} {unit}".strip()


def suggestion_options(data: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Unknown regency names of the checked file with the nearest known names."""
    return [(u.get("name", ""), u.get("suggestions", [])) for u in data.get("unknown_regions", [])]


def suggestion_choices(hints: list[dict[str, Any]], keep_label: str) -> dict[str, str]:
    """Selectbox label -> region code ('' keeps the name rejected); the best suggestion first."""
    labels = {f"{h.get('name')} ({h.get('code')})": str(h.get("code")) for h in hints}
    return {**labels, keep_label: ""}


def pick_region_aliases(
    data: dict[str, Any], aliases: dict[str, str], t: Callable[..., str]
) -> dict[str, str] | None:
    """Selectboxes for unknown regency names; the accepted mapping once the officer applies it."""
    unknown = suggestion_options(data)
    if not unknown:
        return None
    st.subheader(t("region_suggestions_title"))
    st.caption(t("region_suggestions_help"))
    picked = {}
    for position, (name, hints) in enumerate(unknown[:20]):
        labels = suggestion_choices(hints, t("region_keep_refused"))
        picked[name] = labels[
            st.selectbox(plain(name), list(labels), key=f"unggah_alias_{position}")
        ]
    if not st.button(t("apply_suggestions"), key="unggah_apply"):
        return None
    return {**aliases, **{name: code for name, code in picked.items() if code}}


def error_list(data: dict[str, Any], lang: str, limit: int = 20) -> str:
    """The first per-row problems as a Markdown bullet list (readable without the table)."""
    reason = "reason_id" if lang == "id" else "reason_en"
    rows = data.get("error_rows", [])[:limit]
    return "\n".join(f"- {r.get(reason) or r.get('reason_en', '')}" for r in rows)
