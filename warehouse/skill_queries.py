"""Read the stored alert-skill scores (written by ``python -m forecasting score``)."""

from __future__ import annotations

import json
import os

from warehouse.db import reader

PathLike = str | os.PathLike[str] | None


def latest_skill_score(path: PathLike = None) -> dict | None:
    """The most recent stored score (its JSON with ``created_at``), or None when none exists."""
    with reader(path) as con:
        exists = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'skill_scores'"
        ).fetchone()[0]
        if not exists:
            return None
        row = con.execute(
            "SELECT created_at, result FROM skill_scores ORDER BY created_at DESC LIMIT 1"
        ).fetchone()
    if row is None:
        return None
    return {**json.loads(row[1]), "created_at": row[0]}
