"""Find the table inside a sheet: header rows (merged, two-row), units rows, footers, blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.officer.columns import (
    Columns,
    cell_text,
    classify,
    day_number,
    is_day_run,
    split_unit,
)
from ingest.tables import Row
from warehouse.reference import normalise_alias

HEADER_SCAN_ROWS = 15
FOOTER_WORDS = {
    "RERATA",
    "RATA RATA",
    "RATA2",
    "RERATA PROVINSI",
    "GRAND TOTAL",
    "TOTAL",
    "JUMLAH",
    "HET",
    "HAP",
    "HET HAP",
    "TERTINGGI",
    "TERENDAH",
    "MAKSIMUM",
    "MINIMUM",
    "MAKS",
    "MIN",
    "MEDIAN",
    "KETERANGAN",
    "SUMBER",
    "CATATAN",
}
SUMMARY_SHEET_WORDS = ("REKAP", "RINGKASAN", "RERATA", "SUMMARY", "GRAFIK", "CHART", "PETUNJUK")
_UNIT_TEXT = re.compile(
    r"(RP|IDR)( (KG|TON|LITER|LTR|LT|L|KL|TABUNG|BTR|BUTIR|EKOR|BUAH|PCS))?"
    r"|KG|TON|LITER|LT|L|KL|TABUNG|KILOGRAM|KILOLITER"
)


@dataclass
class Table:
    """A recognised table: its header, column roles, title lines and the rows below."""

    header_row: int
    headers: list[str]
    columns: Columns
    titles: list[str]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)


def is_unit_text(value: object) -> bool:
    """``'Rp./Kg'``, ``'RP/KG'``, ``'ton'``, ``'Rp'``: a cell of a units row."""
    return isinstance(value, str) and _unit_text(value)


@lru_cache(maxsize=4096)
def _unit_text(text: str) -> bool:
    return bool(_UNIT_TEXT.fullmatch(normalise_alias(text)))


def _texts(cells: list[object]) -> list[str]:
    return [cell_text(c) for c in cells]


def _combine(parent: list[str], child: list[str]) -> list[str]:
    """Two header rows as one: a merged parent cell spans the child cells to its right."""
    width = max(len(parent), len(child))
    parent = parent + [""] * (width - len(parent))
    child = child + [""] * (width - len(child))
    combined, current = [], ""
    for top, below in zip(parent, child, strict=True):
        current = top or (current if below else "")
        if not below:
            combined.append(top)
            continue
        name, unit = split_unit(current)
        combined.append(" ".join(p for p in (name, below) if p) + (f" ({unit})" if unit else ""))
    return combined


def find_table(rows: list[Row]) -> Table | None:
    """The best header (one or two rows) among the first rows, or None when none is known."""
    best: tuple[int, int, list[str], Columns] | None = None
    scan = rows[:HEADER_SCAN_ROWS]
    for position, (number, cells) in enumerate(scan):
        if _holds_numbers(cells):
            continue  # a data row, not a header (a file without a header row)
        candidates = [(position, _texts(cells))]
        below = scan[position + 1] if position + 1 < len(scan) else None
        if below and below[0] == number + 1 and not _holds_numbers(below[1]):
            candidates.append((position + 1, _combine(_texts(cells), _texts(below[1]))))
        for last, headers in candidates:
            columns = classify(headers)
            if not _plausible(columns):
                continue
            if best is None or columns.score > best[3].score:
                best = (position, last, headers, columns)
    if best is None:
        return None
    first, last, headers, columns = best
    titles = [" ".join(t for t in _texts(cells) if t) for _, cells in rows[:first]]
    notes = [f"{first} title row(s) above the column headers skipped"] if first else []
    if last > first:
        notes.append(f"header of two rows (rows {rows[first][0]}–{rows[last][0]}) combined")
    return Table(rows[last][0], headers, columns, titles, rows[last + 1 :], notes)


def _is_day_header(cells: list[object]) -> bool:
    """Names followed by day numbers 1, 2, 3 … (a month's days across): a header row."""
    texts = [cell_text(c) for c in cells if cell_text(c)]
    numbers = [day_number(t) for t in texts]
    days = [n for n in numbers if n is not None]
    return is_day_run(days) and any(n is None for n in numbers)


def _holds_numbers(cells: list[object]) -> bool:
    """Numbers (not dates) in a row: header rows hold names (or day numbers across)."""
    if _is_day_header(cells):
        return False
    for cell in cells:
        if isinstance(cell, bool):
            continue
        if isinstance(cell, int | float):
            return True
        if isinstance(cell, str) and re.fullmatch(
            r"(RP\.?\s*)?-?[\d.,]*\d[\d.,]*", cell.strip().upper()
        ):
            if not re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", cell.strip()):
                return True
    return False


def _plausible(columns: Columns) -> bool:
    keys = set(columns.keys)
    by_region = any(c.region for c in columns.values)
    by_date = any(c.date or c.day for c in columns.values)
    if by_region and by_date:
        return False  # a header names regencies or dates across, not both
    if columns.score < 2:
        return False
    has_anchor = bool(keys & {"date", "period", "region"}) or any(
        c.region or c.date or c.day for c in columns.values
    )
    return has_anchor and (bool(columns.values) or len(keys) >= 3)


def footer_word(cells: list[object]) -> str | None:
    """The summary word of a footer row ('Rerata', 'HET/HAP', 'Tertinggi' …) or None."""
    for cell in cells[:3]:
        text = cell_text(cell)
        if text and _is_footer_text(text):
            return text
    return None


@lru_cache(maxsize=4096)
def _is_footer_text(text: str) -> bool:
    return normalise_alias(text) in FOOTER_WORDS


def is_repeated_header(cells: list[object], headers: list[str]) -> bool:
    """A block's header repeated inside the sheet (stacked tables)."""
    texts = _texts(cells)
    same = sum(1 for a, b in zip(texts, headers, strict=False) if a and a == b)
    return same >= 3


def is_units_row(cells: list[object], value_indexes: list[int]) -> bool:
    """Most filled value cells hold a unit and none a number."""
    filled = [cells[i] for i in value_indexes if i < len(cells) and cell_text(cells[i])]
    if not filled or any(isinstance(v, int | float) for v in filled):
        return False
    units = sum(1 for v in filled if is_unit_text(v))
    return units * 2 >= len(filled) and units >= 1


def is_summary_sheet(name: str) -> bool:
    """A sheet named as a recap/summary/chart/instructions sheet."""
    key = normalise_alias(name)
    return any(re.search(rf"(^| ){w}( |$)", key) for w in SUMMARY_SHEET_WORDS)
