"""Deterministic file writers: CSV in two dialects and XLSX, with formula injection neutralised.

* CSV: UTF-8 with BOM; ``standard`` = comma separator and decimal point; ``excel-id`` =
  semicolon separator and decimal comma (what Excel with Indonesian regional settings opens).
* Text cells starting with ``=``, ``+``, ``-``, ``@``, tab or CR get a leading apostrophe;
  numeric columns are left as numbers.
* XLSX: frozen header row, number formats, column widths, fixed document timestamps and zip
  entry times, so the same tables give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

DIALECTS = {"standard": (",", "."), "excel-id": (";", ",")}
INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

# Number formats by column-name pattern (first match wins).
NUMBER_FORMATS = (
    ("_pct", "0.00"),
    ("days_of_cover", "0.0"),
    ("price", "#,##0.00"),
    ("stock", "#,##0.###"),
)


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(INJECTION_PREFIXES):
        return "'" + value
    return value


def is_text_column(series: pd.Series) -> bool:
    """True for columns holding text (object or string dtype), False for numbers."""
    return pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell neutralised; numeric columns untouched."""
    result = frame.copy()
    for column in result.columns:
        if is_text_column(result[column]):
            result[column] = result[column].map(neutralise, na_action="ignore")
    return result


def csv_bytes(frame: pd.DataFrame, dialect: str = "standard") -> bytes:
    """The table as CSV bytes: UTF-8 with BOM, the dialect's separator and decimal mark."""
    if dialect not in DIALECTS:
        raise ValueError(f"Unknown dialect {dialect!r}; use one of {', '.join(DIALECTS)}")
    separator, decimal = DIALECTS[dialect]
    text = neutralised(frame).to_csv(
        index=False, sep=separator, decimal=decimal, lineterminator="\n"
    )
    return ("\ufeff" + text).encode("utf-8")


def number_format(column: str) -> str | None:
    """The XLSX number format for a numeric column (None = General)."""
    for pattern, fmt in NUMBER_FORMATS:
        if pattern in column:
            return fmt
    return None


def _cell_value(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalar -> Python scalar
        return value.item()
    return neutralise(value)


def _fill_sheet(sheet, frame: pd.DataFrame) -> None:
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        sheet.append([_cell_value(v) for v in row])
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        numeric = not is_text_column(frame[column])
        fmt = number_format(column) if numeric else None
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = fmt
        longest = max([len(str(column))] + [len(str(v)) for v in frame[column].dropna()])
        sheet.column_dimensions[letter].width = min(max(10, longest + 2), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def xlsx_bytes(sheets: dict[str, pd.DataFrame], as_of: dt.date, title: str = "") -> bytes:
    """A workbook with one sheet per table; byte-identical for identical input."""
    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        _fill_sheet(book.create_sheet(title=name[:31]), frame)
    stamp = dt.datetime.combine(as_of, dt.time())
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "Jambi Supply Watch"
    book.properties.title = title
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return normalised_zip(raw.getvalue())


def normalised_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry timestamps and attributes (same order, same content)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and ``os.replace`` (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)
