"""Run every benchmark in one go and rewrite docs/benchmarks.md with the results.

Jambi size is built here (``python -m ingest demo``, 11 regions x 8 commodities x 3 years,
then one ``python -m forecasting run``). National size (514 x 10 x 5 years, ~37 M facts,
~5 GB, ~14 GB peak memory to build) is built once with ``--build-national`` or passed with
``--national PATH`` (a forecasting run restricted to the 11 Jambi regions is added when the
file has none, so the dashboard and scenario have statuses to show). The national warehouse is
sealed (``python -m warehouse seal``, as the daily job does) before it is measured, and 1,000-fact
officer uploads are committed into it while 8 processes render pages.

python bench/run_all.py [--national PATH | --build-national] [--workdir DIR] [--quick]
       [--out docs/benchmarks.md] [--raw results.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import bench_archive  # noqa: E402
import bench_dashboard  # noqa: E402
import bench_forecast_scale  # noqa: E402
import bench_ingest_scale  # noqa: E402
import bench_scenario  # noqa: E402
import bench_write_path  # noqa: E402

END = "2026-11-20"
JAMBI_REGIONS = "1501,1502,1503,1504,1505,1506,1507,1508,1509,1571,1572"
NATIONAL = ("514", "10", "5")


def cli(args: list[str], timeout: float = 4 * 3600) -> tuple[float, dict, float]:
    """(wall seconds, last JSON line, CPU seconds) of ``python -m ...`` in the project."""
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    seconds = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed: {proc.stderr[-1500:]}")
    lines = [line for line in proc.stdout.strip().splitlines() if line.startswith("{")]
    return seconds, (json.loads(lines[-1]) if lines else {}), cpu


def build_demo(path: Path, size: tuple[str, str, str] | None = None) -> dict:
    """Build a demo warehouse with the CLI; wall seconds and its summary."""
    options = ["--regions", size[0], "--commodities", size[1], "--years", size[2]] if size else []
    seconds, payload, _ = cli(
        ["ingest", "demo", "--db", str(path), "--end", END, "--progress-json", "--force",
         *options]
    )  # fmt: skip
    return {"seconds": seconds, **payload.get("summary", {})}


def has_forecast_run(path: Path) -> bool:
    """Whether the warehouse holds a forecasting run."""
    from warehouse.db import read_df

    return int(read_df("SELECT count(*) AS n FROM forecast_runs", path=path)["n"].iloc[0]) > 0


def forecast(path: Path, regions: str | None = None) -> dict:
    """One ``python -m forecasting run --workers 2`` in place; wall and CPU seconds."""
    options = ["--regions", regions] if regions else []
    seconds, payload, cpu = cli(
        ["forecasting", "run", "--db", str(path), "--workers", "2", "--json", *options]
    )
    return {"seconds": seconds, "cpu_s": cpu, **payload}


def weekly_export(path: Path, out: Path) -> dict:
    """``python -m reports weekly`` (CSV) on ``path``: wall seconds and its JSON result."""
    seconds, payload, cpu = cli(
        ["reports", "weekly", "--db", str(path), "--out", str(out), "--allow-stale", "--json"]
    )
    return {"seconds": seconds, "cpu_s": cpu, "result": payload}


def seal_history(path: Path) -> dict:
    """``python -m warehouse seal`` on a warehouse: seconds, months and facts moved, sizes."""
    seconds, payload, _ = cli(["warehouse", "seal", "--db", str(path), "--json"])
    folder = path.with_name(path.name + ".parts")
    parts_bytes = sum(p.stat().st_size for p in folder.glob("*.parquet")) if folder.exists() else 0
    return {
        "seconds": seconds,
        "months": len(payload.get("months", [])),
        "facts": payload.get("facts_sealed", 0),
        "current_mb": round(path.stat().st_size / 1e6),
        "parts_mb": round(parts_bytes / 1e6),
    }


def upload_lines(result: dict) -> str:
    """The upload-with-readers result as markdown."""
    commits = ", ".join(f"{c['seconds']:.1f} s" for c in result["commits"])
    load = ", ".join(f"{v:.1f}" for v in result["load_average"])
    return (
        f"{len(result['commits'])} officer runs of 1,000 new facts committed into the sealed "
        f"national warehouse (current file {result['current_file_mb']:,} MB) while "
        f"{result['readers']} processes render the landing and Kabupaten/Kota pages back to back: "
        f"commits {commits}; {result['renders']} renders, {result['failed_renders']} failed; "
        f"load average {load}\n\ncommit <= 5 s with 8 readers: "
        + verdict(result["max_commit_s"] <= 5, f"slowest {result['max_commit_s']:.1f} s")
        + "; 0 failed renders: "
        + verdict(result["failed_renders"] == 0, f"{result['failed_renders']} failed")
    )


def verdict(ok: bool, detail: str) -> str:
    """A 'met' / 'NOT met' mark with the measured detail."""
    return f"{'met' if ok else '**NOT met**'} ({detail})"


class Report:
    """Collects sections of docs/benchmarks.md and the raw results."""

    def __init__(self) -> None:
        self.sections: list[str] = []
        self.raw: dict[str, object] = {}

    def step(self, name: str, action: Callable[[], object]) -> object:
        """Run one measurement, printing progress; a failure is recorded, not fatal."""
        print(f"[{dt.datetime.now():%H:%M:%S}] {name} ...", file=sys.stderr, flush=True)
        try:
            result = action()
        except Exception as exc:  # noqa: BLE001 - one failed benchmark must not lose the others
            result = {"error": f"{type(exc).__name__}: {exc}"}
        self.raw[name] = result
        return result

    def add(self, title: str, body: str) -> None:
        self.sections.append(f"## {title}\n\n{body}\n")


def _error(result: object) -> str | None:
    return result.get("error") if isinstance(result, dict) else None


def run(args: argparse.Namespace, workdir: Path) -> Report:
    report = Report()
    jambi = workdir / "jambi.duckdb"
    national = args.national
    quick = args.quick

    # 1. Scale generator
    demo = report.step("demo_jambi", lambda: build_demo(jambi))
    lines = [
        "| size (regions x commodities x years) | facts | seconds | file |",
        "|---|---:|---:|---:|",
    ]
    if not _error(demo):
        lines.append(
            f"| Jambi 11 x 8 x 3 | {demo['facts']:,} | {demo['seconds']:.1f} | "
            f"{jambi.stat().st_size / 1e6:,.0f} MB |"
        )
    if args.build_national:
        national = workdir / "national.duckdb"
        built = report.step("demo_national", lambda: build_demo(national, NATIONAL))
        if not _error(built):
            lines.append(
                f"| national 514 x 10 x 5 | {built['facts']:,} | {built['seconds']:.0f} | "
                f"{national.stat().st_size / 1e9:.1f} GB |"
            )
    if national is not None:
        sealed = report.step("seal_national", lambda: seal_history(national))
        if not _error(sealed):
            lines.append(
                f"\n`python -m warehouse seal` on the national warehouse (what the daily job runs "
                f"after ingest): {sealed['months']} closed months, {sealed['facts']:,} facts moved "
                f"into Parquet parts in {sealed['seconds']:.0f} s; current file "
                f"{sealed['current_mb']:,} MB, parts {sealed['parts_mb']:,} MB"
            )
    report.add(
        "1. Scale generator (`python -m ingest demo --regions N --commodities M --years Y`)",
        "\n".join(lines) + (f"\n\nerror: {_error(demo)}" if _error(demo) else ""),
    )

    # 2. Ingest
    ingest = report.step(
        "ingest",
        lambda: bench_ingest_scale.run(1_000_000, 2_000 if quick else 5_000, national, workdir),
    )
    if _error(ingest):
        report.add("2. Ingest", f"error: {_error(ingest)}")
    else:
        report.add(
            "2. Ingest (`python bench/bench_ingest_scale.py`)",
            bench_ingest_scale.table(ingest)
            + "\n\ntarget >= 50x the row-by-row baseline: "
            + verdict(ingest["speedup"] >= 50, f"{ingest['speedup']:,.0f}x")
            + "; target >= 500 k facts/s (bulk history import, whole commit): "
            + verdict(
                ingest["import_facts_per_s"] >= 500_000, f"{ingest['import_facts_per_s']:,.0f}/s"
            )
            + "; re-ingest a no-op in comparable time: "
            + verdict(
                ingest["same_inserted"] == 0
                and ingest["same_revised"] == 0
                and ingest["same_vs_first"] <= 1.5,
                f"{ingest['same_vs_first']:.2f}x the first commit",
            ),
        )

    if national is not None:
        uploads = report.step(
            "upload_national_readers",
            lambda: bench_write_path.upload(national, 8, 3 if quick else 5),
        )
        if _error(uploads):
            report.add("2b. Officer uploads while pages render", f"error: {_error(uploads)}")
        else:
            report.add(
                "2b. Officer uploads while pages render (`python bench/bench_write_path.py upload`)",
                upload_lines(uploads),
            )

    # 3. Forecasting
    rates = report.step(
        "forecast_rates_jambi",
        lambda: bench_forecast_scale.run(jambi, 32, 2, False, None),
    )
    batch = report.step("forecast_batch_jambi", lambda: forecast(jambi))
    body = []
    if not _error(rates):
        body.append(bench_forecast_scale.table(rates))
    if not _error(batch):
        body.append(
            f"full Jambi batch `python -m forecasting run --workers 2`: {batch['seconds']:.1f} s "
            f"wall clock, {batch['cpu_s']:.0f} CPU s ({batch['n_series']} series); target <= 60 s: "
            + verdict(batch["seconds"] <= 60, f"{batch['seconds']:.0f} s")
            + f"; on 2 otherwise idle cores (CPU s / 2): {batch['cpu_s'] / 2:.0f} s"
        )
    if national is not None:
        nat = report.step(
            "forecast_rates_national",
            lambda: bench_forecast_scale.run(national, 32, 2, False, None),
        )
        if not _error(nat):
            body.append("National warehouse (sample of 11 regions spread over all 514):")
            body.append(bench_forecast_scale.table(nat))
            body.append(
                "national batch target <= 20 min (fitting on 2 idle cores, every series "
                "estimated): "
                + verdict(
                    nat["estimate_quiet_fit_s"] <= 1200,
                    f"{nat['estimate_quiet_fit_s'] / 60:.0f} min",
                )
                + f"; a daily run: {nat['estimate_quiet_daily_fit_s'] / 60:.0f} min"
            )
    errors = [e for e in (_error(rates), _error(batch)) if e]
    report.add(
        "3. Forecasting (`python bench/bench_forecast_scale.py`)",
        "\n\n".join(body + [f"error: {e}" for e in errors]),
    )

    # 4. Dashboard
    body = []
    for label, path in (("Jambi", jambi), ("national", national)):
        if path is None:
            continue
        if label == "national" and not has_forecast_run(path):
            report.step(
                "forecast_national_jambi_regions",
                lambda path=path: forecast(path, JAMBI_REGIONS),
            )
        dash = report.step(
            f"dashboard_{label}",
            lambda path=path: bench_dashboard.run(path, 2 if quick else 3, 8 if quick else 12,
                                                  workdir),
        )  # fmt: skip
        if _error(dash):
            body.append(f"{label}: error: {_error(dash)}")
            continue
        limit = 1.5 if label == "Jambi" else 2.0
        worst = max(dash["pages"], key=lambda row: row["ratio"])
        body.append(f"**{label} data**\n\n" + bench_dashboard.table(dash))
        body.append(
            f"target <= {limit}x the bare page on every page: "
            + verdict(worst["ratio"] <= limit, f"slowest {worst['page']} {worst['ratio']:.2f}x")
            + f"; Kabupaten/Kota commodity change <= {limit}x the bare page's rerun: "
            + verdict(
                dash["rerun_ratio"] <= limit,
                f"p50 {dash['rerun_ratio']:.2f}x, p95 {dash['rerun_ratio_p95']:.2f}x",
            )
        )
    report.add("4. Dashboard in chromium (`python bench/bench_dashboard.py`)", "\n\n".join(body))

    # 5. Weekly export and scenario
    body = []
    for label, path in (("Jambi", jambi), ("national", national)):
        if path is None:
            continue
        out = workdir / f"weekly-{label}"
        weekly = report.step(f"weekly_{label}", lambda path=path, out=out: weekly_export(path, out))
        if _error(weekly):
            body.append(f"weekly export, {label}: error: {_error(weekly)}")
            continue
        line = (
            f"weekly export (`python -m reports weekly`, CSV), {label} data: "
            f"{weekly['seconds']:.1f} s wall clock ({weekly['cpu_s']:.1f} CPU s)"
        )
        if label == "national":
            line += "; target <= 5 s: " + verdict(
                weekly["seconds"] <= 5, f"{weekly['seconds']:.1f} s"
            )
        body.append(line)
    scenario = report.step("scenario_jambi", lambda: bench_scenario.run(jambi, 1 if quick else 3))
    if _error(scenario):
        body.append(f"scenario: error: {_error(scenario)}")
    else:
        slowest = max(row["cli_s"] for row in scenario["rows"])
        slowest_cpu = max(row["cli_cpu_s"] for row in scenario["rows"])
        body.append(bench_scenario.table(scenario))
        body.append(
            "scenario for the whole province <= 2 s (the CLI the page waits for): "
            + verdict(slowest <= 2, f"slowest {slowest:.2f} s wall clock")
            + "; CPU time, i.e. wall clock on an otherwise idle core: "
            + verdict(slowest_cpu <= 2, f"slowest {slowest_cpu:.2f} CPU s")
        )
    report.add("5. Weekly export and scenario", "\n\n".join(body))

    # Archive
    if national is not None:
        archive = report.step("archive_national", lambda: bench_archive.run(national, 3, workdir))
        report.add(
            "Archive: DuckDB over partitioned Parquet (`python bench/bench_archive.py`)",
            f"error: {_error(archive)}" if _error(archive) else bench_archive.table(archive),
        )
    return report


def write_markdown(
    report: Report, out: Path, started: float, load_before: float, command: str
) -> None:
    """docs/benchmarks.md: how to reproduce, the machine, then every section."""
    cores = os.cpu_count()
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    header = [
        "# Benchmarks",
        "",
        "Rewritten by `python bench/run_all.py` (one command runs everything below; each section",
        "names the script that measures it alone). Shared, noisy build machine: compare ratios",
        "measured side by side in one run, not absolute seconds across runs. Where a target is",
        "not met, [scaling.md](scaling.md#targets-and-gaps) states the gap and its cause.",
        "Measurements taken alone (quiet-machine runs, before/after comparisons, the several",
        "readers and crash tests) are kept in [benchmark_details.md](benchmark_details.md).",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {cores} cores, {memory_gb:.0f} GB "
        f"RAM, load average {load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the "
        f"end, {(time.perf_counter() - started) / 60:.0f} min in all: `{command}`.",
        "",
        "",
    ]
    out.write_text("\n".join(header) + "\n".join(report.sections), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--national", type=Path, help="an existing national-size warehouse")
    group.add_argument("--build-national", action="store_true", help="build it (~15 min)")
    parser.add_argument("--workdir", type=Path, default=None, help="for temporary warehouses")
    parser.add_argument("--quick", action="store_true", help="fewer repeats (dashboard, scenario)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--raw", type=Path, help="also write every raw result as JSON here")
    args = parser.parse_args(argv)
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="jsw-bench-", dir=args.workdir))
    try:
        if args.national is not None:
            copy = workdir / "national.duckdb"  # the run adds a forecast run: work on a copy
            bench_ingest_scale.copy_warehouse(args.national, copy)  # sealed parts hard-linked
            args.national = copy
        report = run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    command = " ".join(["python bench/run_all.py", *(sys.argv[1:] if argv is None else argv)])
    write_markdown(report, args.out, started, load_before, command)
    if args.raw:
        args.raw.write_text(json.dumps(report.raw, indent=1, default=str), encoding="utf-8")
    print(args.out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
