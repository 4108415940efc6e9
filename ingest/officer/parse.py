"""Parse a whole upload: every sheet is read or named as skipped, with the reason."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest.errors import FileFormatError
from ingest.normalise import (
    MONTHS,
    PROVINCE_ALIASES,
    PROVINCE_CODE,
    ValueProblem,
    find_date,
    resolve_region,
)
from ingest.officer.columns import (
    LEVEL_LABELS,
    LEVEL_WORDS,
    METRIC_WORDS,
    cell_text,
    header_commodity,
)
from ingest.officer.layout import Table, find_table, is_summary_sheet, is_unit_text
from ingest.officer.regions import resolve_region_name
from ingest.officer.sheet import (
    Context,
    ReadState,
    SheetResult,
    check_price_level,
    read_table_facts,
)
from ingest.officer.wide import WIDE_SOURCE, is_wide_price_export, read_wide
from ingest.tables import Book, Row, Sheet
from ingest.validate import Fact, Rejection
from warehouse.geography import guess_province, province
from warehouse.reference import normalise_alias

OFFICER_SOURCE = "officer"


def home_province() -> tuple[str, str]:
    """(BPS code, name) of the deployment's province (``JSW_PROVINCE``)."""
    home = province()
    return home.bps_code, home.name


@dataclass
class FileParse:
    """Facts and row rejections of one file, plus what the user should know."""

    layout: str
    source: str
    facts: list[Fact] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    rows: int = 0
    notes: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    sheets_read: list[str] = field(default_factory=list)
    sheets_skipped: list[dict[str, str]] = field(default_factory=list)
    unknown_regions: dict[str, list[dict]] = field(default_factory=dict)
    unwatched: dict[str, int] = field(default_factory=dict)


@dataclass
class Options:
    """What the uploader may tell about the file."""

    region: str | None = None
    price_level: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)


def level_option(text: str | None) -> str | None:
    """``--price-level konsumen`` -> ``'price'``; ``produsen`` -> ``'price_producer'``."""
    if not text:
        return None
    key = normalise_alias(text)
    if key in LEVEL_WORDS:
        return LEVEL_WORDS[key]
    raise FileFormatError(
        f"--price-level '{text}' tidak dikenal; pilih konsumen, produsen, penggilingan, grosir "
        f"atau HPP | --price-level '{text}' is not known; use konsumen, produsen, penggilingan, "
        "grosir or HPP"
    )


def _title_level(titles: list[str]) -> str | None:
    for title in titles:
        key = f" {normalise_alias(title)} "
        for word, metric in LEVEL_WORDS.items():
            if f" {word} " in key:
                return metric
    return None


def _province_rows(table: Table, sheet: str) -> tuple[int, set[str]] | None:
    """Which rows are the deployment's province when the table names provinces (by name or
    code): (column, keys of the home province). A table holding only other provinces is
    refused, naming them; a national table keeps the home province's rows."""
    column = table.columns.keys.get("province") or table.columns.keys.get("province_code")
    if column is None:
        return None
    home_code, home = home_province()
    home_keys = {normalise_alias(home), home_code, *PROVINCE_ALIASES}
    names = {normalise_alias(cell_text(v[column[0]])) for _, v in table.rows if column[0] < len(v)}
    names.discard("")
    foreign = sorted(n for n in names if n not in home_keys)
    if foreign and not names & home_keys:
        shown = ", ".join(foreign[:5]).title() + (
            f" (+{len(foreign) - 5})" if len(foreign) > 5 else ""
        )
        raise FileFormatError(
            f"Lembar '{sheet}' berisi data provinsi {shown}; aplikasi ini memantau Provinsi "
            f"{home}. Unggah laporan provinsi sendiri. | Sheet '{sheet}' holds data of the "
            f"province of {shown}; this deployment watches {home} Province. Upload your own "
            "province's report."
        )
    if foreign:
        table.notes.append(f"rows of {len(foreign)} other province(s) skipped; rows of {home} read")
    return column[0], home_keys


def _context(
    table: Table, sheet: Sheet, path: Path, is_workbook: bool, options: Options
) -> Context:
    context = Context(path.name, sheet.name, is_workbook, aliases=options.aliases)
    keys = table.columns.keys
    if (
        "date" not in keys
        and "period" not in keys
        and not any(c.date or c.day for c in table.columns.values)
    ):
        for where, text in [("title", t) for t in table.titles] + [
            ("sheet name", sheet.name),
            ("file name", path.stem),
        ]:
            day = find_date(text)
            if day is not None:
                context.date = day
                table.notes.append(f"date {day:%d/%m/%Y} taken from the {where} ('{text}')")
                break
    region_columns = any(c.region for c in table.columns.values)
    if "region" not in keys and not region_columns:
        context.region = _region_from(sheet.name, table.titles, options.aliases, table.notes)
    context.level = options.price_level or _title_level([*table.titles, sheet.name])
    if "commodity" not in keys and not all(c.commodity for c in table.columns.values):
        context.commodity = _commodity_from([sheet.name, *table.titles], table.notes)
    context.metric = _title_metric([sheet.name, *table.titles])
    context.unit = _title_unit(table.titles)
    return context


MONTH_NAMES_ID = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()
_MONTH_YEAR = re.compile(
    rf"\b({'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?[\s.-]*((?:19|20)\d\d)\b"
    r"|\b(0?[1-9]|1[0-2])[/.-]((?:19|20)\d\d)\b|\b((?:19|20)\d\d)[/.-](0?[1-9]|1[0-2])\b",
    re.IGNORECASE,
)


def find_month(text: str) -> tuple[int, int] | None:
    """(year, month) written in a title, sheet or file name: 'Harga Beras November 2025',
    'stok_nov_2025', '11/2025', '2025-11'; None when no month and year are found."""
    match = _MONTH_YEAR.search(text.replace("_", " "))
    if match is None:
        return None
    name, year, month, year2, year3, month3 = match.groups()
    if name:
        return int(year), MONTHS[name.upper()]
    if month:
        return int(year2), int(month)
    return int(year3), int(month3)


def _day_columns_month(
    table: Table, sheet: Sheet, path: Path, context: Context
) -> FileFormatError | None:
    """Date the day-number columns (1..31) from the month and year in the title, the sheet
    name or the file name; a column of a day the month lacks (31 Nov) stays undated and any
    value in it is refused with its row. Without a month and year the sheet is refused."""
    days = [c for c in table.columns.values if c.day]
    if not days:
        return None
    sources = [("title", t) for t in table.titles] + [
        ("sheet name", sheet.name),
        ("file name", path.stem),
    ]
    for where, text in sources:
        found = find_month(text)
        if found is None:
            continue
        year, month = found
        context.month_label = f"{MONTH_NAMES_ID[month - 1]} {year}"
        last = calendar.monthrange(year, month)[1]
        table.columns.values = [
            replace(c, date=dt.date(year, month, c.day)) if c.day and c.day <= last else c
            for c in table.columns.values
        ]
        table.notes.append(
            f"day columns 1–{days[-1].day} dated {context.month_label} (from the {where} '{text}')"
        )
        if days[-1].day > last:
            table.notes.append(
                f"{context.month_label} has {last} days: values under day(s) "
                f"{', '.join(str(c.day) for c in days if c.day > last)} are refused"
            )
        return None
    return FileFormatError(
        f"Lembar '{sheet.name}': kolom tanggal berupa nomor hari (1–{days[-1].day}), tetapi "
        "bulan dan tahunnya tidak ditemukan di judul tabel, nama lembar, maupun nama berkas. "
        "Tulis bulan dan tahun di judul (mis. 'Harga Beras November 2025') atau di nama berkas, "
        f"lalu unggah ulang. | Sheet '{sheet.name}': the date columns are day numbers "
        f"(1–{days[-1].day}), but no month and year were found in the table title, the sheet "
        "name or the file name. Write the month and year in the title (e.g. 'Harga Beras "
        "November 2025') or in the file name, and upload again."
    )


def _title_unit(titles: list[str]) -> str | None:
    """A unit in brackets in a title line: 'Stok LPG 3 kg (tabung)', 'Harga (Rp/kg)'."""
    for title in titles:
        for inside in re.findall(r"\(([^()]*)\)", title):
            if is_unit_text(inside):
                return inside.strip()
    return None


def _region_from(sheet: str, titles: list[str], aliases: dict[str, str], notes: list[str]):
    """A regency named by the sheet name, or after 'Kabupaten'/'Kota' in a title line."""
    try:
        code = resolve_region_name(sheet, aliases)
        notes.append(f"regency taken from the sheet name '{sheet}'")
        return code
    except ValueProblem:
        pass
    phrases: list[tuple[str, str]] = []
    for title in [sheet, *titles]:
        words = normalise_alias(title).split()
        for start, word in enumerate(words):
            if word not in {"KAB", "KABUPATEN", "KOTA", "KODYA"}:
                continue
            for end in range(min(len(words), start + 5), start + 1, -1):
                phrases.append((" ".join(words[start:end]), title))
                try:
                    code = resolve_region_name(phrases[-1][0], aliases)
                except ValueProblem:
                    continue
                notes.append(f"regency taken from '{title}'")
                return code
    _refuse_foreign_region(phrases)
    return None


def _refuse_foreign_region(phrases: list[tuple[str, str]]) -> None:
    """A regency named in the sheet/file name or title that belongs to another province."""
    home_code, home = home_province()
    for phrase, title in phrases:
        guess = guess_province([phrase])
        if guess is not None and guess.bps_code != home_code:
            raise FileFormatError(
                f"'{title}' menyebut {phrase.title()}, wilayah Provinsi {guess.name}, bukan "
                f"Provinsi {home}. Unggah laporan provinsi sendiri. | '{title}' names "
                f"{phrase.title()}, a region of {guess.name} Province, not of {home} Province. "
                "Upload your own province's report."
            )


def _commodity_from(texts: list[str], notes: list[str]) -> str | None:
    """A watched commodity named by the sheet name or a title line ('LAPORAN STOK LPG 3 KG')."""
    for text in texts:
        words = normalise_alias(text).split()
        for size in (4, 3, 2, 1):
            for start in range(len(words) - size + 1):
                code = header_commodity(" ".join(words[start : start + size]))
                if code is not None:
                    notes.append(f"commodity taken from '{text}'")
                    return code
    return None


def _title_metric(texts: list[str]) -> str | None:
    for text in texts:
        key = f" {normalise_alias(text)} "
        for word, metric in METRIC_WORDS.items():
            if metric != "value" and f" {word} " in key:
                return metric
    return None


def _missing_columns(table: Table, context: Context) -> list[str]:
    keys = table.columns.keys
    missing = []
    date_columns = any(c.date or c.day for c in table.columns.values)
    if context.date is None and "date" not in keys and "period" not in keys and not date_columns:
        missing.append("tanggal")
    region_columns = any(c.region for c in table.columns.values)
    if context.region is None and "region" not in keys and not region_columns:
        missing.append("kabupaten_kota")
    commodity_told = context.commodity or any(c.commodity for c in table.columns.values)
    if "commodity" not in keys and not commodity_told:
        missing.append("komoditas")
    if not table.columns.values:
        missing.append("stok/penyaluran/penerimaan/harga")
    elif (
        "unit" not in keys
        and context.unit is None
        and any(
            c.metric in ("stock", "distribution", "delivery") and not c.unit
            for c in table.columns.values
        )
    ):
        missing.append("satuan")
    return missing


def _refuse_missing(missing: list[str]) -> FileFormatError:
    return FileFormatError(
        f"Kolom wajib tidak ada: {', '.join(missing)}. Gunakan templat laporan stok atau harga. | "
        f"Required columns are missing: {', '.join(missing)}. Use the stock or price report template."
    )


@dataclass
class SheetPlan:
    """How one sheet is read: a recognised table with its context, or a wide price export."""

    sheet: Sheet
    label: str
    table: Table | None = None
    context: Context | None = None
    wide_headers: list[str] | None = None
    wide_region: str | None = None

    def data_rows(self) -> list[Row]:
        """The data rows among the sheet's rows the plan was made from."""
        if self.table is not None:
            return self.table.rows
        return self.sheet.rows[1:]


def plan_sheet(
    parsed: FileParse, sheet: Sheet, path: Path, options: Options, is_workbook: bool, many: bool
) -> tuple[SheetPlan | None, FileFormatError | None]:
    """Recognise one sheet from its first rows; a skipped sheet is named in ``parsed``."""
    label = f"sheet '{sheet.name}'" if is_workbook else "file"
    if not sheet.rows:
        parsed.sheets_skipped.append({"sheet": sheet.name, "reason": "empty"})
        return None, None
    if is_workbook and many and is_summary_sheet(sheet.name):
        parsed.sheets_skipped.append(
            {"sheet": sheet.name, "reason": "summary/instructions sheet (by its name)"}
        )
        return None, None
    first = [cell_text(c) for c in sheet.rows[0][1]]
    if is_wide_price_export(first):
        region = options.region
        code = PROVINCE_CODE if region is None else resolve_region(region, allow_province=True)
        if code is None:
            raise FileFormatError(
                f"--region '{region}' tidak dikenal | --region '{region}' is not known"
            )
        return SheetPlan(sheet, label, wide_headers=first, wide_region=code), None
    table = find_table(sheet.rows)
    if table is None:
        parsed.sheets_skipped.append(
            {"sheet": sheet.name, "reason": "no table of known columns found"}
        )
        return None, _refuse_missing(["tanggal", "kabupaten_kota", "komoditas"])
    province_rows = _province_rows(table, sheet.name)
    context = _context(table, sheet, path, is_workbook, options)
    if province_rows is not None:
        context.province_rows = province_rows
        if "region" not in table.columns.keys and context.region is None:
            context.region = PROVINCE_CODE
            table.notes.append("no regency column: province-level observations")
    month_problem = _day_columns_month(table, sheet, path, context)
    if month_problem is not None:
        parsed.sheets_skipped.append({"sheet": sheet.name, "reason": "month/year not found"})
        return None, month_problem
    missing = _missing_columns(table, context)
    if missing:
        parsed.sheets_skipped.append(
            {"sheet": sheet.name, "reason": f"required columns missing: {', '.join(missing)}"}
        )
        return None, _refuse_missing(missing)
    check_price_level(table, context)
    return SheetPlan(sheet, label, table, context), None


def read_rows(
    plan: SheetPlan, rows: list[Row], state: ReadState, is_workbook: bool
) -> tuple[SheetResult, list[str]]:
    """Facts of some data rows of a planned sheet, and the columns it does not load."""
    if plan.table is None:
        headers = plan.wide_headers or []
        return read_wide(
            headers, rows, plan.wide_region or PROVINCE_CODE, is_workbook, plan.sheet.name
        )
    assert plan.context is not None
    return read_table_facts(plan.table, plan.context, state, rows), []


def finish_sheet(
    parsed: FileParse, plan: SheetPlan, result: SheetResult, ignored: list[str]
) -> None:
    """Add one read sheet (its facts, rejections, counts and notes) to the file's parse."""
    if plan.table is None:
        parsed.layout, parsed.source = "wide_price", WIDE_SOURCE
        parsed.facts += result.facts
        parsed.rejected += result.rejected
        parsed.rows += result.rows
        parsed.ignored_columns += ignored
        if ignored:
            parsed.notes.append(f"{len(ignored)} column(s) not loaded (not a staple here)")
    else:
        _merge(parsed, result, plan.table, plan.label)
    parsed.sheets_read.append(plan.sheet.name)


def parse_book(book: Book, path: Path, options: Options) -> FileParse:
    """Facts of every recognised sheet; refuse the file when no sheet holds a known table."""
    is_workbook = book.kind != "csv"
    parsed = FileParse("officer", OFFICER_SOURCE, notes=list(book.notes))
    refusal: FileFormatError | None = None
    for sheet in book.sheets:
        plan, problem = plan_sheet(parsed, sheet, path, options, is_workbook, len(book.sheets) > 1)
        refusal = refusal or problem
        if plan is None:
            continue
        result, ignored = read_rows(plan, plan.data_rows(), ReadState(), is_workbook)
        if plan.table is not None:
            refuse_foreign_names(result, sheet.name)
        finish_sheet(parsed, plan, result, ignored)
    return close_parse(parsed, refusal)


def close_parse(parsed: FileParse, refusal: FileFormatError | None) -> FileParse:
    """Refuse a file of which no sheet was read; name the sheets not read."""
    if not parsed.sheets_read:
        raise refusal or _refuse_missing(["tanggal", "kabupaten_kota", "komoditas"])
    if parsed.sheets_skipped:
        parsed.notes.append(
            "sheet(s) not read: "
            + "; ".join(f"'{s['sheet']}' ({s['reason']})" for s in parsed.sheets_skipped)
        )
    return parsed


def refuse_foreign_names(result: SheetResult, sheet: str) -> None:
    """Most regency names of the sheet belong to another province: refuse, naming it."""
    unknown = list(result.unknown_regions)
    if len(unknown) < 3 or len(result.facts) > len(result.rejected):
        return
    home_code, home = home_province()
    guess = guess_province(unknown)
    examples = ", ".join(unknown[:3])
    if guess is not None and guess.bps_code != home_code and guess.matched * 2 >= len(unknown):
        raise FileFormatError(
            f"Lembar '{sheet}': nama kabupaten/kota ({examples} …) adalah wilayah Provinsi "
            f"{guess.name} ({guess.matched} dari {guess.total} nama), bukan Provinsi {home}. "
            "Unggah laporan provinsi sendiri. | "
            f"Sheet '{sheet}': the regency/city names ({examples} …) are regions of "
            f"{guess.name} Province ({guess.matched} of {guess.total} names), not of {home} "
            "Province (another province's file). Upload your own province's report."
        )
    if not result.facts:
        raise FileFormatError(
            f"Lembar '{sheet}': tidak satu pun nama kabupaten/kota dikenal sebagai wilayah "
            f"Provinsi {home} (mis. {examples}); berkas ini kemungkinan dari provinsi lain. | "
            f"Sheet '{sheet}': none of the regency/city names is a region of {home} Province "
            f"(e.g. {examples}); the file is probably from another province."
        )


def _merge(parsed: FileParse, result: SheetResult, table: Table, label: str) -> None:
    parsed.facts += result.facts
    parsed.rejected += result.rejected
    parsed.rows += result.rows
    prefix = f"{label}: " if label != "file" else ""
    parsed.notes += [prefix + n for n in table.notes]
    notes = result.notes
    if len(notes) > 12:
        notes = notes[:12] + [f"… {len(notes) - 12} more skipped row note(s)"]
    parsed.notes += [prefix + n for n in notes]
    columns = table.columns
    parsed.ignored_columns += columns.ignored
    if columns.unwatched:
        parsed.ignored_columns += columns.unwatched
        parsed.notes.append(
            f"{prefix}column(s) of commodities not watched here skipped: {', '.join(columns.unwatched)}"
        )
    for name, count in result.unwatched.items():
        parsed.unwatched[name] = parsed.unwatched.get(name, 0) + count
    if result.unwatched:
        listed = ", ".join(f"{k} ({v} rows)" for k, v in sorted(result.unwatched.items()))
        parsed.notes.append(f"{prefix}rows of commodities not watched here skipped: {listed}")
    if result.zero_prices:
        parsed.notes.append(f"{prefix}{result.zero_prices} price cell(s) of 0 read as 'no report'")
    if result.other_province_rows:
        parsed.notes.append(
            f"{prefix}{result.other_province_rows} row(s) of other provinces skipped"
        )
    if result.no_value_rows:
        parsed.notes.append(
            f"{prefix}{result.no_value_rows} row(s) without any value ('-' or empty) skipped"
        )
    levels = sorted(
        {LEVEL_LABELS.get(f.metric, "") for f in result.facts if f.metric.startswith("price")}
    )
    if levels:
        parsed.notes.append(f"{prefix}price level(s): {', '.join(levels)}")
    if result.reporters:
        parsed.notes.append("pelapor/reporter: " + ", ".join(sorted(result.reporters)))
    for name, hints in result.unknown_regions.items():
        parsed.unknown_regions.setdefault(name, hints)
    if any(v for v in table.columns.keys if v == "market"):
        parsed.notes.append(f"{prefix}prices at a market/outlet are read as consumer prices")


__all__ = [
    "OFFICER_SOURCE",
    "FileParse",
    "Options",
    "SheetPlan",
    "close_parse",
    "finish_sheet",
    "level_option",
    "parse_book",
    "plan_sheet",
    "read_rows",
    "refuse_foreign_names",
]
