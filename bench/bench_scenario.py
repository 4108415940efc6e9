"""Scenario for the whole province: in-process time and the CLI the dashboard runs.

Two numbers per scenario, median of ``--repeat`` runs on a warehouse with a forecasting run:

* engine - ``forecasting.scenario.run_scenario`` in this process (read + simulate + transfers)
* cli    - ``python -m forecasting scenario ... --json`` as a subprocess, which is what the
           Skenario page waits for (interpreter start and imports included)

python bench/bench_scenario.py --db WAREHOUSE [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasting.scenario import ScenarioParams, run_scenario  # noqa: E402

SCENARIOS = {
    "lebaran demand +30 %": {"demand_pct": 30.0},
    "deliveries -50 %, 3 days late": {"delivery_pct": -50.0, "delay_days": 3},
}


def cli_options(params: dict) -> list[str]:
    """The CLI options of one scenario."""
    options = []
    for key, value in params.items():
        options += [f"--{key.replace('_', '-')}", str(value)]
    return options


def children_cpu_s() -> float:
    """User + system CPU seconds of finished child processes."""
    times = os.times()
    return times.children_user + times.children_system


def time_cli(db: Path, params: dict) -> tuple[float, int, float]:
    """(seconds, rows in the result, CPU seconds) of one CLI run."""
    started, cpu = time.perf_counter(), children_cpu_s()
    proc = subprocess.run(
        [sys.executable, "-m", "forecasting", "scenario", "--db", str(db), "--json",
         *cli_options(params)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    seconds, cpu = time.perf_counter() - started, children_cpu_s() - cpu
    if proc.returncode != 0:
        raise RuntimeError(f"scenario CLI failed: {proc.stderr[-1000:]}")
    payload = json.loads(proc.stdout.strip().splitlines()[-1])
    return seconds, len(payload.get("results", [])), cpu


def time_engine(db: Path, params: dict) -> tuple[float, int, float]:
    """(seconds, rows in the result, CPU seconds) of one in-process run."""
    started, cpu = time.perf_counter(), time.process_time()
    outcome = run_scenario(db, ScenarioParams(name="bench", **params))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return seconds, len(outcome["results"]), cpu


def run(db: Path, repeat: int) -> dict:
    """Median engine and CLI seconds per scenario."""
    rows = []
    for name, params in SCENARIOS.items():
        time_engine(db, params)  # warm-up: imports and the OS file cache
        engine = [time_engine(db, params) for _ in range(repeat)]
        cli = [time_cli(db, params) for _ in range(repeat)]
        rows.append(
            {
                "scenario": name,
                "pairs": engine[0][1],
                "engine_s": statistics.median(s for s, _, _ in engine),
                "engine_cpu_s": statistics.median(c for _, _, c in engine),
                "cli_s": statistics.median(s for s, _, _ in cli),
                "cli_cpu_s": statistics.median(c for _, _, c in cli),
            }
        )
    return {"db": str(db), "rows": rows, "load_average": os.getloadavg()[0]}


def table(result: dict) -> str:
    """Markdown table of one result."""
    lines = [
        "| scenario (whole province) | region x commodity pairs | engine s (CPU s) "
        "| CLI s (CPU s), what the page waits for |",
        "|---|---:|---:|---:|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['scenario']} | {r['pairs']} | {r['engine_s']:.2f} ({r['engine_cpu_s']:.2f}) "
            f"| {r['cli_s']:.2f} ({r['cli_cpu_s']:.2f}) |"
        )
    lines.append(f"\nload average {result['load_average']:.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="warehouse with a forecast run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = run(args.db, args.repeat)
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
