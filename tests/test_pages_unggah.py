"""Unggah page: officers check a stock report, see each bad row's reason, and load the good rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.test_pages_alerts import PASSWORD, app
from ui import upload
from ui.format import number
from warehouse import audit, db

HEADER = "tanggal,kabupaten_kota,komoditas,stok,penyaluran,penerimaan,satuan,pelapor\n"


def recent(pages_db: Path, region: str, commodity: str, metric: str) -> float:
    """The mean of the last 14 days of a series (uploads far out of line are held back)."""
    return float(
        db.read_df(
            "SELECT avg(value) AS v FROM (SELECT value FROM daily_values WHERE region_code = ?"
            " AND commodity = ? AND metric = ? ORDER BY date DESC LIMIT 14)",
            [region, commodity, metric],
            path=pages_db,
        ).v[0]
    )


def realistic_report(pages_db: Path) -> tuple[bytes, float, float]:
    """A report for the day after the data: Kota Jambi LPG, an unknown regency, Muaro Jambi rice."""
    last = db.read_df("SELECT max(date) AS d FROM facts", path=pages_db).d[0]
    day = (last + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    lpg = round(recent(pages_db, "1571", "lpg_3kg", "stock"))
    lpg_out = round(recent(pages_db, "1571", "lpg_3kg", "distribution"))
    rice = round(recent(pages_db, "1505", "beras_medium", "stock"), 1)
    rice_out = round(recent(pages_db, "1505", "beras_medium", "distribution"), 1)
    text = HEADER + "".join(
        [
            f'{day},Kota Jambi,LPG 3 kg,"{number(lpg, 0)}","{number(lpg_out, 0)}",'
            f'"{number(lpg_out, 0)}",tabung,Budi\n',
            f'{day},Kota Antah Berantah,LPG 3 kg,"9.000",800,0,tabung,Budi\n',
            f'{day},Muaro Jambi,Beras Medium,"{number(rice, 1)}","{number(rice_out, 1)}",0,ton,Siti\n',
        ]
    )
    return text.encode(), float(lpg), float(rice)


pytestmark = pytest.mark.usefixtures("fresh_page_caches")


@pytest.mark.slow
def test_anonymous_users_only_get_the_template(pages_db):
    at = app(page="pages/unggah.py")
    assert any("Masuk sebagai petugas" in i.value for i in at.info)
    assert not at.get("file_uploader")
    assert len(at.get("download_button")) == len(upload.templates()) >= 1


@pytest.mark.slow
def test_bad_row_is_explained_and_good_rows_load(pages_db):
    at = app(PASSWORD, page="pages/unggah.py")
    before = db.read_df(
        "SELECT count(*) AS n FROM facts WHERE source = 'officer'", path=pages_db
    ).n[0]
    content, lpg, rice = realistic_report(pages_db)
    at.get("file_uploader")[0].upload("laporan.csv", content, "text/csv")
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
    assert list(stock["value"]) == [lpg]
    rice_rows = officer.query("region_code == '1505' and metric == 'stock'")
    assert list(rice_rows["value"]) == [rice]
    assert audit.recent(path=pages_db).iloc[0]["action"] == "upload_loaded"
