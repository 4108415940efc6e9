"""Warehouse invariants checked after crashes, faults and hostile uploads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

DUPLICATE_FACTS_SQL = """
    SELECT count(*) FROM (
        SELECT date, region_code, commodity, metric, source FROM facts
        GROUP BY ALL HAVING count(*) > 1)
"""
# Facts whose run id has no ingest_runs row (a run's data without its run).
ORPHAN_FACTS_SQL = """
    SELECT count(*) FROM (SELECT DISTINCT run_id FROM facts) f
    WHERE NOT EXISTS (SELECT 1 FROM ingest_runs r WHERE r.run_id = f.run_id)
"""
# Forecast output tables whose run id has no forecast_runs row, and successful forecast
# runs without any forecast or status row (a run row without its data).
ORPHAN_FORECAST_SQL = """
    SELECT count(*) FROM (
        SELECT run_id FROM forecasts UNION SELECT run_id FROM statuses
        UNION SELECT run_id FROM forecast_series) o
    WHERE NOT EXISTS (SELECT 1 FROM forecast_runs r WHERE r.run_id = o.run_id)
"""
EMPTY_FORECAST_RUNS_SQL = """
    SELECT count(*) FROM forecast_runs r WHERE r.status = 'success' AND (
        NOT EXISTS (SELECT 1 FROM statuses s WHERE s.run_id = r.run_id)
        OR NOT EXISTS (SELECT 1 FROM forecast_series s WHERE s.run_id = r.run_id))
"""
# A successful ingest run that claims loaded rows must own facts or have revised some.
EMPTY_INGEST_RUNS_SQL = """
    SELECT count(*) FROM ingest_runs r
    WHERE r.status = 'success' AND r.message LIKE '%new %' AND regexp_extract(r.message,
          'new ([0-9]+)', 1) <> '0'
      AND NOT EXISTS (SELECT 1 FROM facts f WHERE f.run_id = r.run_id)
      AND NOT EXISTS (SELECT 1 FROM fact_revisions v WHERE v.new_run_id = r.run_id)
"""


@dataclass
class Integrity:
    """What a check of one warehouse file found."""

    opened: bool
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.opened and not self.problems


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    con.complete()
    return int(row[0])


def check_warehouse(path: Path) -> Integrity:
    """Open ``path`` read-only and check every invariant; never raises."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        return Integrity(False, [f"cannot open: {exc}"])
    try:
        result = Integrity(True)
        checks = {
            "duplicate facts": DUPLICATE_FACTS_SQL,
            "facts without their ingest run": ORPHAN_FACTS_SQL,
            "forecast rows without their run": ORPHAN_FORECAST_SQL,
            "successful forecast runs without data": EMPTY_FORECAST_RUNS_SQL,
            "successful ingest runs without data": EMPTY_INGEST_RUNS_SQL,
        }
        for label, sql in checks.items():
            found = _scalar(con, sql)
            if found:
                result.problems.append(f"{found} {label}")
        for table in ("facts", "ingest_runs", "forecast_runs", "statuses"):
            result.counts[table] = _scalar(con, f"SELECT count(*) FROM {table}")
        return result
    finally:
        con.close()


def leftover_copies(path: Path) -> list[Path]:
    """Working copies of a writer (``<name>.tmp-<pid>``) present beside ``path``."""
    return sorted(path.parent.glob(f"{path.name}.tmp-*"))
