"""Long CSV histories from the command line: read in chunks, written in ONE run.

A province's history (tens of thousands of rows) is parsed ``CHUNK_ROWS`` rows at a time;
each chunk's checked facts and rejected rows go to a staging database in a private temporary
folder, so memory stays bounded whatever the file's length. The rules that span chunks run on
the staged rows once the whole file is read: conflicting duplicates, distribution beyond the
previous day's stock plus deliveries, rows held or refused whole. Then, if the file may load
(no bad row, or ``--accept-partial``), the good facts, the rejected rows, the run row and its
audit row are written in one transaction of the warehouse (the loader's public functions).
Nothing is written before the last row was read, so a refused file leaves no trace but its
failed run, and no half-loaded history is ever visible.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ingest.errors import FileFormatError
from ingest.loader import (
    LoadCounts,
    RunAudit,
    RunLog,
    audit_run,
    insert_rejections,
    insert_run,
    upsert_facts,
)
from ingest.officer.parse import (
    OFFICER_SOURCE,
    FileParse,
    Options,
    SheetPlan,
    close_parse,
    finish_sheet,
    plan_sheet,
    read_rows,
    refuse_foreign_names,
)
from ingest.officer.rules import balance_rejection, with_row_prefix
from ingest.officer.sheet import ReadState, SheetResult
from ingest.sanity import hold_out_of_line
from ingest.tables import CsvStream, Sheet, open_csv_stream
from ingest.validate import FACT_COLUMNS, Fact, Rejection, validate_facts
from warehouse.db import write_transaction

CHUNK_ROWS = 5_000
# A long file whose first this-many rows are all refused is refused whole (bounded work).
HOPELESS_ROWS = 1_000
PREVIEW_ROWS = 50
_STAGED = ["chunk", "ord", "sheet", "row_number", "raw", *FACT_COLUMNS, "row_key"]
_SCHEMA = """
CREATE TABLE staged (chunk INTEGER, ord BIGINT, sheet VARCHAR, row_number BIGINT, raw VARCHAR,
    date DATE, region_code VARCHAR, commodity VARCHAR, metric VARCHAR, value DOUBLE,
    unit VARCHAR, row_key VARCHAR);
CREATE TABLE refused (ord BIGINT, sheet VARCHAR, row_number BIGINT, col VARCHAR, raw VARCHAR,
    reason_id VARCHAR, reason_en VARCHAR, row_key VARCHAR);
CREATE TABLE merged (row_key VARCHAR);
"""
# A chunk's keys given already in an earlier chunk: merged when identical, refused otherwise
# (one chunk at a time, so the join holds one chunk, whatever the file's length).
_DUPLICATES_SQL = """
SELECT s.ord, s.sheet, s.row_number, s.raw, s.date, s.region_code, s.commodity, s.metric,
       f.value AS first_value, f.row_number AS first_row,
       abs(s.value - f.value) <= 1e-9 * greatest(abs(s.value), abs(f.value))
       AND s.unit = f.unit AS same
FROM staged s
JOIN staged f ON f.chunk < s.chunk AND f.date = s.date AND f.region_code = s.region_code
 AND f.commodity = s.commodity AND f.metric = s.metric
WHERE s.chunk = ?
QUALIFY row_number() OVER (PARTITION BY s.ord ORDER BY f.ord) = 1
"""
# A chunk's distribution beyond the previous day's stock (same sheet) plus that day's deliveries.
_BALANCE_SQL = """
SELECT d.ord, d.sheet, d.row_number, d.raw, d.value, d.unit, p.value AS previous,
       coalesce(v.value, 0) AS delivered
FROM (SELECT * FROM staged WHERE chunk = ? AND metric = 'distribution') d
JOIN staged p ON p.metric = 'stock' AND p.date = d.date - 1 AND p.region_code = d.region_code
 AND p.commodity = d.commodity AND p.sheet = d.sheet
LEFT JOIN staged v ON v.metric = 'delivery' AND v.date = d.date
 AND v.region_code = d.region_code AND v.commodity = d.commodity
WHERE d.value > p.value + coalesce(v.value, 0) + 1e-9
ORDER BY d.ord
"""


@dataclass
class StreamOutcome:
    """A streamed file's parse summary and what the staged rows came to."""

    parsed: FileParse
    bad_rows: int = 0
    good_rows: int = 0
    duplicates_merged: int = 0
    preview: list[dict[str, object]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)  # the first ones, for the report
    counts: LoadCounts = field(default_factory=LoadCounts)


def should_stream(path: Path, max_rows: int) -> CsvStream | None:
    """A CSV longer than the web upload's row limit is read in chunks."""
    if path.suffix.lower() not in {".csv", ".txt"} or not path.is_file():
        return None
    stream = open_csv_stream(path)
    return stream if stream.lines > max_rows else None


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


class Staging:
    """A private DuckDB file holding the checked rows of one streamed file."""

    def __init__(self, folder: str) -> None:
        self.con = duckdb.connect(str(Path(folder) / "staging.duckdb"))
        self.con.execute("SET memory_limit = '64MB'")
        self.con.execute("SET threads = 1")
        self.con.execute(_SCHEMA)
        self.ord = 0
        self.duplicates = 0  # identical duplicates merged inside a chunk

    def add(self, chunk: int, facts: list[Fact], rejected: list[Rejection]) -> None:
        checked = validate_facts(facts)
        raws = {(f.sheet, f.row_number): f.raw for f in facts}
        frame = checked.accepted.assign(
            chunk=chunk,
            sheet=[key.rpartition("#")[0] for key in checked.accepted["row_key"]],
            row_number=[int(key.rpartition("#")[2]) for key in checked.accepted["row_key"]],
        )
        frame["raw"] = [
            raws.get((s, n), "") for s, n in zip(frame["sheet"], frame["row_number"], strict=True)
        ]
        frame["ord"] = range(self.ord, self.ord + len(frame))
        self.ord += len(frame)
        self._append("staged", frame[_STAGED])
        self.duplicates += checked.duplicates_dropped
        if checked.duplicates_dropped:  # rows whose values all repeat rows above: good rows
            kept = set(checked.accepted["row_key"])
            repeats = {f"{f.sheet}#{f.row_number}" for f in facts} - kept
            self._append("merged", pd.DataFrame({"row_key": sorted(repeats)}))
        refused = [*rejected, *(with_row_prefix(r) for r in checked.rejected)]
        if refused:
            table = pd.DataFrame(
                {
                    "ord": range(self.ord, self.ord + len(refused)),
                    "sheet": [r.sheet for r in refused],
                    "row_number": pd.array([r.row_number for r in refused], dtype="Int64"),
                    "col": [r.column for r in refused],
                    "raw": [r.raw for r in refused],
                    "reason_id": [r.reason_id for r in refused],
                    "reason_en": [r.reason_en for r in refused],
                    "row_key": [f"{r.sheet}#{r.row_number}" for r in refused],
                }
            )
            self.ord += len(refused)
            self._append("refused", table)

    def _append(self, table: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        self.con.register("chunk_frame", frame)
        self.con.execute(f"INSERT INTO {table} SELECT * FROM chunk_frame")  # noqa: S608 - fixed names
        self.con.unregister("chunk_frame")

    def settle(self, chunks: int) -> int:
        """Apply the rules that span chunks; return the number of identical duplicates merged."""
        con, merged = self.con, self.duplicates
        for chunk in range(1, chunks):
            later = con.execute(_DUPLICATES_SQL, [chunk]).fetchall()
            if not later:
                continue
            merged += sum(1 for row in later if row[-1])
            con.executemany(
                "INSERT INTO merged SELECT row_key FROM staged WHERE ord = ?",
                [[row[0]] for row in later if row[-1]],
            )
            self._refuse([_duplicate(*row[:-1]) for row in later if not row[-1]])
            con.executemany("DELETE FROM staged WHERE ord = ?", [[row[0]] for row in later])
        for chunk in range(chunks):
            self._refuse([_balance(*row) for row in con.execute(_BALANCE_SQL, [chunk]).fetchall()])
        # a row loads whole or not at all
        con.execute("DELETE FROM staged WHERE row_key IN (SELECT row_key FROM refused)")
        return merged

    def _refuse(self, rows: list[tuple[int, Rejection]]) -> None:
        if not rows:
            return
        frame = pd.DataFrame(
            {
                "ord": [o for o, _ in rows],
                "sheet": [r.sheet for _, r in rows],
                "row_number": [r.row_number for _, r in rows],
                "col": [r.column for _, r in rows],
                "raw": [r.raw for _, r in rows],
                "reason_id": [r.reason_id for _, r in rows],
                "reason_en": [r.reason_en for _, r in rows],
                "row_key": [f"{r.sheet}#{r.row_number}" for _, r in rows],
            }
        )
        self._append("refused", frame)

    def row_counts(self) -> tuple[int, int]:
        """(good rows, bad rows): a row whose values all repeat earlier ones is a good row."""
        good = self.count(
            "SELECT count(DISTINCT row_key) FROM (SELECT row_key FROM staged UNION ALL "
            "SELECT row_key FROM merged) WHERE row_key NOT IN (SELECT row_key FROM refused)"
        )
        return good, self.count("SELECT count(DISTINCT row_key) FROM refused")

    def count(self, sql: str) -> int:
        return int(self.con.execute(sql).fetchone()[0])

    def rejections(self, limit: int | None = None) -> Iterator[list[Rejection]]:
        """Rejected rows in file order, one message per row and reason, in batches."""
        cursor = self.con.execute(
            "SELECT any_value(row_number), any_value(col), any_value(raw), reason_id, "
            "any_value(reason_en), sheet FROM refused GROUP BY sheet, row_number, reason_id "
            "ORDER BY min(ord) LIMIT ?",
            [limit if limit is not None else 2**62],
        )
        while batch := cursor.fetchmany(CHUNK_ROWS):
            yield [Rejection(*row) for row in batch]

    def chunk_facts(self, chunk: int, skip: set[str] | None = None) -> pd.DataFrame:
        frame = self.con.execute(
            "SELECT date, region_code, commodity, metric, value, unit, row_key FROM staged "
            "WHERE chunk = ? ORDER BY ord",
            [chunk],
        ).df()
        if skip:
            frame = frame[~frame["row_key"].isin(skip)].reset_index(drop=True)
        return frame

    def preview(self) -> list[dict[str, object]]:
        rows = self.con.execute(
            "SELECT sheet, row_number, date, region_code, commodity, metric, value, unit "
            "FROM staged ORDER BY ord LIMIT ?",
            [PREVIEW_ROWS],
        ).fetchall()
        names = ["sheet", "row", "date", "region_code", "commodity", "metric", "value", "unit"]
        return [
            dict(zip(names, (*row[:2], row[2].isoformat(), *row[3:]), strict=True)) for row in rows
        ]


def _duplicate(ord_, sheet, number, raw, day, region, commodity, metric, first, first_row):
    return ord_, Rejection(
        number,
        metric,
        raw,
        f"duplikat: {day:%d/%m/%Y} {region} {commodity} sudah ada di baris {first_row} dengan "
        f"nilai lain ({first:g})",
        f"duplicate: {day:%d/%m/%Y} {region} {commodity} already given in row {first_row} with "
        f"another value ({first:g})",
        sheet,
    )


def _balance(ord_, sheet, number, raw, value, unit, previous, delivered):
    return ord_, balance_rejection(number, sheet, raw, value, unit, previous, delivered)


def stream_parse(
    stream: CsvStream, options: Options, staging: Staging, chunk_rows: int | None = None
) -> tuple[FileParse, int]:
    """Read the CSV chunk by chunk into ``staging``; return the parse summary and chunk count."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    parsed = FileParse("officer", OFFICER_SOURCE)
    parsed.notes.append(
        f"long file read in chunks of {chunk_rows:,} rows ({stream.encoding}, "
        f"'{stream.delimiter}' delimited)"
    )
    rows = stream.rows()
    first = list(itertools.islice(rows, chunk_rows))
    sheet = Sheet(stream.path.stem, first)
    plan, refusal = plan_sheet(parsed, sheet, stream.path, options, False, False)
    if plan is None:
        close_parse(parsed, refusal)
        raise refusal or FileFormatError("no table found")
    total, ignored, state = SheetResult(), [], ReadState()
    chunks = itertools.chain([plan.data_rows()], _chunks(rows, chunk_rows))
    count, refused, good, first = 0, 0, False, None
    for number, chunk in enumerate(chunks):
        result, ignored = read_rows(plan, chunk, state, False)
        if number == 0 and plan.table is not None:
            refuse_foreign_names(result, sheet.name)
        staging.add(number, result.facts, result.rejected)
        total.absorb(result)
        count = number + 1
        good = good or bool(result.facts)
        refused += len(result.rejected)
        first = first or next(iter(result.rejected), None)
        if not good and refused >= HOPELESS_ROWS and first is not None:
            raise _hopeless(stream.path, refused, first)
    _finish(parsed, plan, total, ignored)
    return close_parse(parsed, None), count


def _hopeless(path: Path, refused: int, first: Rejection) -> FileFormatError:
    return FileFormatError(
        f"Berkas {path.name}: {f'{refused:,}'.replace(',', '.')} baris pertama ditolak semua, tidak satu pun benar; "
        f"pemeriksaan dihentikan. Baris pertama: {first.reason_id} | File {path.name}: the "
        f"first {refused:,} rows are all refused and none is right; checking stopped. First "
        f"row: {first.reason_en}"
    )


def _finish(parsed: FileParse, plan: SheetPlan, total: SheetResult, ignored: list[str]) -> None:
    notes = total.notes
    if len(notes) > 12:
        total.notes = notes[:12] + [f"… {len(notes) - 12} more skipped row note(s)"]
    finish_sheet(parsed, plan, total, ignored)


def write_streamed(
    staging: Staging,
    run: RunLog,
    chunks: int,
    *,
    db: str | None,
    user: str | None,
    file_name: str,
) -> LoadCounts:
    """Hold, load and log the staged rows in one warehouse transaction."""
    counts = LoadCounts()
    run.status = "success"
    with write_transaction(db) as con:
        con.execute("SET threads = 1")  # one thread's buffers: the write is not CPU-bound
        held_keys: set[str] = set()
        for chunk in range(chunks):  # every value is compared with the history before this file
            facts = staging.chunk_facts(chunk)
            kept, held = hold_out_of_line(con, facts, run.source, run.run_id)
            counts.held += held
            if held:
                held_keys |= set(facts["row_key"]) - set(kept["row_key"])
        for chunk in range(chunks):
            loaded = upsert_facts(
                con, staging.chunk_facts(chunk, held_keys), run.source, run.run_id
            )
            counts.inserted += loaded.inserted
            counts.revised += loaded.revised
            counts.unchanged += loaded.unchanged
        for batch in staging.rejections():
            insert_rejections(con, run.run_id, batch)
        run.message = "; ".join(part for part in (run.message, counts.summary()) if part)
        insert_run(con, run)
        audit_run(con, run, RunAudit("upload_loaded", user, file_name) if user else None)
    return counts


def staging_folder() -> tempfile.TemporaryDirectory:
    """A private folder for the staging database, removed when the import ends."""
    return tempfile.TemporaryDirectory(prefix="jsw-stream-")
