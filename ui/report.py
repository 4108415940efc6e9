"""The weekly export for the governor's office, built by ``python -m reports weekly``."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from ui.jobs import JobResult, run_cli

MIME = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html",
    ".json": "application/json",
}


def weekly_args(week: str | None, dialect: str, fmt: str, allow_stale: bool, out: str) -> list[str]:
    """Arguments of ``python -m reports weekly`` for the chosen options."""
    args = ["weekly", "--json", "--brief", "--out", out, "--dialect", dialect, "--format", fmt]
    if week:
        args += ["--week", week]
    if allow_stale:
        args.append("--allow-stale")
    return args


def build_weekly(db: str, week: str | None, dialect: str, fmt: str, allow_stale: bool) -> JobResult:
    """Write the export into a fresh private folder and return the CLI's JSON result."""
    out = tempfile.mkdtemp(prefix="jsw-weekly-")
    return run_cli("reports", weekly_args(week, dialect, fmt, allow_stale, out), db=db, timeout=300)


def output_files(data: dict[str, Any]) -> dict[str, bytes]:
    """File name -> bytes for every file the export wrote (plus its manifest)."""
    paths = [Path(p) for p in data.get("files", [])]
    if data.get("manifest"):
        paths.append(Path(data["manifest"]))
    return {path.name: path.read_bytes() for path in paths if path.is_file()}


def preview_table(data: dict[str, Any], kind: str) -> pd.DataFrame:
    """The ``regencies`` or ``commodities`` table of the export, read back for display."""
    for name in data.get("files", []):
        path = Path(name)
        if f"_{kind}_" not in path.name:
            continue
        if path.suffix == ".xlsx":
            return pd.read_excel(path)
        return pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig", dtype=str)
    return pd.DataFrame()


def mime_of(name: str) -> str:
    """MIME type for a download button."""
    return MIME.get(Path(name).suffix.lower(), "application/octet-stream")


def data_date(data: dict[str, Any]) -> dt.date | None:
    """The export's "data as of" date."""
    value = data.get("data_as_of")
    return dt.date.fromisoformat(value) if value else None
