"""Crash safety: SIGKILL the ingest and the forecasting batch at random points, then a full disk.

After every kill the warehouse opens, holds no duplicate fact and no partial run; the next
run removes the dead writer's working copy and completes.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from hostile.crash import (
    kill_series,
    run_to_completion,
    write_officer_report,
)
from hostile.integrity import check_warehouse, leftover_copies

from ingest.officer_file import import_file
from warehouse import db as warehouse_db

KILLS = int(os.environ.get("JSW_CRASH_KILLS", "20"))


@pytest.fixture
def crash_setup(hostile_warehouse, tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(hostile_warehouse, db)
    report = tmp_path / "laporan.csv"
    facts = write_officer_report(report)
    monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
    return db, report, tmp_path / "raw", facts


def _facts_of(db: Path, source: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT count(*) FROM facts WHERE source = ?", [source]).fetchone()
        con.complete()
    return int(row[0])


@pytest.mark.slow
def test_ingest_survives_random_kills(crash_setup):
    db, report, raw, facts = crash_setup
    outcome = kill_series("ingest", db, report, raw, KILLS, seed=11, max_delay=2.5)
    assert outcome.problems == []
    assert outcome.kills >= KILLS // 2, outcome
    assert outcome.during_write >= 1, "no kill landed inside a write"
    done = run_to_completion("ingest", db, report, raw)
    assert done.returncode == 0, done.stderr[-2000:]
    assert leftover_copies(db) == []
    assert check_warehouse(db).ok
    assert _facts_of(db, "officer") == facts


@pytest.mark.slow
def test_forecasting_survives_random_kills(crash_setup):
    db, report, raw, _ = crash_setup
    outcome = kill_series("forecasting", db, report, raw, KILLS, seed=12, max_delay=4.0)
    assert outcome.problems == []
    assert outcome.kills >= KILLS // 2, outcome
    done = run_to_completion("forecasting", db, report, raw)
    assert done.returncode == 0, done.stderr[-2000:]
    assert leftover_copies(db) == []
    found = check_warehouse(db)
    assert found.ok and found.counts["forecast_runs"] >= 1, found


def test_stale_copy_of_a_dead_writer_is_removed(crash_setup):
    db, report, _, _ = crash_setup
    stale = db.with_name(db.name + ".tmp-999999")
    stale.write_bytes(b"half a warehouse")
    result, code = import_file(report, user="budi", db=str(db))
    assert code == 0 and result.status == "success"
    assert not stale.exists()


def _mount_tmpfs(directory: Path, size_bytes: int) -> bool:
    directory.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_bytes}", "tmpfs", str(directory)],
            capture_output=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def test_full_disk_on_a_real_small_filesystem(hostile_warehouse, tmp_path, monkeypatch):
    """A tmpfs with room for the warehouse but not for the writer's copy (needs root)."""
    mount = tmp_path / "small_disk"
    size = hostile_warehouse.stat().st_size
    if not _mount_tmpfs(mount, int(size * 1.5)):
        pytest.skip("cannot mount a tmpfs here (needs root); the injected-error test covers it")
    try:
        db = mount / "warehouse.duckdb"
        shutil.copyfile(hostile_warehouse, db)
        before = db.read_bytes()
        report = tmp_path / "laporan.csv"
        write_officer_report(report)
        monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
        result, code = import_file(report, user="budi", db=str(db))
        assert code != 0 and result.status == "failed"
        assert "No space left" in result.message or "space" in result.message.lower()
        assert db.read_bytes() == before
        assert leftover_copies(db) == []
        assert check_warehouse(db).ok
        # the disk is freed (the warehouse moves to a larger disk): the next run completes
        roomy = tmp_path / "roomy" / "warehouse.duckdb"
        roomy.parent.mkdir()
        shutil.copyfile(db, roomy)
        result, code = import_file(report, user="budi", db=str(roomy))
        assert code == 0, result.errors
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True, timeout=20)


@pytest.mark.parametrize("step", ["copyfile", "replace"])
def test_full_disk_injected_in_copy_or_replace(crash_setup, monkeypatch, step):
    """ENOSPC raised by the copy or by the final rename leaves the original untouched."""
    db, report, _, _ = crash_setup
    before = db.read_bytes()

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    target = warehouse_db.shutil if step == "copyfile" else warehouse_db.os
    with monkeypatch.context() as patch:
        patch.setattr(target, step, no_space)
        result, code = import_file(report, user="budi", db=str(db))
    assert code != 0 and "No space left" in result.message
    assert db.read_bytes() == before
    assert leftover_copies(db) == []
    result, code = import_file(report, user="budi", db=str(db))
    assert code == 0 and result.status == "success"
