"""Officer stock reports (CSV/XLSX): check without writing, then load the good rows.

The uploaded bytes go to a private temporary folder only for the length of one call (the
file readers work on paths) and are removed afterwards. A load writes the run, its facts,
its rejected rows and the ``upload_loaded`` audit row in one transaction.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.loader import RunAudit, audited_as
from ingest.officer_file import import_file
from services.common import ServiceError, require_user

PathLike = str | os.PathLike[str] | None
SUFFIXES = (".csv", ".xlsx", ".xls", ".ods")


@dataclass(frozen=True)
class OfficerFileResult:
    """What a check or a load found: counts, per-row problems and a preview of the facts."""

    file_name: str
    status: str  # dry_run | needs_confirmation | success
    run_id: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    rows_loaded: int
    message: str = ""
    error_rows: list[dict[str, Any]] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    # everything else the import reported (notes, unknown regency names with suggestions, ...)
    report: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            **self.report,
            "file": self.file_name,
            "status": self.status,
            "run_id": self.run_id,
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
            "rows_loaded": self.rows_loaded,
            "message": self.message,
            "error_rows": self.error_rows,
            "preview": self.preview,
        }


@contextlib.contextmanager
def uploaded_file(name: str, content: bytes) -> Iterator[Path]:
    """The bytes as a file with the upload's name, in a folder removed on exit."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ServiceError(
            f"{Path(name).name}: hanya berkas .csv, .xlsx, .xls atau .ods / "
            "only .csv, .xlsx, .xls or .ods files"
        )
    with tempfile.TemporaryDirectory(prefix="jsw-upload-") as folder:
        target = Path(folder) / Path(name).name
        if target.suffix != suffix:
            target = target.with_suffix(suffix)
        target.write_bytes(content)
        yield target


def _result(name: str, outcome: Any) -> OfficerFileResult:
    details = outcome.details
    if outcome.status == "failed":
        raise ServiceError(f"{name}: {outcome.message}")
    return OfficerFileResult(
        name,
        outcome.status,
        outcome.run_id,
        int(details.get("file_rows", outcome.rows_read)),
        int(details.get("rows_accepted", 0)),
        int(outcome.rows_rejected),
        int(outcome.rows_loaded),
        outcome.message,
        list(details.get("error_rows", [])),
        list(details.get("preview", [])),
        outcome.as_json(),
    )


def check_officer_file(
    db: PathLike, name: str, content: bytes, user: str | None,
    aliases: dict[str, str] | None = None,
) -> OfficerFileResult:  # fmt: skip
    """Validate the file without writing anything: counts, per-row errors, preview.

    ``aliases`` maps regency names the officer resolved (from the suggestions) to BPS codes.
    """
    officer = require_user(user)
    with uploaded_file(name, content) as path:
        outcome, _code = import_file(
            path, dry_run=True, user=officer, db=_text(db), aliases=aliases
        )
    return _result(name, outcome)


def load_officer_file(
    db: PathLike, name: str, content: bytes, user: str | None, accept_partial: bool,
    aliases: dict[str, str] | None = None,
) -> OfficerFileResult:  # fmt: skip
    """Load the file (only its good rows when ``accept_partial``), audited in the same run."""
    officer = require_user(user)
    entry = RunAudit("upload_loaded", officer, Path(name).name)
    with uploaded_file(name, content) as path, audited_as(entry):
        outcome, _code = import_file(
            path, accept_partial=accept_partial, user=officer, db=_text(db), aliases=aliases
        )
    result = _result(name, outcome)
    if result.status != "success":
        raise ServiceError(result.message or result.status)
    return result


def _text(db: PathLike) -> str | None:
    return None if db is None else str(db)
