"""``python -m ingest file PATH``: officer stock and price reports and office price tables.

The dashboard's upload runs this same command (``--dry-run --json --upload-limits`` to
preview, then ``--json --user NAME [--accept-partial]`` to load).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ingest.cli import EXIT_FAILED, EXIT_OK, summary_text
from ingest.officer.importer import import_file
from warehouse.reference import normalise_alias


def _aliases(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        name, sep, code = pair.rpartition("=")
        if not sep or not name.strip() or not code.strip():
            raise SystemExit(f"--alias needs NAME=CODE, got '{pair}'")
        mapping[normalise_alias(name)] = code.strip()
    return mapping


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ingest file",
        description="Import an officer stock or price report, or an office price table "
        "(CSV in any delimiter/encoding, XLSX, XLS, ODS; every sheet).",
    )
    parser.add_argument("path", type=Path, help="the .csv, .xlsx, .xls or .ods file")
    parser.add_argument(
        "--dry-run", action="store_true", help="validate and preview only, write nothing"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument("--user", help="name of the officer who uploads (kept with the run)")
    parser.add_argument(
        "--accept-partial",
        action="store_true",
        help="load the good rows even if some rows are rejected (rejected rows are kept with their reason)",
    )
    parser.add_argument(
        "--region", help="wide price export only: region of the prices (default: the province)"
    )
    parser.add_argument(
        "--price-level",
        help="price level of a file that does not state it: konsumen, produsen, penggilingan, grosir, HPP",
    )
    parser.add_argument(
        "--alias",
        action="append",
        default=[],
        metavar="NAME=CODE",
        help="read the regency name NAME as the region CODE in this file (an accepted suggestion)",
    )
    parser.add_argument(
        "--upload-limits",
        action="store_true",
        help="apply the web upload limits (JSW_UPLOAD_MAX_MB/_MAX_ROWS); without it a whole history loads",
    )
    parser.add_argument("--db", help="warehouse file (default: JSW_DB or data/warehouse.duckdb)")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    result, code = import_file(
        args.path,
        dry_run=args.dry_run,
        accept_partial=args.accept_partial,
        user=args.user,
        region=args.region,
        db=args.db,
        price_level=args.price_level,
        aliases=_aliases(args.alias),
        upload_limits=args.upload_limits,
    )
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, default=str))
    else:
        stream = sys.stdout if code == EXIT_OK else sys.stderr
        print(summary_text(result), file=stream)
        for row in result.details.get("error_rows", [])[:20]:
            print(f"  - {row['reason_id']}", file=stream)
    return code if code != EXIT_FAILED else EXIT_FAILED
