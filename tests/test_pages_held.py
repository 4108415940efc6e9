"""Held values on the Kesehatan Data page: listed for everyone, decided by officers only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_pages_alerts import PASSWORD, app
from tests.test_reliability_sanity import _median_stock, _officer_stock, _upload
from warehouse import audit, health_queries

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


def hold_a_decimal_slip(db: Path, tmp_path: Path, monkeypatch) -> str:
    """An officer report with a stock ten times the usual (a decimal slip): held, not loaded."""
    monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
    result, code = _upload(tmp_path, db, _median_stock(db) * 10)
    assert code == 0 and result.details["facts_held"] == 1
    return str(health_queries.held_values(db)["hold_id"].iloc[0])


@pytest.mark.slow
def test_everyone_sees_held_values_but_only_officers_decide(pages_db, tmp_path, monkeypatch):
    hold_a_decimal_slip(pages_db, tmp_path, monkeypatch)
    at = app(page="pages/kesehatan_data.py")
    assert not at.exception, at.exception
    held = next(df.value for df in at.dataframe if "Nilai masuk" in df.value.columns)
    assert list(held["Kab/Kota"]) == ["Kerinci"] and list(held["Besaran"]) == ["Stok"]
    assert held["Rasio"].iloc[0].startswith("× 10")
    assert any("memuat atau membuang nilai yang ditahan" in c.value for c in at.caption)
    assert not [b for b in at.button if b.label == "Simpan keputusan"]


@pytest.mark.parametrize(
    ("decision", "flash", "loaded"),
    [("confirm", "1 nilai dimuat", 1), ("discard", "1 nilai dibuang", 0)],
)
@pytest.mark.slow
def test_an_officer_decides_on_a_held_value_and_it_is_audited(
    pages_db, tmp_path, monkeypatch, decision, flash, loaded
):
    hold_id = hold_a_decimal_slip(pages_db, tmp_path, monkeypatch)
    assert _officer_stock(pages_db) == []
    at = app(PASSWORD, page="pages/kesehatan_data.py")
    at.multiselect(key="kesehatan_held_ids").set_value([hold_id])
    at.radio(key="kesehatan_held_decision").set_value(decision)
    next(b for b in at.button if b.label == "Simpan keputusan").click().run()
    assert not at.exception, at.exception
    assert any(flash in s.value for s in at.success)
    assert any("Tidak ada nilai yang ditahan" in s.value for s in at.success)
    assert health_queries.held_values(pages_db).empty
    assert len(_officer_stock(pages_db)) == loaded
    row = audit.recent(path=pages_db).iloc[0]
    status = "confirmed" if decision == "confirm" else "discarded"
    assert (row["user_name"], row["action"], row["target"]) == (
        "petugas", f"held_value_{status}", hold_id,
    )  # fmt: skip
