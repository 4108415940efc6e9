"""``python -m ingest confirm``: list, confirm or discard values held by the sanity guard.

A confirmed value is loaded into ``facts`` by a run of its own (source = the value's source),
a discarded one stays in ``held_values`` marked as discarded; both decisions name the officer
and are written to the audit trail in the same transaction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

import pandas as pd

from ingest.loader import RunLog, _insert_run, upsert_facts
from ingest.runner import new_run_id, utc_now
from warehouse.db import WarehouseError, write_transaction
from warehouse.health_queries import held_values

EXIT_OK = 0
EXIT_FAILED = 1


def pending(db: str | None = None) -> pd.DataFrame:
    """Values still waiting for a decision."""
    return held_values(db)


def decide(hold_ids: list[str], user: str, discard: bool, db: str | None = None) -> dict:
    """Confirm (load) or discard the given held values in one transaction."""
    if not user or not user.strip():
        raise ValueError("--user is required: only a logged-in officer may decide on held values")
    user = user.strip()
    now = utc_now()
    with write_transaction(db) as con:
        con.register("wanted", pd.DataFrame({"hold_id": pd.Series(hold_ids, dtype="string")}))
        rows = con.execute(
            "SELECT h.* FROM held_values h JOIN wanted w USING (hold_id) WHERE h.status = 'held'"
        ).df()
        con.unregister("wanted")
        missing = sorted(set(hold_ids) - set(rows["hold_id"]))
        if missing:
            raise ValueError(f"not held (unknown or already decided): {', '.join(missing)}")
        runs = []
        decided_run: dict[str, str] = {}
        if not discard:
            for source, group in rows.groupby("source"):
                run = RunLog(new_run_id(str(source)), str(source), now, status="success")
                counts = upsert_facts(con, group, str(source), run.run_id)
                run.rows_read = run.rows_loaded = len(group)
                run.message = f"confirmed held value(s) by {user}; {counts.summary()}"
                _insert_run(con, run)
                decided_run.update(dict.fromkeys(group["hold_id"], run.run_id))
                runs.append(run.run_id)
        status = "discarded" if discard else "confirmed"
        for hold_id in rows["hold_id"]:
            con.execute(
                "UPDATE held_values SET status = ?, decided_by = ?, decided_at = ?,"
                " decision_run_id = ? WHERE hold_id = ?",
                [status, user, now, decided_run.get(hold_id), hold_id],
            )
            con.execute(
                "INSERT INTO audit_log (logged_at, user_name, action, target, detail)"
                " VALUES (?, ?, ?, ?, ?)",
                [dt.datetime.now(), user, f"held_value_{status}", hold_id, None],
            )
    return {"status": status, "hold_ids": list(rows["hold_id"]), "runs": runs}


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
    try:
        if args.list or not args.hold_ids:
            held = pending(args.db)
            result = {
                "status": "held",
                "held": json.loads(held.to_json(orient="records", date_format="iso")),
            }
        else:
            result = decide(args.hold_ids, args.user or "", args.discard, args.db)
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
