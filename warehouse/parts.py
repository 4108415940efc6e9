"""Sealed history: closed months of ``facts`` kept as immutable Parquet parts.

The warehouse file (the "current" file) holds everything a write touches: recent facts and
every other table. Closed history lives beside it in ``<warehouse>.parts/``, one Parquet file
per sealed calendar month, listed in the ``fact_parts`` manifest inside the current file. A write copies
only the small current file; the parts are never rewritten, only replaced by new files that a
later manifest lists instead.

Readers see ``facts`` as one view (a TEMP VIEW shadowing the stored table): the current rows
plus the sealed rows that no current row supersedes (a revision of a sealed date lands in the
current table and wins). Views stored in the warehouse that read ``facts`` (``daily_values``)
resolve to that view too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path

import duckdb

KEY = ("date", "region_code", "commodity", "metric", "source")
PARTS_SUFFIX = ".parts"
TMP_SUFFIX = ".tmp"

MANIFEST_SQL = """
CREATE TABLE IF NOT EXISTS fact_parts (
    part_file   VARCHAR PRIMARY KEY,   -- file name inside <warehouse>.parts/
    month       DATE NOT NULL,         -- the calendar month the part holds (its first day)
    first_date  DATE NOT NULL,
    last_date   DATE NOT NULL,
    facts       BIGINT NOT NULL,
    sealed_at   TIMESTAMP NOT NULL,
    retired_at  TIMESTAMP              -- NULL = active; set when a newer part replaces it
)
"""


# A pinned read snapshot (warehouse.snapshots) is a hard link named after the live file.
_SNAPSHOT_NAME = re.compile(r"^\.(?P<live>.+)\.(?:snap|pin)-[^/]+$")


def parts_dir(warehouse: Path) -> Path:
    """The directory holding the sealed parts of ``warehouse`` (or of the live warehouse a
    pinned snapshot of it belongs to)."""
    snapshot = _SNAPSHOT_NAME.match(warehouse.name)
    live = snapshot.group("live") if snapshot else warehouse.name
    return warehouse.with_name(live + PARTS_SUFFIX)


def key_match(left: str, right: str) -> str:
    """SQL condition: ``left`` and ``right`` rows have the same fact key."""
    return " AND ".join(f"{left}.{col} = {right}.{col}" for col in KEY)


def sql_literal(text: str) -> str:
    """``text`` as a quoted SQL string literal (for view text, where parameters cannot go)."""
    return "'" + text.replace("'", "''") + "'"


def sql_identifier(text: str) -> str:
    """``text`` as a quoted SQL identifier."""
    return '"' + text.replace('"', '""') + '"'


def _sql_list(paths: list[Path]) -> str:
    return "[" + ", ".join(sql_literal(str(p)) for p in paths) + "]"


def parquet_source(paths: list[Path]) -> str:
    """``read_parquet`` over ``paths`` (columns matched by name, so older parts keep working)."""
    return f"read_parquet({_sql_list(paths)}, union_by_name = true)"


def active_parts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, dt.date, dt.date, dt.date]]:
    """(file, month, first_date, last_date) of the parts the manifest lists as active.

    Empty for a warehouse without a manifest (created before sealing existed)."""
    try:
        rows = con.execute(
            "SELECT part_file, month, first_date, last_date FROM fact_parts"
            " WHERE retired_at IS NULL ORDER BY month"
        ).fetchall()
    except duckdb.CatalogException:
        return []
    con.complete()
    return rows


def current_table(con: duckdb.DuckDBPyConnection) -> str:
    """Fully qualified name of the stored (current) facts table of ``con``'s warehouse."""
    name = con.execute("SELECT current_database()").fetchone()[0]
    con.complete()
    return sql_identifier(name) + ".main.facts"


def sealed_view_sql(
    con: duckdb.DuckDBPyConnection,
    warehouse: Path,
    parts: list[tuple[str, dt.date, dt.date, dt.date]],
) -> str:
    """SELECT of the rows of the sealed ``parts`` (``active_parts``) that no current row
    supersedes."""
    paths = [parts_dir(warehouse) / row[0] for row in parts]
    last_sealed = max(row[3] for row in parts)
    overlap = con.execute(
        f"SELECT count(*) FROM {current_table(con)} WHERE date <= ?",  # noqa: S608 - quoted by the warehouse.parts builders
        [last_sealed],
    )
    has_overlap = overlap.fetchone()[0] > 0
    con.complete()
    if not has_overlap:
        return f"SELECT * FROM {parquet_source(paths)}"  # noqa: S608 - quoted by the warehouse.parts builders
    return (
        f"SELECT s.* FROM {parquet_source(paths)} s WHERE NOT EXISTS (SELECT 1 FROM"  # noqa: S608 - quoted by the warehouse.parts builders
        f" {current_table(con)} c WHERE c.date <= {sql_literal(last_sealed.isoformat())}::DATE"
        f" AND {key_match('c', 's')})"
    )


def attach_for_reading(con: duckdb.DuckDBPyConnection, warehouse: Path) -> bool:
    """Make ``facts`` on ``con`` the view of current plus sealed rows; False without parts."""
    parts = active_parts(con)
    if not parts:
        return False
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW facts AS SELECT * FROM {current_table(con)}"  # noqa: S608 - quoted by the warehouse.parts builders
        f" UNION ALL BY NAME {sealed_view_sql(con, warehouse, parts)}"
    )
    return True


def attach_for_writing(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    """Give a writer ``sealed_facts``: the active sealed rows (empty without parts).

    A writer keeps ``facts`` as the stored table it inserts into; the loader reads
    ``sealed_facts`` to detect revisions of sealed dates."""
    paths = [parts_dir(warehouse) / row[0] for row in active_parts(con)]
    if paths:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW sealed_facts AS SELECT * FROM {parquet_source(paths)}"  # noqa: S608 - quoted by the warehouse.parts builders
        )
    else:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW sealed_facts AS SELECT * FROM {current_table(con)}"  # noqa: S608 - quoted by the warehouse.parts builders
            " WHERE false"
        )


def last_sealed_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The latest date any active part holds (None without parts)."""
    parts = active_parts(con)
    return max(row[3] for row in parts) if parts else None


def fsync_file(path: Path) -> None:
    """Flush ``path``'s contents to disk."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def fsync_dir(directory: Path) -> None:
    """Flush ``directory``'s entries (a rename inside it) to disk."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def tmp_path(folder: Path, part_file: str) -> Path:
    """Where this process writes ``part_file`` before it is listed (``<file>.<pid>.tmp``)."""
    return folder / f"{part_file}.{os.getpid()}{TMP_SUFFIX}"


def tmp_writer_alive(tmp: Path) -> bool:
    """Whether the process that writes ``tmp`` (its pid is in the name) still runs here."""
    try:
        pid = int(tmp.name.removesuffix(TMP_SUFFIX).rsplit(".", 1)[1])
    except (IndexError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_quietly(path: Path) -> None:
    """Delete ``path`` if it exists."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
