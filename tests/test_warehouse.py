"""Schema, reference data and the copy-and-replace write policy."""

from __future__ import annotations

import datetime as dt

import pytest

from warehouse import db


def test_schema_is_idempotent_and_loads_reference_data(tmp_db):
    db.init_warehouse(tmp_db)
    db.init_warehouse(tmp_db)
    counts = db.read_df(
        "SELECT (SELECT count(*) FROM regions) AS regions,"
        " (SELECT count(*) FROM commodities) AS commodities,"
        " (SELECT count(*) FROM reference_prices WHERE commodity = 'lpg_3kg') AS lpg_het",
        path=tmp_db,
    ).iloc[0]
    assert counts["regions"] == 11
    assert counts["commodities"] >= 6
    assert counts["lpg_het"] == 11


def test_bps_and_kemendagri_codes_are_swapped_for_tanjab_and_tebo_bungo(tmp_db):
    db.init_warehouse(tmp_db)
    regions = db.read_df("SELECT bps_code, kemendagri_code FROM regions", path=tmp_db)
    mapping = dict(zip(regions.bps_code, regions.kemendagri_code, strict=True))
    assert mapping["1506"] == "15.07" and mapping["1507"] == "15.06"
    assert mapping["1508"] == "15.09" and mapping["1509"] == "15.08"
    assert mapping["1571"] == "15.71"


def test_failed_write_leaves_the_file_untouched(tmp_db):
    db.init_warehouse(tmp_db)
    before = tmp_db.read_bytes()
    with pytest.raises(RuntimeError):
        with db.write_transaction(tmp_db) as con:
            con.execute(
                "INSERT INTO incidents VALUES ('x', '1501', 'lpg_3kg', 'shortage', NULL, ?, ?, 'test')",
                [dt.date(2024, 1, 1), dt.date(2024, 1, 5)],
            )
            raise RuntimeError("boom")
    assert tmp_db.read_bytes() == before
    assert db.read_df("SELECT count(*) AS n FROM incidents", path=tmp_db).n[0] == 0
    assert not list(tmp_db.parent.glob("*.tmp-*"))


def test_reader_sees_committed_write(tmp_db):
    db.init_warehouse(tmp_db)
    with db.write_transaction(tmp_db) as con:
        con.execute(
            "INSERT INTO incidents VALUES ('x', '1501', 'lpg_3kg', 'shortage', NULL, ?, ?, 'test')",
            [dt.date(2024, 1, 1), dt.date(2024, 1, 5)],
        )
    assert db.read_df("SELECT incident_id FROM incidents", path=tmp_db).incident_id.tolist() == [
        "x"
    ]


def test_missing_warehouse_is_a_clear_error(tmp_path):
    with pytest.raises(db.WarehouseMissing):
        db.read_df("SELECT 1", path=tmp_path / "nope.duckdb")
