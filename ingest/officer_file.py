"""Officer stock reports and wide price exports (CSV/XLSX): ``python -m ingest file PATH``.

The dashboard's upload runs this same command (``--dry-run --json`` to preview, then
``--json --user NAME [--accept-partial]`` to load). A file with bad rows loads nothing
unless ``--accept-partial`` is given; then the good rows load and the bad rows are kept in
``rejected_rows`` with their reason.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import math
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ingest.cli import EXIT_FAILED, EXIT_NEEDS_CONFIRMATION, EXIT_OK, summary_text
from ingest.config import load_settings
from ingest.errors import FileFormatError
from ingest.loader import RunLog
from ingest.normalise import (
    PROVINCE_CODE,
    ValueProblem,
    commodities,
    convert_quantity,
    parse_date,
    parse_indonesian_number,
    resolve_commodity,
    resolve_region,
)
from ingest.runner import RunResult, fail_run, finish_run, new_run_id, utc_now
from ingest.tables import Table, read_table
from ingest.validate import Fact, Rejection, validate_facts
from warehouse.reference import normalise_alias

OFFICER_SOURCE = "officer"
WIDE_SOURCE = "pihps"
PREVIEW_ROWS = 50
MAX_ERRORS_IN_JSON = 500

# normalised header -> field
HEADER_FIELDS = {
    "tanggal": "date",
    "date": "date",
    "kabupaten_kota": "region",
    "kab_kota": "region",
    "kabupaten": "region",
    "wilayah": "region",
    "region": "region",
    "komoditas": "commodity",
    "jenis_komoditas": "commodity",
    "commodity": "commodity",
    "stok": "stock",
    "stok_akhir": "stock",
    "jumlah_stok": "stock",
    "stock": "stock",
    "penyaluran": "distribution",
    "distribution": "distribution",
    "penerimaan": "delivery",
    "deliveries": "delivery",
    "delivery": "delivery",
    "satuan": "unit",
    "unit": "unit",
    "pelapor": "reporter",
    "nama_pelapor": "reporter",
    "reporter": "reporter",
}
QUANTITY_FIELDS = ("stock", "distribution", "delivery")
FIELD_LABEL_ID = {
    "date": "tanggal",
    "region": "kabupaten_kota",
    "commodity": "komoditas",
    "stock": "stok",
    "distribution": "penyaluran",
    "delivery": "penerimaan",
    "unit": "satuan",
}
FIX_ID = {
    "date": "Perbaiki tanggal (dd/mm/yyyy) lalu unggah ulang.",
    "region": "Gunakan nama kabupaten/kota seperti di templat lalu unggah ulang.",
    "commodity": "Gunakan nama komoditas seperti di templat lalu unggah ulang.",
    "unit": "Perbaiki satuan lalu unggah ulang.",
}
FIX_EN = {
    "date": "Fix the date (dd/mm/yyyy) and upload again.",
    "region": "Use a regency/city name as in the template and upload again.",
    "commodity": "Use a commodity name as in the template and upload again.",
    "unit": "Fix the unit and upload again.",
}
# PIHPS export column (normalised) -> commodity code; other columns are not staples here.
WIDE_COLUMNS = {
    "BERAS": "pihps_beras",
    "BERAS KUALITAS BAWAH I": "pihps_beras_bawah_1",
    "BERAS KUALITAS BAWAH II": "pihps_beras_bawah_2",
    "BERAS KUALITAS MEDIUM I": "pihps_beras_medium_1",
    "BERAS KUALITAS MEDIUM II": "pihps_beras_medium_2",
    "BERAS KUALITAS SUPER I": "pihps_beras_super_1",
    "BERAS KUALITAS SUPER II": "pihps_beras_super_2",
    "MINYAK GORENG": "pihps_minyak_goreng",
    "MINYAK GORENG CURAH": "pihps_minyak_goreng_curah",
    "MINYAK GORENG KEMASAN BERMERK 1": "pihps_minyak_goreng_kemasan_1",
    "MINYAK GORENG KEMASAN BERMERK 2": "pihps_minyak_goreng_kemasan_2",
    "GULA PASIR": "pihps_gula_pasir",
    "GULA PASIR KUALITAS PREMIUM": "pihps_gula_pasir_premium",
    "GULA PASIR LOKAL": "pihps_gula_pasir_lokal",
}


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


def _header_key(text: str) -> str:
    return "_".join(normalise_alias(text).lower().split())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def _row_rejection(
    number: int, problems: list[tuple[str, str, ValueProblem]], raw: str
) -> Rejection:
    """One rejection per row listing every bad cell, in the officer's words."""
    parts_id, parts_en = [], []
    for field_name, header, problem in problems:
        fix_id = FIX_ID.get(field_name, "Perbaiki angka lalu unggah ulang.")
        fix_en = FIX_EN.get(field_name, "Fix the number and upload again.")
        parts_id.append(f"Baris {number}, kolom {header}: {problem.message_id}. {fix_id}")
        parts_en.append(f"Row {number}, column {header}: {problem.message_en}. {fix_en}")
    return Rejection(number, problems[0][1], raw, " ".join(parts_id), " ".join(parts_en))


def _resolve_region_cell(text: str) -> str:
    key = normalise_alias(text)
    if key == "JAMBI":
        raise ValueProblem(
            "'Jambi' ambigu: tulis 'Kota Jambi' atau nama kabupaten",
            "'Jambi' is ambiguous: write 'Kota Jambi' or a regency name",
        )
    code = resolve_region(text)
    if code is None:
        raise ValueProblem(
            f"kabupaten/kota '{text}' tidak dikenal" if text else "kabupaten/kota kosong",
            f"regency/city '{text}' is not known" if text else "regency/city is empty",
        )
    return code


def _resolve_commodity_cell(text: str) -> str:
    code = resolve_commodity(text)
    if code is None:
        raise ValueProblem(
            f"komoditas '{text}' tidak dikenal" if text else "komoditas kosong",
            f"commodity '{text}' is not known" if text else "commodity is empty",
        )
    return code


def _officer_row(
    number: int, cells: dict[str, tuple[str, object]], is_xlsx: bool
) -> tuple[list[Fact], Rejection | None]:
    """Facts of one report row, or the row's rejection."""
    problems: list[tuple[str, str, ValueProblem]] = []
    raw = json.dumps({h: _cell_text(v) for h, v in cells.values()}, ensure_ascii=False)

    def attempt(field_name: str, func):
        header, value = cells.get(field_name, (FIELD_LABEL_ID.get(field_name, field_name), None))
        try:
            return func(value)
        except ValueProblem as problem:
            problems.append((field_name, header, problem))
            return None

    day = attempt("date", lambda v: parse_date(v, allow_excel_serial=is_xlsx))
    region = attempt("region", lambda v: _resolve_region_cell(_cell_text(v)))
    code = attempt("commodity", lambda v: _resolve_commodity_cell(_cell_text(v)))
    quantities = {f: attempt(f, parse_indonesian_number) for f in QUANTITY_FIELDS if f in cells}
    for name, value in quantities.items():
        if value is not None and value < 0:
            header = cells[name][0]
            problems.append(
                (
                    name,
                    header,
                    ValueProblem(f"nilai negatif ({value:g})", f"negative value ({value:g})"),
                )
            )
    if not problems and all(v is None for v in quantities.values()):
        header = cells.get("stock", ("stok", None))[0]
        problems.append(
            (
                "stock",
                header,
                ValueProblem(
                    "stok, penyaluran dan penerimaan kosong semua",
                    "stock, distribution and deliveries are all empty",
                ),
            )
        )
    converted: dict[str, float] = {}
    if not problems and code is not None:
        commodity = commodities()[code]
        for name, value in quantities.items():
            if value is None:
                continue
            result = attempt(
                "unit", lambda u, v=value: convert_quantity(v, _cell_text(u), commodity)
            )
            if result is None:
                break
            converted[name] = result
    if problems:
        return [], _row_rejection(number, problems, raw)
    unit = commodities()[code].stock_unit
    return [
        Fact(day, region, code, metric, value, unit, number, raw)
        for metric, value in converted.items()
    ], None


def _unique(rejections) -> list[Rejection]:
    """One message per row and reason (a row gives up to three facts)."""
    seen: dict[tuple, Rejection] = {}
    for rejection in rejections:
        seen.setdefault((rejection.row_number, rejection.reason_id), rejection)
    return list(seen.values())


def _with_row_prefix(rejection: Rejection) -> Rejection:
    """Say which row and column a validation rejection belongs to, and what to do."""
    column = FIELD_LABEL_ID.get(rejection.column or "", rejection.column or "")
    return Rejection(
        rejection.row_number,
        rejection.column,
        rejection.raw,
        f"Baris {rejection.row_number}, kolom {column}: {rejection.reason_id}. "
        "Perbaiki baris ini lalu unggah ulang.",
        f"Row {rejection.row_number}, column {rejection.column}: {rejection.reason_en}. "
        "Fix this row and upload again.",
    )


def _balance_rejections(facts: list[Fact]) -> tuple[list[Fact], list[Rejection]]:
    """Reject rows whose distribution exceeds the previous day's stock plus that day's deliveries."""
    by_key = {(f.date, f.region_code, f.commodity, f.metric): f for f in facts}
    bad_rows: dict[int, Rejection] = {}
    for fact in facts:
        if fact.metric != "distribution":
            continue
        previous = by_key.get(
            (fact.date - dt.timedelta(days=1), fact.region_code, fact.commodity, "stock")
        )
        if previous is None:
            continue
        delivery = by_key.get((fact.date, fact.region_code, fact.commodity, "delivery"))
        available = previous.value + (delivery.value if delivery else 0.0)
        if fact.value > available + 1e-9:
            unit = fact.unit
            bad_rows[fact.row_number] = Rejection(
                fact.row_number,
                "penyaluran",
                fact.raw,
                f"Baris {fact.row_number}, kolom penyaluran: penyaluran {fact.value:g} {unit} melebihi stok hari "
                f"sebelumnya ({previous.value:g}) ditambah penerimaan ({available - previous.value:g}). "
                "Periksa angka stok/penyaluran lalu unggah ulang.",
                f"Row {fact.row_number}, column distribution: distribution {fact.value:g} {unit} exceeds the "
                f"previous day's stock ({previous.value:g}) plus deliveries ({available - previous.value:g}). "
                "Check the stock/distribution figures and upload again.",
            )
    kept = [f for f in facts if f.row_number not in bad_rows]
    return kept, list(bad_rows.values())


def _known_headers(cells: list[object]) -> int:
    return len({HEADER_FIELDS.get(_header_key(_cell_text(c))) for c in cells} - {None})


def _looks_like_header(cells: list[object]) -> bool:
    """A template header row, or the 'Tanggal' + PIHPS columns header of a wide export."""
    texts = [_cell_text(c) for c in cells]
    wide = (
        bool(texts)
        and _header_key(texts[0]) in {"tanggal", "date"}
        and any(normalise_alias(t) in WIDE_COLUMNS for t in texts[1:])
    )
    return wide or _known_headers(cells) >= 3


def skip_title_rows(table: Table, look_ahead: int = 10) -> tuple[Table, int]:
    """Use the first row with at least three template headers as the header row.

    Officers often put a title ("LAPORAN STOK LPG 3 KG ...") above the table; those rows are
    skipped. Returns the table and how many rows were skipped.
    """
    if _known_headers(table.headers) >= 3:
        return table, 0
    for position, (_, cells) in enumerate(table.rows[:look_ahead]):
        if _known_headers(cells) >= 3:
            headers = [_cell_text(c) for c in cells]
            return Table(
                headers, table.rows[position + 1 :], table.encoding, table.delimiter
            ), position + 1
    return table, 0


def parse_officer(table: Table, is_xlsx: bool) -> FileParse:
    """Rows of the officer stock template (Indonesian or English headers)."""
    columns: dict[str, tuple[int, str]] = {}
    for index, header in enumerate(table.headers):
        name = HEADER_FIELDS.get(_header_key(header))
        if name and name not in columns:
            columns[name] = (index, header)
    missing = [
        FIELD_LABEL_ID[f] for f in ("date", "region", "commodity", "unit") if f not in columns
    ]
    if missing or not any(f in columns for f in QUANTITY_FIELDS):
        missing += (
            [] if any(f in columns for f in QUANTITY_FIELDS) else ["stok/penyaluran/penerimaan"]
        )
        raise FileFormatError(
            f"Kolom wajib tidak ada: {', '.join(missing)}. Gunakan templat laporan stok. | "
            f"Required columns are missing: {', '.join(missing)}. Use the stock report template."
        )
    parsed = FileParse("officer", OFFICER_SOURCE, rows=len(table.rows))
    reporters: set[str] = set()
    for number, values in table.rows:
        cells = {
            name: (header, values[index] if index < len(values) else None)
            for name, (index, header) in columns.items()
        }
        if "reporter" in cells and _cell_text(cells["reporter"][1]):
            reporters.add(_cell_text(cells["reporter"][1]))
        facts, rejection = _officer_row(number, cells, is_xlsx)
        parsed.facts += facts
        if rejection:
            parsed.rejected.append(rejection)
    parsed.facts, balance = _balance_rejections(parsed.facts)
    parsed.rejected += balance
    if reporters:
        parsed.notes.append("pelapor/reporter: " + ", ".join(sorted(reporters)))
    return parsed


def is_wide_price_export(table: Table) -> bool:
    """A 'Tanggal' column followed by PIHPS commodity columns."""
    first = _header_key(table.headers[0]) if table.headers else ""
    return first in {"tanggal", "date"} and any(
        normalise_alias(h) in WIDE_COLUMNS for h in table.headers[1:]
    )


def parse_wide(table: Table, region_code: str, is_xlsx: bool) -> FileParse:
    """Daily prices with one column per PIHPS commodity; empty cells mean no report."""
    parsed = FileParse("wide_price", WIDE_SOURCE, rows=len(table.rows))
    mapped = {
        i: WIDE_COLUMNS[normalise_alias(h)]
        for i, h in enumerate(table.headers)
        if i and normalise_alias(h) in WIDE_COLUMNS
    }
    parsed.ignored_columns = [h for i, h in enumerate(table.headers) if i and i not in mapped]
    for number, values in table.rows:
        try:
            day = parse_date(values[0], allow_excel_serial=is_xlsx)
        except ValueProblem as problem:
            parsed.rejected.append(
                _row_rejection(number, [("date", table.headers[0], problem)], _cell_text(values[0]))
            )
            continue
        problems = []
        row_facts = []
        for index, code in mapped.items():
            cell = values[index] if index < len(values) else None
            try:
                value = parse_indonesian_number(cell)
            except ValueProblem as problem:
                problems.append(("price", table.headers[index], problem))
                continue
            if value is not None:
                raw = f"{table.headers[index]}={_cell_text(cell)}"
                row_facts.append(
                    Fact(
                        day,
                        region_code,
                        code,
                        "price",
                        value,
                        commodities()[code].price_unit,
                        number,
                        raw,
                    )
                )
        if problems:
            parsed.rejected.append(_row_rejection(number, problems, _cell_text(values[0])))
        else:
            parsed.facts += row_facts
    if parsed.ignored_columns:
        parsed.notes.append(
            f"{len(parsed.ignored_columns)} column(s) not loaded (not a staple here)"
        )
    return parsed


def parse_file(
    path: Path, region: str | None = None, max_mb: float | None = None, max_rows: int | None = None
) -> FileParse:
    """Read and parse an upload; raise FileFormatError when the file as a whole is unusable."""
    settings = load_settings()
    table = read_table(
        path,
        max_mb or settings.upload_max_mb,
        max_rows or settings.upload_max_rows,
        looks_like_header=_looks_like_header,
    )
    is_xlsx = path.suffix.lower() == ".xlsx"
    if is_wide_price_export(table):
        code = PROVINCE_CODE if region is None else resolve_region(region, allow_province=True)
        if code is None:
            raise FileFormatError(
                f"--region '{region}' tidak dikenal | --region '{region}' is not known"
            )
        return parse_wide(table, code, is_xlsx)
    table, skipped = skip_title_rows(table)
    parsed = parse_officer(table, is_xlsx)
    if skipped:
        parsed.notes.append(f"{skipped} title row(s) above the column headers skipped")
    return parsed


def archive_upload(path: Path, source: str, run_id: str) -> Path:
    """Keep a compressed copy of the uploaded file under the run id."""
    directory = load_settings().raw_dir / "file" / run_id
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{path.name}.gz"
    with open(path, "rb") as src, gzip.open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


def _preview(facts: list[Fact], bad_rows: set[int | None]) -> list[dict[str, object]]:
    """The first accepted facts with the file row they come from, for the upload preview."""
    kept = [f for f in facts if f.row_number not in bad_rows][:PREVIEW_ROWS]
    return [
        {
            "row": f.row_number,
            "date": f.date.isoformat(),
            "region_code": f.region_code,
            "commodity": f.commodity,
            "metric": f.metric,
            "value": f.value,
            "unit": f.unit,
        }
        for f in kept
    ]


def import_file(
    path: Path,
    *,
    dry_run: bool = False,
    accept_partial: bool = False,
    user: str | None = None,
    region: str | None = None,
    db: str | None = None,
) -> tuple[RunResult, int]:
    """Parse, validate and (unless dry-run or unconfirmed bad rows) load one file."""
    run = RunLog(new_run_id(OFFICER_SOURCE), OFFICER_SOURCE, utc_now())
    try:
        parsed = parse_file(path, region)
    except (FileFormatError, OSError) as exc:
        result = fail_run(
            run, exc if isinstance(exc, FileFormatError) else FileFormatError(str(exc)), dry_run, db
        )
        return result, EXIT_FAILED
    run.source = parsed.source
    run.run_id = new_run_id(parsed.source)
    checked = validate_facts(parsed.facts)
    rejected = parsed.rejected + _unique(_with_row_prefix(r) for r in checked.rejected)
    notes = [f"file {path.name}", f"layout {parsed.layout}"] + parsed.notes
    if user:
        notes.append(f"uploaded by {user}")
    needs_confirmation = bool(rejected) and not accept_partial and not dry_run
    bad_rows = {r.row_number for r in rejected}
    good_rows = {f.row_number for f in parsed.facts} - bad_rows
    row_counts = (parsed.rows, len(good_rows), len(bad_rows))
    try:
        if not dry_run and not needs_confirmation:
            archive_upload(path, parsed.source, run.run_id)
        result, _ = finish_run(
            run,
            [f for f in parsed.facts if f.row_number not in bad_rows],
            rejected,
            notes=notes,
            dry_run=dry_run or needs_confirmation,
            db=db,
            row_counts=row_counts,
        )
    except Exception as exc:  # noqa: BLE001 - reported as a failed run
        return fail_run(run, exc, dry_run, db), EXIT_FAILED
    if needs_confirmation:
        result.status = "needs_confirmation"
        result.message = (
            f"{result.rows_rejected} baris ditolak; tidak ada yang disimpan. Perbaiki berkas, atau "
            f"simpan baris yang benar saja dengan --accept-partial. | {result.rows_rejected} row(s) "
            "rejected; nothing was saved. Fix the file, or load the good rows only with --accept-partial."
        )
    result.errors = [r.reason_en for r in rejected[:MAX_ERRORS_IN_JSON]]
    result.details.update(
        layout=parsed.layout,
        file_rows=parsed.rows,
        rows_accepted=len(good_rows),
        error_rows=[r.as_dict() for r in rejected[:MAX_ERRORS_IN_JSON]],
        preview=_preview(parsed.facts, bad_rows),
        ignored_columns=parsed.ignored_columns,
    )
    code = EXIT_NEEDS_CONFIRMATION if needs_confirmation else EXIT_OK
    return result, code


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest file",
        description="Import an officer stock report or a wide price export (CSV or XLSX).",
    )
    parser.add_argument("path", type=Path, help="the .csv or .xlsx file")
    parser.add_argument(
        "--dry-run", action="store_true", help="validate and preview only, write nothing"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument("--user", help="name of the officer who uploads (kept with the run)")
    parser.add_argument(
        "--accept-partial",
        action="store_true",
        help="load the good rows even if some rows are rejected (rejected rows are kept with their reason)",
    )
    parser.add_argument(
        "--region", help="wide price export only: region of the prices (default: province '15')"
    )
    parser.add_argument("--db", help="warehouse file (default: JSW_DB or data/warehouse.duckdb)")
    args = parser.parse_args(argv)
    result, code = import_file(
        args.path,
        dry_run=args.dry_run,
        accept_partial=args.accept_partial,
        user=args.user,
        region=args.region,
        db=args.db,
    )
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, default=str))
    else:
        stream = sys.stdout if code == EXIT_OK else sys.stderr
        print(summary_text(result), file=stream)
        for row in result.details.get("error_rows", [])[:20]:
            print(f"  - {row['reason_id']}", file=stream)
    return code
