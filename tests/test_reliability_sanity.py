"""Data sanity guard: a value far out of line with its series is held, not loaded, until an
officer confirms it (``python -m ingest confirm``)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from hostile.integrity import check_warehouse

from ingest import confirm
from ingest.officer_file import import_file
from warehouse import health_queries

HEADER = "tanggal;kabupaten_kota;komoditas;stok;penyaluran;penerimaan;satuan"


@pytest.fixture
def db(hostile_db) -> Path:
    return hostile_db


def _median_stock(db: Path) -> float:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT median(value) FROM facts WHERE region_code = '1501' AND commodity ="
            " 'beras_medium' AND metric = 'stock' AND date > DATE '2026-08-20'"
        ).fetchone()
        con.complete()
    return float(row[0])


def _upload(tmp_path: Path, db: Path, stock: float, price_like: bool = False):
    report = tmp_path / "laporan.csv"
    report.write_text(
        f"{HEADER}\n21/11/2026;Kerinci;Beras Medium;{stock:.1f};;;ton\n".replace(".", ","),
        encoding="utf-8",
    )
    return import_file(report, user="budi", db=str(db))


def _officer_stock(db: Path) -> list[float]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT value FROM facts WHERE source = 'officer' AND metric = 'stock'"
        ).fetchall()
        con.complete()
    return [r[0] for r in rows]


def test_a_decimal_slip_is_held_not_loaded(db, tmp_path):
    slipped = _median_stock(db) * 10
    result, code = _upload(tmp_path, db, slipped)
    assert code == 0 and result.details["facts_held"] == 1
    assert "held for confirmation" in result.message and "ditahan" in result.message
    assert _officer_stock(db) == []
    held = health_queries.held_values(db)
    assert len(held) == 1 and held["ratio"].iloc[0] == pytest.approx(10, rel=0.2)
    assert check_warehouse(db).ok


@pytest.mark.parametrize("factor", [0.0, 0.5, 1.0, 2.5])
def test_plausible_values_and_real_shortages_load(db, tmp_path, factor):
    value = _median_stock(db) * factor
    result, code = _upload(tmp_path, db, value)
    assert code == 0 and result.details["facts_held"] == 0
    assert _officer_stock(db) == [pytest.approx(round(value, 1))]


def test_a_tenfold_drop_is_held_too(db, tmp_path):
    result, _ = _upload(tmp_path, db, _median_stock(db) / 10)
    assert result.details["facts_held"] == 1


def test_confirm_needs_an_officer_and_then_loads_the_value(db, tmp_path, capsys):
    slipped = _median_stock(db) * 10
    _upload(tmp_path, db, slipped)
    assert confirm.main(["--list", "--json", "--db", str(db)]) == 0
    held = json.loads(capsys.readouterr().out)["held"]
    hold_id = held[0]["hold_id"]
    assert confirm.main([hold_id, "--json", "--db", str(db)]) == 1
    assert "--user is required" in json.loads(capsys.readouterr().out)["error"]
    assert _officer_stock(db) == []
    assert confirm.main([hold_id, "--user", "budi", "--json", "--db", str(db)]) == 0
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["status"] == "confirmed" and len(outcome["runs"]) == 1
    assert _officer_stock(db) == [pytest.approx(round(slipped, 1))]
    assert health_queries.held_values(db).empty
    with duckdb.connect(str(db), read_only=True) as con:
        audit = con.execute("SELECT user_name, action, target FROM audit_log").fetchall()
        con.complete()
    assert ("budi", "held_value_confirmed", hold_id) in audit
    assert check_warehouse(db).ok
    assert confirm.main([hold_id, "--user", "budi", "--json", "--db", str(db)]) == 1


def test_discard_keeps_the_value_out(db, tmp_path, capsys):
    _upload(tmp_path, db, _median_stock(db) * 20)
    hold_id = health_queries.held_values(db)["hold_id"].iloc[0]
    assert confirm.main([hold_id, "--discard", "--user", "siti", "--db", str(db)]) == 0
    assert _officer_stock(db) == []
    assert health_queries.held_values(db).empty
