"""Connection policy for the DuckDB warehouse.

DuckDB allows one writing process or many readers, never both. We therefore never write
to the live file:

* Readers open a short-lived read-only connection per query (or per page snapshot).
* A writer takes an exclusive lock file, copies the warehouse to a temporary file, does
  its one short transaction there, CHECKPOINTs, closes, fsyncs and ``os.replace``s the copy
  over the original. Readers therefore see either the old or the new file, never a
  half-written run, and never meet a DuckDB lock held by a writer.
"""

from __future__ import annotations

import contextlib
import contextvars
import fcntl
import glob
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from warehouse import parts

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = ROOT / "data" / "warehouse.duckdb"
SCHEMA_FILE = Path(__file__).with_name("schema.sql")

READ_RETRY_SECONDS = 3.0
WRITE_LOCK_TIMEOUT_SECONDS = 600.0


class WarehouseError(RuntimeError):
    """Base class for warehouse problems a user should see as a message."""


class WarehouseMissing(WarehouseError):
    """The warehouse file does not exist yet."""


class WarehouseBusy(WarehouseError):
    """The warehouse could not be opened in time because it is being refreshed."""


def db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the warehouse path: explicit argument, then ``JSW_DB``, then the default."""
    if path:
        return Path(path)
    env = os.environ.get("JSW_DB")
    return Path(env) if env else DEFAULT_DB


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "resource temporarily unavailable" in text


_SHARED_READER: contextvars.ContextVar[tuple[Path, duckdb.DuckDBPyConnection] | None] = (
    contextvars.ContextVar("shared_reader", default=None)
)


@contextlib.contextmanager
def shared_reader(
    path: str | os.PathLike[str] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """One read-only connection reused by every ``reader``/``read_df`` on ``path`` inside
    the block: a view made of several queries opens the file once and reads one version."""
    with reader(path) as con:
        token = _SHARED_READER.set((db_path(path), con))
        try:
            yield con
        finally:
            _SHARED_READER.reset(token)


@contextlib.contextmanager
def reader(path: str | os.PathLike[str] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection; all queries inside see one file version."""
    target = db_path(path)
    shared = _SHARED_READER.get()
    if shared is not None and shared[0] == target:
        yield shared[1]
        return
    if not target.exists():
        raise WarehouseMissing(f"Warehouse not found: {target}")
    deadline = time.monotonic() + READ_RETRY_SECONDS
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(str(target), read_only=True)
            break
        except duckdb.Error as exc:  # pragma: no cover - timing dependent
            if not _is_lock_error(exc) or time.monotonic() > deadline:
                raise WarehouseBusy(f"Warehouse is refreshing: {exc}") from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.25)
    try:
        parts.attach_for_reading(con, target)
        yield con
    finally:
        con.close()


def read_df(
    sql: str,
    params: list[Any] | tuple[Any, ...] | None = None,
    path: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Run one parameterised query on a fresh read-only connection and return a DataFrame."""
    with reader(path) as con:
        return con.execute(sql, params or []).df()


@contextlib.contextmanager
def writer_lock(path: Path, timeout: float = WRITE_LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Exclusive inter-process lock held by the one writer at a time."""
    lock_file = path.with_name(path.name + ".lock")
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WarehouseBusy(f"Another writer holds {lock_file}") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def write_transaction(
    path: str | os.PathLike[str] | None = None, fresh: bool = False, compact: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """One all-or-nothing write: copy, write inside a transaction, checkpoint, replace.

    Do slow work (network, parsing, model fitting) before entering this block.
    With ``fresh=True`` the new file starts empty (schema and reference data only)
    instead of from a copy; with ``compact=True`` the copy is rebuilt table by table
    (``COPY FROM DATABASE``), so space freed by deleted rows is not carried over.
    On any exception the original file is left exactly as it was.

    Only the current file is copied: sealed history (``warehouse.parts``) stays where it
    is, and ``sealed_facts`` on the connection lists its rows for revision detection.
    """
    target = db_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(target):
        remove_stale_copies(target)
        tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
        try:
            if target.exists() and not fresh and not compact:
                shutil.copyfile(target, tmp)
            con = duckdb.connect(str(tmp))
            if target.exists() and compact and not fresh:
                _copy_tables(con, target)
        except BaseException:
            _remove_quietly(tmp)
            raise
        try:
            rebuilt = ensure_schema(con)
            parts.attach_for_writing(con, target)
            con.execute("BEGIN TRANSACTION")
            yield con
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            con.close()
            _remove_quietly(tmp)
            raise
        con.close()
        try:
            if rebuilt:
                tmp = _compacted(tmp)
            parts.fsync_file(tmp)
            os.replace(tmp, target)
        except BaseException:
            _remove_quietly(tmp)
            raise
        parts.fsync_dir(target.parent)


def _compacted(path: Path) -> Path:
    """A copy of the database at ``path`` holding only its live blocks; ``path`` is removed
    (on failure too, with the partial copy)."""
    copy = path.with_name(path.name + ".compact")
    try:
        with contextlib.closing(duckdb.connect(str(copy))) as con:
            _copy_tables(con, path)
            con.execute("CHECKPOINT")
    except BaseException:
        _remove_quietly(copy)
        raise
    finally:
        _remove_quietly(path)
    return copy


def _copy_tables(con: duckdb.DuckDBPyConnection, source: Path) -> None:
    """Fill the empty database of ``con`` with every table and view of ``source``."""
    name = con.execute("SELECT current_database()").fetchone()[0]
    con.complete()
    con.execute("ATTACH ? AS compact_source (READ_ONLY)", [str(source)])
    try:
        con.execute(f"COPY FROM DATABASE compact_source TO {parts.sql_identifier(name)}")
    finally:
        con.execute("DETACH compact_source")


def remove_stale_copies(target: Path) -> list[Path]:
    """Delete working copies left by a writer that died (power loss, kill -9, full disk).

    Called with the writer lock held, so no live writer owns any of them.
    """
    stale = sorted(target.parent.glob(f"{glob.escape(target.name)}.tmp-*"))
    for leftover in stale:
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    return stale


def _remove_quietly(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create missing tables and load reference data into empty reference tables. True when
    ``facts`` still had the primary key of older versions and was rebuilt without it (the
    caller then compacts the file: the index's blocks stay in it until copied out)."""
    needs_known_at = _has_table(con, "facts") and not _has_column(con, "facts", "known_at")
    keyed = _has_table(con, "facts") and _has_primary_key(con, "facts")
    if keyed:
        con.execute("ALTER TABLE facts RENAME TO facts_keyed")
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    con.execute(parts.MANIFEST_SQL)
    if keyed:
        con.execute("INSERT INTO facts BY NAME SELECT * FROM facts_keyed ORDER BY date")
        con.execute("DROP TABLE facts_keyed")
    if needs_known_at:  # once, when the column is added: when each value was first seen
        con.execute(
            "UPDATE facts SET known_at = r.started_at FROM ingest_runs r"
            " WHERE facts.known_at IS NULL AND r.run_id = facts.run_id"
        )
    from warehouse.reference import load_reference_data

    load_reference_data(con)
    return keyed


def _has_primary_key(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    query = (
        "SELECT count(*) FROM information_schema.table_constraints"
        " WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'"
    )
    found = con.execute(query, [table]).fetchone()[0]
    con.complete()
    return bool(found)


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    query = "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
    found = con.execute(query, [table]).fetchone()[0]
    con.complete()
    return bool(found)


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    query = (
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?"
    )
    found = con.execute(query, [table, column]).fetchone()[0]
    con.complete()
    return bool(found)


def init_warehouse(path: str | os.PathLike[str] | None = None) -> Path:
    """Create (or upgrade) the warehouse file with schema and reference data."""
    with write_transaction(path):
        pass
    return db_path(path)
