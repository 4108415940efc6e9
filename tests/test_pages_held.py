"""Held values on the Kesehatan Data page: listed for everyone, decided by officers only."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingest.officer_file import import_file
from tests.test_pages_alerts import PASSWORD, app
from warehouse import audit, health_queries

pytestmark = pytest.mark.usefixtures("fresh_page_caches")

HEADER = "tanggal;kabupaten_kota;komoditas;stok;penyaluran;penerimaan;satuan"


def hold_a_decimal_slip(db: Path, tmp_path: Path, monkeypatch) -> str:
    """An officer report with a stock ten times the usual (a decimal slip): held, not loaded."""
    monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
    with duckdb.connect(str(db), read_only=True) as con:
        usual = con.execute(
            "SELECT median(value) FROM facts WHERE region_code = '1501' AND commodity ="
            " 'beras_medium' AND metric = 'stock' AND date > DATE '2026-08-20'"
        ).fetchone()[0]
    report = tmp_path / "laporan.csv"
    report.write_text(
        f"{HEADER}\n21/11/2026;Kerinci;Beras Medium;{usual * 10:.1f};30;0;ton\n".replace(".", ","),
        encoding="utf-8",
    )
    result, code = import_file(report, user="budi", db=str(db))
    assert code == 0 and result.details["facts_held"] == 1
    return str(health_queries.held_values(db)["hold_id"].iloc[0])


def officer_stock_dates(db: Path) -> list:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT date FROM facts WHERE source = 'officer' AND metric = 'stock'"
            " AND region_code = '1501' AND commodity = 'beras_medium'"
        ).fetchall()
    return [r[0] for r in rows]


def test_everyone_sees_held_values_but_only_officers_decide(pages_db, tmp_path, monkeypatch):
    hold_a_decimal_slip(pages_db, tmp_path, monkeypatch)
    at = app(page="pages/kesehatan_data.py")
    assert not at.exception, at.exception
    held = next(df.value for df in at.dataframe if "Nilai masuk" in df.value.columns)
    assert list(held["Kab/Kota"]) == ["Kerinci"] and list(held["Besaran"]) == ["Stok"]
    assert held["Rasio"].iloc[0].startswith("× 10")
    assert any("memuat atau membuang nilai yang ditahan" in c.value for c in at.caption)
    assert not [b for b in at.button if b.label == "Simpan keputusan"]


def test_an_officer_loads_a_held_value_and_it_is_audited(pages_db, tmp_path, monkeypatch):
    hold_id = hold_a_decimal_slip(pages_db, tmp_path, monkeypatch)
    assert officer_stock_dates(pages_db) == []
    at = app(PASSWORD, page="pages/kesehatan_data.py")
    at.multiselect(key="kesehatan_held_ids").set_value([hold_id])
    at.radio(key="kesehatan_held_decision").set_value("confirm")
    next(b for b in at.button if b.label == "Simpan keputusan").click().run()
    assert not at.exception, at.exception
    assert any("1 nilai dimuat" in s.value for s in at.success)
    assert health_queries.held_values(pages_db).empty
    assert len(officer_stock_dates(pages_db)) == 1
    row = audit.recent(path=pages_db).iloc[0]
    assert (row["user_name"], row["action"], row["target"]) == (
        "petugas", "held_value_confirmed", hold_id,
    )  # fmt: skip
    assert any("Tidak ada nilai yang ditahan" in s.value for s in at.success)


def test_an_officer_discards_a_mistyped_value(pages_db, tmp_path, monkeypatch):
    hold_id = hold_a_decimal_slip(pages_db, tmp_path, monkeypatch)
    at = app(PASSWORD, page="pages/kesehatan_data.py")
    at.multiselect(key="kesehatan_held_ids").set_value([hold_id])
    at.radio(key="kesehatan_held_decision").set_value("discard")
    next(b for b in at.button if b.label == "Simpan keputusan").click().run()
    assert not at.exception, at.exception
    assert any("1 nilai dibuang" in s.value for s in at.success)
    assert health_queries.held_values(pages_db).empty
    assert officer_stock_dates(pages_db) == []
