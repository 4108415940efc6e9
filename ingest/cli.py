"""Command-line options shared by every ``python -m ingest SOURCE`` command."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from types import ModuleType

from ingest.runner import RunResult, run_source

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_NEEDS_CONFIRMATION = 3


def parse_day(text: str) -> dt.date:
    """argparse type for YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in YYYY-MM-DD form") from None


def source_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """The common options: --since --until --dry-run --json --db."""
    parser = argparse.ArgumentParser(prog=f"python -m ingest {prog}", description=description)
    parser.add_argument("--since", type=parse_day, help="first date to fetch (YYYY-MM-DD)")
    parser.add_argument("--until", type=parse_day, help="last date to fetch (YYYY-MM-DD)")
    parser.add_argument(
        "--dry-run", action="store_true", help="fetch, parse and validate but write nothing"
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object on stdout (no progress bar)"
    )
    parser.add_argument("--db", help="warehouse file (default: JSW_DB or data/warehouse.duckdb)")
    return parser


def summary_text(result: RunResult) -> str:
    """A short human summary of one run."""
    lines = [
        f"{result.source}: {result.status} (run {result.run_id})",
        f"  rows read {result.rows_read}, loaded {result.rows_loaded}, "
        f"rejected {result.rows_rejected}",
    ]
    if result.message:
        lines.append(f"  {result.message}")
    lines += [f"  ! {error}" for error in result.errors[:20]]
    return "\n".join(lines)


def emit(result: RunResult, as_json: bool) -> int:
    """Print the result and return the exit code (0 only when the run committed or dry-ran)."""
    if as_json:
        print(json.dumps(result.as_json(), ensure_ascii=False, default=str))
    else:
        stream = sys.stdout if result.status in {"success", "dry_run"} else sys.stderr
        print(summary_text(result), file=stream)
    return EXIT_OK if result.status in {"success", "dry_run"} else EXIT_FAILED


def source_main(connector: ModuleType, argv: list[str]) -> int:
    """Entry point of ``python -m ingest <source>``."""
    parser = source_parser(connector.SOURCE, connector.__doc__.splitlines()[0])
    args = parser.parse_args(argv)
    if args.since and args.until and args.since > args.until:
        parser.error("--since must not be after --until")
    result = run_source(
        connector,
        since=args.since,
        until=args.until,
        dry_run=args.dry_run,
        db=args.db,
        show_progress=not args.json,
    )
    return emit(result, args.json)
