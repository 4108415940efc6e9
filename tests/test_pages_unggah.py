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


@pytest.mark.slow
def test_an_unknown_spelling_loads_only_under_the_name_the_officer_accepts(pages_db):
    """'Tanjab Brat' is refused with suggestions; once the officer picks Tanjung Jabung Barat
    in the page, the re-check accepts it and the row loads under 1507 (never silently)."""
    last = db.read_df("SELECT max(date) AS d FROM facts", path=pages_db).d[0]
    day = (last + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    stock = round(recent(pages_db, "1507", "lpg_3kg", "stock"))
    out = round(recent(pages_db, "1507", "lpg_3kg", "distribution"))
    content = (
        HEADER + f'{day},Tanjab Brat,LPG 3 kg,"{number(stock, 0)}","{number(out, 0)}",'
        f'"{number(out, 0)}",tabung,Budi\n'
    ).encode()
    at = app(PASSWORD, page="pages/unggah.py")
    at.get("file_uploader")[0].upload("laporan.csv", content, "text/csv")
    at.run()
    at.button(key="unggah_check").click().run()
    assert not at.exception, at.exception
    assert any("1 ditolak" in w.value for w in at.warning)
    choice = at.selectbox(key="unggah_alias_0")
    assert choice.label == "Tanjab Brat"
    assert choice.options[:2] == ["Tanjung Jabung Barat (1507)", "Tanjung Jabung Timur (1506)"]
    assert choice.options[-1] == "(biarkan ditolak)"
    assert not [b for b in at.button if b.key == "unggah_load"]  # nothing to load yet
    choice.set_value("Tanjung Jabung Barat (1507)")
    at.button(key="unggah_apply").click().run()
    assert not at.exception, at.exception
    assert not at.warning and any("0 ditolak" in i.value for i in at.info)
    assert "Tanjung Jabung Barat" in list(at.dataframe[0].value["Kab/Kota"])
    at.button(key="unggah_load").click().run()
    assert not at.exception, at.exception
    assert any("Dimuat" in s.value for s in at.success)
    loaded = db.read_df(
        "SELECT f.region_code, f.value, r.message FROM facts f JOIN ingest_runs r USING (run_id)"
        " WHERE f.source = 'officer' AND f.metric = 'stock'",
        path=pages_db,
    )
    assert loaded.region_code.tolist() == ["1507"] and loaded.value.tolist() == [stock]
    assert "TANJAB BRAT -> 1507" in loaded.message[0]
