"""``python -m ingest all``: the scheduled run of every public source, one run each."""

from __future__ import annotations

import argparse
import json
import sys

from ingest.cli import EXIT_FAILED, EXIT_OK, parse_day, summary_text
from ingest.runner import run_source
from ingest.sources import bapanas, fuel, pihps, sp2kp, wfp

CONNECTORS = (bapanas, pihps, sp2kp, fuel, wfp)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest all",
        description="Fetch every public source in turn; a failing source does not stop the others.",
    )
    parser.add_argument("--since", type=parse_day, help="first date for range sources (YYYY-MM-DD)")
    parser.add_argument("--until", type=parse_day, help="last date for range sources (YYYY-MM-DD)")
    parser.add_argument("--dry-run", action="store_true", help="fetch and validate, write nothing")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument("--db", help="warehouse file (default: JSW_DB or data/warehouse.duckdb)")
    args = parser.parse_args(argv)
    results = []
    for connector in CONNECTORS:
        result = run_source(
            connector,
            since=args.since,
            until=args.until,
            dry_run=args.dry_run,
            db=args.db,
            show_progress=not args.json,
        )
        results.append(result)
        if not args.json:
            ok = result.status in ("success", "dry_run")
            print(summary_text(result), file=sys.stdout if ok else sys.stderr)
    # A failed source fails the scheduled run (exit 1). A source that answered with no data for
    # this province (blocked, empty, or no coverage such as WFP in Jambi) is named with its
    # reason and shown on Kesehatan Data, which also flags a source silent for too long; it
    # does not fail the daily job, or a source with no coverage would fail it every day.
    failed = [r for r in results if r.status == "failed"]
    silent = [r for r in results if r.status not in ("success", "dry_run", "failed")]
    if failed:
        status = "failed"
    elif silent:
        status = "partial" if len(silent) < len(results) else "no_data"
    else:
        status = "dry_run" if args.dry_run else "success"
    if args.json:
        print(
            json.dumps(
                {
                    "run_id": None,
                    "source": "all",
                    "status": status,
                    "rows_read": sum(r.rows_read for r in results),
                    "rows_loaded": sum(r.rows_loaded for r in results),
                    "rows_rejected": sum(r.rows_rejected for r in results),
                    "errors": [f"{r.source}: {e}" for r in failed + silent for e in r.errors],
                    "runs": [r.as_json() for r in results],
                },
                ensure_ascii=False,
                default=str,
            )
        )
    else:
        delivered = len(results) - len(failed) - len(silent)
        print(f"all: {delivered} of {len(results)} sources delivered data")
        for result in failed + silent:
            print(f"  {result.source}: {result.status}: {result.message}", file=sys.stderr)
    return EXIT_FAILED if failed or len(silent) == len(results) else EXIT_OK
