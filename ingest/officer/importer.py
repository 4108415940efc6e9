"""Import one officer file: parse, validate, then load (or hold for the officer's decision).

A file with bad rows loads nothing unless ``accept_partial``; then the good rows load and the
bad rows are kept in ``rejected_rows`` with their reason. Rows are keyed by sheet and row.
"""

from __future__ import annotations

import gzip
import shutil
from dataclasses import dataclass
from pathlib import Path

from ingest.cli import EXIT_FAILED, EXIT_NEEDS_CONFIRMATION, EXIT_OK
from ingest.config import load_settings
from ingest.errors import FileFormatError
from ingest.loader import LoadCounts, RunLog
from ingest.officer.parse import OFFICER_SOURCE, FileParse, Options, level_option, parse_book
from ingest.officer.rules import balance_rejections, unique, with_row_prefix
from ingest.officer.stream import (
    Staging,
    should_stream,
    staging_folder,
    stream_parse,
    write_streamed,
)
from ingest.runner import RunResult, fail_run, finish_run, new_run_id, utc_now
from ingest.tables import CsvStream, check_size, read_book
from ingest.validate import Fact, Rejection, validate_facts
from warehouse.reference import normalise_alias

PREVIEW_ROWS = 50
MAX_ERRORS_IN_JSON = 500
# The command line reads whole histories: a larger file size limit and no row limit.
CLI_MAX_MB = 200.0


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
    refuse_empty(parsed, path)
    parsed.facts, balance = balance_rejections(parsed.facts)
    parsed.rejected += balance
    return parsed


def refuse_empty(parsed: FileParse, path: Path) -> None:
    """Refuse a file that holds no data row (or only rows of commodities not watched)."""
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
    """Parse, validate and (unless dry-run or unconfirmed bad rows) load one file.

    On the command line (no upload limits) a CSV longer than the upload row limit is read
    in chunks and written in one run (:mod:`ingest.officer.stream`).
    """
    run = RunLog(new_run_id(OFFICER_SOURCE), OFFICER_SOURCE, utc_now())
    flags = Flags(dry_run, accept_partial, user, db)
    try:
        accepted = {normalise_alias(name): code for name, code in (aliases or {}).items()}
        options = Options(region, level_option(price_level), accepted)
        stream = None
        if not upload_limits:
            check_size(path, max(CLI_MAX_MB, load_settings().upload_max_mb))
            stream = should_stream(path, load_settings().upload_max_rows)
        if stream is not None:
            return _import_streamed(path, stream, options, run, flags)
        parsed = parse_file(path, options, upload_limits=upload_limits)
    except (FileFormatError, OSError) as exc:
        result = fail_run(
            run, exc if isinstance(exc, FileFormatError) else FileFormatError(str(exc)), dry_run, db
        )
        return result, EXIT_FAILED
    run.source = parsed.source
    run.run_id = new_run_id(parsed.source)
    checked = validate_facts(parsed.facts)
    rejected = parsed.rejected + unique(with_row_prefix(r) for r in checked.rejected)
    notes = _notes(path, parsed, options, user)
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
        _needs_confirmation(result)
    result.errors = [r.reason_en for r in rejected[:MAX_ERRORS_IN_JSON]]
    _report(result, parsed, len(good_rows), rejected, _preview(parsed.facts, bad_rows))
    code = EXIT_NEEDS_CONFIRMATION if needs_confirmation else EXIT_OK
    return result, code


@dataclass(frozen=True)
class Flags:
    """How the uploader asked the file to be handled."""

    dry_run: bool
    accept_partial: bool
    user: str | None
    db: str | None


def _notes(path: Path, parsed: FileParse, options: Options, user: str | None) -> list[str]:
    notes = [f"file {path.name}", f"layout {parsed.layout}"] + parsed.notes
    if options.aliases:
        notes.append(
            "names mapped by the uploader: "
            + ", ".join(f"{k} -> {v}" for k, v in sorted(options.aliases.items()))
        )
    if user:
        notes.append(f"uploaded by {user}")
    return notes


def _needs_confirmation(result: RunResult) -> None:
    result.status = "needs_confirmation"
    result.rows_loaded = 0
    result.message = (
        f"{result.rows_rejected} baris ditolak; tidak ada yang disimpan. Perbaiki berkas, atau "
        f"simpan baris yang benar saja dengan --accept-partial. | {result.rows_rejected} row(s) "
        "rejected; nothing was saved. Fix the file, or load the good rows only with --accept-partial."
    )


def _report(
    result: RunResult,
    parsed: FileParse,
    good_rows: int,
    rejected: list[Rejection],
    preview: list[dict[str, object]],
) -> None:
    result.details.update(
        layout=parsed.layout,
        file_rows=parsed.rows,
        rows_accepted=good_rows,
        error_rows=[r.as_dict() for r in rejected[:MAX_ERRORS_IN_JSON]],
        preview=preview,
        ignored_columns=parsed.ignored_columns,
        sheets_read=parsed.sheets_read,
        sheets_skipped=parsed.sheets_skipped,
        notes=parsed.notes,
        unknown_regions=[
            {"name": name, "suggestions": hints} for name, hints in parsed.unknown_regions.items()
        ],
    )


def _import_streamed(
    path: Path, stream: CsvStream, options: Options, run: RunLog, flags: Flags
) -> tuple[RunResult, int]:
    """A long CSV: parse chunk by chunk into a staging file, then write in one transaction."""
    with staging_folder() as folder:
        staging = Staging(folder)
        try:
            parsed, chunks = stream_parse(stream, options, staging)
            refuse_empty(parsed, path)
            merged = staging.settle(chunks)
        except (FileFormatError, OSError) as exc:
            staging.con.close()
            error = exc if isinstance(exc, FileFormatError) else FileFormatError(str(exc))
            return fail_run(run, error, flags.dry_run, flags.db), EXIT_FAILED
        run.source = parsed.source
        run.run_id = new_run_id(parsed.source)
        good, bad = staging.row_counts()
        facts = staging.count("SELECT count(*) FROM staged")
        run.rows_read, run.rows_loaded, run.rows_rejected = parsed.rows, good, bad
        notes = _notes(path, parsed, options, flags.user)
        if merged:
            notes.append(f"{merged} identical duplicate(s) merged")
        run.message = "; ".join(notes)
        needs_confirmation = bool(bad) and not flags.accept_partial and not flags.dry_run
        counts = LoadCounts()
        try:
            if flags.dry_run or needs_confirmation:
                run.status = "dry_run"
                run.rows_loaded = 0
            else:
                archive_upload(path, parsed.source, run.run_id)
                counts = write_streamed(
                    staging, run, chunks, db=flags.db, user=flags.user, file_name=path.name
                )
        except Exception as exc:  # noqa: BLE001 - reported as a failed run
            staging.con.close()
            return fail_run(run, exc, flags.dry_run, flags.db), EXIT_FAILED
        shown = [r for batch in staging.rejections(MAX_ERRORS_IN_JSON) for r in batch]
        preview = staging.preview()
        staging.con.close()
    result = RunResult(
        run.run_id,
        run.source,
        run.status,
        run.rows_read,
        run.rows_loaded,
        run.rows_rejected,
        [r.reason_en for r in shown],
        run.message,
        {
            "facts_new": counts.inserted,
            "facts_revised": counts.revised,
            "facts_unchanged": counts.unchanged,
            "facts_accepted": facts,
            "facts_held": counts.held,
            "chunks": chunks,
        },
    )
    if needs_confirmation:
        _needs_confirmation(result)
    _report(result, parsed, good, shown, preview)
    return result, EXIT_NEEDS_CONFIRMATION if needs_confirmation else EXIT_OK
