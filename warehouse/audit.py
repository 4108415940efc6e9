"""The dashboard's audit trail: who wrote what, and when (one appended row per write)."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pandas as pd

from warehouse.db import read_df, write_transaction

PathLike = str | os.PathLike[str] | None


def record(
    action: str,
    user: str,
    target: str | None = None,
    detail: str | None = None,
    path: PathLike = None,
) -> None:
    """Append one audit row in its own short write transaction."""
    with write_transaction(path) as con:
        insert(con, action, user, target, detail)


def insert(con: Any, action: str, user: str, target: str | None, detail: str | None) -> None:
    """Append one audit row inside a write transaction the caller already holds."""
    if not user or not user.strip():
        raise ValueError("an audit row needs the user who made the change")
    con.execute(
        "INSERT INTO audit_log (logged_at, user_name, action, target, detail) VALUES (?, ?, ?, ?, ?)",
        [dt.datetime.now(), user.strip(), action, target, detail],
    )


AUDIT_COLUMNS = ["logged_at", "user_name", "action", "target", "detail"]


def recent(limit: int = 50, path: PathLike = None) -> pd.DataFrame:
    """The latest audit rows, newest first (empty for a warehouse written before auditing)."""
    exists = read_df(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'audit_log'",
        path=path,
    ).n[0]
    if not exists:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    return read_df(
        "SELECT logged_at, user_name, action, target, detail FROM audit_log"
        " ORDER BY logged_at DESC LIMIT ?",
        [int(limit)],
        path=path,
    )
