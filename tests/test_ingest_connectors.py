"""Each connector against a real local server replaying recorded responses: the real bodies
of ../shared/realdata where they exist, synthetic bodies of the documented shape elsewhere."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from replay import routes
from replay.fixtures import FAST_HTTP_ENV, assert_same_contents, table_contents
from werkzeug import Response

from ingest.__main__ import main as ingest_main
from ingest.runner import run_source
from ingest.sources import bapanas, fuel, pihps, sp2kp, wfp
from warehouse.db import read_df
from warehouse.health_queries import source_freshness

ROOT = Path(__file__).resolve().parents[1]
FEB = {"since": dt.date(2026, 2, 16), "until": dt.date(2026, 2, 27)}
JAN_FEB = {"since": dt.date(2026, 1, 26), "until": dt.date(2026, 2, 27)}


def facts(path, source):
    return read_df("SELECT * FROM facts WHERE source = ? ORDER BY ALL", [source], path=path)


@pytest.fixture
def replay(httpserver, monkeypatch, tmp_path, tmp_db):
    """Every source's recorded responses served locally, connectors pointed at them."""
    monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
    for name, value in FAST_HTTP_ENV.items():
        monkeypatch.setenv(name, value)
    routes.install(httpserver)
    for name, value in routes.env(httpserver.url_for("/")).items():
        monkeypatch.setenv(name, value)
    return httpserver


# ---------------------------------------------------------------- happy paths
@pytest.mark.slow
def test_pihps_loads_regency_and_province_rows_with_comma_thousands(replay, tmp_db):
    result = run_source(pihps, db=tmp_db, **JAN_FEB)
    assert result.status == "success", result.errors
    grids = routes.load("pihps.json")
    grid = grids["com_3|2026-02"]["data"]
    kota_jambi = next(r for r in grid if r["name"] == "Kota Jambi")
    expected = float(kota_jambi["17/02/2026"].replace(",", ""))
    got = read_df(
        "SELECT value FROM facts WHERE source='pihps' AND region_code='1571'"
        " AND commodity='pihps_beras_medium_1' AND date='2026-02-17'",
        path=tmp_db,
    ).value.tolist()
    assert got == [expected]
    regions = set(facts(tmp_db, "pihps").region_code)
    assert regions == {
        "15",
        "1501",
        "1502",
        "1503",
        "1504",
        "1505",
        "1506",
        "1507",
        "1508",
        "1509",
        "1571",
        "1572",
    }
    tebo = next(r for r in grids["com_3|2026-01"]["data"] if r["name"] == "Kab. Tebo")
    missing = [
        k for k, v in tebo.items() if v == "-" and "2026-01-26" <= f"{k[6:]}-{k[3:5]}-{k[:2]}"
    ]
    stored_tebo = read_df(
        "SELECT strftime(date, '%d/%m/%Y') AS d FROM facts WHERE region_code='1508'"
        " AND commodity='pihps_beras_medium_1'",
        path=tmp_db,
    ).d.tolist()
    assert missing and not set(missing) & set(stored_tebo)  # "-" = no report, nothing stored


@pytest.mark.slow
def test_pihps_chunks_long_ranges_by_month_after_the_session_cookie(replay, tmp_db):
    result = run_source(pihps, db=tmp_db, **JAN_FEB)
    assert result.status == "success", result.errors
    grid_calls = [r for r, _ in replay.log if r.path.endswith("GetGridDataKomoditas")]
    assert len(grid_calls) == 11 * 2  # 11 commodities x 2 months
    starts = {(r.args["start_date"], r.args["end_date"]) for r in grid_calls}
    assert starts == {("2026-01-26", "2026-01-31"), ("2026-02-01", "2026-02-27")}
    assert replay.log[0][0].path == "/pihps/TabelHarga/PasarTradisionalKomoditas"  # cookie first
    assert {r.headers["Referer"] for r in grid_calls} == {"https://www.bi.go.id/hargapangan"}
    grid1 = [r for r, _ in replay.log if r.path.endswith("Home/GetGridData1")]
    assert len(grid1) == 25 * 3  # weekdays of the range x 3 categories
    assert grid1[0].args["tanggal"] == "Jan 26, 2026" and grid1[0].args["provId"] == "0"
    dates = read_df("SELECT min(date) AS lo, max(date) AS hi FROM facts", path=tmp_db).iloc[0]
    assert str(dates.lo)[:10] == "2026-01-26" and str(dates.hi)[:10] == "2026-02-27"


def test_pihps_real_province_averages_of_1_jun_2026(replay, tmp_db, realdata):
    """Jambi (ProvID 6) in the real GetGridData1 bodies of 1 Jun 2026: rice 15,550, cooking
    oil 22,700, sugar 19,300 (read by hand from the files)."""
    day = dt.date(2026, 6, 1)
    result = run_source(pihps, db=tmp_db, since=day, until=day)
    assert result.status == "success", result.errors
    stored = read_df(
        "SELECT commodity, value FROM facts WHERE region_code = '15' AND date = '2026-06-01'"
        " AND commodity IN ('pihps_beras', 'pihps_minyak_goreng', 'pihps_gula_pasir')",
        path=tmp_db,
    )
    assert dict(zip(stored.commodity, stored.value, strict=True)) == {
        "pihps_beras": 15550.0,
        "pihps_minyak_goreng": 22700.0,
        "pihps_gula_pasir": 19300.0,
    }
    province = read_df(
        "SELECT source_id FROM source_ids WHERE source = 'pihps' AND kind = 'province'",
        path=tmp_db,
    )
    assert province.source_id.tolist() == ["6"]  # resolved by the name "Jambi" in the answer


def test_pihps_blocked_answers_end_as_no_data_with_the_reason(replay, tmp_db):
    """PIHPS answers a blocked client with empty data: that is not a success."""
    replay.clear()
    replay.expect_request("/pihps/TabelHarga/PasarTradisionalKomoditas").respond_with_data(
        "<html></html>", content_type="text/html"
    )
    replay.expect_request("/pihps/WebSite/Home/GetGridData1").respond_with_json({"data": []})
    replay.expect_request("/pihps/WebSite/TabelHarga/GetGridDataKomoditas").respond_with_json(
        {"data": []}
    )
    result = run_source(pihps, db=tmp_db, **FEB)
    assert result.status == "no_data" and "empty data" in result.errors[0]
    runs = read_df("SELECT status, message, rows_loaded FROM ingest_runs", path=tmp_db)
    assert runs.status.tolist() == ["no_data"] and runs.rows_loaded.tolist() == [0]
    # 1 session page + 10 weekdays x 3 categories + 11 commodities x 1 month
    assert "requests 42 (HTTP 200x42)" in runs.message[0]
    assert "NOTICE: pihps has delivered no data yet" in runs.message[0]
    freshness = source_freshness(tmp_db).set_index("source")
    assert freshness.loc["pihps", "last_status"] == "no_data"


def test_bapanas_resolves_ids_at_run_time_and_keeps_the_crosswalk(replay, tmp_db):
    result = run_source(bapanas, db=tmp_db)
    assert result.status == "success", result.errors
    crosswalk = read_df(
        "SELECT kind, source_id, code FROM source_ids WHERE source='bapanas'", path=tmp_db
    )
    assert ("province", "5", "15") in set(crosswalk.itertuples(index=False, name=None))
    regions = crosswalk[crosswalk.kind == "region"]
    assert (
        dict(zip(regions.source_id, regions.code, strict=True))["304"] == "1504"
    )  # "Kab. Batanghari"
    assert len(regions) == 11  # both pages of the city list
    city_pages = [r.args.get("page", "1") for r, _ in replay.log if r.path.endswith("/cities")]
    assert city_pages == ["1", "2"]
    table = routes.load("bapanas.json")["prices"]["310"]["data"]
    premium = next(i for i in table if i["id"] == 27)
    stored = read_df(
        "SELECT strftime(date, '%Y-%m-%d') AS d, value FROM facts WHERE source='bapanas'"
        " AND region_code='1571' AND commodity='beras_premium' ORDER BY date",
        path=tmp_db,
    )
    by_day = dict(zip(stored.d, stored.value, strict=True))
    assert by_day["2026-02-26"] == premium["yesterday"]  # yesterday_date "26-2-2026"
    assert by_day["2026-02-27"] == premium["today"]
    assert set(facts(tmp_db, "bapanas").commodity) == {
        "beras_premium",
        "beras_medium",
        "beras_sphp",
        "gula_pasir",
        "minyak_goreng",
    }
    sphp_sungai_penuh = read_df(
        "SELECT count(*) AS n FROM facts WHERE region_code='1572' AND commodity='beras_sphp'"
        " AND date >= '2026-02-26'",
        path=tmp_db,
    ).n[0]
    assert sphp_sungai_penuh == 1  # today's price 0 = no data; only yesterday stored


def test_bapanas_recap_series_fills_the_requested_range(replay, tmp_db):
    result = run_source(bapanas, db=tmp_db, **JAN_FEB)
    assert result.status == "success", result.errors
    recap_calls = [r for r, _ in replay.log if r.path.endswith("table-rekapitulasi")]
    assert {r.args["period_date"] for r in recap_calls} == {
        "26/01/2026 - 31/01/2026",
        "01/02/2026 - 27/02/2026",
    }
    assert len(recap_calls) == 12 * 2  # province + 11 cities, 2 months
    assert {r.args["level_harga_id"] for r in recap_calls} == {"3"}
    series = routes.load("bapanas.json")["recap"]["310"]["data"]
    medium = {
        p["date"]: p["rata_rata"]
        for p in next(i for i in series if i["name"] == "Beras Medium")["by_date"]
    }
    stored = read_df(
        "SELECT strftime(date, '%Y-%m-%d') AS d, value FROM facts WHERE region_code='1571'"
        " AND commodity='beras_medium' AND date < '2026-02-26'",
        path=tmp_db,
    )
    expected = {d: float(v) for d, v in medium.items() if v}
    assert dict(zip(stored.d, stored.value, strict=True)) == expected
    assert "2026-02-03" in medium and "2026-02-03" not in expected  # rata_rata 0 = no price


def test_bapanas_sends_origin_referer_and_the_key_only_when_configured(replay, tmp_db, monkeypatch):
    assert run_source(bapanas, dry_run=True).status == "dry_run"
    first = [r for r, _ in replay.log]
    assert {r.headers.get("Origin") for r in first} == {"https://panelharga.badanpangan.go.id"}
    assert {r.headers.get("Referer") for r in first} == {"https://panelharga.badanpangan.go.id/"}
    assert all("x-api-key" not in r.headers for r in first)
    replay.clear_log()
    monkeypatch.setenv("JSW_BAPANAS_API_KEY", "kunci-uji")
    assert run_source(bapanas, dry_run=True).status == "dry_run"
    assert {r.headers.get("x-api-key") for r, _ in replay.log} == {"kunci-uji"}


def test_bapanas_falls_back_to_the_configured_id_when_the_province_list_is_missing(replay, tmp_db):
    replay.clear()
    data = routes.load("bapanas.json")
    replay.expect_request("/bapanas/api/provinces").respond_with_data("gone", status=404)
    replay.expect_request("/bapanas/api/cities").respond_with_json(data["cities"][0])
    replay.expect_request("/bapanas/api/front/harga-pangan-informasi").respond_with_json(
        data["prices"][""]
    )
    replay.expect_request("/bapanas/api/front/table-rekapitulasi").respond_with_json(
        {"status": "success", "data": []}
    )
    result = run_source(bapanas, db=tmp_db)
    assert result.status == "success", result.errors
    assert "province list unavailable" in result.message and "HTTP 404" in result.message
    cities = [r for r, _ in replay.log if r.path.endswith("/cities")]
    assert cities[0].args["province_id"] == "5"  # the province table's Bapanas id of Jambi
    # this server ignores ?page= and repeats page 1: read once, not looped over
    assert len(cities) == 2
    regions = read_df(
        "SELECT count(*) AS n FROM source_ids WHERE source = 'bapanas' AND kind = 'region'",
        path=tmp_db,
    ).n[0]
    assert regions == 6


def test_sp2kp_real_body_of_13_jul_2026(replay, tmp_db, realdata):
    """The real generate-perbandingan-harga answer: Beras Medium 13,833 on 13 Jul 2026.
    (The recorded body is the national answer; it is served here to the province request.)"""
    day = dt.date(2026, 7, 13)
    result = run_source(sp2kp, db=tmp_db, since=day, until=day)
    assert result.status == "success", result.errors
    posts = [r for r, _ in replay.log if r.path.endswith("generate-perbandingan-harga")]
    assert len(posts) == 1
    post = posts[0]
    assert post.content_type.startswith("multipart/form-data")
    assert dict(post.form) == {
        "tanggal": "2026-07-13",
        "tanggal_pembanding": "2026-07-10",
        "kode_provinsi": "15",
    }
    assert post.headers["Origin"] == "https://sp2kp.kemendag.go.id"
    stored = read_df("SELECT commodity, value FROM facts WHERE date = '2026-07-13'", path=tmp_db)
    assert dict(zip(stored.commodity, stored.value, strict=True)) == {
        "beras_medium": 13833.0,
        "beras_premium": 15520.0,
        "beras_sphp": 12352.0,
        "gula_pasir": 18277.0,
        "minyak_goreng": 15865.0,  # variant 18 Minyakita
    }
    # the next day's answer carries 13 Jul as its comparison date, with the same value
    result = run_source(sp2kp, db=tmp_db, since=dt.date(2026, 7, 10), until=dt.date(2026, 7, 14))
    assert result.status == "success" and result.details["facts_revised"] == 0
    medium = read_df(
        "SELECT strftime(date, '%Y-%m-%d') AS d, value FROM facts WHERE commodity='beras_medium'",
        path=tmp_db,
    )
    assert dict(zip(medium.d, medium.value, strict=True)) == {
        "2026-07-13": 13833.0,
        "2026-07-14": 13836.0,
    }


def test_sp2kp_series_posts_multipart_per_month_with_the_real_variant_ids(replay, tmp_db):
    result = run_source(sp2kp, db=tmp_db, **JAN_FEB)
    assert result.status == "success", result.errors
    posts = [r for r, _ in replay.log if r.path.endswith("export-area-daily-json")]
    assert len(posts) == 2
    assert all(r.content_type.startswith("multipart/form-data") for r in posts)
    assert {r.form["variant_ids"] for r in posts} == {"52,51,1,14,18"}
    assert {(r.form["level"], r.form["kode_provinsi"], r.form["kode_kab_kota"]) for r in posts} == {
        ("1", "15", "")
    }
    data = routes.load("sp2kp.json")["prices"]["2026-02"]["data"]
    entry = next(
        e
        for e in next(d for d in data if d["variant_id"] == 14)["daftarHarga"]
        if e["date"] == "2026-02-20"
    )
    got = read_df(
        "SELECT value FROM facts WHERE source='sp2kp' AND region_code='15' AND commodity='gula_pasir'"
        " AND date='2026-02-20'",
        path=tmp_db,
    ).value.tolist()
    assert got == [entry["harga"]]
    empty_days = read_df(
        "SELECT count(*) AS n FROM facts WHERE day(date) IN (9, 10)", path=tmp_db
    ).n[0]
    assert empty_days == 0  # harga 0 and null = no report


def test_a_source_silent_for_too_long_gets_a_notice_on_its_failed_run(replay, tmp_db):
    assert run_source(sp2kp, db=tmp_db, **FEB).status == "success"  # facts up to 27 Feb 2026
    replay.clear()
    for path in ("export-area-daily-json", "generate-perbandingan-harga"):
        replay.expect_request(
            f"/sp2kp/report/api/average-price/{path}", method="POST"
        ).respond_with_json(routes.SP2KP_EMPTY)
    result = run_source(sp2kp, db=tmp_db)  # the last seven days: nothing published
    assert result.status == "no_data"
    runs = read_df("SELECT status, message FROM ingest_runs ORDER BY started_at", path=tmp_db)
    assert runs.status.tolist() == ["success", "no_data"]
    assert "NOTICE: no new data from sp2kp for" in runs.message[1]
    assert "(newest 2026-02-27; alert after 4)" in runs.message[1]


def _serve_sp2kp(replay, series_body: dict) -> None:
    """Replay SP2KP, answering the daily-series request with ``series_body`` first."""
    replay.clear()
    replay.expect_request(
        "/sp2kp/report/api/average-price/export-area-daily-json", method="POST"
    ).respond_with_json(series_body)
    routes.install_sp2kp(replay)


def test_a_day_missing_from_one_run_is_recovered_by_the_next(replay, tmp_db):
    body = routes.load("sp2kp.json")["prices"]["2026-02"]
    for item in body["data"]:  # the source had not published 20 Feb yet at the first run
        item["daftarHarga"] = [e for e in item["daftarHarga"] if e["date"] != "2026-02-20"]
    _serve_sp2kp(replay, body)
    first = run_source(sp2kp, db=tmp_db, **FEB)
    assert first.status == "success"
    missing = "SELECT count(*) AS n FROM facts WHERE date = '2026-02-20'"
    assert read_df(missing, path=tmp_db).n[0] == 0
    replay.clear()
    routes.install_sp2kp(replay)
    second = run_source(sp2kp, db=tmp_db, **FEB)  # the next run re-reads the same days
    assert second.details["facts_new"] == 5 and second.details["facts_revised"] == 0
    assert read_df(missing, path=tmp_db).n[0] == 5


def test_sp2kp_401_on_every_request_fails_with_the_reason(replay, tmp_db):
    replay.clear()
    refused = {"code": "unauthorized", "message": "Invalid or expired token", "status": 401}
    for path in ("export-area-daily-json", "generate-perbandingan-harga"):
        replay.expect_request(
            f"/sp2kp/report/api/average-price/{path}", method="POST"
        ).respond_with_json(refused, status=401)
    result = run_source(sp2kp, db=tmp_db, **FEB)
    assert result.status == "failed" and "HTTP 401 (access refused" in result.errors[0]
    runs = read_df("SELECT status, message FROM ingest_runs", path=tmp_db)
    assert runs.status.tolist() == ["failed"] and "HTTP 401x2" in runs.message[0]


def test_sp2kp_401_on_one_endpoint_keeps_the_other_and_says_so(replay, tmp_db):
    replay.clear()
    replay.expect_request(
        "/sp2kp/report/api/average-price/generate-perbandingan-harga", method="POST"
    ).respond_with_json({"code": "unauthorized"}, status=401)
    routes.install_sp2kp(replay)
    result = run_source(sp2kp, db=tmp_db, **FEB)
    assert result.status == "success" and result.rows_loaded > 0
    assert "1 request(s) refused" in result.message and "HTTP 401" in result.message


def test_fuel_stores_jambi_prices_and_only_price_changes(replay, tmp_db, realdata):
    """The real price list of 5 Jan 2026: Jambi Pertalite 10,000, Biosolar 6,800, Pertamax 12,400."""
    first = run_source(fuel, db=tmp_db)
    assert first.status == "success", first.errors
    stored = facts(tmp_db, "pertamina")
    assert dict(zip(stored.commodity, stored.value, strict=True)) == {
        "pertalite": 10000,
        "biosolar": 6800,
        "pertamax": 12400,
    }
    assert set(stored.region_code) == {"15"} and str(stored.date[0])[:10] == "2026-01-05"

    body = json.loads(routes.fuel_body())
    body["data"]["lastUpdated"] = "2026-03-02T03:00:00.000Z"
    jambi = next(
        p for p in body["data"]["providers"]["pertamina"] if p["provinceInfo"]["id"] == "15"
    )
    jambi["products"]["Pertamax"] = 12900
    replay.clear()
    replay.expect_request("/fuel/api/prices.json").respond_with_json(body)
    second = run_source(fuel, db=tmp_db)
    assert second.status == "success", second.errors
    new_rows = read_df("SELECT commodity, value FROM facts WHERE date = '2026-03-02'", path=tmp_db)
    assert new_rows.to_dict(orient="records") == [{"commodity": "pertamax", "value": 12900.0}]


def test_wfp_finds_the_csv_through_package_show_and_loads_jambi_retail_prices(replay, tmp_db):
    result = run_source(wfp, db=tmp_db)
    assert result.status == "success", result.errors
    paths = [r.path for r, _ in replay.log]
    assert paths == ["/wfp/api/3/action/package_show", routes.WFP_CSV_PATH]
    assert replay.log[0][0].args["id"] == "wfp-food-prices-for-indonesia"
    stored = facts(tmp_db, "wfp")
    assert set(stored.region_code) == {"1571"}
    assert set(stored.commodity) == {"beras_medium", "gula_pasir", "minyak_goreng"}
    assert len(stored) == 9  # 3 months x 3 mapped commodities; Riau and chili skipped


def serve_wfp_csv(replay, body: bytes) -> None:
    replay.clear()
    routes.install_wfp(replay, body)


def test_wfp_download_larger_than_the_limit_is_stopped(replay, tmp_db, monkeypatch):
    monkeypatch.setenv("JSW_WFP_MAX_MB", "0.001")  # 1,000 bytes; the CSV is ~3 kB
    result = run_source(wfp, db=tmp_db)
    assert result.status == "failed" and "more than 0.0 MB" in result.errors[0]
    assert facts_count_all(tmp_db) == 0


def facts_count_all(path) -> int:
    return int(read_df("SELECT count(*) AS n FROM facts", path=path).n[0])


def test_wfp_real_format_without_jambi_rows_ends_as_no_data(replay, tmp_db, realdata):
    """The real HDX layout (Belarus sample): no row for Jambi, as in Indonesia's file today."""
    body = (realdata / "wfp_format_sample" / "wfp_food_prices_blr.csv").read_bytes()
    serve_wfp_csv(replay, body)
    result = run_source(wfp, db=tmp_db)
    assert result.status == "no_data"
    assert "no row for Jambi" in result.errors[0]


def test_wfp_market_table_places_a_market_whose_admin2_is_ambiguous(replay, tmp_db):
    text = (routes.HERE / "wfp_food_prices_idn.csv").read_text(encoding="utf-8")
    changed = text.replace(",Kota Jambi,Jambi,", ",Jambi,Jambi,")  # admin2 written as "Jambi"
    assert changed != text
    serve_wfp_csv(replay, changed.encode())
    result = run_source(wfp, db=tmp_db)
    assert result.status == "success" and result.rows_rejected == 0
    assert set(facts(tmp_db, "wfp").region_code) == {"1571"}


def wfp_variant(layout: str) -> bytes:
    text = (routes.HERE / "wfp_food_prices_idn.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    if layout == "16_no_hxl":
        lines = [lines[0]] + lines[2:]
    elif layout == "14":
        keep = [
            i for i, h in enumerate(lines[0].split(",")) if h not in ("market_id", "commodity_id")
        ]
        lines = [
            ",".join(line.split(",")[i] for i in keep) for line in lines if not line.startswith("#")
        ]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("layout", ["16_with_hxl", "16_no_hxl", "14"])
def test_wfp_accepts_all_three_layouts_with_the_same_values(replay, tmp_db, layout):
    serve_wfp_csv(replay, wfp_variant(layout))
    result = run_source(wfp, db=tmp_db)
    assert result.status == "success", result.errors
    rows = facts(tmp_db, "wfp")[["date", "commodity", "value"]]
    csv_rows = [line.split(",") for line in wfp_variant("16_no_hxl").decode().splitlines()[1:]]
    expected = sorted(float(r[14]) for r in csv_rows if r[1] == "Jambi" and r[8] != "Chili (red)")
    assert sorted(rows.value.tolist()) == expected


def test_wfp_real_format_sample_is_read(realdata):
    rows = wfp.read_rows((realdata / "wfp_format_sample" / "wfp_food_prices_blr.csv").read_bytes())
    assert len(rows) > 100 and rows[0][1]["commodity"] and rows[0][0] == 2


# ---------------------------------------------------------------- faults
def test_missing_field_names_source_and_field(replay, tmp_db):
    replay.clear()
    replay.expect_request("/bapanas/api/provinces").respond_with_json(
        {"data": [{"id": 5, "nama": "Jambi"}]}
    )
    replay.expect_request("/bapanas/api/cities").respond_with_json(
        {"data": {"current_page": 1, "data": [{"id": 310, "nama": "Kota Jambi"}]}}
    )
    replay.expect_request("/bapanas/api/front/harga-pangan-informasi").respond_with_json(
        {"data": [{"id": 28, "name": "Beras Medium", "yesterday": 13000}]}
    )
    replay.expect_request("/bapanas/api/front/table-rekapitulasi").respond_with_json(
        {"status": "success", "data": []}
    )
    result = run_source(bapanas, db=tmp_db)
    assert result.status == "failed"
    assert "bapanas" in result.errors[0] and "'today'" in result.errors[0]


def test_missing_data_key_in_sp2kp_is_a_clear_error(replay, tmp_db):
    _serve_sp2kp(replay, {"message": "ok"})
    result = run_source(sp2kp, db=tmp_db, **FEB)
    assert result.status == "failed" and "sp2kp: field 'data' is missing" in result.errors[0]
    assert result.details["diagnostics"]["first_failing_field"] == "data"


def test_a_series_entry_without_a_date_is_refused_by_name_not_a_crash(replay, tmp_db):
    body = routes.load("sp2kp.json")["prices"]["2026-02"]
    for item in body["data"]:
        for entry in item["daftarHarga"]:
            if entry["date"] == "2026-02-18":
                entry["tanggal"] = entry.pop("date")  # the field name the old connector wanted
                del entry["tanggal"]
    _serve_sp2kp(replay, body)
    result = run_source(sp2kp, db=tmp_db, **FEB)
    assert result.status == "success" and result.rows_rejected == 5  # one day x 5 mapped variants
    assert result.details["diagnostics"]["first_failing_field"].startswith("daftarHarga.date")
    assert "first failing field: daftarHarga.date" in result.message


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (
            Response("<html><body>Maintenance</body></html>", status=200, content_type="text/html"),
            "HTML page",
        ),
        (Response('{"data": [', status=200, content_type="application/json"), "malformed JSON"),
        (Response("down", status=500), "HTTP 500"),
    ],
)
@pytest.mark.slow
def test_a_failed_run_leaves_the_data_tables_exactly_as_they_were(replay, tmp_db, fault, expected):
    assert run_source(pihps, db=tmp_db, **FEB).status == "success"
    before = table_contents(tmp_db)
    replay.clear()
    replay.expect_request("/pihps/TabelHarga/PasarTradisionalKomoditas").respond_with_data(
        "<html></html>", content_type="text/html"
    )
    replay.expect_request("/pihps/WebSite/Home/GetGridData1").respond_with_json({"data": []})
    grids = routes.load("pihps.json")
    replay.expect_oneshot_request(
        "/pihps/WebSite/TabelHarga/GetGridDataKomoditas"
    ).respond_with_json(
        {
            "data": [
                {**row, "17/02/2026": "99,999"} if row["level"] == 2 else row
                for row in grids["com_1|2026-02"]["data"]
            ]
        }
    )
    replay.expect_request("/pihps/WebSite/TabelHarga/GetGridDataKomoditas").respond_with_response(
        fault
    )
    result = run_source(pihps, db=tmp_db, **FEB)
    assert result.status == "failed" and expected in result.errors[0]
    assert_same_contents(before, table_contents(tmp_db))
    runs = read_df("SELECT status, message FROM ingest_runs ORDER BY started_at", path=tmp_db)
    assert runs.status.tolist() == ["success", "failed"] and expected in runs.message[1]


# ---------------------------------------------------------------- idempotence, revisions
def test_rerunning_the_same_range_changes_nothing(replay, tmp_db):
    assert run_source(sp2kp, db=tmp_db, **FEB).status == "success"
    before = table_contents(tmp_db)
    again = run_source(sp2kp, db=tmp_db, **FEB)
    assert (
        again.status == "success"
        and again.details["facts_new"] == 0
        and again.details["facts_revised"] == 0
    )
    after = table_contents(tmp_db)
    for table in ("facts", "fact_revisions", "rejected_rows"):
        assert after[table].equals(before[table]), table


def test_a_revised_value_updates_the_fact_and_records_the_revision(replay, tmp_db):
    assert run_source(pihps, db=tmp_db, **FEB).status == "success"
    grids = routes.load("pihps.json")
    row = next(r for r in grids["com_3|2026-02"]["data"] if r["name"] == "Kota Jambi")
    old = float(row["18/02/2026"].replace(",", ""))
    row["18/02/2026"] = "21,000"
    replay.clear()
    replay.expect_request("/pihps/TabelHarga/PasarTradisionalKomoditas").respond_with_data(
        "<html></html>", content_type="text/html"
    )
    replay.expect_request("/pihps/WebSite/Home/GetGridData1").respond_with_json({"data": []})

    def grid(request):
        key = f"{request.args['comcat_id']}|{request.args['start_date'][:7]}"
        return Response(json.dumps(grids.get(key, {"data": []})), content_type="application/json")

    replay.expect_request("/pihps/WebSite/TabelHarga/GetGridDataKomoditas").respond_with_handler(
        grid
    )
    result = run_source(pihps, db=tmp_db, **FEB)
    assert result.details["facts_revised"] == 1
    revision = read_df(
        "SELECT region_code, commodity, old_value, new_value FROM fact_revisions", path=tmp_db
    )
    assert revision.to_dict(orient="records") == [
        {
            "region_code": "1571",
            "commodity": "pihps_beras_medium_1",
            "old_value": old,
            "new_value": 21000.0,
        }
    ]


def test_dry_run_writes_nothing(replay, tmp_db):
    result = run_source(wfp, db=tmp_db, dry_run=True)
    assert result.status == "dry_run" and result.rows_read == 9
    assert not tmp_db.exists()


# ---------------------------------------------------------------- CLI
def run_cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_ingest_all_against_the_replay_server_loads_every_source(replay, tmp_db):
    env = dict(os.environ)
    completed = run_cli("all", "--since", "2026-01-26", "--until", "2026-02-27", "--json", env=env)
    assert completed.returncode == 0, completed.stderr
    summary = json.loads(completed.stdout)
    assert summary["status"] == "success"
    assert [r["source"] for r in summary["runs"]] == [
        "bapanas",
        "pihps",
        "sp2kp",
        "pertamina",
        "wfp",
    ]
    assert all(r["rows_loaded"] > 0 for r in summary["runs"])
    counts = read_df("SELECT source, count(*) AS n FROM facts GROUP BY source", path=tmp_db)
    assert set(counts.source) == {"bapanas", "pihps", "sp2kp", "pertamina", "wfp"}
    for key in (
        "run_id",
        "source",
        "status",
        "rows_read",
        "rows_loaded",
        "rows_rejected",
        "errors",
    ):
        assert key in summary["runs"][0]


def test_cli_exit_code_is_nonzero_with_a_clear_message_when_a_source_fails(replay, tmp_db, capsys):
    replay.clear()
    replay.expect_request("/fuel/api/prices.json").respond_with_data(
        "<html>blocked</html>", content_type="text/html"
    )
    assert ingest_main(["fuel"]) == 1
    assert "HTML page" in capsys.readouterr().err
    assert ingest_main(["fuel", "--json"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["status"] == "failed" and "HTML page" in body["errors"][0]
    with pytest.raises(SystemExit) as info:
        ingest_main(["pihps", "--since", "2026-02-10", "--until", "2026-02-01"])
    assert info.value.code == 2 and "--since must not be after --until" in capsys.readouterr().err


# ---------------------------------------------------------------- numbers never misread
def test_a_dot_grouped_pihps_cell_is_refused_not_read_as_43_55(replay, tmp_db):
    grids = routes.load("pihps.json")
    row = next(r for r in grids["com_3|2026-02"]["data"] if r["name"] == "Kota Jambi")
    row["18/02/2026"] = "43.550"
    replay.clear()
    replay.expect_request("/pihps/WebSite/TabelHarga/GetGridDataKomoditas").respond_with_handler(
        lambda request: Response(
            json.dumps(
                grids.get(
                    f"{request.args['comcat_id']}|{request.args['start_date'][:7]}", {"data": []}
                )
            ),
            content_type="application/json",
        )
    )
    routes.install_pihps(replay)
    result = run_source(pihps, db=tmp_db, **FEB)
    assert result.status == "success" and result.rows_rejected == 1
    assert result.details["diagnostics"]["first_failing_field"].startswith("18/02/2026")
    stored = read_df(
        "SELECT count(*) AS n FROM facts WHERE region_code = '1571'"
        " AND commodity = 'pihps_beras_medium_1' AND date = '2026-02-18'",
        path=tmp_db,
    ).n[0]
    assert stored == 0
    reason = read_df("SELECT reason FROM rejected_rows", path=tmp_db).reason[0]
    assert "pihps: 18/02/2026 '43.550' is ambiguous" in reason


def test_a_price_a_thousand_times_too_small_is_refused_on_the_first_run(replay, tmp_db):
    body = routes.load("sp2kp.json")["prices"]["2026-02"]
    medium = next(item for item in body["data"] if item["variant_id"] == 52)
    entry = next(e for e in medium["daftarHarga"] if e["date"] == "2026-02-19")
    entry["harga"] = 13.833
    _serve_sp2kp(replay, body)
    result = run_source(sp2kp, db=tmp_db, **FEB)  # an empty warehouse: no history to compare
    assert result.status == "success" and result.rows_rejected == 1
    reason = read_df("SELECT reason FROM rejected_rows", path=tmp_db).reason[0]
    assert "daftarHarga.harga 13.833 read as 13.83 Rp/kg, outside the plausible" in reason


# ---------------------------------------------------------------- province ids
@pytest.mark.parametrize(
    ("province", "expected"),
    [
        ("15", {"bapanas": "5", "pihps": "6", "sp2kp": "15", "fuel": "15"}),
        ("16", {"bapanas": "6", "pihps": "8", "sp2kp": "16", "fuel": "16"}),
    ],
)
def test_province_ids_come_from_the_province_table(monkeypatch, province, expected):
    from ingest.config import load_settings
    from ingest.sources.common import province_name, province_source_id

    monkeypatch.setenv("JSW_PROVINCE", province)
    settings = load_settings()
    got = {name: province_source_id(settings.sources[name]) for name in expected}
    assert got == expected
    assert province_name(settings.sources["bapanas"]) == (
        "Jambi" if province == "15" else "Sumatera Selatan"
    )
    monkeypatch.setenv("JSW_PIHPS_PROVINCE_ID", "99")  # an explicit override wins
    assert province_source_id(load_settings().sources["pihps"]) == "99"


def test_a_fuel_list_a_thousand_times_too_small_fails_whole(replay, tmp_db):
    body = routes.load("fuel_prices.json")
    for entry in body["data"]["providers"]["pertamina"]:
        entry["products"] = {k: v / 1000 for k, v in entry["products"].items()}  # 10.0 for 10,000
    replay.clear()
    replay.expect_request("/fuel/api/prices.json").respond_with_json(body)
    result = run_source(fuel, db=tmp_db)
    assert result.status == "failed"
    assert (
        "products.Pertalite 10.0 read as 10.00 Rp/liter, outside the plausible"
        in (result.errors[0])
    )
    assert result.details["diagnostics"]["first_failing_field"] == "products.Pertalite"
    assert facts_count_all(tmp_db) == 0


def test_a_run_whose_every_value_is_refused_fails_naming_the_first(replay, tmp_db):
    body = routes.load("sp2kp.json")["prices"]["2026-02"]
    for item in body["data"]:
        for entry in item["daftarHarga"]:
            entry["harga"] = entry["harga"] / 1000 if entry["harga"] else entry["harga"]
    _serve_sp2kp(replay, body)
    result = run_source(sp2kp, db=tmp_db, **FEB)
    assert result.status == "failed" and "every value was refused (50)" in result.errors[0]
    assert "daftarHarga.harga" in result.errors[0] and "outside the plausible" in result.errors[0]
    assert result.details["diagnostics"]["first_failing_field"].startswith("daftarHarga.harga")
    assert facts_count_all(tmp_db) == 0


def test_a_source_that_answers_but_has_not_moved_on_gets_the_notice_too(replay, tmp_db):
    old = run_source(fuel, db=tmp_db)  # the real price list is dated 5 Jan 2026
    assert old.status == "success"
    assert "NOTICE: no new data from pertamina for" in old.message
    assert "alert after 45)" in old.message
    body = routes.load("fuel_prices.json")
    body["data"]["lastUpdated"] = dt.datetime.now(dt.UTC).isoformat()
    replay.clear()
    replay.expect_request("/fuel/api/prices.json").respond_with_json(body)
    fresh = run_source(fuel, db=tmp_db)
    assert fresh.status == "success" and "NOTICE" not in fresh.message
