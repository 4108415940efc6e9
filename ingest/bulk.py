"""Bulk history import: months the warehouse does not hold yet go straight into sealed parts.

A history import (a national build, years of a source's archive) would otherwise push every
fact through the keyed upsert of ``ingest.loader``. Here the facts become one typed Arrow
table in date order, checked for missing fields and duplicate keys with vectorised code.
Every closed month (older than ``warehouse.seal.KEEP_DAYS`` before the latest fact) that
holds no fact yet is written as a Parquet part outside the writer lock, two months at a
time. Inside one write transaction with the run's log (all or nothing), the parts are
listed, recent months that still hold no fact are inserted as they are (nothing to compare
them with), and months that already hold facts go through the keyed upsert, where revisions
are detected and kept.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest.loader import DuplicateFacts, LoadCounts, RunLog, audit_run, insert_run, upsert_facts
from ingest.validate import FACT_COLUMNS
from warehouse import parts, seal
from warehouse.db import db_path, reader

FACT_SCHEMA = pa.schema([seal.PART_SCHEMA.field(name) for name in FACT_COLUMNS])
KEY_COLUMNS = ("region_code", "commodity", "metric")  # with the date: the key of one import
# Few distinct values: encoded once, for the duplicate check and the Parquet writer alike.
ENCODED_COLUMNS = (*KEY_COLUMNS, "unit")
WRITE_THREADS = min(2, os.cpu_count() or 1)
PACKED_KEY_LIMIT = 2**62  # a key packs into one int64 below this many distinct values
_INSERT_FRESH_SQL = (
    "INSERT INTO facts (date, region_code, commodity, metric, source, value, unit, run_id,"
    " known_at) SELECT date, region_code, commodity, metric, source, value, unit, run_id,"
    " known_at FROM bulk_fresh"
)


class BadFacts(ValueError):
    """The import holds a value of the wrong type or a missing field."""


@dataclass(frozen=True)
class MonthRows:
    """The rows of one calendar month: ``table[start:stop]`` of the date-ordered import."""

    month: dt.date
    start: int
    stop: int


def _column(facts: pd.DataFrame | pa.Table, field: pa.Field) -> pa.Array:
    """One fact column of ``facts`` as Arrow of ``field``'s type; BadFacts names the column
    and the first row (1-based) that does not fit."""
    try:
        column = facts.column(field.name) if isinstance(facts, pa.Table) else facts[field.name]
    except KeyError as exc:
        raise BadFacts(
            f"kolom {field.name} tidak ada | column {field.name} is missing; every fact needs"
            f" {', '.join(FACT_COLUMNS)}"
        ) from exc
    try:
        if not len(column):  # an empty frame's columns carry no type worth casting
            column = pa.array([], type=field.type)
        elif not isinstance(column, pa.ChunkedArray):
            column = pa.array(column, from_pandas=True)
        column = column.cast(field.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        raise BadFacts(
            f"kolom {field.name}: nilai tidak sesuai tipe | column {field.name}: a value is not"
            f" a {field.type} ({exc}); fix the source file and import again"
        ) from exc
    if column.null_count:
        row = int(np.flatnonzero(pc.is_null(column).to_numpy(zero_copy_only=False))[0]) + 1
        raise BadFacts(
            f"baris {row}: kolom {field.name} kosong | row {row}: {field.name} is empty"
            f" ({column.null_count} rows in all); every fact needs all of"
            f" {', '.join(FACT_COLUMNS)}"
        )
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    return pc.dictionary_encode(column) if field.name in ENCODED_COLUMNS else column


def _typed(facts: pd.DataFrame | pa.Table) -> pa.Table:
    """The fact columns of ``facts`` as Arrow of ``FACT_SCHEMA``'s types (``ENCODED_COLUMNS``
    as dictionaries of them)."""
    return pa.Table.from_arrays([_column(facts, f) for f in FACT_SCHEMA], names=FACT_COLUMNS)


def _plain(table: pa.Table) -> pa.Table:
    """``table`` with its dictionary columns decoded."""
    fields = [
        pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def _days(table: pa.Table) -> np.ndarray:
    """The dates of ``table`` as days since 1970 (int32)."""
    return table.column("date").cast(pa.int32()).to_numpy()


def _in_date_order(table: pa.Table) -> pa.Table:
    """``table`` with its rows in date order, input order kept within a date (no copy when
    the rows already come that way, as a history archive does)."""
    days = _days(table)
    if days.size < 2 or bool((days[1:] >= days[:-1]).all()):
        return table
    return table.take(np.argsort(days, kind="stable"))


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, int]:
    """Integer codes of ``column`` (a dictionary without repeated values) and their count."""
    encoded = column.combine_chunks()
    return encoded.indices.to_numpy(), len(encoded.dictionary)


def _first_duplicate(table: pa.Table, days: np.ndarray) -> tuple[int, int]:
    """(rows repeating an earlier row's key, index of one such row); (0, -1) when every
    (date, region, commodity, metric) occurs once."""
    if days.size < 2:
        return 0, -1
    key = days.astype(np.int64)
    key -= days.min()
    bound = int(days.max() - days.min()) + 1
    codes = [_codes(table.column(name)) for name in KEY_COLUMNS]
    for _, size in codes:
        bound *= max(size, 1)
    if bound < PACKED_KEY_LIMIT:  # one integer per key: unique iff no two are equal
        for values, size in codes:
            key *= size
            key += values
        if bool((key[1:] > key[:-1]).all()):
            return 0, -1
        order = np.argsort(key, kind="stable")
        repeated = np.flatnonzero(key[order][1:] == key[order][:-1]) + 1
    else:
        order = np.lexsort([*(values for values, _ in reversed(codes)), days])
        same = np.ones(order.size - 1, dtype=bool)
        for values in [days, *(values for values, _ in codes)]:
            same &= values[order][1:] == values[order][:-1]
        repeated = np.flatnonzero(same) + 1
    if not repeated.size:
        return 0, -1
    return int(repeated.size), int(order[repeated[0]])


def _check_unique(table: pa.Table) -> None:
    count, row = _first_duplicate(table, _days(table))
    if count:
        fact = " ".join(str(table.column(name)[row].as_py()) for name in ("date", *KEY_COLUMNS))
        raise DuplicateFacts.of(count, fact)


def _months(table: pa.Table) -> list[MonthRows]:
    """The calendar months of the date-ordered ``table`` and their row ranges."""
    if not table.num_rows:
        return []
    months = _days(table).astype("datetime64[D]").astype("datetime64[M]")
    starts = [0, *(np.flatnonzero(months[1:] != months[:-1]) + 1).tolist()]
    stops = [*starts[1:], table.num_rows]
    return [
        MonthRows(months[start].astype("datetime64[D]").item(), start, stop)
        for start, stop in zip(starts, stops, strict=True)
    ]


def _stored(table: pa.Table, source: str, run_id: str, known_at: dt.datetime) -> pa.Table:
    """``table`` with the columns a stored fact has besides the import's own."""
    rows = table.num_rows
    first = pa.array(np.zeros(rows, dtype=np.int32))
    return (
        table.append_column("source", pa.DictionaryArray.from_arrays(first, [source]))
        .append_column("run_id", pa.DictionaryArray.from_arrays(first, [run_id]))
        .append_column("known_at", pa.repeat(pa.scalar(known_at, pa.timestamp("us")), rows))
        .select(seal.PART_SCHEMA.names)
    )


def _occupied_months(path: Path) -> tuple[set[dt.date], dt.date | None]:
    """Months holding any fact (current or sealed) and the latest fact date."""
    if not path.exists():
        return set(), None
    with reader(path) as con:
        rows = con.execute(
            f"SELECT DISTINCT date_trunc('month', date)::DATE FROM {parts.current_table(con)}"  # noqa: S608 - quoted by the warehouse.parts builders
        ).fetchall()
        latest = con.execute(f"SELECT max(date) FROM {parts.current_table(con)}").fetchone()[0]  # noqa: S608 - quoted by the warehouse.parts builders
        sealed = parts.active_parts(con)
    months = {row[0] for row in rows} | {row[1] for row in sealed}
    sealed_last = max((row[3] for row in sealed), default=None)
    latest = max((d for d in (latest, sealed_last) if d is not None), default=None)
    return months, latest


def _free_months(
    months: list[MonthRows], occupied: set[dt.date], newest: dt.date | None
) -> list[MonthRows]:
    """The closed months (older than ``KEEP_DAYS`` before ``newest``) that hold no fact."""
    if newest is None:
        return []
    first_open = (newest - dt.timedelta(days=seal.KEEP_DAYS)).replace(day=1)
    return [m for m in months if m.month < first_open and m.month not in occupied]


def _write_parts(table: pa.Table, months: list[MonthRows], folder: Path) -> list[seal.NewPart]:
    """Write one part per month in ``months`` (``WRITE_THREADS`` at a time); on any failure
    no working file is left behind."""
    names = [seal.part_name(m.month) for m in months]

    def write(index: int) -> seal.NewPart:
        rows = months[index]
        return seal.write_arrow_part(
            table.slice(rows.start, rows.stop - rows.start), folder, rows.month, names[index]
        )

    pool = ThreadPoolExecutor(max_workers=WRITE_THREADS)
    try:
        return list(pool.map(write, range(len(months))))
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # months not started yet are skipped
        for name in names:
            parts.remove_quietly(parts.tmp_path(folder, name))
        raise
    finally:
        pool.shutdown(wait=True)


def _held_months(writer: duckdb.DuckDBPyConnection, months: list[MonthRows]) -> set[dt.date]:
    """Of ``months``, those holding a fact in the writer's current table or an active part."""
    if not months:
        return set()
    return seal.held_months(writer, months[0].month, months[-1].month)


def _rows_of(table: pa.Table, months: list[MonthRows]) -> pa.Table:
    return pa.concat_tables([table.slice(m.start, m.stop - m.start) for m in months])


def _load_rest(
    writer: duckdb.DuckDBPyConnection,
    table: pa.Table,
    months: list[MonthRows],
    run: RunLog,
    known_at: dt.datetime,
) -> LoadCounts:
    """Inside the write transaction: months holding no fact are inserted as they are, the
    others go through the keyed upsert (revisions detected and kept)."""
    counts = LoadCounts()
    held = _held_months(writer, months)
    fresh = [m for m in months if m.month not in held]
    if fresh:
        writer.register(
            "bulk_fresh", _stored(_rows_of(table, fresh), run.source, run.run_id, known_at)
        )
        writer.execute(_INSERT_FRESH_SQL)
        writer.unregister("bulk_fresh")
        counts.inserted = sum(m.stop - m.start for m in fresh)
    revisable = [m for m in months if m.month in held]
    if revisable:
        frame = _plain(_rows_of(table, revisable)).to_pandas(date_as_object=False)
        loaded = upsert_facts(writer, frame, run.source, run.run_id, known_at=known_at)
        counts.inserted += loaded.inserted
        counts.revised, counts.unchanged = loaded.revised, loaded.unchanged
    return counts


def bulk_commit_run(
    run: RunLog, facts: pd.DataFrame | pa.Table, path: str | None = None
) -> LoadCounts:
    """Load ``facts`` of ``run`` (see module doc); returns what the load changed.

    Raises ``BadFacts`` or ``DuplicateFacts`` (nothing stored) for input that cannot load."""
    target = db_path(path)
    known_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    table = _in_date_order(_typed(facts))
    _check_unique(table)
    months = _months(table)
    occupied, latest = _occupied_months(target)
    staged_last = table.column("date")[-1].as_py() if table.num_rows else None
    newest = max((d for d in (latest, staged_last) if d is not None), default=None)
    free = _free_months(months, occupied, newest)
    folder = parts.parts_dir(target)
    folder.mkdir(parents=True, exist_ok=True)
    new = _write_parts(_stored(table, run.source, run.run_id, known_at), free, folder)
    written = {m.month for m in free}
    rest = [m for m in months if m.month not in written]
    counts = LoadCounts(inserted=sum(p.facts for p in new))

    def load_rest(writer: duckdb.DuckDBPyConnection) -> None:
        loaded = _load_rest(writer, table, rest, run, known_at)
        counts.inserted += loaded.inserted
        counts.revised, counts.unchanged = loaded.revised, loaded.unchanged
        run.status = "success"
        run.message = "; ".join(m for m in (run.message, counts.summary()) if m)
        insert_run(writer, run)
        audit_run(writer, run)

    seal.add_parts(target, new, also=load_rest)
    return counts
