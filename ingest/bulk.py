"""Bulk history import: months the warehouse does not hold yet go straight into sealed parts.

A history import (a national build, years of a source's archive) would otherwise push every
fact through the keyed upsert of ``ingest.loader``. Here the facts of every closed month
(older than ``warehouse.seal.KEEP_DAYS`` before the latest fact) that holds no fact yet are
written as Parquet parts outside the writer lock; the rest (recent months and months that
already hold facts, where revisions must be detected) goes through the normal upsert. Both
land in one write transaction with the run's log, so the import is all or nothing.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from ingest.loader import LoadCounts, RunLog, insert_run, upsert_facts
from ingest.validate import FACT_COLUMNS
from warehouse import parts, seal
from warehouse.db import db_path, reader

_STAGE_SQL = (
    "CREATE TABLE staged AS SELECT CAST(date AS DATE) AS date,"
    " CAST(region_code AS VARCHAR) AS region_code, CAST(commodity AS VARCHAR) AS commodity,"
    " CAST(metric AS VARCHAR) AS metric, CAST(? AS VARCHAR) AS source,"
    " CAST(value AS DOUBLE) AS value, CAST(unit AS VARCHAR) AS unit,"
    " CAST(? AS VARCHAR) AS run_id, CAST(? AS TIMESTAMP) AS known_at FROM frame"
)


class DuplicateFacts(ValueError):
    """The import holds the same (date, region, commodity, metric) more than once."""


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


def _stage(
    con: duckdb.DuckDBPyConnection,
    facts: pd.DataFrame,
    source: str,
    run_id: str,
    known_at: dt.datetime,
) -> None:
    frame = facts[FACT_COLUMNS]
    if frame["date"].dtype == object:
        frame = frame.assign(date=pd.to_datetime(frame["date"]))
    con.register("frame", frame)
    con.execute(_STAGE_SQL, [source, run_id, known_at])
    con.unregister("frame")
    total, distinct = con.execute(
        "SELECT count(*), count(DISTINCT (date, region_code, commodity, metric)) FROM staged"
    ).fetchone()
    if total != distinct:
        raise DuplicateFacts(
            f"{total - distinct} fakta ganda (tanggal, wilayah, komoditas, metrik) |"
            f" {total - distinct} duplicate facts (date, region, commodity, metric): keep one"
        )


def bulk_commit_run(run: RunLog, facts: pd.DataFrame, path: str | None = None) -> LoadCounts:
    """Load ``facts`` of ``run`` (see module doc); returns what the load changed."""
    target = db_path(path)
    known_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    occupied, latest = _occupied_months(target)
    folder = parts.parts_dir(target)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jsw-bulk-") as scratch:
        con = duckdb.connect(config={"temp_directory": scratch})
        try:
            _stage(con, facts, run.source, run.run_id, known_at)
            staged_last = con.execute("SELECT max(date) FROM staged").fetchone()[0]
            newest = max((d for d in (latest, staged_last) if d is not None), default=None)
            new = _write_free_months(con, folder, occupied, newest)
            rest = con.execute(
                "SELECT date, region_code, commodity, metric, value, unit FROM staged"
                " WHERE NOT list_contains(?::DATE[], date_trunc('month', date)::DATE)",
                [[part.month for part in new]],
            ).df()
        finally:
            con.close()
    counts = LoadCounts(inserted=sum(p.facts for p in new))

    def load_rest(writer: duckdb.DuckDBPyConnection) -> None:
        loaded = upsert_facts(writer, rest, run.source, run.run_id, known_at=known_at)
        counts.inserted += loaded.inserted
        counts.revised, counts.unchanged = loaded.revised, loaded.unchanged
        run.status = "success"
        run.message = "; ".join(m for m in (run.message, counts.summary()) if m)
        insert_run(writer, run)

    seal.add_parts(target, new, also=load_rest)
    return counts


def _write_free_months(
    con: duckdb.DuckDBPyConnection, folder: Path, occupied: set[dt.date], newest: dt.date | None
) -> list[seal.NewPart]:
    if newest is None:
        return []
    first_open = (newest - dt.timedelta(days=seal.KEEP_DAYS)).replace(day=1)
    months = [
        row[0]
        for row in con.execute(
            "SELECT DISTINCT date_trunc('month', date)::DATE AS m FROM staged"
            " WHERE date < ? ORDER BY m",
            [first_open],
        ).fetchall()
        if row[0] not in occupied
    ]
    written: list[seal.NewPart] = []
    try:
        for month in months:
            written.append(
                seal.write_part_file(
                    con,
                    "SELECT * FROM staged WHERE date BETWEEN ? AND ?",
                    [month, seal.month_end(month)],
                    folder,
                    month,
                    presorted=True,  # input order: no sort for a history import
                )
            )
    except BaseException:
        for part in written:
            parts.remove_quietly(parts.tmp_path(folder, part.file))
        raise
    return written
