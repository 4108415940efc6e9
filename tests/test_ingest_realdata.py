"""Connectors fed with the real public samples (../shared/realdata), served over local HTTP."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from replay import routes
from replay.fixtures import FAST_HTTP_ENV
from werkzeug import Request, Response

from ingest.runner import run_source
from ingest.sources import bapanas, fuel, pihps
from warehouse.db import read_df

PIHPS_SLUGS = {
    "beras-kualitas-medium-i": "com_3",
    "gula-pasir-kualitas-premium": "com_20",
    "minyak-goreng-curah": "com_17",
}


@pytest.fixture
def server(httpserver, monkeypatch, tmp_path, tmp_db):
    monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
    for name, value in {**FAST_HTTP_ENV, **routes.env(httpserver.url_for("/"))}.items():
        monkeypatch.setenv(name, value)
    return httpserver


def test_real_pertamina_price_list(server, realdata, tmp_db):
    body = (realdata / "pertamina_fuel" / "harga_bbm_indo_prices_2026-01-05.json").read_bytes()
    server.expect_request("/fuel/api/prices.json").respond_with_data(
        body, content_type="application/json"
    )
    result = run_source(fuel, db=tmp_db)
    assert result.status == "success", result.errors
    stored = read_df(
        "SELECT date, region_code, commodity, value FROM facts ORDER BY commodity", path=tmp_db
    )
    assert stored.commodity.tolist() == ["biosolar", "pertalite", "pertamax"]
    assert stored.value.tolist() == [6800.0, 10000.0, 12400.0]  # Jambi in the real list
    assert set(stored.date.astype(str).str[:10]) == {"2026-01-05"} and set(stored.region_code) == {
        "15"
    }


def bandung_rows(realdata, day: str) -> list[dict[str, str]]:
    path = realdata / "bapanas_panelharga" / "harga_komoditas_konsumen_kota_bandung.csv"
    with open(path, encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["Timestamp"] == day]


@pytest.mark.parametrize("day", ["2025-09-13", "2025-10-02"])  # D-M-YYYY and DD-MM-YYYY
def test_real_bapanas_price_table_shape(server, realdata, tmp_db, day):
    rows = bandung_rows(realdata, day)
    table = {
        "status": "success",
        "data": [
            {
                "id": int(r["ID"]),
                "name": r["Komoditas"],
                "satuan": r["Satuan"],
                "today": int(r["Harga"]),
                "yesterday": int(r["Harga Kemarin"]),
                "yesterday_date": r["Tanggal Kemarin"],
                "gap": int(r["Gap"]),
                "gap_percentage": float(r["Gap Persen"]),
                "gap_change": r["Gap Perubahan"],
            }
            for r in rows
        ],
    }
    server.expect_request("/bapanas/api/provinces").respond_with_json(
        routes.load("bapanas.json")["provinces"]
    )
    server.expect_request("/bapanas/api/cities").respond_with_json(
        {"status": "success", "data": {"current_page": 1, "data": []}}
    )
    server.expect_request("/bapanas/api/front/table-rekapitulasi").respond_with_json(
        {"status": "success", "data": []}
    )

    server.expect_request("/bapanas/api/front/harga-pangan-informasi").respond_with_json(table)
    result = run_source(bapanas, db=tmp_db)
    assert result.status == "success", result.errors
    stored = read_df(
        "SELECT strftime(date, '%Y-%m-%d') AS d, commodity, value FROM facts", path=tmp_db
    )
    got = {(r.d, r.commodity): r.value for r in stored.itertuples()}
    mapping = {
        "27": "beras_premium",
        "28": "beras_medium",
        "109": "beras_sphp",
        "37": "gula_pasir",
        "127": "minyak_goreng",
    }
    expected = {}
    for r in rows:
        if r["ID"] in mapping:
            d, m, y = (int(p) for p in r["Tanggal Kemarin"].split("-"))
            if int(r["Harga"]):
                expected[(day, mapping[r["ID"]])] = float(r["Harga"])
            if int(r["Harga Kemarin"]):
                expected[(dt.date(y, m, d).isoformat(), mapping[r["ID"]])] = float(
                    r["Harga Kemarin"]
                )
    assert got == expected and len(expected) >= 6


def test_real_pihps_values_through_the_grid_endpoint(server, realdata, tmp_db):
    values: dict[str, dict[str, int]] = {}
    with open(realdata / "pihps_bi" / "pangan_id_bi_prices_tidy.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["bps_province_code"] == "15" and row["commodity_slug"] in PIHPS_SLUGS:
                values.setdefault(PIHPS_SLUGS[row["commodity_slug"]], {})[row["date"]] = int(
                    float(row["price_idr"])
                )
    server.expect_request("/pihps/TabelHarga/PasarTradisionalKomoditas").respond_with_data(
        "<html></html>", content_type="text/html"
    )
    server.expect_request("/pihps/WebSite/Home/GetGridData1").respond_with_json({"data": []})

    def grid(request: Request) -> Response:
        series = values.get(request.args["comcat_id"], {})
        row = {"no": 1, "name": "Jambi", "level": 1}
        for day, price in series.items():
            if request.args["start_date"] <= day <= request.args["end_date"]:
                row[dt.date.fromisoformat(day).strftime("%d/%m/%Y")] = f"{price:,}"
        return Response(json.dumps({"data": [row]}), content_type="application/json")

    server.expect_request("/pihps/WebSite/TabelHarga/GetGridDataKomoditas").respond_with_handler(
        grid
    )
    result = run_source(pihps, db=tmp_db, since=dt.date(2026, 1, 28), until=dt.date(2026, 2, 27))
    assert result.status == "success", result.errors
    stored = read_df(
        "SELECT strftime(date, '%Y-%m-%d') AS d, commodity, value FROM facts", path=tmp_db
    )
    codes = {
        "com_3": "pihps_beras_medium_1",
        "com_20": "pihps_gula_pasir_premium",
        "com_17": "pihps_minyak_goreng_curah",
    }
    got = {(codes_r, r.d): r.value for r in stored.itertuples() for codes_r in [r.commodity]}
    expected = {(codes[c], d): float(v) for c, series in values.items() for d, v in series.items()}
    assert got == expected and len(expected) == 3 * 21
