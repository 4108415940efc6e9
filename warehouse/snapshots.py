"""Pinned read snapshots: every query of one page render reads the same warehouse version.

A writer replaces the warehouse file (``os.replace``) when it commits. A page render that
runs several queries could otherwise read some of them from the old file and some from the
new one. ``pin(path)`` hard-links the current file under a name derived from its inode and
modification time; queries then read that link, which a later replace does not touch.
Snapshots are removed once no render has pinned them for ``KEEP_SECONDS``; a connection that
is still open on a removed snapshot keeps reading it (POSIX unlink semantics).
"""

from __future__ import annotations

import contextlib
import glob
import os
import time
import uuid
from pathlib import Path

from warehouse.db import WarehouseMissing, db_path

KEEP_SECONDS = 120.0


def _snapshot_name(live: Path, stat: os.stat_result) -> Path:
    return live.with_name(f".{live.name}.snap-{stat.st_ino}-{stat.st_mtime_ns}")


def snapshots_of(live: Path) -> list[Path]:
    """The snapshot files that exist beside ``live``."""
    return sorted(live.parent.glob(f".{glob.escape(live.name)}.snap-*"))


def pin(path: str | os.PathLike[str] | None = None) -> Path:
    """A read-only name for the warehouse version current now (the live path as a fallback).

    Falls back to the live file where hard links are not possible (another file system).
    """
    live = db_path(path)
    staging = live.with_name(f".{live.name}.pin-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        os.link(live, staging)
    except FileNotFoundError as exc:
        raise WarehouseMissing(f"Warehouse not found: {live}") from exc
    except OSError:
        return live
    try:
        snapshot = _snapshot_name(live, staging.stat())
        os.replace(staging, snapshot)  # same inode if it exists already: the pin is refreshed
    finally:
        with contextlib.suppress(FileNotFoundError):
            staging.unlink()
    prune(live, keep=snapshot)
    return snapshot


def prune(live: Path, keep: Path | None = None, older_than: float = KEEP_SECONDS) -> int:
    """Remove snapshots (and stray pin links) not pinned for ``older_than`` seconds."""
    now = time.time()
    removed = 0
    stray = list(live.parent.glob(f".{glob.escape(live.name)}.pin-*"))
    for candidate in [*snapshots_of(live), *stray]:
        if candidate == keep:
            continue
        with contextlib.suppress(FileNotFoundError):
            if now - candidate.lstat().st_ctime > older_than:
                candidate.unlink()
                removed += 1
    return removed
