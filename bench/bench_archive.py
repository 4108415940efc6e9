"""The national archive as partitioned Parquet, queried by DuckDB, against the warehouse file.

Exports ``facts`` of a warehouse to Hive-partitioned Parquet (``metric=/year=``), then times
the same two queries on both, side by side:

* dashboard - one regency x commodity, daily prices of the last year (a Kabupaten chart)
* national  - weekly mean price per region for one commodity over the last year (a report)

python bench/bench_archive.py --db WAREHOUSE [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

QUERIES = {
    "one regency x commodity, 1 year of daily prices": (
        "SELECT date, value FROM {facts} WHERE metric = 'price' AND region_code = ? AND"
        " commodity = ? AND date > ? ORDER BY date"
    ),
    "weekly mean price per region, 1 commodity, 1 year": (
        "SELECT region_code, date_trunc('week', date) AS week, avg(value) AS price FROM {facts}"
        " WHERE metric = 'price' AND commodity = ? AND date > ? GROUP BY ALL"
    ),
}


def directory_mb(folder: Path) -> float:
    """Total size of the files under ``folder``, MB."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def export(db: Path, folder: Path) -> float:
    """Write facts as Parquet partitioned by metric and year; return seconds."""
    started = time.perf_counter()
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(
            f"COPY (SELECT *, year(date) AS year FROM facts) TO '{folder}' "  # noqa: S608
            "(FORMAT parquet, PARTITION_BY (metric, year), OVERWRITE_OR_IGNORE)"
        )
    finally:
        con.close()
    return time.perf_counter() - started


def params_of(db: Path) -> tuple[str, str, object]:
    """(region, commodity, start date one year before the last date) present in ``db``."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT min(region_code), min(commodity), max(date) - INTERVAL 365 DAY FROM facts"
            " WHERE metric = 'price'"
        ).fetchone()
        con.complete()
    finally:
        con.close()
    return str(row[0]), str(row[1]), row[2]


def time_query(con: duckdb.DuckDBPyConnection, sql: str, params: list, repeat: int) -> float:
    """Median seconds of ``repeat`` runs of one query (after one warm-up run)."""
    con.execute(sql, params).fetchall()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        con.execute(sql, params).fetchall()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(db: Path, repeat: int, workdir: Path) -> dict:
    """Export once, then time each query on the warehouse file and on the Parquet archive."""
    folder = workdir / "facts_parquet"
    export_s = export(db, folder)
    region, commodity, since = params_of(db)
    glob = f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
    rows = []
    warehouse = duckdb.connect(str(db), read_only=True)
    archive = duckdb.connect()
    try:
        for name, template in QUERIES.items():
            params = [region, commodity, since] if template.count("?") == 3 else [commodity, since]
            rows.append(
                {
                    "query": name,
                    "duckdb_file_s": time_query(
                        warehouse, template.format(facts="facts"), params, repeat
                    ),
                    "parquet_s": time_query(archive, template.format(facts=glob), params, repeat),
                }
            )
    finally:
        warehouse.close()
        archive.close()
    return {
        "db": str(db),
        "db_mb": db.stat().st_size / 1e6,
        "parquet_mb": directory_mb(folder),
        "parquet_files": sum(1 for _ in folder.rglob("*.parquet")),
        "export_s": export_s,
        "rows": rows,
        "load_average": os.getloadavg()[0],
    }


def table(r: dict) -> str:
    """Markdown table of one result."""
    lines = [
        f"warehouse file {r['db_mb']:,.0f} MB; Parquet archive {r['parquet_mb']:,.0f} MB in "
        f"{r['parquet_files']} files (export {r['export_s']:.1f} s); load average "
        f"{r['load_average']:.1f}",
        "",
        "| query | DuckDB file s | Parquet (DuckDB) s |",
        "|---|---:|---:|",
    ]
    for row in r["rows"]:
        lines.append(f"| {row['query']} | {row['duckdb_file_s']:.3f} | {row['parquet_s']:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.workdir, prefix="jsw-archive-") as tmp:
        result = run(args.db, args.repeat, Path(tmp))
    print(json.dumps(result, default=str) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
