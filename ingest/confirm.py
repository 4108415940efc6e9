"""``python -m ingest confirm``: list, confirm or discard values held by the sanity guard.

A confirmed value is loaded into ``facts`` by a run of its own (source = the value's source),
a discarded one stays in ``held_values`` marked as discarded; both decisions name the officer
and are written to the audit trail in the same transaction (``services.held``, which the
dashboard calls too).
"""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from warehouse.db import WarehouseError
from warehouse.health_queries import held_values

EXIT_OK = 0
EXIT_FAILED = 1


def pending(db: str | None = None) -> pd.DataFrame:
    """Values still waiting for a decision."""
    return held_values(db)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m ingest confirm",
        description="List, confirm (load) or discard values held by the data sanity guard.",
    )
    p.add_argument("hold_ids", nargs="*", help="ids of held values (see --list)")
    p.add_argument("--list", action="store_true", help="list values waiting for a decision")
    p.add_argument("--discard", action="store_true", help="discard instead of confirming")
    p.add_argument("--user", help="officer who decides (required to confirm or discard)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--db", help="warehouse file (default: JSW_DB or data/warehouse.duckdb)")
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    from services.held import decide_held_values

    try:
        if args.list or not args.hold_ids:
            held = pending(args.db)
            result = {
                "status": "held",
                "held": json.loads(held.to_json(orient="records", date_format="iso")),
            }
        elif not (args.user or "").strip():
            raise ValueError(
                "--user is required: only a logged-in officer may decide on held values"
            )
        else:
            decision = decide_held_values(args.db, args.hold_ids, args.user, args.discard)
            result = decision.as_json()
    except (ValueError, WarehouseError) as exc:
        if args.json:
            print(json.dumps({"status": "failed", "error": str(exc)}))
        print(f"confirm failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    elif "held" in result:
        for row in result["held"]:
            print(
                f"{row['hold_id']}: {row['date'][:10]} {row['region_code']} {row['commodity']}"
                f" {row['metric']} = {row['value']:g} {row['unit']}"
                f" (usual {row['typical_value']:g}, x{row['ratio']:.1f})"
            )
        if not result["held"]:
            print("no held values")
    else:
        print(f"{result['status']}: {', '.join(result['hold_ids'])}")
    return EXIT_OK
