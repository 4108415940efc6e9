"""Each connector against a real local server replaying recorded responses (real shapes)."""

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


def test_pihps_chunks_long_ranges_by_month_after_the_session_cookie(replay, tmp_db):
    result = run_source(pihps, db=tmp_db, **JAN_FEB)
    assert result.status == "success", result.errors
    grid_calls = [r for r, _ in replay.log if r.path.endswith("GetGridDataKomoditas")]
    assert len(grid_calls) == 11 * 2  # 11 commodities x 2 months
    starts = {(r.args["start_date"], r.args["end_date"]) for r in grid_calls}
    assert starts == {("2026-01-26", "2026-01-31"), ("2026-02-01", "2026-02-27")}
    assert replay.log[0][0].path == "/pihps/WebSite/"  # cookie first
    dates = read_df("SELECT min(date) AS lo, max(date) AS hi FROM facts", path=tmp_db).iloc[0]
    assert str(dates.lo)[:10] == "2026-01-26" and str(dates.hi)[:10] == "2026-02-27"


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
    assert len(regions) == 11
    table = routes.load("bapanas.json")["prices"]["310"]["data"]
    premium = next(i for i in table if i["id"] == 27)
    stored = read_df(
        "SELECT date, value FROM facts WHERE source='bapanas' AND region_code='1571'"
        " AND commodity='beras_premium' ORDER BY date",
        path=tmp_db,
    )
    assert stored.value.tolist()[0] == premium["yesterday"]
    assert str(stored.date.tolist()[0])[:10] == "2026-02-26"  # yesterday_date "26-2-2026"
    assert premium["today"] in stored.value.tolist()
    assert set(facts(tmp_db, "bapanas").commodity) == {
        "beras_premium",
        "beras_medium",
        "beras_sphp",
        "gula_pasir",
        "minyak_goreng",
    }
    sphp_sungai_penuh = read_df(
        "SELECT count(*) AS n FROM facts WHERE region_code='1572' AND commodity='beras_sphp'",
        path=tmp_db,
    ).n[0]
    assert sphp_sungai_penuh == 1  # today's price 0 = no data; only yesterday stored


def test_sp2kp_resolves_variants_and_posts_per_regency_and_month(replay, tmp_db):
    result = run_source(sp2kp, db=tmp_db, **JAN_FEB)
    assert result.status == "success", result.errors
    posts = [r for r, _ in replay.log if r.path.endswith("export-area-daily-json")]
    assert len(posts) == 11 * 2
    assert {r.form["kode_kab_kota"] for r in posts} == {
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
    assert {r.form["variant_ids"] for r in posts} == {"11,12,31,41"}
    data = routes.load("sp2kp.json")["prices"]["1509|2026-02"]["data"]
    entry = next(
        e
        for e in next(d for d in data if d["variant_id"] == 31)["daftarHarga"]
        if e["tanggal"] == "2026-02-20"
    )
    got = read_df(
        "SELECT value FROM facts WHERE source='sp2kp' AND region_code='1509' AND commodity='gula_pasir'"
        " AND date='2026-02-20'",
        path=tmp_db,
    ).value.tolist()
    assert got == [entry["harga"]]
    sundays = read_df("SELECT count(*) AS n FROM facts WHERE dayofweek(date) = 0", path=tmp_db).n[0]
    assert sundays == 0  # harga 0 = no report


def test_fuel_stores_jambi_prices_and_only_price_changes(replay, tmp_db):
    first = run_source(fuel, db=tmp_db)
    assert first.status == "success", first.errors
    stored = facts(tmp_db, "pertamina")
    assert dict(zip(stored.commodity, stored.value, strict=True)) == {
        "pertalite": 10000,
        "biosolar": 6800,
        "pertamax": 12700,
    }
    assert set(stored.region_code) == {"15"} and str(stored.date[0])[:10] == "2026-02-02"

    body = routes.load("fuel_prices.json")
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


def test_wfp_loads_jambi_retail_prices(replay, tmp_db):
    result = run_source(wfp, db=tmp_db)
    assert result.status == "success", result.errors
    stored = facts(tmp_db, "wfp")
    assert set(stored.region_code) == {"1571"}
    assert set(stored.commodity) == {"beras_medium", "gula_pasir", "minyak_goreng"}
    assert len(stored) == 9  # 3 months x 3 mapped commodities; Riau and chili skipped


def test_wfp_market_table_places_a_market_whose_admin2_is_ambiguous(replay, tmp_db):
    text = (routes.HERE / "wfp_food_prices_idn.csv").read_text(encoding="utf-8")
    changed = text.replace(",Kota Jambi,Jambi,", ",Jambi,Jambi,")  # admin2 written as "Jambi"
    assert changed != text
    text = changed
    replay.clear()
    replay.expect_request("/wfp/wfp_food_prices_idn.csv").respond_with_data(
        text.encode(), content_type="text/csv"
    )
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
    replay.clear()
    replay.expect_request("/wfp/wfp_food_prices_idn.csv").respond_with_data(
        wfp_variant(layout), content_type="text/csv"
    )
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
    replay.expect_request("/bapanas/api/front/province").respond_with_json(
        {"data": [{"id": 5, "nama": "Jambi"}]}
    )
    replay.expect_request("/bapanas/api/front/cities").respond_with_json(
        {"data": [{"id": 310, "nama": "Kota Jambi"}]}
    )
    replay.expect_request("/bapanas/api/front/harga-pangan-informasi").respond_with_json(
        {"data": [{"id": 28, "name": "Beras Medium", "yesterday": 13000}]}
    )
    result = run_source(bapanas, db=tmp_db)
    assert result.status == "failed"
    assert "bapanas" in result.errors[0] and "'today'" in result.errors[0]


def test_missing_data_key_in_sp2kp_is_a_clear_error(replay, tmp_db):
    replay.clear()
    data = routes.load("sp2kp.json")
    replay.expect_request("/sp2kp/master/api/variant").respond_with_json(data["variants"])
    replay.expect_request("/sp2kp/master/api/wilayah/kab-kota/15").respond_with_json(
        data["regencies"]
    )
    replay.expect_request(
        "/sp2kp/report/api/average-price/export-area-daily-json", method="POST"
    ).respond_with_json({"message": "ok"})
    result = run_source(sp2kp, db=tmp_db, **FEB)
    assert result.status == "failed" and "sp2kp: field 'data' is missing" in result.errors[0]


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
def test_a_failed_run_leaves_the_data_tables_exactly_as_they_were(replay, tmp_db, fault, expected):
    assert run_source(pihps, db=tmp_db, **FEB).status == "success"
    before = table_contents(tmp_db)
    replay.clear()
    replay.expect_request("/pihps/WebSite/").respond_with_data(
        "<html></html>", content_type="text/html"
    )
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
    replay.expect_request("/pihps/WebSite/").respond_with_data(
        "<html></html>", content_type="text/html"
    )

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
