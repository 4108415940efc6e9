"""Unggah page: officers check a stock report, see each bad row's reason, and load the good rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st

from tests.test_pages import copy_forecast_warehouse, serve_through_app
from tests.test_pages_alerts import PASSWORD, app
from ui import upload
from warehouse import audit, db

REPORT = (
    "tanggal,kabupaten_kota,komoditas,stok,penyaluran,penerimaan,satuan,pelapor\n"
    "{day},Kota Jambi,LPG 3 kg,12.345,1.150,1.000,tabung,Budi\n"
    "{day},Kota Antah Berantah,LPG 3 kg,9.000,800,0,tabung,Budi\n"
    '{day},Muaro Jambi,Beras Medium,"1.234,5",42,0,ton,Siti\n'
)


@pytest.fixture(autouse=True)
def _fresh_caches(monkeypatch):
    serve_through_app(monkeypatch)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def pages_db(request, tmp_path, monkeypatch) -> Path:
    return copy_forecast_warehouse(request, tmp_path, monkeypatch)


def report_bytes(pages_db: Path) -> bytes:
    last = db.read_df("SELECT max(date) AS d FROM facts", path=pages_db).d[0]
    return REPORT.format(day=(last + dt.timedelta(days=1)).strftime("%d/%m/%Y")).encode()


def test_anonymous_users_only_get_the_template(pages_db):
    at = app(page="pages/unggah.py")
    assert any("Masuk sebagai petugas" in i.value for i in at.info)
    assert not at.get("file_uploader")
    assert len(at.get("download_button")) == len(upload.templates()) >= 1


def test_bad_row_is_explained_and_good_rows_load(pages_db):
    at = app(PASSWORD, page="pages/unggah.py")
    before = db.read_df(
        "SELECT count(*) AS n FROM facts WHERE source = 'officer'", path=pages_db
    ).n[0]
    at.get("file_uploader")[0].upload("laporan.csv", report_bytes(pages_db), "text/csv")
    at.run()
    at.button(key="unggah_check").click().run()
    assert not at.exception, at.exception
    assert any("1 ditolak" in w.value for w in at.warning)
    errors = at.dataframe[0].value
    assert list(errors["Baris"]) == [3]
    assert "Kota Antah Berantah" in errors["Alasan"][0]
    assert (
        db.read_df("SELECT count(*) AS n FROM facts WHERE source = 'officer'", path=pages_db).n[0]
        == before
    )
    at.button(key="unggah_load").click().run()
    assert not at.exception, at.exception
    assert any("Dimuat" in s.value for s in at.success)
    officer = db.read_df(
        "SELECT region_code, commodity, metric, value FROM facts WHERE source = 'officer'",
        path=pages_db,
    )
    stock = officer.query("region_code == '1571' and commodity == 'lpg_3kg' and metric == 'stock'")
    assert list(stock["value"]) == [12345.0]
    rice = officer.query("region_code == '1505' and metric == 'stock'")
    assert list(rice["value"]) == [1234.5]
    assert audit.recent(path=pages_db).iloc[0]["action"] == "upload_loaded"
