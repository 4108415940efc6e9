"""Import one officer file: parse, validate, then load (or hold for the officer's decision).

A file with bad rows loads nothing unless ``accept_partial``; then the good rows load and the
bad rows are kept in ``rejected_rows`` with their reason. Rows are keyed by sheet and row.
"""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from pathlib import Path

from ingest.cli import EXIT_FAILED, EXIT_NEEDS_CONFIRMATION, EXIT_OK
from ingest.config import load_settings
from ingest.errors import FileFormatError
from ingest.loader import RunLog
from ingest.officer.parse import OFFICER_SOURCE, FileParse, Options, level_option, parse_book
from ingest.runner import RunResult, fail_run, finish_run, new_run_id, utc_now
from ingest.tables import read_book
from ingest.validate import Fact, Rejection, validate_facts
from warehouse.reference import normalise_alias

PREVIEW_ROWS = 50
MAX_ERRORS_IN_JSON = 500
# The command line reads whole histories: a larger file size limit and no row limit.
CLI_MAX_MB = 200.0
FIELD_LABEL_ID = {"date": "tanggal", "region": "kabupaten_kota", "commodity": "komoditas"}


def _unique(rejections) -> list[Rejection]:
    """One message per row and reason (a row gives up to three facts)."""
    seen: dict[tuple, Rejection] = {}
    for rejection in rejections:
        seen.setdefault((rejection.sheet, rejection.row_number, rejection.reason_id), rejection)
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
        rejection.sheet,
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
        if fact.sheet != (previous.sheet if previous else fact.sheet):
            continue
        if previous is None:
            continue
        delivery = by_key.get((fact.date, fact.region_code, fact.commodity, "delivery"))
        available = previous.value + (delivery.value if delivery else 0.0)
        if fact.value > available + 1e-9:
            unit = fact.unit
            bad_rows[(fact.sheet, fact.row_number)] = Rejection(
                fact.row_number,
                "penyaluran",
                fact.raw,
                f"Baris {fact.row_number}, kolom penyaluran: penyaluran {fact.value:g} {unit} melebihi stok hari "
                f"sebelumnya ({previous.value:g}) ditambah penerimaan ({available - previous.value:g}). "
                "Periksa angka stok/penyaluran lalu unggah ulang.",
                f"Row {fact.row_number}, column distribution: distribution {fact.value:g} {unit} exceeds the "
                f"previous day's stock ({previous.value:g}) plus deliveries ({available - previous.value:g}). "
                "Check the stock/distribution figures and upload again.",
                fact.sheet,
            )
    kept = [f for f in facts if (f.sheet, f.row_number) not in bad_rows]
    return kept, list(bad_rows.values())


def archive_upload(path: Path, source: str, run_id: str) -> Path:
    """Keep a compressed copy of the uploaded file under the run id."""
    directory = load_settings().raw_dir / "file" / run_id
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{path.name}.gz"
    with open(path, "rb") as src, gzip.open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


def _preview(facts: list[Fact], bad_rows: set[tuple]) -> list[dict[str, object]]:
    """The first accepted facts with the file row they come from, for the upload preview."""
    kept = [f for f in facts if (f.sheet, f.row_number) not in bad_rows][:PREVIEW_ROWS]
    return [
        {
            "sheet": f.sheet,
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


def parse_file(
    path: Path, options: Options | None = None, *, upload_limits: bool = True
) -> FileParse:
    """Read and parse a file; raise FileFormatError when the file as a whole is unusable.

    Web uploads keep the upload limits (JSW_UPLOAD_MAX_MB / _MAX_ROWS); the command line reads
    a province's whole history in one file.
    """
    settings = load_settings()
    if upload_limits:
        book = read_book(path, settings.upload_max_mb, settings.upload_max_rows)
    else:
        book = read_book(path, max(CLI_MAX_MB, settings.upload_max_mb), None)
    parsed = parse_book(book, path, options or Options())
    if upload_limits and parsed.rows > settings.upload_max_rows:
        limit = settings.upload_max_rows
        raise FileFormatError(
            f"Berkas berisi lebih dari {limit} baris, melebihi batas {limit}. Pecah berkas lalu "
            "unggah ulang, atau muat riwayat lewat baris perintah (python -m ingest file). | "
            f"The file has more than {limit} rows, above the {limit} limit. Split it and upload "
            "again, or load the history from the command line (python -m ingest file)."
        )
    if not parsed.rows and not parsed.facts and parsed.unwatched:
        listed = ", ".join(f"{k} ({v})" for k, v in sorted(parsed.unwatched.items())[:10])
        raise FileFormatError(
            f"Berkas {path.name} hanya berisi komoditas yang tidak dipantau aplikasi ini: {listed} "
            f"baris. Tidak ada yang dimuat. | File {path.name} holds only commodities this "
            f"deployment does not watch: {listed} rows. Nothing was loaded."
        )
    if not parsed.rows and not parsed.facts:
        raise FileFormatError(
            f"Berkas {path.name} hanya berisi judul kolom, tidak ada baris data. Isi datanya lalu "
            f"unggah ulang. | File {path.name} holds column headers but no data rows. Fill in "
            "the data and upload again."
        )
    parsed.facts, balance = _balance_rejections(parsed.facts)
    parsed.rejected += balance
    return parsed


def import_file(
    path: Path,
    *,
    dry_run: bool = False,
    accept_partial: bool = False,
    user: str | None = None,
    region: str | None = None,
    db: str | None = None,
    price_level: str | None = None,
    aliases: dict[str, str] | None = None,
    upload_limits: bool = True,
) -> tuple[RunResult, int]:
    """Parse, validate and (unless dry-run or unconfirmed bad rows) load one file."""
    run = RunLog(new_run_id(OFFICER_SOURCE), OFFICER_SOURCE, utc_now())
    try:
        accepted = {normalise_alias(name): code for name, code in (aliases or {}).items()}
        options = Options(region, level_option(price_level), accepted)
        parsed = parse_file(path, options, upload_limits=upload_limits)
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
    if options.aliases:
        notes.append(
            "names mapped by the uploader: "
            + ", ".join(f"{k} -> {v}" for k, v in sorted(options.aliases.items()))
        )
    if user:
        notes.append(f"uploaded by {user}")
    needs_confirmation = bool(rejected) and not accept_partial and not dry_run
    bad_rows = {(r.sheet, r.row_number) for r in rejected}
    good_rows = {(f.sheet, f.row_number) for f in parsed.facts} - bad_rows
    row_counts = (parsed.rows, len(good_rows), len(bad_rows))
    try:
        if not dry_run and not needs_confirmation:
            archive_upload(path, parsed.source, run.run_id)
        result, _ = finish_run(
            run,
            [f for f in parsed.facts if (f.sheet, f.row_number) not in bad_rows],
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
        sheets_read=parsed.sheets_read,
        sheets_skipped=parsed.sheets_skipped,
        notes=parsed.notes,
        unknown_regions=[
            {"name": name, "suggestions": hints} for name, hints in parsed.unknown_regions.items()
        ],
    )
    code = EXIT_NEEDS_CONFIRMATION if needs_confirmation else EXIT_OK
    return result, code
