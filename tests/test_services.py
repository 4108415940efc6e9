"""Write use cases (services/): typed in, typed out, and the data and its audit row commit
together — an injected failure or a kill between them leaves neither."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from forecasting import alerting
from services import alerts, held, officer_files, references, scenarios, weekly
from services.common import LoginRequired, ServiceError
from tests.test_reliability_sanity import HEADER, _median_stock
from warehouse import audit
from warehouse.db import init_warehouse, read_df, write_transaction
from warehouse.health_queries import held_values

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 11, 20, 8, 0)
REPORT = (
    "tanggal;kabupaten_kota;komoditas;stok;penyaluran;penerimaan;satuan;pelapor\n"
    "20/11/2026;Kerinci;LPG 3 kg;20000;900;900;tabung;Budi\n"
    "21/11/2026;Kerinci;LPG 3 kg;20100;900;1000;tabung;Budi\n"
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Killed(RuntimeError):
    """Stands for the process dying between the data and its audit row."""


@pytest.fixture
def audit_fails(monkeypatch):
    """Every audit row raises, as if the writer died right after writing the data."""

    def boom(*args, **kwargs):
        raise Killed("died before the audit row")

    monkeypatch.setattr(audit, "insert", boom)


@pytest.fixture
def stored_alert(tmp_db):
    init_warehouse(tmp_db)
    fired = alerting.FIRING_COLUMNS
    import pandas as pd

    row = ["1501", "lpg_3kg", "stock", 2, "days_of_cover", "alasan", "reason", dt.date(2026, 11, 1)]
    writes, _ = alerting.dedup(
        pd.DataFrame([row], columns=fired), alerting.empty_state(), "live", "run-1", NOW
    )
    with write_transaction(tmp_db) as con:
        alerting.insert_writes(con, writes)
    return tmp_db, writes.alerts.iloc[0]["alert_id"]


def test_an_alert_step_and_its_audit_row_are_stored_together(stored_alert):
    path, alert_id = stored_alert
    step = alerts.AlertStep(alert_id, "acknowledged", " diterima ")
    result = alerts.apply_alert_step(path, step, "petugas")
    assert result == alerts.AlertStepResult(alert_id, "acknowledged", 2, "petugas")
    row = audit.recent(1, path=path).iloc[0]
    assert (row.action, row.user_name, row.target, row.detail) == (
        "alert_acknowledged",
        "petugas",
        alert_id,
        "diterima",
    )
    with pytest.raises(ServiceError, match="Diterima"):
        alerts.apply_alert_step(path, step, "petugas")
    with pytest.raises(LoginRequired):
        alerts.apply_alert_step(path, alerts.AlertStep(alert_id, "closed"), None)


def test_a_failed_audit_row_leaves_no_alert_step(stored_alert, audit_fails):
    path, alert_id = stored_alert
    before = digest(path)
    with pytest.raises(Killed):
        alerts.apply_alert_step(path, alerts.AlertStep(alert_id, "closed", "selesai"), "petugas")
    assert digest(path) == before
    assert read_df("SELECT count(*) AS n FROM alert_events", path=path).n[0] == 1


def test_a_failed_audit_row_leaves_no_reference_price(tmp_db, audit_fails):
    init_warehouse(tmp_db)
    before = digest(tmp_db)
    correction = references.ReferenceCorrection(
        "beras_medium", None, "HET", 14500, dt.date(2031, 1, 1), "Perbadan 99/2030"
    )
    with pytest.raises(Killed):
        references.correct_reference_price(tmp_db, correction, "petugas")
    assert digest(tmp_db) == before


def test_a_reference_correction_is_audited(tmp_db):
    init_warehouse(tmp_db)
    correction = references.ReferenceCorrection(
        "beras_medium", None, "HET", 14500, dt.date(2031, 1, 1), "Perbadan 99/2030"
    )
    assert references.correct_reference_price(tmp_db, correction, " petugas ").user == "petugas"
    assert audit.recent(1, path=tmp_db).iloc[0]["action"] == "reference_price_edited"
    with pytest.raises(ServiceError, match="already exists"):
        references.correct_reference_price(tmp_db, correction, "petugas")


def _held_row(db: Path, tmp_path: Path) -> list[str]:
    """Hold ids of one report row whose stock is typed ten times too large (held whole)."""
    report = tmp_path / "laporan.csv"
    slipped = f"{_median_stock(db) * 10:.1f}".replace(".", ",")
    report.write_text(f"{HEADER}\n21/11/2026;Kerinci;Beras Medium;{slipped};30;0;ton\n", "utf-8")
    officer_files.load_officer_file(db, report.name, report.read_bytes(), "budi", False)
    return sorted(held_values(db)["hold_id"])


def test_a_held_value_decision_is_all_or_nothing(hostile_db, tmp_path, monkeypatch):
    hold_ids = _held_row(hostile_db, tmp_path)
    assert len(hold_ids) == 3  # stock, distribution and delivery of the one row
    before = digest(hostile_db)
    with monkeypatch.context() as patch:
        patch.setattr(audit, "insert", lambda *a, **k: (_ for _ in ()).throw(Killed("x")))
        with pytest.raises(Killed):
            held.decide_held_values(hostile_db, hold_ids, "siti", discard=False)
    assert digest(hostile_db) == before
    decision = held.decide_held_values(hostile_db, hold_ids, "siti", discard=False)
    assert decision.status == "confirmed" and sorted(decision.hold_ids) == hold_ids
    assert len(decision.runs) == 1 and held_values(hostile_db).empty
    with pytest.raises(ServiceError, match="already decided"):
        held.decide_held_values(hostile_db, hold_ids[:1], "siti", discard=True)


def private_tmp(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_an_upload_is_checked_then_loaded_with_its_audit_row(hostile_db, tmp_path, monkeypatch):
    scratch = private_tmp(tmp_path, monkeypatch)
    before = digest(hostile_db)
    checked = officer_files.check_officer_file(hostile_db, "stok.csv", REPORT.encode(), "budi")
    assert (checked.status, checked.rows_accepted, checked.rows_rejected) == ("dry_run", 2, 0)
    assert digest(hostile_db) == before and len(checked.preview) == 6
    loaded = officer_files.load_officer_file(hostile_db, "stok.csv", REPORT.encode(), "budi", False)
    assert loaded.status == "success" and loaded.rows_loaded == 2
    row = audit.recent(1, path=hostile_db).iloc[0]
    assert (row.action, row.target) == ("upload_loaded", loaded.run_id)
    assert row.detail == "stok.csv: 2 loaded, 0 rejected"
    assert not list(scratch.iterdir()), "the uploaded bytes were left on disk"
    with pytest.raises(ServiceError, match="only .csv, .xlsx, .xls or .ods"):
        officer_files.check_officer_file(hostile_db, "stok.exe", b"x", "budi")
    with pytest.raises(LoginRequired):
        officer_files.load_officer_file(hostile_db, "stok.csv", REPORT.encode(), "", False)


KILL_BETWEEN_DATA_AND_AUDIT = """
import os, signal, sys
from warehouse import audit
from services.officer_files import load_officer_file
audit.insert = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
load_officer_file(sys.argv[1], "stok.csv", sys.argv[2].encode(), "budi", False)
"""


@pytest.mark.slow
def test_a_kill_between_an_upload_and_its_audit_row_stores_neither(hostile_db):
    before = digest(hostile_db)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", KILL_BETWEEN_DATA_AND_AUDIT, str(hostile_db), REPORT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == -9, done.stderr[-500:]
    assert digest(hostile_db) == before
    officer = read_df("SELECT count(*) AS n FROM facts WHERE source = 'officer'", path=hostile_db)
    assert officer.n[0] == 0


@pytest.mark.slow
def test_a_saved_scenario_and_its_audit_row_commit_together(pages_db, monkeypatch):
    params = scenarios.ScenarioParams("Lebaran", commodities=["lpg_3kg"], demand_pct=30)
    run = scenarios.run_scenario(pages_db, params)
    assert run.scenario_id is None and len(run.results) == 11
    before = digest(pages_db)
    with monkeypatch.context() as patch:
        patch.setattr(audit, "insert", lambda *a, **k: (_ for _ in ()).throw(Killed("x")))
        with pytest.raises(Killed):
            scenarios.save_scenario(pages_db, params, "petugas")
    assert digest(pages_db) == before
    saved = scenarios.save_scenario(pages_db, params, "petugas")
    row = audit.recent(1, path=pages_db).iloc[0]
    assert (row.action, row.target, row.detail) == ("scenario_saved", saved.scenario_id, "Lebaran")
    stored = read_df("SELECT created_by FROM scenarios", path=pages_db)
    assert list(stored.created_by) == ["petugas"]
    with pytest.raises(ServiceError, match="end date"):
        scenarios.run_scenario(
            pages_db,
            scenarios.ScenarioParams("x", start=dt.date(2026, 12, 5), end=dt.date(2026, 12, 1)),
        )


def test_the_weekly_export_is_built_in_memory_for_officers_only(hostile_db, tmp_path, monkeypatch):
    scratch = private_tmp(tmp_path, monkeypatch)
    request = weekly.WeeklyRequest(dialect="excel-id", allow_stale=True)
    with pytest.raises(LoginRequired):
        weekly.build_weekly_export(hostile_db, request, None)
    built = weekly.build_weekly_export(hostile_db, request, "petugas")
    manifest = json.loads(built.files[f"jsw_weekly_manifest_{built.week}_excel-id.json"])
    listed = {item["name"]: item["sha256"] for item in manifest["files"]}
    assert set(listed) | {f"jsw_weekly_manifest_{built.week}_excel-id.json"} == set(built.files)
    for name, sha in listed.items():
        assert hashlib.sha256(built.files[name]).hexdigest() == sha
    assert built.rows["detail"] == len(built.tables["detail"]) > 0
    assert list(scratch.iterdir()) == [], "the export wrote temporary files"
    with pytest.raises(weekly.StaleExport):
        weekly.build_weekly_export(hostile_db, weekly.WeeklyRequest(), "petugas")
    with pytest.raises(ServiceError, match="no week 60"):
        weekly.week_from_text("2026-W60")


@pytest.mark.slow
def test_forecasting_run_prints_real_progress_lines(hostile_db):
    done = subprocess.run(
        [sys.executable, "-m", "forecasting", "run", "--json", "--workers", "1"],
        cwd=ROOT,
        env=dict(os.environ, JSW_DB=str(hostile_db), PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-800:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    progress = [line for line in lines if line.get("step") == "series"]
    assert len(progress) >= 4 and lines[-1]["status"] == "success"
    assert [p["done"] for p in progress] == sorted(p["done"] for p in progress)
    assert progress[-1]["done"] == progress[-1]["total"] == lines[-1]["n_series"]
