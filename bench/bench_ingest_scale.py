"""Ingest throughput: the transactional bulk loader against a row-by-row insert baseline.

Measured side by side in one process on the same kind of facts (daily prices for real
regions x commodities), so the ratio holds on a noisy machine:

* bulk     - ``ingest.loader.upsert_facts`` (stage the frame, revise, insert) inside one
             ``write_transaction``; facts/s of the upsert and of the whole commit
             (copy, transaction, CHECKPOINT, fsync, replace).
* same     - the identical facts again: nothing new, nothing revised (a no-op).
* baseline - one parameterised ``INSERT ... VALUES (?, ...)`` per fact in one transaction,
             on a sample (``--baseline-rows``), into the same schema with its primary key.
* import   - ``ingest.bulk.bulk_commit_run``: the same facts as a history import into an
             empty warehouse; closed months go straight into sealed Parquet parts, the
             recent months into the current file; facts/s of the whole commit (wall and CPU
             seconds of the process, all its threads), ``--repeats`` times (a fresh warehouse
             each time), with the 1-minute load average before each repeat: median and best.
* kills    - with ``--kills N``: the import started N times in a child process, each into a
             fresh empty warehouse, and SIGKILLed at a random moment; afterwards the warehouse
             must hold all of the import or none of it (facts, run log), every listed part must
             exist, and a seal must leave exactly the listed part files.
* small    - with ``--warehouse PATH``: one small officer-sized run (1,000 facts) committed
             into a copy of that warehouse (its current file copied, its sealed parts
             hard-linked: they are immutable), which shows what one write costs at that size.

python bench/bench_ingest_scale.py [--facts 1000000] [--baseline-rows 5000] [--warehouse PATH]
       [--repeats 3] [--import-only] [--kills N] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.bulk import bulk_commit_run  # noqa: E402
from ingest.loader import LoadCounts, RunLog, commit_run, upsert_facts  # noqa: E402
from warehouse import geography, parts, seal  # noqa: E402
from warehouse.db import init_warehouse, reader, write_transaction  # noqa: E402

SOURCE = "bench"
INSERT_ONE = (
    "INSERT INTO facts (date, region_code, commodity, metric, source, value, unit, run_id)"
    " VALUES (?, ?, ?, 'price', ?, ?, 'Rp/kg', ?)"
)


def price_facts(n_facts: int, seed: int = 1, first_day: str = "2020-01-01") -> pd.DataFrame:
    """``n_facts`` daily price facts over 100 real kab/kota (BPS codes) x 10 commodities."""
    regions = geography.all_regions()["bps_code"].sort_values().head(100).tolist()
    commodities = [f"bench_{i}" for i in range(10)]
    days = n_facts // (len(regions) * len(commodities)) + 1
    frame = (
        pd.MultiIndex.from_product(
            [pd.date_range(first_day, periods=days).date, regions, commodities],
            names=["date", "region_code", "commodity"],
        )
        .to_frame(index=False)
        .head(n_facts)
    )
    frame["metric"] = "price"
    frame["value"] = np.random.default_rng(seed).uniform(5_000, 20_000, len(frame)).round(-1)
    frame["unit"] = "Rp/kg"
    return frame


def timed_upsert(path: Path, facts: pd.DataFrame, run_id: str) -> tuple[float, float, LoadCounts]:
    """(upsert seconds, whole commit seconds, counts) of one run written into ``path``."""
    started = time.perf_counter()
    with write_transaction(path) as con:
        upsert_started = time.perf_counter()
        counts = upsert_facts(con, facts, SOURCE, run_id)
        upsert_seconds = time.perf_counter() - upsert_started
    return upsert_seconds, time.perf_counter() - started, counts


def row_by_row(path: Path, facts: pd.DataFrame) -> float:
    """Seconds to insert ``facts`` one parameterised statement per fact, in one transaction."""
    rows = list(facts[["date", "region_code", "commodity", "value"]].itertuples(index=False))
    with write_transaction(path) as con:
        insert_started = time.perf_counter()
        for row in rows:
            con.execute(INSERT_ONE, [row[0], row[1], row[2], SOURCE, float(row[3]), "baseline"])
        seconds = time.perf_counter() - insert_started
    return seconds


def timed_import(
    path: Path, facts: pd.DataFrame, init: bool = True
) -> tuple[float, float, LoadCounts]:
    """(wall seconds, CPU seconds, counts) of a bulk history import into an empty warehouse."""
    if init:
        init_warehouse(path)
    wall, cpu = time.perf_counter(), time.process_time()
    counts = bulk_commit_run(RunLog("bench-import", SOURCE, dt.datetime.now()), facts, str(path))
    return time.perf_counter() - wall, time.process_time() - cpu, counts


def timed_imports(workdir: Path, facts: pd.DataFrame, repeats: int) -> dict:
    """``repeats`` history imports, each into a fresh empty warehouse: every repeat's wall and
    CPU seconds and the load average before it, and the median and best of them."""
    runs = []
    for index in range(repeats):
        path = workdir / f"import-{index}.duckdb"
        load = os.getloadavg()[0]
        wall, cpu, counts = timed_import(path, facts)
        runs.append({"wall_s": wall, "cpu_s": cpu, "load": load, "inserted": counts.inserted})
        path.unlink()
        shutil.rmtree(parts.parts_dir(path), ignore_errors=True)
    middle = sorted(runs, key=lambda r: r["wall_s"])[(len(runs) - 1) // 2]
    best = min(runs, key=lambda r: r["wall_s"])
    return {
        "import_runs": runs,
        "import_s": middle["wall_s"],
        "import_cpu_s": middle["cpu_s"],
        "import_best_s": best["wall_s"],
        "import_best_cpu_s": best["cpu_s"],
        "import_inserted": min(r["inserted"] for r in runs),
        "import_facts_per_s": len(facts) / middle["wall_s"],
        "import_best_facts_per_s": len(facts) / best["wall_s"],
        "import_facts_per_cpu_s": len(facts) / middle["cpu_s"],
    }


def _state(path: Path) -> dict:
    """Facts and runs stored in ``path``, listed parts missing on disk, files in its folder."""
    with reader(path) as con:
        facts = con.execute("SELECT count(*) FROM facts").fetchone()[0]
        con.complete()
        runs = con.execute("SELECT count(*) FROM ingest_runs").fetchone()[0]
        con.complete()
        listed = {row[0] for row in parts.active_parts(con)}
    folder = parts.parts_dir(path)
    present = {entry.name for entry in folder.iterdir()} if folder.exists() else set()
    return {"facts": facts, "runs": runs, "missing": listed - present, "extra": present - listed}


def kill_series(workdir: Path, n_facts: int, kills: int, seed: int = 19) -> dict:
    """SIGKILL the import ``kills`` times at random moments (see module doc)."""
    rng = random.Random(seed)
    empty = workdir / "empty.duckdb"
    init_warehouse(empty)
    child = [sys.executable, __file__, "--facts", str(n_facts), "--child-import"]
    started = time.perf_counter()
    subprocess.run([*child, str(workdir / "timing.duckdb")], check=True, env=_child_env())
    full = time.perf_counter() - started
    outcome = {"kills": 0, "committed": 0, "nothing": 0, "leftovers": 0, "problems": []}
    for index in range(kills):
        path = workdir / f"kill-{index}.duckdb"
        shutil.copyfile(empty, path)
        process = subprocess.Popen([*child, str(path)], env=_child_env())
        time.sleep(rng.uniform(0.2, full))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            outcome["kills"] += 1
        process.wait()
        state = _state(path)
        complete = state["facts"] == n_facts and state["runs"] == 1
        if not complete and (state["facts"] or state["runs"]):
            outcome["problems"].append(f"kill {index}: half a run stored: {state}")
        if state["missing"]:
            outcome["problems"].append(f"kill {index}: listed parts missing: {state['missing']}")
        outcome["committed" if complete else "nothing"] += 1
        outcome["leftovers"] += bool(state["extra"])
        seal.seal(path)  # removes the files no manifest lists and dead writers' working files
        after = _state(path)
        if after["extra"] or after["missing"] or after["facts"] != state["facts"]:
            outcome["problems"].append(f"kill {index}: after a seal: {after}")
        path.unlink()
        shutil.rmtree(parts.parts_dir(path), ignore_errors=True)
    outcome["full_run_s"] = full
    return outcome


def _child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}


def copy_warehouse(warehouse: Path, copy: Path) -> None:
    """Copy the current file; hard-link the sealed parts (immutable) into the copy's folder."""
    shutil.copyfile(warehouse, copy)
    source, target = parts.parts_dir(warehouse), parts.parts_dir(copy)
    if source.exists():
        target.mkdir(exist_ok=True)
        for part in source.glob("*.parquet"):
            os.link(part, target / part.name)


def small_run_on(warehouse: Path, workdir: Path) -> dict[str, float]:
    """Commit 1,000 new facts into a copy of ``warehouse``: the per-write cost at that size."""
    copy = workdir / "copy.duckdb"
    copy_warehouse(warehouse, copy)
    facts = price_facts(1_000, seed=5, first_day="2031-01-01")
    started = time.perf_counter()
    run = RunLog(f"bench-small-{os.getpid()}", SOURCE, dt.datetime.now())
    counts = commit_run(run, facts, [], path=str(copy))
    seconds = time.perf_counter() - started
    size_gb = copy.stat().st_size / 1e9
    copy.unlink()
    shutil.rmtree(parts.parts_dir(copy), ignore_errors=True)
    return {"facts": counts.inserted, "seconds": seconds, "warehouse_gb": size_gb}


def run(
    n_facts: int,
    baseline_rows: int,
    warehouse: Path | None,
    workdir: Path,
    repeats: int = 3,
    import_only: bool = False,
) -> dict:
    """Every measurement of this benchmark, as one dict (``import_only``: the import alone)."""
    facts = price_facts(n_facts)
    result: dict = {"facts": n_facts, "repeats": repeats}
    result.update(timed_imports(workdir, facts, repeats))
    if import_only:
        return result
    bulk_path, baseline_path = workdir / "bulk.duckdb", workdir / "baseline.duckdb"
    upsert_s, commit_s, first = timed_upsert(bulk_path, facts, "bench-first")
    same_upsert_s, same_commit_s, same = timed_upsert(bulk_path, facts, "bench-same")
    baseline_s = row_by_row(baseline_path, facts.head(baseline_rows))
    result.update(
        {
            "bulk_upsert_s": upsert_s,
            "bulk_commit_s": commit_s,
            "bulk_inserted": first.inserted,
            "same_upsert_s": same_upsert_s,
            "same_commit_s": same_commit_s,
            "same_inserted": same.inserted,
            "same_revised": same.revised,
            "same_unchanged": same.unchanged,
            "baseline_rows": baseline_rows,
            "baseline_s": baseline_s,
            "warehouse_mb": bulk_path.stat().st_size / 1e6,
        }
    )
    result["bulk_facts_per_s"] = n_facts / upsert_s
    result["bulk_commit_facts_per_s"] = n_facts / commit_s
    result["baseline_facts_per_s"] = baseline_rows / baseline_s
    result["speedup"] = result["bulk_facts_per_s"] / result["baseline_facts_per_s"]
    result["same_vs_first"] = same_commit_s / commit_s
    if warehouse is not None:
        result["small_run"] = small_run_on(warehouse, workdir)
    return result


def _import_lines(r: dict) -> list[str]:
    runs = ", ".join(
        f"{x['wall_s']:.2f} s / {x['cpu_s']:.2f} CPU s (load {x['load']:.1f})"
        for x in r["import_runs"]
    )
    return [
        f"| bulk history import into sealed parts (whole commit; median of {r['repeats']}) | "
        f"{r['facts']:,} | {r['import_s']:.2f} ({r['import_cpu_s']:.2f} CPU) | "
        f"{r['import_facts_per_s']:,.0f} | new {r['import_inserted']:,} |",
        f"| bulk history import, best of {r['repeats']} | {r['facts']:,} | "
        f"{r['import_best_s']:.2f} ({r['import_best_cpu_s']:.2f} CPU) | "
        f"{r['import_best_facts_per_s']:,.0f} | |",
        "",
        f"import repeats (wall / CPU, 1-min load average before): {runs};"
        f" {r['import_facts_per_cpu_s']:,.0f} facts per CPU second (median)",
    ]


def table(r: dict) -> str:
    """Markdown table of one result."""
    lines = ["| pass | facts | seconds | facts/s | result |", "|---|---:|---:|---:|---|"]
    if "bulk_upsert_s" not in r:
        return "\n".join(lines + _import_lines(r))
    lines += [
        f"| bulk upsert (inside the transaction) | {r['facts']:,} | {r['bulk_upsert_s']:.2f} | "
        f"{r['bulk_facts_per_s']:,.0f} | new {r['bulk_inserted']:,} |",
        f"| bulk commit (copy + transaction + checkpoint + replace) | {r['facts']:,} | "
        f"{r['bulk_commit_s']:.2f} | {r['bulk_commit_facts_per_s']:,.0f} | |",
        f"| same facts again (commit) | {r['facts']:,} | {r['same_commit_s']:.2f} | "
        f"{r['facts'] / r['same_commit_s']:,.0f} | new {r['same_inserted']}, revised "
        f"{r['same_revised']}, unchanged {r['same_unchanged']:,} |",
        f"| row-by-row INSERT baseline | {r['baseline_rows']:,} | {r['baseline_s']:.2f} | "
        f"{r['baseline_facts_per_s']:,.0f} | |",
    ]
    import_lines = _import_lines(r)
    lines[2:2] = import_lines[:2]
    lines.append("\n" + import_lines[-1])
    lines.append(
        f"\nbulk / row-by-row: **{r['speedup']:,.0f}x**; re-ingest / first commit: "
        f"{r['same_vs_first']:.2f}x; warehouse {r['warehouse_mb']:,.0f} MB"
    )
    if "small_run" in r:
        s = r["small_run"]
        lines.append(
            f"\n1,000-fact run committed into a copy of a {s['warehouse_gb']:.1f} GB warehouse: "
            f"{s['seconds']:.1f} s (new {s['facts']:,})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000, help="facts per bulk run")
    parser.add_argument("--baseline-rows", type=int, default=5_000, help="row-by-row sample")
    parser.add_argument("--warehouse", type=Path, help="also time a small run on a copy of it")
    parser.add_argument("--workdir", type=Path, default=None, help="directory for temp files")
    parser.add_argument("--repeats", type=int, default=3, help="history imports to time")
    parser.add_argument("--import-only", action="store_true", help="time the history import only")
    parser.add_argument("--kills", type=int, default=0, help="SIGKILL the import N times")
    parser.add_argument("--child-import", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if args.child_import:  # one import, to be killed by --kills
        facts = price_facts(args.facts)
        timed_import(args.child_import, facts, init=not args.child_import.exists())
        return 0
    if args.kills:
        with tempfile.TemporaryDirectory(dir=args.workdir, prefix="jsw-kills-") as tmp:
            outcome = kill_series(Path(tmp), args.facts, args.kills)
        print(json.dumps(outcome))
        return 1 if outcome["problems"] else 0
    with tempfile.TemporaryDirectory(dir=args.workdir, prefix="jsw-ingest-") as tmp:
        result = run(
            args.facts,
            args.baseline_rows,
            args.warehouse,
            Path(tmp),
            repeats=max(1, args.repeats),
            import_only=args.import_only,
        )
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
