"""Read an uploaded CSV, XLSX, XLS or ODS into sheets of rows, safely and with bounded work.

Workbooks are read by python-calamine (cached values only: no formulas, macros or links run).
Every sheet is returned, so the parser can account for each one. Work is bounded whatever
the file declares: at most ``MAX_COLUMNS`` columns and ``MAX_SHEETS`` sheets are read, and a
row limit (empty rows included) stops a sheet early; cut-offs are reported in ``Book.notes``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from charset_normalizer import from_bytes

from ingest.errors import FileFormatError

CSV_SUFFIXES = {".csv", ".txt"}
WORKBOOK_SUFFIXES = {".xlsx", ".xls", ".ods"}
XLSX_SUFFIXES = {".xlsx"}
ZIP_SUFFIXES = {".xlsx", ".ods"}
# A workbook may unpack to at most this many times the upload size limit.
XLSX_UNPACK_FACTOR = 20
# ... and never to more than this, whatever the size limit (the command line allows 200 MB
# files; a 100,000-row sheet unpacks to well under 100 MB).
MAX_UNPACKED_MB = 250
# No layout uses more columns than this (the widest real sample has 39).
MAX_COLUMNS = 64
# Sheets read from one workbook; further sheets are named as not read.
MAX_SHEETS = 50
# Empty rows scanned beyond the row limit before a sheet is cut off.
EMPTY_ROW_SLACK = 1_000
DELIMITERS = ";,\t|"
# A sheet whose real cells span more than this many positions is refused before it is read
# (the workbook reader holds a sheet as a dense grid: one stray cell at XFD1048576 would not fit).
MAX_GRID_CELLS = 5_000_000
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')

Row = tuple[int, list[object]]


@dataclass
class Table:
    """Header cells and data rows; ``rows`` holds (spreadsheet row number, cells)."""

    headers: list[str]
    rows: list[Row]
    encoding: str = ""
    delimiter: str = ""


@dataclass
class Sheet:
    """The non-empty rows of one sheet (or of a CSV file), with their spreadsheet numbers."""

    name: str
    rows: list[Row]


@dataclass
class Book:
    """All sheets of an upload and what the reader had to leave out."""

    kind: str
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def _both(message_id: str, message_en: str) -> FileFormatError:
    return FileFormatError(f"{message_id} | {message_en}")


def check_size(path: Path, max_mb: float) -> None:
    """Refuse files larger than the size limit (JSW_UPLOAD_MAX_MB for uploads)."""
    size_mb = path.stat().st_size / 1_000_000
    if size_mb > max_mb:
        raise _both(
            f"Berkas {path.name} berukuran {size_mb:.1f} MB, melebihi batas {max_mb:g} MB. "
            "Pecah berkas menjadi beberapa bagian lalu unggah ulang.",
            f"File {path.name} is {size_mb:.1f} MB, above the {max_mb:g} MB limit. "
            "Split it into smaller files and upload again.",
        )


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, else Windows-1252 (what Excel in Indonesia
    saves), else the encoding charset-normalizer finds (it guesses worse on short Latin text)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    best = from_bytes(data[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample (``csv.Sniffer`` over ; , tab |), else the one most lines use."""
    lines = [line for line in sample.splitlines() if line.strip()][:20]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:  # title lines above the table: the delimiter most lines use
        counts = {d: (sum(d in line for line in lines), sample.count(d)) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best][0] else ","


def _refuse_binary(path: Path, data: bytes) -> None:
    """NUL bytes never occur in a CSV saved as text (binary, UTF-16, a renamed workbook)."""
    if b"\x00" in data:
        raise _both(
            f"Berkas {path.name} bukan berkas teks CSV (mungkin berkas Excel/gambar yang diganti "
            "namanya, atau teks UTF-16). Simpan sebagai 'CSV UTF-8' lalu unggah ulang.",
            f"File {path.name} is not a text CSV file (perhaps a renamed workbook or image, or "
            "UTF-16 text). Save it as 'CSV UTF-8' and upload again.",
        )


def _csv_rows(path: Path, lines: Iterable[str], delimiter: str) -> Iterator[Row]:
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield reader.line_num, [c.strip() or None for c in cells[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise _both(
            f"Berkas {path.name} rusak di sekitar baris {reader.line_num} ({exc}). "
            "Periksa tanda kutip dan sel yang sangat panjang, lalu unggah ulang.",
            f"File {path.name} is damaged near line {reader.line_num} ({exc}). "
            "Check quotes and very long cells, then upload again.",
        ) from None


def read_csv_book(path: Path, max_rows: int | None) -> Book:
    """CSV in any of ; , tab | delimiters and any common encoding, as one sheet."""
    data = path.read_bytes()
    _refuse_binary(path, data)
    text, encoding = decode_text(data)
    delimiter = sniff_delimiter(text[:20_000])
    rows: list[Row] = []
    notes: list[str] = []
    for row in _csv_rows(path, io.StringIO(text), delimiter):
        rows.append(row)
        if max_rows is not None and len(rows) > max_rows + 1:
            break
    return Book("csv", [Sheet(path.stem, rows)], notes, encoding, delimiter)


@dataclass
class CsvStream:
    """A CSV file read row by row: its encoding, delimiter and number of lines."""

    path: Path
    encoding: str
    delimiter: str
    lines: int

    def rows(self) -> Iterator[Row]:
        """The non-empty rows, one at a time (the file is never held whole)."""
        with open(self.path, encoding=self.encoding, errors="replace", newline="") as handle:
            yield from _csv_rows(self.path, handle, self.delimiter)


def _stream_encoding(path: Path) -> tuple[str, int]:
    """(encoding, line count) from one pass over the bytes, with :func:`decode_text`'s rules:
    UTF-8 with or without BOM, else Windows-1252, else what charset-normalizer finds."""
    utf8, cp1252 = codecs.getincrementaldecoder("utf-8")(), codecs.getincrementaldecoder("cp1252")()
    fits = {"utf-8": True, "cp1252": True}
    lines, head = 0, b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if not head:
                head = chunk[:200_000]
            _refuse_binary(path, chunk)
            lines += chunk.count(b"\n")
            for name, decoder in (("utf-8", utf8), ("cp1252", cp1252)):
                if fits[name]:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        fits[name] = False
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", lines
    for name in ("utf-8", "cp1252"):
        if fits[name]:
            return name, lines
    best = from_bytes(head).best()
    return (best.encoding if best is not None else "cp1252"), lines


def open_csv_stream(path: Path) -> CsvStream:
    """Encoding, delimiter and line count of a CSV, found without holding the file."""
    encoding, lines = _stream_encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(20_000)
    return CsvStream(path, encoding, sniff_delimiter(sample), lines)


def _cell(value: object) -> object:
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dt.timedelta):
        return None
    return value


def _sheet_rows(
    sheet: python_calamine.CalamineSheet, max_scan: int | None
) -> tuple[list[Row], bool]:
    """Non-empty rows (at most MAX_COLUMNS cells) and whether the scan limit cut the sheet."""
    rows: list[Row] = []
    first_row = sheet.start[0] if sheet.start else 0
    for offset, values in enumerate(sheet.iter_rows()):
        if max_scan is not None and offset >= max_scan:
            return rows, True
        cells = [_cell(v) for v in values[:MAX_COLUMNS]]
        if any(c is not None for c in cells):
            rows.append((first_row + offset + 1, cells))
    return rows, False


def check_unpacked_size(path: Path, max_mb: float) -> None:
    """Refuse workbooks that unpack to far more than the upload limit (zip bombs)."""
    limit = min(max_mb * XLSX_UNPACK_FACTOR, MAX_UNPACKED_MB) * 1_000_000
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # the workbook reader reports an unreadable workbook with its own message
    if unpacked > limit:
        raise _both(
            f"Berkas {path.name} terlalu besar saat dibuka ({unpacked / 1_000_000:.0f} MB, batas "
            f"{limit / 1_000_000:.0f} MB). Salin datanya ke templat baru lalu unggah ulang.",
            f"File {path.name} is too large when unpacked ({unpacked / 1_000_000:.0f} MB, limit "
            f"{limit / 1_000_000:.0f} MB). Copy the data into a fresh template and upload again.",
        )


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def check_cell_extent(path: Path) -> None:
    """Refuse an .xlsx whose cells (not its declared dimension) span an absurd grid."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        for item in archive.infolist():
            if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", item.filename):
                continue
            max_row = max_col = 0
            with archive.open(item) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    data = tail + chunk
                    for letters, digits in _CELL_REF.findall(data):
                        max_col = max(max_col, _column_number(letters))
                        max_row = max(max_row, int(digits))
                    tail = data[-200:]
            if max_row * max_col > MAX_GRID_CELLS:
                raise _both(
                    f"Berkas {path.name} berisi sel terpencil jauh di luar tabel (sampai kolom "
                    f"{max_col:,} baris {max_row:,}). Hapus sel/baris/kolom kosong di luar tabel, "
                    "atau salin tabel ke templat baru, lalu unggah ulang.",
                    f"File {path.name} holds stray cells far outside the table (up to column "
                    f"{max_col:,}, row {max_row:,}). Delete the cells outside the table, or copy "
                    "the table into a fresh template, and upload again.",
                )


_ODS_TOKEN = re.compile(
    rb"<table:table(?=[\s>])[^>]*>|<table:table-row\b([^>]*)>|<table:table-cell\b([^>]*?)(/?)>"
)
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="(\d+)"')


def _repeat(attributes: bytes) -> int:
    match = _ODS_REPEAT.search(attributes)
    return int(match.group(1)) if match else 1


def check_ods_extent(path: Path) -> None:
    """Refuse an .ods whose repeated filled cells span an absurd grid (a 5 KB file can repeat
    one value over a million rows); repeated empty cells cost nothing and are allowed."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        if "content.xml" not in archive.namelist():
            return
        data = archive.read("content.xml")
    row = rows_here = last_filled_row = max_col = col = 0
    for match in _ODS_TOKEN.finditer(data):
        if match.group(1) is None and match.group(2) is None:  # a new sheet
            row = rows_here = last_filled_row = col = 0
        elif match.group(1) is not None:
            row += rows_here
            rows_here, col = _repeat(match.group(1)), 0
        else:
            width = _repeat(match.group(2))
            col += width
            if not match.group(3):  # a cell with content
                max_col = max(max_col, col)
                last_filled_row = row + rows_here
        if last_filled_row * max_col > MAX_GRID_CELLS:
            raise _both(
                f"Berkas {path.name} berisi sel berulang jauh di luar tabel (sampai kolom "
                f"{max_col:,} baris {last_filled_row:,}). Hapus sel/baris/kolom di luar tabel, lalu "
                "unggah ulang.",
                f"File {path.name} repeats filled cells far outside the table (up to column "
                f"{max_col:,}, row {last_filled_row:,}). Delete the cells outside the table and "
                "upload again.",
            )


def _unreadable(path: Path, exc: Exception) -> FileFormatError:
    kind = path.suffix.lower().lstrip(".")
    return _both(
        f"Berkas {path.name} tidak dapat dibaca sebagai Excel (.{kind}). Simpan ulang dari Excel "
        "atau LibreOffice lalu unggah ulang.",
        f"File {path.name} cannot be read as Excel (.{kind}) ({exc.__class__.__name__}). "
        "Save it again and upload.",
    )


def read_workbook_book(path: Path, max_rows: int | None) -> Book:
    """Every visible worksheet of an .xlsx/.xls/.ods workbook (up to MAX_SHEETS)."""
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine raises many kinds for damaged files
        raise _unreadable(path, exc) from exc
    max_scan = None if max_rows is None else max_rows + 1 + EMPTY_ROW_SLACK
    sheets: list[Sheet] = []
    notes: list[str] = []
    try:
        metadata = book.sheets_metadata
        worksheets = [m for m in metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        skipped = [m.name for m in metadata if m not in worksheets]
        if skipped:
            notes.append(f"sheet(s) without cells (charts/macros) not read: {', '.join(skipped)}")
        hidden = [
            m.name for m in worksheets if m.visible != python_calamine.SheetVisibleEnum.Visible
        ]
        if hidden:
            notes.append(f"hidden sheet(s) read like the others: {', '.join(hidden)}")
        if len(worksheets) > MAX_SHEETS:
            rest = [m.name for m in worksheets[MAX_SHEETS:]]
            notes.append(
                f"{len(rest)} sheet(s) beyond the first {MAX_SHEETS} not read "
                f"({', '.join(rest[:10])}{', …' if len(rest) > 10 else ''}); split the workbook"
            )
            worksheets = worksheets[:MAX_SHEETS]
        for meta in worksheets:
            rows, cut = _sheet_rows(book.get_sheet_by_name(meta.name), max_scan)
            if cut:
                notes.append(f"sheet '{meta.name}': reading stopped after {max_scan} rows")
            sheets.append(Sheet(meta.name, rows))
    except FileFormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet makes the whole file unreadable
        raise _unreadable(path, exc) from exc
    finally:
        book.close()
    return Book(path.suffix.lower().lstrip("."), sheets, notes)


def read_book(path: Path, max_mb: float, max_rows: int | None) -> Book:
    """Read a CSV or workbook within the size limit; ``max_rows`` None means no row limit (CLI)."""
    if not path.is_file():
        raise _both(f"Berkas {path} tidak ditemukan.", f"File {path} not found.")
    check_size(path, max_mb)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        book = read_csv_book(path, max_rows)
    elif suffix in WORKBOOK_SUFFIXES:
        if suffix in ZIP_SUFFIXES:
            check_unpacked_size(path, max_mb)
        if suffix in XLSX_SUFFIXES:
            check_cell_extent(path)
        if suffix == ".ods":
            check_ods_extent(path)
        book = read_workbook_book(path, max_rows)
    else:
        raise _both(
            f"Jenis berkas '{suffix}' tidak didukung. Simpan sebagai .csv, .xlsx, .xls atau .ods "
            "(bukan .xlsm).",
            f"File type '{suffix}' is not supported. Save as .csv, .xlsx, .xls or .ods (not .xlsm).",
        )
    if not any(sheet.rows for sheet in book.sheets):
        raise _both(f"Berkas {path.name} kosong.", f"File {path.name} is empty.")
    return book


def read_xlsx(
    path: Path,
    looks_like_header: Callable[[list[object]], bool] | None = None,
    max_rows: int | None = None,
) -> Table:
    """The first sheet with a row that ``looks_like_header`` in its first ten rows, as a Table."""
    book = read_workbook_book(path, max_rows)
    chosen = next((s for s in book.sheets if s.rows), Sheet("", []))
    if looks_like_header is not None:
        for sheet in book.sheets:
            if any(looks_like_header(cells) for _, cells in sheet.rows[:10]):
                chosen = sheet
                break
    if not chosen.rows:
        return Table([], [])
    headers = ["" if v is None else str(v).strip() for v in chosen.rows[0][1]]
    return Table(headers, chosen.rows[1:])
