"""Sealing: move closed months of ``facts`` out of the current file into Parquet parts.

``seal`` works in two steps so that the writer lock is held only briefly:

1. From a read-only snapshot (no lock), each month older than ``keep_days`` before the latest
   fact that still has rows in the current file is written, merged with its existing part
   (current rows win), to ``<part>.parquet.tmp``, fsynced.
2. One write transaction checks that no other seal replaced those parts meanwhile, renames
   the files to their final names, deletes from the current table exactly the rows the new
   parts hold (a row revised since the snapshot stays and wins) and switches the manifest.

A crash at any point leaves the old manifest (old parts, all rows still current) or the
new one; files no manifest lists are removed by the next seal, and replaced parts only after
``GRACE_SECONDS`` (a reader may still be reading through the previous manifest).
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from warehouse import parts
from warehouse.db import db_path, reader, write_transaction

KEEP_DAYS = 92  # the out-of-line check reads 90 days of history inside the writer
GRACE_SECONDS = 900.0
STALE_TMP_SECONDS = 3600.0
COMPACT_ROWS = 1_000_000  # rebuild the current file when a seal removes at least this many rows
SORT = "commodity, region_code, metric, source, date"
ROW_GROUP_ROWS = 122_880
# The columns of a part, in the order the seal writes them (``facts`` in the current file).
PART_SCHEMA = pa.schema(
    [
        ("date", pa.date32()),
        ("region_code", pa.string()),
        ("commodity", pa.string()),
        ("metric", pa.string()),
        ("source", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("run_id", pa.string()),
        ("known_at", pa.timestamp("us")),
    ]
)


class SealConflict(RuntimeError):
    """Another seal replaced a part while this one was writing; run it again."""


@dataclass
class NewPart:
    """One part written from the snapshot, not yet in the manifest."""

    month: dt.date
    file: str
    replaces: str | None
    facts: int
    first_date: dt.date
    last_date: dt.date
    current_rows: int


@dataclass
class SealResult:
    """What a seal did."""

    months: list[str] = field(default_factory=list)
    facts_sealed: int = 0
    rows_moved: int = 0
    parts_removed: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "months": self.months,
            "facts_sealed": self.facts_sealed,
            "rows_moved": self.rows_moved,
            "parts_removed": self.parts_removed,
            "seconds": round(self.seconds, 2),
        }


def _months_to_seal(con: duckdb.DuckDBPyConnection, keep_days: int) -> list[tuple[dt.date, int]]:
    latest = con.execute(f"SELECT max(date) FROM {parts.current_table(con)}").fetchone()[0]  # noqa: S608 - quoted by the warehouse.parts builders
    con.complete()
    if latest is None:
        return []
    cutoff = latest - dt.timedelta(days=keep_days)
    first_open = cutoff.replace(day=1)  # the month holding the cutoff stays current
    rows = con.execute(
        "SELECT date_trunc('month', date)::DATE AS m, count(*) FROM"  # noqa: S608 - quoted by the warehouse.parts builders
        f" {parts.current_table(con)}"
        " WHERE date < ? GROUP BY m ORDER BY m",
        [first_open],
    ).fetchall()
    con.complete()
    return [(row[0], int(row[1])) for row in rows]


def month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def write_part_file(
    con: duckdb.DuckDBPyConnection,
    select_sql: str,
    params: list,
    folder: Path,
    month: dt.date,
    replaces: str | None = None,
    current_rows: int = 0,
    presorted: bool = False,
) -> NewPart:
    """Write the rows of ``select_sql`` (one month of facts) to a fsynced ``.tmp`` part,
    sorted by ``SORT`` (``presorted``: the rows already come in that order)."""
    name = part_name(month)
    tmp = parts.tmp_path(folder, name)
    rows = con.sql(select_sql, params=params)
    if not presorted:
        rows = rows.order(SORT)
    rows.write_parquet(str(tmp), row_group_size=ROW_GROUP_ROWS)
    count, first, last = con.execute(
        "SELECT count(*), min(date), max(date) FROM read_parquet(?)", [str(tmp)]
    ).fetchone()
    con.complete()
    parts.fsync_file(tmp)
    return NewPart(month, name, replaces, int(count), first, last, current_rows)


def part_name(month: dt.date) -> str:
    """A new, unique file name for a part of ``month``."""
    return f"facts-{month:%Y-%m}-{uuid.uuid4().hex[:12]}.parquet"


def write_arrow_part(table: pa.Table, folder: Path, month: dt.date, name: str) -> NewPart:
    """Write ``table`` (one month of facts with ``PART_SCHEMA``, in the order given; text
    columns may be dictionary-encoded, which the Parquet writer reuses) to the fsynced
    ``.tmp`` file of part ``name``, for a month the warehouse does not hold yet.

    Snappy like the seal's own parts; the file's row count is checked against ``table``."""
    tmp = parts.tmp_path(folder, name)
    columns = []
    for wanted in PART_SCHEMA:
        column = table.column(wanted.name)
        kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        columns.append(column if kind == wanted.type else column.cast(wanted.type))
    pq.write_table(
        pa.Table.from_arrays(columns, names=PART_SCHEMA.names),
        tmp,
        row_group_size=ROW_GROUP_ROWS,
        compression="snappy",
        store_schema=False,
    )
    written = pq.read_metadata(tmp).num_rows
    if written != table.num_rows:
        raise OSError(f"{tmp}: {written} rows written of {table.num_rows}")
    parts.fsync_file(tmp)
    span = pc.min_max(table.column("date"))
    return NewPart(month, name, None, table.num_rows, span["min"].as_py(), span["max"].as_py(), 0)


def _write_part(
    con: duckdb.DuckDBPyConnection, folder: Path, month: dt.date, current_rows: int
) -> NewPart:
    active = {row[1]: row[0] for row in parts.active_parts(con)}
    return write_part_file(
        con,
        "SELECT * FROM facts WHERE date BETWEEN ? AND ?",
        [month, month_end(month)],
        folder,
        month,
        active.get(month),
        current_rows,
    )


def write_snapshot_parts(path: Path, keep_days: int) -> list[NewPart]:
    """Step 1: write the merged parts of every month to seal as ``.tmp`` files."""
    folder = parts.parts_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[NewPart] = []
    try:
        with reader(path) as con:
            for month, current_rows in _months_to_seal(con, keep_days):
                written.append(_write_part(con, folder, month, current_rows))
    except BaseException:
        for part in written:
            parts.remove_quietly(parts.tmp_path(folder, part.file))
        raise
    return written


def _switch(con: duckdb.DuckDBPyConnection, folder: Path, new: list[NewPart]) -> int:
    """Step 2 inside the write transaction; returns the rows deleted from the current table."""
    active = {row[1]: row[0] for row in parts.active_parts(con)}
    for part in new:
        if active.get(part.month) != part.replaces:
            raise SealConflict(f"part of {part.month:%Y-%m} changed while sealing; run seal again")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    moved = 0
    for part in new:
        final = folder / part.file
        os.replace(parts.tmp_path(folder, part.file), final)
        before = con.execute("SELECT count(*) FROM facts").fetchone()[0]
        con.execute(
            f"DELETE FROM facts AS f USING {parts.parquet_source([final])} AS p"  # noqa: S608 - quoted by the warehouse.parts builders
            " WHERE f.date BETWEEN ? AND ? AND "
            f"{parts.key_match('f', 'p')} AND f.value = p.value AND f.unit = p.unit AND "
            "f.run_id = p.run_id AND f.known_at IS NOT DISTINCT FROM p.known_at",
            [part.month, month_end(part.month)],
        )
        moved += before - con.execute("SELECT count(*) FROM facts").fetchone()[0]
        con.complete()
        con.execute(
            "UPDATE fact_parts SET retired_at = ? WHERE part_file = ?", [now, part.replaces]
        )
        con.execute(
            "INSERT INTO fact_parts (part_file, month, first_date, last_date, facts, sealed_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [part.file, part.month, part.first_date, part.last_date, part.facts, now],
        )
    parts.fsync_dir(folder)
    return moved


def _list_new_parts(con: duckdb.DuckDBPyConnection, folder: Path, new: list[NewPart]) -> None:
    """Inside the write transaction: list parts of months that hold no fact (no current row,
    no active part), renaming their files to their final names."""
    if not new:
        return
    months = sorted(part.month for part in new)
    held = held_months(con, months[0], months[-1])
    for part in new:
        if part.month in held:
            raise SealConflict(f"{part.month:%Y-%m} gained facts meanwhile; load again")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for part in new:
        os.replace(parts.tmp_path(folder, part.file), folder / part.file)
        con.execute(
            "INSERT INTO fact_parts (part_file, month, first_date, last_date, facts, sealed_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [part.file, part.month, part.first_date, part.last_date, part.facts, now],
        )
    parts.fsync_dir(folder)


def held_months(con: duckdb.DuckDBPyConnection, first: dt.date, last: dt.date) -> set[dt.date]:
    """Inside the write transaction: the months from ``first`` to ``last`` that hold a fact
    in the current table, and every month that has an active part."""
    rows = con.execute(
        "SELECT DISTINCT date_trunc('month', date)::DATE FROM facts WHERE date BETWEEN ? AND ?",
        [first, month_end(last)],
    ).fetchall()
    con.complete()
    return {row[0] for row in rows} | {row[1] for row in parts.active_parts(con)}


def add_parts(
    path: str | os.PathLike[str] | None,
    new: list[NewPart],
    also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> None:
    """List freshly written parts of months the warehouse does not hold yet, in one write
    transaction that also runs ``also(con)`` (e.g. the run's recent facts and its log).

    Raises ``SealConflict`` (and removes the files) if a month gained a fact or a part
    meanwhile."""
    target = db_path(path)
    folder = parts.parts_dir(target)
    try:
        with write_transaction(target) as con:
            _list_new_parts(con, folder, new)
            if also is not None:
                also(con)
    except BaseException:
        for part in new:
            parts.remove_quietly(parts.tmp_path(folder, part.file))
        raise


def _expire_retired(con: duckdb.DuckDBPyConnection, grace_seconds: float) -> list[str]:
    limit = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=grace_seconds)
    expired = [
        row[0]
        for row in con.execute(
            "SELECT part_file FROM fact_parts WHERE retired_at IS NOT NULL AND retired_at < ?",
            [limit],
        ).fetchall()
    ]
    con.complete()
    if expired:
        con.execute("DELETE FROM fact_parts WHERE part_file IN ?", [expired])
    return expired


def remove_orphans(con: duckdb.DuckDBPyConnection, folder: Path) -> list[Path]:
    """Delete part files no manifest row lists (a seal that died between rename and commit)
    and ``.tmp`` files whose writer died (or that are older than ``STALE_TMP_SECONDS``: a
    process on another host). Call with the writer lock held."""
    if not folder.exists():
        return []
    listed = {row[0] for row in con.execute("SELECT part_file FROM fact_parts").fetchall()}
    con.complete()
    removed = []
    for entry in folder.iterdir():
        stale_tmp = entry.name.endswith(parts.TMP_SUFFIX) and (
            not parts.tmp_writer_alive(entry)
            or time.time() - entry.stat().st_mtime > STALE_TMP_SECONDS
        )
        orphan = entry.name.endswith(".parquet") and entry.name not in listed
        if stale_tmp or orphan:
            parts.remove_quietly(entry)
            removed.append(entry)
    return removed


def seal(
    path: str | os.PathLike[str] | None = None,
    keep_days: int = KEEP_DAYS,
    grace_seconds: float = GRACE_SECONDS,
) -> SealResult:
    """Seal every month older than ``keep_days`` before the latest fact (see module doc)."""
    started = time.perf_counter()
    target = db_path(path)
    folder = parts.parts_dir(target)
    new = write_snapshot_parts(target, keep_days)
    compact = sum(part.current_rows for part in new) >= COMPACT_ROWS
    result = SealResult(months=[f"{part.month:%Y-%m}" for part in new])
    try:
        with write_transaction(target) as con:
            result.rows_moved = _switch(con, folder, new)
            expired = _expire_retired(con, grace_seconds)
            remove_orphans(con, folder)
    except BaseException:
        for part in new:
            parts.remove_quietly(parts.tmp_path(folder, part.file))
        raise
    if compact:  # a second write copies the tables without the rows just moved out
        with write_transaction(target, compact=True):
            pass
    for name in expired:
        parts.remove_quietly(folder / name)
    result.parts_removed = len(expired)
    result.facts_sealed = sum(part.facts for part in new)
    result.seconds = time.perf_counter() - started
    return result
