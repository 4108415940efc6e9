"""Values held by the sanity guard: an officer loads (confirms) or discards them.

A confirmed value is loaded into ``facts`` by a run of its own (one per source); a discarded
one stays in ``held_values`` marked as discarded. The decision, the load runs and one audit
row per value are written in one transaction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pandas as pd

from ingest.loader import RunLog, insert_run, upsert_facts
from ingest.runner import new_run_id, utc_now
from services.common import ServiceError, require_user
from warehouse import audit
from warehouse.db import write_transaction

PathLike = str | os.PathLike[str] | None


@dataclass(frozen=True)
class HeldDecision:
    """What was decided: ``confirmed`` or ``discarded``, the values and the load runs."""

    status: str
    hold_ids: list[str]
    runs: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"status": self.status, "hold_ids": self.hold_ids, "runs": self.runs}


def _load_confirmed(con, rows: pd.DataFrame, user: str) -> dict[str, str]:
    """One load run per source for the confirmed values; hold_id -> run id."""
    decided: dict[str, str] = {}
    for source, group in rows.groupby("source"):
        run = RunLog(new_run_id(str(source)), str(source), utc_now(), status="success")
        counts = upsert_facts(con, group, str(source), run.run_id)
        run.rows_read = run.rows_loaded = len(group)
        run.message = f"confirmed held value(s) by {user}; {counts.summary()}"
        insert_run(con, run)
        decided.update(dict.fromkeys(group["hold_id"], run.run_id))
    return decided


def decide_held_values(
    db: PathLike, hold_ids: list[str], user: str | None, discard: bool
) -> HeldDecision:
    """Confirm (load) or discard the given held values, audited, in one transaction."""
    officer = require_user(user)
    if not hold_ids:
        raise ServiceError("pilih nilai yang ditahan / choose at least one held value")
    status = "discarded" if discard else "confirmed"
    now = utc_now()
    with write_transaction(db) as con:
        con.register("wanted", pd.DataFrame({"hold_id": pd.Series(hold_ids, dtype="string")}))
        rows = con.execute(
            "SELECT h.* FROM held_values h JOIN wanted w USING (hold_id) WHERE h.status = 'held'"
        ).df()
        con.unregister("wanted")
        missing = sorted(set(hold_ids) - set(rows["hold_id"]))
        if missing:
            raise ServiceError(f"not held (unknown or already decided): {', '.join(missing)}")
        decided = {} if discard else _load_confirmed(con, rows, officer)
        for hold_id in rows["hold_id"]:
            con.execute(
                "UPDATE held_values SET status = ?, decided_by = ?, decided_at = ?,"
                " decision_run_id = ? WHERE hold_id = ?",
                [status, officer, now, decided.get(hold_id), hold_id],
            )
            audit.insert(con, f"held_value_{status}", officer, hold_id, None)
    return HeldDecision(status, list(rows["hold_id"]), sorted(set(decided.values())))
