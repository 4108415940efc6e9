"""Read an uploaded CSV or XLSX into rows of cells, safely and with spreadsheet row numbers."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from ingest.errors import FileFormatError

CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx"}
# A workbook may unpack to at most this many times the upload size limit.
XLSX_UNPACK_FACTOR = 20


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


def _refuse_binary(path: Path, data: bytes) -> None:
    """NUL bytes never occur in a CSV saved as text (binary, UTF-16, a renamed workbook)."""
    if b"\x00" in data:
        raise _both(
            f"Berkas {path.name} bukan berkas teks CSV (mungkin berkas Excel/gambar yang diganti "
            "namanya, atau teks UTF-16). Simpan sebagai 'CSV UTF-8' lalu unggah ulang.",
            f"File {path.name} is not a text CSV file (perhaps a renamed workbook or image, or "
            "UTF-16 text). Save it as 'CSV UTF-8' and upload again.",
        )


def read_csv(path: Path) -> Table:
    """CSV with comma, semicolon or tab delimiters, UTF-8 (BOM) or Windows-1252."""
    data = path.read_bytes()
    _refuse_binary(path, data)
    text, encoding = decode_text(data)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if headers is None:
                headers = [c.strip() for c in cells]
                continue
            rows.append((reader.line_num, list(cells)))
    except csv.Error as exc:
        raise _both(
            f"Berkas {path.name} rusak di sekitar baris {reader.line_num} ({exc}). "
            "Periksa tanda kutip dan sel yang sangat panjang, lalu unggah ulang.",
            f"File {path.name} is damaged near line {reader.line_num} ({exc}). "
            "Check quotes and very long cells, then upload again.",
        ) from None
    return Table(headers or [], rows, encoding, delimiter)


def _sheet_rows(sheet, limit: int | None = None) -> list[tuple[int, list[object]]]:
    """Non-empty rows with their spreadsheet numbers; stops after ``limit`` rows."""
    rows: list[tuple[int, list[object]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if any(v not in (None, "") for v in values):
            rows.append((number, list(values)))
            if limit is not None and len(rows) > limit:
                break
    return rows


def check_unpacked_size(path: Path, max_mb: float) -> None:
    """Refuse workbooks that unpack to far more than the upload limit (zip bombs)."""
    limit = max_mb * XLSX_UNPACK_FACTOR * 1_000_000
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl reports an unreadable workbook with its own message
    if unpacked > limit:
        raise _both(
            f"Berkas {path.name} terlalu besar saat dibuka ({unpacked / 1_000_000:.0f} MB, batas "
            f"{limit / 1_000_000:.0f} MB). Salin datanya ke templat baru lalu unggah ulang.",
            f"File {path.name} is too large when unpacked ({unpacked / 1_000_000:.0f} MB, limit "
            f"{limit / 1_000_000:.0f} MB). Copy the data into a fresh template and upload again.",
        )


def read_xlsx(
    path: Path,
    looks_like_header: Callable[[list[object]], bool] | None = None,
    max_rows: int | None = None,
) -> Table:
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
        limit = None if max_rows is None else max_rows + 1
        rows = _sheet_rows(book.worksheets[0], limit)
        if looks_like_header is not None:
            for sheet in book.worksheets:
                candidate = _sheet_rows(sheet, limit)
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
        check_unpacked_size(path, max_mb)
        table = read_xlsx(path, looks_like_header, max_rows)
    else:
        raise _both(
            f"Jenis berkas '{suffix}' tidak didukung. Simpan sebagai .csv atau .xlsx (bukan .xls/.xlsm).",
            f"File type '{suffix}' is not supported. Save as .csv or .xlsx (not .xls/.xlsm).",
        )
    if not table.headers:
        raise _both(f"Berkas {path.name} kosong.", f"File {path.name} is empty.")
    if not table.rows:
        raise _both(
            f"Berkas {path.name} hanya berisi judul kolom, tidak ada baris data. Isi datanya lalu unggah ulang.",
            f"File {path.name} holds column headers but no data rows. Fill in the data and upload again.",
        )
    if len(table.rows) > max_rows:
        counted = f"lebih dari {max_rows}" if suffix in XLSX_SUFFIXES else str(len(table.rows))
        counted_en = f"more than {max_rows}" if suffix in XLSX_SUFFIXES else str(len(table.rows))
        raise _both(
            f"Berkas berisi {counted} baris, melebihi batas {max_rows}. Pecah berkas lalu unggah ulang.",
            f"The file has {counted_en} rows, above the {max_rows} limit. Split it and upload again.",
        )
    return table
