"""Warehouse maintenance commands.

python -m warehouse seal [--db PATH] [--keep-days 92] [--json]
    Move closed months of facts into sealed Parquet parts (warehouse.seal).
python -m warehouse parts [--db PATH] [--json]
    List the sealed parts the warehouse reads.
"""

from __future__ import annotations

import argparse
import json
import sys

from warehouse import parts
from warehouse.db import WarehouseError, reader
from warehouse.seal import KEEP_DAYS, SealConflict, seal


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m warehouse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    sealing = commands.add_parser("seal", help="move closed months into sealed Parquet parts")
    sealing.add_argument("--keep-days", type=int, default=KEEP_DAYS, help="days kept current")
    listing = commands.add_parser("parts", help="list the active sealed parts")
    for sub in (sealing, listing):
        sub.add_argument("--db", default=None, help="warehouse file (default: JSW_DB or data/)")
        sub.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _list_parts(db: str | None, as_json: bool) -> int:
    with reader(db) as con:
        rows = parts.active_parts(con)
    listing = [
        {"file": r[0], "month": f"{r[1]:%Y-%m}", "first": str(r[2]), "last": str(r[3])}
        for r in rows
    ]
    if as_json:
        print(json.dumps(listing))
    else:
        for item in listing:
            print(f"{item['month']}  {item['first']} .. {item['last']}  {item['file']}")
        print(f"{len(listing)} sealed part(s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "parts":
            return _list_parts(args.db, args.json)
        result = seal(args.db, keep_days=args.keep_days)
    except (WarehouseError, SealConflict) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result.to_json()))
    else:
        print(
            f"sealed {len(result.months)} month(s), {result.facts_sealed:,} facts in parts;"
            f" {result.rows_moved:,} rows left the current file in {result.seconds:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
