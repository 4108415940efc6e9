"""The write path at national size: a build straight into sealed parts, then small officer
uploads committed while dashboard readers render.

    python bench/bench_write_path.py build --db /tmp/w19w/national.duckdb [--regions 514]
           [--commodities 10] [--years 5]
    python bench/bench_write_path.py upload --db /tmp/w19w/national.duckdb [--readers 8]
           [--uploads 5]

``build`` generates daily price, stock, distribution and delivery facts for every
kab/kota x commodity x day (deterministic formulas, no simulation) and writes every closed
month directly as a sealed Parquet part (``warehouse.seal.write_part_file``), the recent
months into the current file, all listed in one write transaction (``warehouse.seal.add_parts``).
It prints the wall time, the peak resident memory and the file sizes.

``upload`` starts ``--readers`` processes that render the landing page and the Kabupaten/Kota
page through Streamlit's AppTest on the warehouse, back to back, and meanwhile commits
``--uploads`` officer-sized runs of 1,000 new facts through ``ingest.loader.commit_run``. It
prints each commit's seconds and the readers' renders and failures (an exception element, a
raised error or a lock error all count as a failure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from ingest.loader import RunLog, commit_run  # noqa: E402
from warehouse import geography, parts, seal  # noqa: E402
from warehouse.db import init_warehouse, read_df  # noqa: E402

END = dt.date(2026, 11, 20)
SOURCE = "bench_national"
METRICS = (  # metric, unit kind, base
    ("price", "price", 1.0),
    ("stock", "stock", 900.0),
    ("distribution", "stock", 30.0),
    ("delivery", "stock", 31.0),
)

# One day of facts for every region x commodity x metric: smooth seasonal values with noise
# from a hash, so every fact is distinct and reproducible.
_DAY_SQL = """
SELECT d.date, r.code AS region_code, c.code AS commodity, m.metric, '{source}' AS source,
       round(CASE WHEN m.metric = 'price' THEN c.price ELSE m.base END
             * (1 + 0.06 * sin(epoch(d.date) / 86400 / 58.0 + r.k)
                + 0.02 * ((hash(d.date, r.code, c.code, m.metric) % 1000) / 1000.0 - 0.5)), 0)
         AS value,
       CASE WHEN m.kind = 'price' THEN c.price_unit ELSE c.stock_unit END AS unit,
       '{run_id}' AS run_id, TIMESTAMP '{known_at}' AS known_at
FROM (SELECT CAST(range AS DATE) AS date FROM range(DATE '{first}', DATE '{last}' + 1,
      INTERVAL 1 DAY)) d
CROSS JOIN bench_regions r CROSS JOIN bench_commodities c CROSS JOIN bench_metrics m
"""


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return own / 1024


def _lookup_tables(con: duckdb.DuckDBPyConnection, regions: int, commodities: int) -> None:
    codes = geography.all_regions()["bps_code"].sort_values().head(regions).tolist()
    con.execute("CREATE OR REPLACE TEMP TABLE bench_regions (code VARCHAR, k DOUBLE)")
    con.executemany(
        "INSERT INTO bench_regions VALUES (?, ?)", [[c, i * 0.37] for i, c in enumerate(codes)]
    )
    frame = (
        pd.read_csv(ROOT / "data" / "commodities.csv").sort_values("sort_order").head(commodities)
    )
    frame["price"] = [
        13_500,
        15_000,
        10_000,
        12_000,
        13_000,
        19_000,
        17_000,
        18_000,
        16_000,
        14_000,
    ][: len(frame)]
    con.register("commodity_frame", frame[["code", "price_unit", "stock_unit", "price"]])
    con.execute("CREATE OR REPLACE TEMP TABLE bench_commodities AS SELECT * FROM commodity_frame")
    con.unregister("commodity_frame")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE bench_metrics (metric VARCHAR, kind VARCHAR, base DOUBLE)"
    )
    con.executemany("INSERT INTO bench_metrics VALUES (?, ?, ?)", [list(m) for m in METRICS])


def _days_sql(first: dt.date, last: dt.date, run_id: str, known_at: dt.datetime) -> str:
    return _DAY_SQL.format(
        source=SOURCE, run_id=run_id, known_at=known_at.isoformat(sep=" "), first=first, last=last
    )


def build(path: Path, regions: int, commodities: int, years: int) -> dict:
    """Build the national warehouse into ``path`` (replacing it); returns the figures."""
    started = time.perf_counter()
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    folder = parts.parts_dir(path)
    if folder.exists():
        for entry in folder.iterdir():
            entry.unlink()
    init_warehouse(path)
    folder.mkdir(parents=True, exist_ok=True)
    run_id = f"bench-national-{END:%Y%m%d}"
    known_at = dt.datetime.combine(END, dt.time())
    first_day = END.replace(year=END.year - years) + dt.timedelta(days=1)
    first_open = (END - dt.timedelta(days=seal.KEEP_DAYS)).replace(day=1)
    stage = duckdb.connect()
    _lookup_tables(stage, regions, commodities)
    new: list[seal.NewPart] = []
    month = first_day.replace(day=1)
    while month < first_open:
        low = max(month, first_day)
        new.append(
            seal.write_part_file(
                stage, _days_sql(low, seal.month_end(month), run_id, known_at), [], folder, month
            )
        )
        month = seal.month_end(month) + dt.timedelta(days=1)
    parts_done = time.perf_counter()
    stage.close()

    def recent(con: duckdb.DuckDBPyConnection) -> None:
        _lookup_tables(con, regions, commodities)
        columns = "date, region_code, commodity, metric, source, value, unit, run_id, known_at"
        con.execute(
            f"INSERT INTO facts ({columns}) SELECT {columns} FROM ("  # noqa: S608 - generated
            + _days_sql(first_open, END, run_id, known_at)
            + ")"
        )
        con.execute(
            "INSERT INTO ingest_runs (run_id, source, started_at, finished_at, status, rows_read,"
            " rows_loaded, rows_rejected, message) VALUES (?, ?, ?, ?, 'success', 0, 0, 0,"
            " 'national benchmark build')",
            [run_id, SOURCE, known_at, known_at],
        )

    seal.add_parts(path, new, also=recent)
    seconds = time.perf_counter() - started
    counts = read_df("SELECT count(*) AS n FROM facts", path=path)
    with duckdb.connect(str(path), read_only=True) as con:
        current = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    parts_bytes = sum(p.stat().st_size for p in folder.iterdir())
    return {
        "facts": int(counts.n[0]),
        "current_facts": int(current),
        "parts": len(new),
        "seconds": round(seconds, 1),
        "parts_seconds": round(parts_done - started, 1),
        "peak_rss_mb": round(_peak_rss_mb()),
        "current_file_mb": round(path.stat().st_size / 1e6),
        "parts_mb": round(parts_bytes / 1e6),
        "load_average": os.getloadavg(),
    }


def _render_loop(db: str, stop_at: float, queue: mp.Queue) -> None:
    os.environ["JSW_DB"] = db
    os.environ["JSW_STALE_DAYS"] = "100000"
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    renders = failures = 0
    errors: list[str] = []
    while time.monotonic() < stop_at:
        try:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.run()
            ok = not at.exception
            if ok:
                at.switch_page("pages/kabupaten.py")
                at.run()
                ok = not at.exception
            if not ok:
                errors.append(str(at.exception[0].message)[:200])
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            ok = False
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        renders += 1
        failures += not ok
    queue.put({"renders": renders, "failures": failures, "errors": errors[:3]})


def _upload_facts(day: dt.date, seed: int) -> pd.DataFrame:
    regions = geography.all_regions()["bps_code"].sort_values().head(100).tolist()
    commodities = pd.read_csv(ROOT / "data" / "commodities.csv").sort_values("sort_order").head(10)
    index = pd.MultiIndex.from_product(
        [[day], regions, commodities["code"].tolist()], names=["date", "region_code", "commodity"]
    ).to_frame(index=False)
    index["metric"] = "stock"
    index["value"] = 900.0 + seed
    index["unit"] = index["commodity"].map(
        dict(zip(commodities.code, commodities.stock_unit, strict=True))
    )
    return index


def upload(path: Path, readers: int, uploads: int, warmup: float = 20.0) -> dict:
    """Commit ``uploads`` runs of 1,000 facts while ``readers`` processes render pages."""
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    stop_at = time.monotonic() + warmup + uploads * 60
    workers = [
        ctx.Process(target=_render_loop, args=(str(path), stop_at, queue)) for _ in range(readers)
    ]
    for worker in workers:
        worker.start()
    time.sleep(warmup)
    commits = []
    newest = read_df("SELECT max(date) AS d FROM facts", path=path).d[0]
    for number in range(uploads):
        facts = _upload_facts(pd.Timestamp(newest).date() + dt.timedelta(days=number + 1), number)
        run = RunLog(f"bench-upload-{os.getpid()}-{number}", "officer_bench", dt.datetime.now())
        run.rows_read = run.rows_loaded = len(facts)
        started, cpu = time.perf_counter(), time.process_time()
        counts = commit_run(run, facts, [], path=str(path))
        commits.append(
            {
                "seconds": round(time.perf_counter() - started, 2),
                "cpu_s": round(time.process_time() - cpu, 2),
                "new": counts.inserted,
            }
        )
        time.sleep(5)
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    return {
        "commits": commits,
        "max_commit_s": max(c["seconds"] for c in commits),
        "renders": sum(r["renders"] for r in results),
        "failed_renders": sum(r["failures"] for r in results),
        "errors": [e for r in results for e in r["errors"]][:5],
        "readers": readers,
        "current_file_mb": round(path.stat().st_size / 1e6),
        "load_average": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "upload"])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--regions", type=int, default=514)
    parser.add_argument("--commodities", type=int, default=10)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--uploads", type=int, default=5)
    args = parser.parse_args(argv)
    if args.command == "build":
        result = build(args.db, args.regions, args.commodities, args.years)
    else:
        result = upload(args.db, args.readers, args.uploads)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
