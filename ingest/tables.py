"""Read an uploaded CSV or XLSX into rows of cells, safely and with spreadsheet row numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from ingest.errors import FileFormatError

CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx"}


@dataclass
class Table:
    """Header cells and data rows; ``rows`` holds (spreadsheet row number, cells)."""

    headers: list[str]
    rows: list[tuple[int, list[object]]]
    encoding: str = ""
    delimiter: str = ""


def _both(message_id: str, message_en: str) -> FileFormatError:
    return FileFormatError(f"{message_id} | {message_en}")


def check_size(path: Path, max_mb: float) -> None:
    """Refuse files larger than the upload limit (JSW_UPLOAD_MAX_MB)."""
    size_mb = path.stat().st_size / 1_000_000
    if size_mb > max_mb:
        raise _both(
            f"Berkas {path.name} berukuran {size_mb:.1f} MB, melebihi batas {max_mb:g} MB. "
            "Pecah berkas menjadi beberapa bagian lalu unggah ulang.",
            f"File {path.name} is {size_mb:.1f} MB, above the {max_mb:g} MB limit. "
            "Split it into smaller files and upload again.",
        )


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used in the header line: semicolon, tab or comma."""
    counts = {d: header_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(path: Path) -> Table:
    """CSV with comma, semicolon or tab delimiters, UTF-8 (BOM) or Windows-1252."""
    text, encoding = decode_text(path.read_bytes())
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if headers is None:
            headers = [c.strip() for c in cells]
            continue
        rows.append((reader.line_num, list(cells)))
    return Table(headers or [], rows, encoding, delimiter)


def _sheet_rows(sheet) -> list[tuple[int, list[object]]]:
    return [
        (number, list(values))
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        if any(v not in (None, "") for v in values)
    ]


def read_xlsx(path: Path, looks_like_header: Callable[[list[object]], bool] | None = None) -> Table:
    """One worksheet, read-only, cached values only (no formulas, macros or links).

    The sheet is the first one with a row that ``looks_like_header`` within its first ten
    rows (so an instructions sheet placed first is passed over), else the first sheet.
    """
    try:
        book = openpyxl.load_workbook(
            path, read_only=True, data_only=True, keep_links=False, keep_vba=False
        )
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for damaged files
        raise _both(
            f"Berkas {path.name} tidak dapat dibaca sebagai Excel (.xlsx). Simpan ulang dari Excel lalu unggah ulang.",
            f"File {path.name} cannot be read as Excel (.xlsx) ({exc.__class__.__name__}). Save it again and upload.",
        ) from exc
    try:
        rows = _sheet_rows(book.worksheets[0])
        if looks_like_header is not None:
            for sheet in book.worksheets:
                candidate = _sheet_rows(sheet)
                if any(looks_like_header(cells) for _, cells in candidate[:10]):
                    rows = candidate
                    break
    finally:
        book.close()
    if not rows:
        return Table([], [])
    headers = ["" if v is None else str(v).strip() for v in rows[0][1]]
    return Table(headers, rows[1:])


def read_table(
    path: Path,
    max_mb: float,
    max_rows: int,
    looks_like_header: Callable[[list[object]], bool] | None = None,
) -> Table:
    """Read a CSV or XLSX upload within the size and row limits."""
    if not path.is_file():
        raise _both(f"Berkas {path} tidak ditemukan.", f"File {path} not found.")
    check_size(path, max_mb)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        table = read_csv(path)
    elif suffix in XLSX_SUFFIXES:
        table = read_xlsx(path, looks_like_header)
    else:
        raise _both(
            f"Jenis berkas '{suffix}' tidak didukung. Simpan sebagai .csv atau .xlsx (bukan .xls/.xlsm).",
            f"File type '{suffix}' is not supported. Save as .csv or .xlsx (not .xls/.xlsm).",
        )
    if not table.headers:
        raise _both(f"Berkas {path.name} kosong.", f"File {path.name} is empty.")
    if len(table.rows) > max_rows:
        raise _both(
            f"Berkas berisi {len(table.rows)} baris, melebihi batas {max_rows}. Pecah berkas lalu unggah ulang.",
            f"The file has {len(table.rows)} rows, above the {max_rows} limit. Split it and upload again.",
        )
    return table
