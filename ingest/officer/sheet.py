"""Facts of one recognised table: every row loads whole or is rejected whole, with the reason.

Missing values: ``-`` and empty cells are "no report" in every column; ``0`` is "no report" in a
price column (a price of 0 does not exist) but a real zero in a stock column (a stock-out).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.errors import FileFormatError
from ingest.normalise import (
    PROVINCE_ALIASES,
    ValueProblem,
    commodities,
    convert_quantity,
    number_convention,
    parse_date,
    parse_number,
    parse_period,
)
from ingest.officer.columns import (
    LEVEL_LABELS,
    LEVEL_WORDS,
    ValueColumn,
    cell_text,
    header_commodity,
    is_unwatched,
)
from ingest.officer.layout import Table, footer_word, is_repeated_header, is_units_row
from ingest.officer.regions import RegionProblem, resolve_region_name
from ingest.sanity import impossible
from ingest.validate import Fact, Rejection
from warehouse.reference import normalise_alias

FIELD_LABEL_ID = {
    "date": "tanggal",
    "period": "periode",
    "region": "kabupaten_kota",
    "commodity": "komoditas",
    "unit": "satuan",
    "level": "tingkat_harga",
}
FIX_ID = {
    "date": "Perbaiki tanggal (dd/mm/yyyy) lalu unggah ulang.",
    "day": "Hapus nilai pada hari yang tidak ada di bulan itu, atau perbaiki bulan di judul, lalu unggah ulang.",
    "period": "Perbaiki periode (yyyy-mm) lalu unggah ulang.",
    "region": "Gunakan nama kabupaten/kota seperti di templat lalu unggah ulang.",
    "commodity": "Gunakan nama komoditas seperti di templat lalu unggah ulang.",
    "unit": "Perbaiki satuan lalu unggah ulang.",
}
FIX_EN = {
    "date": "Fix the date (dd/mm/yyyy) and upload again.",
    "day": "Remove the value under a day the month does not have, or fix the month in the title, and upload again.",
    "period": "Fix the period (yyyy-mm) and upload again.",
    "region": "Use a regency/city name as in the template and upload again.",
    "commodity": "Use a commodity name as in the template and upload again.",
    "unit": "Fix the unit and upload again.",
}
_PRICE_UNITS = {
    "KG": "kg",
    "KILOGRAM": "kg",
    "TON": "ton",
    "L": "liter",
    "LT": "liter",
    "LTR": "liter",
    "LITER": "liter",
    "LITRE": "liter",
    "KL": "kL",
    "TABUNG": "tabung",
}
_PRICE_FACTORS = {("ton", "kg"): 0.001, ("kL", "liter"): 0.001}


@dataclass
class Context:
    """What the whole file tells every row: where the date/region/level come from."""

    file_name: str
    sheet: str
    is_workbook: bool
    date: dt.date | None = None
    region: str | None = None
    level: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)
    commodity: str | None = None  # named by the sheet or the title
    metric: str | None = None  # "HARGA …" / "STOK …" in the title or sheet name
    province_rows: tuple[int, set[str]] | None = None  # (column, home keys) of a national table
    unit: str | None = None  # "(tabung)", "(Rp/kg)" in the title
    month_label: str = ""  # "November 2025": the month of day-number columns


@dataclass
class SheetResult:
    """Facts and rejections of one table, and what was skipped."""

    facts: list[Fact] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    rows: int = 0
    notes: list[str] = field(default_factory=list)
    unknown_regions: dict[str, list[dict]] = field(default_factory=dict)
    unwatched: dict[str, int] = field(default_factory=dict)
    zero_prices: int = 0
    no_value_rows: int = 0
    other_province_rows: int = 0
    reporters: set[str] = field(default_factory=set)

    def absorb(self, other: SheetResult) -> None:
        """Add another chunk's counts and notes (not its facts or rejections)."""
        self.rows += other.rows
        self.notes += other.notes
        for name, hints in other.unknown_regions.items():
            self.unknown_regions.setdefault(name, hints)
        for name, count in other.unwatched.items():
            self.unwatched[name] = self.unwatched.get(name, 0) + count
        self.zero_prices += other.zero_prices
        self.no_value_rows += other.no_value_rows
        self.other_province_rows += other.other_province_rows
        self.reporters |= other.reporters


@dataclass
class ReadState:
    """What reading a table carries from one chunk of rows to the next."""

    conventions: dict[int, str | None] | None = None
    units: dict[int, str] = field(default_factory=dict)
    in_footer: bool = False
    block: int = 1


@lru_cache(maxsize=4096)
def is_province_row(text: str) -> bool:
    """'Provinsi Jambi' / 'Rata-rata Provinsi' in the regency column: a summary row."""
    key = normalise_alias(text)
    return key in PROVINCE_ALIASES or key.startswith(("PROVINSI", "PROV ", "RATA RATA PROV"))


def price_in_unit(value: float, unit_text: str, target: str) -> float:
    """A price per the written unit, in the commodity's price unit (``Rp/kg``, ``Rp/liter``…)."""
    words = normalise_alias(unit_text).split()
    words = [w for w in words if w not in {"RP", "IDR", "PER"}]
    want = target.split("/")[-1]
    if not words:
        return value
    have = _PRICE_UNITS.get(" ".join(words))
    if have == want:
        return value
    if have and (have, want) in _PRICE_FACTORS:
        return value * _PRICE_FACTORS[(have, want)]
    raise ValueProblem(
        f"satuan harga '{unit_text}' tidak cocok (harus {target})",
        f"price unit '{unit_text}' does not fit (expected {target})",
    )


def _cell(values: list[object], index: int | None) -> object:
    return values[index] if index is not None and index < len(values) else None


def _rejection(number: int, sheet: str, problems: list[tuple[str, str, ValueProblem]], raw: str):
    parts_id, parts_en = [], []
    for field_name, header, problem in problems:
        fix_id = FIX_ID.get(field_name, "Perbaiki angka lalu unggah ulang.")
        fix_en = FIX_EN.get(field_name, "Fix the number and upload again.")
        parts_id.append(f"Baris {number}, kolom {header}: {problem.message_id}. {fix_id}")
        parts_en.append(f"Row {number}, column {header}: {problem.message_en}. {fix_en}")
    return Rejection(number, problems[0][1], raw, " ".join(parts_id), " ".join(parts_en), sheet)


def _row_level(table: Table, values: list[object], context: Context) -> str | None:
    if "level" in table.columns.keys:
        text = normalise_alias(cell_text(_cell(values, table.columns.keys["level"][0])))
        for word, metric in LEVEL_WORDS.items():
            if text == word or text.startswith(word + " "):
                return metric
    return context.level


class _Row:
    """One data row being read; problems gathered so the row is rejected whole."""

    def __init__(self, number: int, values: list[object], table: Table, context: Context):
        self.number, self.values, self.table, self.context = number, values, table, context
        self.problems: list[tuple[str, str, ValueProblem]] = []
        self.region_problem: RegionProblem | None = None

    def key(self, name: str) -> tuple[str, object] | None:
        column = self.table.columns.keys.get(name)
        return None if column is None else (column[1], _cell(self.values, column[0]))

    def attempt(self, field_name: str, header: str, func, value):
        try:
            return func(value)
        except RegionProblem as problem:
            self.region_problem = problem
            self.problems.append((field_name, header, problem))
        except ValueProblem as problem:
            self.problems.append((field_name, header, problem))
        return None

    def date(self) -> dt.date | None:
        if all(c.date or c.day for c in self.table.columns.values):
            return None
        serial = self.context.is_workbook
        if (cell := self.key("date")) is not None:
            return self.attempt("date", cell[0], lambda v: parse_date(v, serial), cell[1])
        if (cell := self.key("period")) is not None:
            return self.attempt("period", cell[0], _period, cell[1])
        return self.context.date

    def region(self) -> str | None:
        if all(c.region for c in self.table.columns.values):
            return None
        if (cell := self.key("region")) is not None:
            aliases = self.context.aliases
            return self.attempt(
                "region", cell[0], lambda v: resolve_region_name(cell_text(v), aliases), cell[1]
            )
        return self.context.region


def _period(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    day = parse_period(value)
    if day is None:
        raise ValueProblem(
            f"'{cell_text(value)}' bukan periode yang dikenali; gunakan yyyy-mm",
            f"'{cell_text(value)}' is not a recognised period; use yyyy-mm",
        )
    return day


def _conventions(table: Table) -> dict[int, str | None]:
    """The separator convention of each value column, else of the whole table."""
    indexes = [c.index for c in table.columns.values]
    per_column = {
        i: number_convention([_cell(v, i) for _, v in table.rows[:5000]]) for i in indexes
    }
    overall = number_convention(
        [_cell(v, i) for i in indexes for _, v in table.rows[:2000] if per_column[i] is None]
    )
    return {i: per_column[i] or overall for i in indexes}


def check_price_level(table: Table, context: Context) -> None:
    """A table of prices must say which price level it holds (consumer unless it says so)."""
    columns = table.columns
    value_metric = context.metric or "price"
    prices = [
        c
        for c in columns.values
        if c.metric == "price" or (c.metric == "value" and value_metric == "price")
    ]
    told = (
        all(c.level for c in prices)
        or context.level is not None
        or "level" in columns.keys
        or "market" in columns.keys
    )
    if prices and not told:
        raise FileFormatError(
            f"Lembar '{context.sheet}': berkas tidak menyebut tingkat harga (konsumen/eceran, "
            "produsen/petani, penggilingan, grosir, HPP). Tambahkan kolom 'tingkat_harga', tulis "
            "tingkatnya di judul kolom (mis. 'Harga Konsumen'), atau pilih --price-level. | "
            f"Sheet '{context.sheet}': the file does not say which price level it holds "
            "(consumer/retail, producer/farm-gate, mill-gate, wholesale, procurement). Add a "
            "'tingkat_harga' column, name the level in the header (e.g. 'Harga Konsumen'), or "
            "pass --price-level."
        )


def read_table_facts(
    table: Table, context: Context, state: ReadState | None = None, rows: list | None = None
) -> SheetResult:
    """Facts of every data row of a recognised table (rows atomic).

    ``rows`` (default: the table's own rows) and ``state`` let a long file be read in chunks:
    the separator convention is taken from the first chunk and units rows, footers and
    stacked blocks carry over to the next chunk.
    """
    result = SheetResult()
    state = state or ReadState()
    value_indexes = [c.index for c in table.columns.values]
    if state.conventions is None:
        state.conventions = _conventions(table)
    conventions = state.conventions
    for number, values in table.rows if rows is None else rows:
        if is_repeated_header(values, table.headers):
            state.block += 1
            result.notes.append(
                f"row {number}: header of block {state.block} (stacked table) skipped"
            )
            continue
        if is_units_row(values, value_indexes):
            if state.units:
                state.block += 1
                result.notes.append(f"row {number}: units row starting block {state.block} read")
            else:
                result.notes.append(f"row {number}: units row read")
            state.units = {i: cell_text(values[i]) for i in value_indexes if i < len(values)}
            continue
        word = footer_word(values)
        region_cell = table.columns.keys.get("region")
        region_text = cell_text(_cell(values, region_cell[0] if region_cell else None))
        province_cell = next(
            (cell_text(c) for c in values[:3] if cell_text(c) and is_province_row(cell_text(c))),
            None,
        )
        word = word or province_cell
        if word or (state.in_footer and not region_text):
            state.in_footer = True
            result.notes.append(f"row {number}: summary row '{word or '…'}' skipped")
            continue
        state.in_footer = False
        if context.province_rows is not None:
            column, home_keys = context.province_rows
            if normalise_alias(cell_text(_cell(values, column))) not in home_keys:
                result.other_province_rows += 1
                continue
        _read_row(number, values, table, context, state.units, conventions, result)
    return result


def _read_row(number, values, table, context, units, conventions, result: SheetResult) -> None:
    row = _Row(number, values, table, context)
    raw = json.dumps(
        {
            h: cell_text(v)
            for h, v in zip(table.headers, values, strict=False)
            if h and cell_text(v)
        },
        ensure_ascii=False,
    )
    reporter = row.key("reporter")
    if reporter is not None and cell_text(reporter[1]):
        result.reporters.add(cell_text(reporter[1]))
    commodity_cell = row.key("commodity")
    row_commodity = None
    if commodity_cell is not None:
        text = cell_text(commodity_cell[1])
        row_commodity = header_commodity(text)
        if row_commodity is None and text and is_unwatched(text):
            result.unwatched[text] = result.unwatched.get(text, 0) + 1
            return
    cells = []
    for column in table.columns.values:
        cell = _cell(values, column.index)
        text = cell_text(cell)
        if text in {"", "-", "—", "–"}:
            continue
        cells.append((column, cell))
    stock_table = any(
        c.metric in ("stock", "distribution", "delivery") for c in table.columns.values
    )
    if not cells:
        if commodity_cell is None or not stock_table:
            result.no_value_rows += 1
            return  # an empty line, or a price not reported that day ("-")
        row.problems.append(
            (
                "stock",
                table.columns.values[0].header if table.columns.values else "stok",
                ValueProblem(
                    "stok, penyaluran dan penerimaan kosong semua",
                    "stock, distribution and deliveries are all empty",
                ),
            )
        )
    result.rows += 1
    day, region = row.date(), row.region()
    if commodity_cell is not None and row_commodity is None:
        text = cell_text(commodity_cell[1])
        row.problems.append(
            (
                "commodity",
                commodity_cell[0],
                ValueProblem(
                    f"komoditas '{text}' tidak dikenal" if text else "komoditas kosong",
                    f"commodity '{text}' is not known" if text else "commodity is empty",
                ),
            )
        )
    level = _row_level(table, values, context)
    facts = []
    for column, cell in cells:
        fact = _value_fact(row, column, cell, row_commodity, level, units, conventions, result)
        if fact is not None:
            facts.append(fact)
    if row.region_problem is not None:
        name = row.region_problem.name
        result.unknown_regions.setdefault(name, row.region_problem.hints)
    if row.problems:
        result.rejected.append(_rejection(number, context.sheet, row.problems, raw))
        return
    for fact in facts:
        fact.raw = raw
        fact.date = day if fact.date == dt.date.min else fact.date
        fact.region_code = fact.region_code or region
    result.facts += facts


def _value_fact(row, column: ValueColumn, cell, row_commodity, level, units, conventions, result):
    code = column.commodity or row_commodity or row.context.commodity
    if code is None:
        return None
    if column.day and column.date is None:
        month = row.context.month_label
        row.problems.append(
            (
                "day",
                column.header,
                ValueProblem(
                    f"tanggal {column.day} {month} tidak ada, tetapi kolomnya berisi nilai",
                    f"day {column.day} of {month} does not exist, but its column holds a value",
                ),
            )
        )
        return None
    commodity = commodities()[code]
    number = row.attempt(
        "value", column.header, lambda v: parse_number(v, conventions.get(column.index)), cell
    )
    if number is None:
        return None
    unit_cell = row.key("unit")
    unit_text = (
        units.get(column.index)
        or column.unit
        or (cell_text(unit_cell[1]) if unit_cell else "")
        or (row.context.unit or "")
    )
    metric = column.metric
    if metric == "value":
        is_money = normalise_alias(unit_text).startswith(("RP", "IDR"))
        metric = "price" if is_money else (row.context.metric or "")
        if not metric:
            row.problems.append(
                (
                    "unit",
                    column.header,
                    ValueProblem(
                        f"kolom '{column.header}' tidak menyebut stok/penyaluran/penerimaan/harga",
                        f"column '{column.header}' does not say stock/distribution/deliveries/price",
                    ),
                )
            )
            return None
    if number < 0:
        row.problems.append(
            (
                metric,
                column.header,
                ValueProblem(f"nilai negatif ({number:g})", f"negative value ({number:g})"),
            )
        )
        return None
    if metric == "price":
        metric = column.level or level or ("price" if "market" in row.table.columns.keys else None)
        if metric is None:
            return None  # refused for the whole sheet by check_price_level
        if number == 0:
            result.zero_prices += 1
            return None
        unit = commodity.price_unit
        value = row.attempt(
            "unit", column.header, lambda n: price_in_unit(n, unit_text, unit), number
        )
    else:
        unit = commodity.stock_unit
        value = row.attempt(
            "unit",
            unit_cell[0] if unit_cell else column.header,
            lambda n: convert_quantity(n, unit_text, commodity),
            number,
        )
    if value is None:
        return None
    problem = impossible(metric, value, unit)
    if problem is not None:
        row.problems.append((metric, column.header, ValueProblem(*problem)))
        return None
    raw = f"{column.header}={cell_text(cell)}"
    region, day = column.region or "", column.date or dt.date.min
    return Fact(day, region, code, metric, value, unit, row.number, raw, row.context.sheet)


__all__ = [
    "LEVEL_LABELS",
    "Context",
    "ReadState",
    "SheetResult",
    "check_price_level",
    "read_table_facts",
]
