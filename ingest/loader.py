"""Transactional loader: one run = one all-or-nothing write through ``write_transaction``.

Facts are upserted on (date, region, commodity, metric, source); a changed value updates
the fact and the old value is kept in ``fact_revisions``; ``known_at`` records when each
value was first seen (the old value's in ``old_known_at``); rejected rows are kept with
their reason; the run is logged in ``ingest_runs``.

Public run API: ``commit_run`` (one whole run), ``record_failed_run``, and for callers that
build their own transaction ``upsert_facts`` + ``insert_run``. Inside ``audited_as(...)`` a
committed run also writes its ``audit_log`` row in the same transaction.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import pandas as pd

from ingest.sanity import hold_out_of_line
from ingest.validate import FACT_COLUMNS, Rejection
from warehouse import audit, parts
from warehouse.db import write_transaction

# Upsert on the key (date, region_code, commodity, metric, source): ONE join of the incoming
# rows against facts keeps only the new and the changed rows in ``matched``; identical rows
# (a re-ingest) leave it empty, so revising, updating and inserting touch only what changed.
# Facts of sealed years (warehouse.parts) are matched too: a changed sealed value is revised
# by inserting the new value into the stored table, where it supersedes the sealed one.
_MATCH_SQL = (
    "CREATE OR REPLACE TEMP TABLE matched AS SELECT i.date, i.region_code, i.commodity, "
    "i.metric, i.source, i.value, i.unit, coalesce(f.value, s.value) AS old_value, "
    "coalesce(f.run_id, s.run_id) AS old_run_id, "
    "CASE WHEN f.date IS NULL THEN s.known_at ELSE f.known_at END AS old_known_at, "
    "f.date IS NULL AND s.date IS NULL AS is_new, f.date IS NOT NULL AS in_current "
    "FROM incoming i LEFT JOIN facts f ON f.date = i.date AND "
    "f.region_code = i.region_code AND f.commodity = i.commodity AND f.metric = i.metric AND "
    "f.source = i.source LEFT JOIN {sealed} s ON f.date IS NULL AND s.date = i.date AND "
    "s.region_code = i.region_code AND s.commodity = i.commodity AND s.metric = i.metric AND "
    "s.source = i.source "
    "WHERE (f.date IS NULL AND s.date IS NULL) OR coalesce(f.value, s.value) <> i.value "
    "OR coalesce(f.unit, s.unit) <> i.unit"
)
_MATCH_CURRENT_SQL = _MATCH_SQL.format(sealed="(SELECT * FROM facts WHERE false)")
_MATCH_SEALED_SQL = _MATCH_SQL.format(
    sealed="(SELECT * FROM sealed_facts WHERE date BETWEEN ? AND ?)"
)
_COUNT_SQL = "SELECT count(*) FILTER (is_new), count(*) FILTER (NOT is_new) FROM matched"
_REVISE_SQL = (
    "INSERT INTO fact_revisions (date, region_code, commodity, metric, source, old_value, "
    "new_value, old_run_id, new_run_id, revised_at, old_known_at) SELECT date, region_code, "
    "commodity, metric, source, old_value, value, old_run_id, ?, ?, old_known_at FROM matched "
    "WHERE NOT is_new"
)
_UPDATE_SQL = (
    "UPDATE facts AS f SET value = i.value, unit = i.unit, run_id = ?, known_at = ? FROM matched"
    " i WHERE "
    "i.in_current AND f.date = i.date AND f.region_code = i.region_code AND f.commodity = "
    "i.commodity AND f.metric = i.metric AND f.source = i.source"
)
_INSERT_SQL = (
    "INSERT INTO facts (date, region_code, commodity, metric, source, value, unit, run_id, "
    "known_at) SELECT date, region_code, commodity, metric, source, value, unit, ?, ? FROM "
    "matched WHERE NOT in_current"
)


_DUPLICATE_KEYS_SQL = (
    "SELECT count(*), any_value(date), any_value(region_code), any_value(commodity),"
    " any_value(metric) FROM (SELECT date, region_code, commodity, metric FROM incoming"
    " GROUP BY ALL HAVING count(*) > 1)"
)


class DuplicateFacts(ValueError):
    """The import holds the same (date, region, commodity, metric) more than once."""

    @classmethod
    def of(cls, count: int, fact: str) -> DuplicateFacts:
        """The error for ``count`` repeated keys, ``fact`` one of them, in both languages."""
        return cls(
            f"{count} fakta ganda (tanggal, wilayah, komoditas, metrik), mis. {fact} |"
            f" {count} duplicate facts (date, region, commodity, metric), e.g. {fact}: keep one"
        )


@dataclass
class RunLog:
    """The ``ingest_runs`` row of one run."""

    run_id: str
    source: str
    started_at: dt.datetime
    status: str = "running"
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    message: str = ""


@dataclass
class LoadCounts:
    """What a load changed."""

    inserted: int = 0
    revised: int = 0
    unchanged: int = 0
    held: int = 0

    def summary(self) -> str:
        text = f"new {self.inserted}, revised {self.revised}, unchanged {self.unchanged}"
        if self.held:
            text += (
                f"; {self.held} nilai ditahan untuk konfirmasi (jauh di luar riwayat) |"
                f" {self.held} value(s) held for confirmation (far out of line with history):"
                " python -m ingest confirm --list"
            )
        return text


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> int:
    row = con.execute(sql, params or []).fetchone()
    con.complete()
    return int(row[0]) if row and row[0] is not None else 0


@dataclass(frozen=True)
class RunAudit:
    """The audit row a committed run writes: who, which action, what (the run is the target)."""

    action: str
    user: str
    detail: str = ""


_RUN_AUDIT: contextvars.ContextVar[RunAudit | None] = contextvars.ContextVar(
    "run_audit", default=None
)


@contextlib.contextmanager
def audited_as(entry: RunAudit) -> Iterator[None]:
    """Runs committed inside the block write ``entry`` to ``audit_log`` in their transaction."""
    token = _RUN_AUDIT.set(entry)
    try:
        yield
    finally:
        _RUN_AUDIT.reset(token)


def insert_run(con: duckdb.DuckDBPyConnection, run: RunLog) -> None:
    """Log ``run`` in ``ingest_runs`` inside a write transaction the caller holds."""
    con.execute(
        "INSERT INTO ingest_runs (run_id, source, started_at, finished_at, status, rows_read,"
        " rows_loaded, rows_rejected, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run.run_id,
            run.source,
            run.started_at,
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            run.status,
            run.rows_read,
            run.rows_loaded,
            run.rows_rejected,
            run.message,
        ],
    )


def _stage(con: duckdb.DuckDBPyConnection, facts: pd.DataFrame, source: str) -> None:
    frame = facts[FACT_COLUMNS].copy()
    frame["source"] = source
    if frame["date"].dtype == object:  # datetime.date objects: DuckDB would read them one by one
        frame["date"] = pd.to_datetime(frame["date"])
    con.register("incoming_frame", frame)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE incoming AS SELECT CAST(date AS DATE) AS date,"
        " CAST(region_code AS VARCHAR) AS region_code, CAST(commodity AS VARCHAR) AS commodity,"
        " CAST(metric AS VARCHAR) AS metric, CAST(source AS VARCHAR) AS source,"
        " CAST(value AS DOUBLE) AS value, CAST(unit AS VARCHAR) AS unit FROM incoming_frame"
    )
    con.unregister("incoming_frame")


def _refuse_duplicate_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Raise ``DuplicateFacts`` when the staged facts hold a key twice (``facts`` has no
    primary key to refuse the second row: this check keeps the key unique)."""
    count, date, region, commodity, metric = con.execute(_DUPLICATE_KEYS_SQL).fetchone()
    con.complete()
    if count:
        raise DuplicateFacts.of(count, f"{date} {region} {commodity} {metric}")


def _sealed_dates(con: duckdb.DuckDBPyConnection) -> list[dt.date] | None:
    """The date range of sealed rows the staged facts may revise: None when every incoming
    date is newer than the sealed history (the usual daily run)."""
    last_sealed = parts.last_sealed_date(con)
    if last_sealed is None:
        return None
    first, last = con.execute("SELECT min(date), max(date) FROM incoming").fetchone()
    con.complete()
    if first is None or first > last_sealed:
        return None
    return [first, last]


def upsert_facts(
    con: duckdb.DuckDBPyConnection,
    facts: pd.DataFrame,
    source: str,
    run_id: str,
    known_at: dt.datetime | None = None,
) -> LoadCounts:
    """Insert new facts, revise changed ones (keeping the old value), skip identical ones.

    ``known_at`` is when the values were first seen (default: now, UTC).
    """
    if facts.empty:
        return LoadCounts()
    _stage(con, facts, source)
    _refuse_duplicate_keys(con)
    now = known_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    sealed_dates = _sealed_dates(con)
    if sealed_dates is None:
        con.execute(_MATCH_CURRENT_SQL)
    else:
        con.execute(_MATCH_SEALED_SQL, sealed_dates)
    inserted, revised = con.execute(_COUNT_SQL).fetchone()
    con.complete()
    if revised:
        con.execute(_REVISE_SQL, [run_id, now])
        con.execute(_UPDATE_SQL, [run_id, now])
    if inserted or revised:
        con.execute(_INSERT_SQL, [run_id, now])
    con.execute("DROP TABLE incoming")
    con.execute("DROP TABLE matched")
    return LoadCounts(int(inserted), int(revised), len(facts) - inserted - revised)


def insert_rejections(
    con: duckdb.DuckDBPyConnection, run_id: str, rejected: list[Rejection]
) -> None:
    """Keep every rejected row with its reason."""
    if not rejected:
        return
    frame = pd.DataFrame(
        {
            "run_id": run_id,
            "row_number": pd.array([r.row_number for r in rejected], dtype="Int64"),
            "raw": [
                json.dumps({"column": r.column, "raw": r.raw}, ensure_ascii=False) for r in rejected
            ],
            "reason": [r.reason for r in rejected],
        }
    )
    con.register("rejected_frame", frame)
    con.execute(
        "INSERT INTO rejected_rows (run_id, row_number, raw, reason)"
        " SELECT run_id, row_number, raw, reason FROM rejected_frame"
    )
    con.unregister("rejected_frame")


def upsert_source_ids(
    con: duckdb.DuckDBPyConnection, source: str, run_id: str, crosswalk: list[dict]
) -> None:
    """Record the source ids resolved in this run (kind, source_id, source_name, code)."""
    if not crosswalk:
        return
    frame = pd.DataFrame(crosswalk, columns=["kind", "source_id", "source_name", "code"])
    frame = frame.drop_duplicates(["kind", "source_id"], keep="last").astype("string")
    con.register("crosswalk_frame", frame)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute(
        "DELETE FROM source_ids AS s USING crosswalk_frame AS c"
        " WHERE s.source = ? AND s.kind = c.kind AND s.source_id = c.source_id",
        [source],
    )
    con.execute(
        "INSERT INTO source_ids (source, kind, source_id, source_name, code, run_id, resolved_at)"
        " SELECT ?, kind, source_id, source_name, code, ?, ? FROM crosswalk_frame",
        [source, run_id, now],
    )
    con.unregister("crosswalk_frame")


def commit_run(
    run: RunLog,
    facts: pd.DataFrame,
    rejected: list[Rejection],
    crosswalk: list[dict] | None = None,
    path: str | None = None,
) -> LoadCounts:
    """Write facts, revisions, rejected rows, the crosswalk and the run log in one transaction."""
    run.status = "success"
    with write_transaction(path) as con:
        facts, held = hold_out_of_line(con, facts, run.source, run.run_id)
        counts = upsert_facts(con, facts, run.source, run.run_id)
        counts.held = held
        insert_rejections(con, run.run_id, rejected)
        upsert_source_ids(con, run.source, run.run_id, crosswalk or [])
        run.message = "; ".join(part for part in (run.message, counts.summary()) if part)
        insert_run(con, run)
        audit_run(con, run)
    return counts


def audit_run(con: duckdb.DuckDBPyConnection, run: RunLog, entry: RunAudit | None = None) -> None:
    """Write the audit row of ``run`` (``entry``, else the one of the enclosing ``audited_as``;
    none without either) inside the caller's write transaction."""
    entry = entry or _RUN_AUDIT.get()
    if entry is None:
        return
    detail = f"{entry.detail}: " if entry.detail else ""
    detail += f"{run.rows_loaded} loaded, {run.rows_rejected} rejected"
    audit.insert(con, entry.action, entry.user, run.run_id, detail)


def record_failed_run(run: RunLog, path: str | None = None, status: str = "failed") -> None:
    """Log a run that stored nothing, ``failed`` or ``no_data`` (its own tiny transaction:
    no fact, revision or rejection is written)."""
    run.status = status
    with write_transaction(path) as con:
        insert_run(con, run)
