"""Reference-price corrections on the Kesehatan Data page: officers only, history kept, audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.test_pages_alerts import PASSWORD, app
from warehouse import audit, db, reference_edits

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


def het_rows(path: Path) -> list[tuple]:
    frame = db.read_df(
        "SELECT value, valid_from, valid_to FROM reference_prices"
        " WHERE commodity = 'beras_medium' ORDER BY valid_from",
        path=path,
    )
    return list(frame.itertuples(index=False, name=None))


@pytest.mark.slow
def test_anonymous_users_cannot_edit_reference_prices(pages_db):
    at = app(page="pages/kesehatan_data.py")
    assert any("mengoreksi harga acuan" in c.value for c in at.caption)
    assert not [b for b in at.button if b.label == "Simpan harga acuan"]
    in_force = reference_edits.current_reference_prices(pages_db)
    assert len(at.dataframe[-1].value) == len(in_force)


@pytest.mark.slow
def test_officer_starts_a_new_het_and_history_is_kept(pages_db):
    before = het_rows(pages_db)
    at = app(PASSWORD, page="pages/kesehatan_data.py")
    at.selectbox(key="kesehatan_ref_commodity").set_value("beras_medium")
    at.number_input(key="kesehatan_ref_value").set_value(14500.0)
    at.date_input(key="kesehatan_ref_from").set_value(dt.date(2027, 1, 1))
    at.text_input(key="kesehatan_ref_source").input("Kepbadan uji 1/2027")
    next(b for b in at.button if b.label == "Simpan harga acuan").click().run()
    assert not at.exception, at.exception
    assert any("tersimpan" in s.value for s in at.success)
    after = het_rows(pages_db)
    assert len(after) == len(before) + 1
    assert after[-1][0] == 14500.0 and pd_date(after[-1][1]) == dt.date(2027, 1, 1)
    assert pd_date(after[-2][2]) == dt.date(2026, 12, 31)  # the old HET now ends the day before
    row = audit.recent(path=pages_db).iloc[0]
    assert row["action"] == "reference_price_edited" and row["user_name"] == "petugas"


def test_a_correction_cannot_rewrite_an_existing_period(pages_db):
    with pytest.raises(ValueError, match="already exists"):
        reference_edits.add_reference_price(
            "beras_medium", None, "HET", 12000, dt.date(2020, 1, 1), "uji", "petugas", path=pages_db
        )
    with pytest.raises(ValueError, match="positive"):
        reference_edits.add_reference_price(
            "beras_medium", None, "HET", 0, dt.date(2030, 1, 1), "uji", "petugas", path=pages_db
        )


def pd_date(value) -> dt.date:
    return value.date() if hasattr(value, "date") else value
