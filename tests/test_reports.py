"""Weekly export: values against an independent computation on a small hand-built warehouse."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import statistics

import pandas as pd
import pytest

from reports import settings
from reports.export import read_back, render_files, write_export
from reports.summary import movement
from reports.weekly import StaleData, build_weekly
from reports.weeks import IsoWeek, last_complete_week, parse_week
from warehouse import db

WEEK = IsoWeek(2026, 3)  # Monday 2026-01-12 .. Sunday 2026-01-18
MONDAY = WEEK.monday
TODAY = dt.date(2026, 1, 19)  # the meeting Monday
PRICED = ("1501", "1502", "1571")  # 1572 (Kota Sungai Penuh) never reports
COMMODITIES = {"beras_medium": 14200.0, "pertamax": 12500.0, "lpg_3kg": 21000.0}
UNITS = {"beras_medium": "Rp/kg", "pertamax": "Rp/liter", "lpg_3kg": "Rp/tabung"}
SOURCE_RANK = {"officer": 0, "sp2kp": 1, "bapanas": 2, "demo": 9}
SKIPPED = {("1501", "beras_medium", MONDAY + dt.timedelta(days=1))}  # no report on Tuesday
INJECTION_REASON = '=HYPERLINK("http://evil.example","klik")'


def hand_made_facts() -> list[dict]:
    """Five weeks of daily prices, an officer report overriding demo, stock and distribution."""
    rng = random.Random(20260112)
    facts = []
    start = WEEK.shifted(-4).monday
    for offset in range(35):
        day = start + dt.timedelta(days=offset)
        for region in PRICED:
            for commodity, base in COMMODITIES.items():
                if (region, commodity, day) in SKIPPED:
                    continue
                trend = 1 + 0.004 * offset * (1 if region != "1502" else -1)
                value = round(base * trend * (1 + rng.uniform(-0.01, 0.01)))
                facts.append(fact(day, region, commodity, "price", "demo", value))
    facts.append(fact(MONDAY, "1502", "pertamax", "price", "officer", 13990.0))
    facts.append(fact(MONDAY, "1502", "pertamax", "price", "sp2kp", 11111.0))
    for offset in range(-20, 5):  # distribution from three weeks back to Friday of this week
        day = MONDAY + dt.timedelta(days=offset)
        facts.append(fact(day, "1571", "lpg_3kg", "distribution", "officer", 1000.0 + 50 * offset))
        if offset >= 0:
            facts.append(fact(day, "1571", "lpg_3kg", "stock", "officer", 9000.0 - 400 * offset))
    return facts


def fact(day, region, commodity, metric, source, value) -> dict:
    unit = UNITS[commodity] if metric == "price" else "tabung"
    return {
        "date": day,
        "region_code": region,
        "commodity": commodity,
        "metric": metric,
        "source": source,
        "value": float(value),
        "unit": unit,
        "run_id": f"test-{source}",
    }


def build_warehouse(path, facts: list[dict], with_alerts: bool = False) -> None:
    """A tiny warehouse: facts, a reference price change on Tuesday, two status runs."""
    db.init_warehouse(path)
    with db.write_transaction(path) as con:
        con.register("frame", pd.DataFrame(facts))
        con.execute(
            "INSERT INTO facts (date, region_code, commodity, metric, source, value, unit, run_id)"
            " SELECT date, region_code, commodity, metric, source, value, unit, run_id FROM frame"
        )
        con.execute(
            "UPDATE reference_prices SET valid_to = ? WHERE commodity = 'pertamax'",
            [MONDAY],
        )
        con.execute(
            "INSERT INTO reference_prices VALUES ('pertamax', 'province', NULL, 'harga_jual',"
            " 12900, 'Rp/liter', ?, NULL, 'test', 'price change on Tuesday')",
            [MONDAY + dt.timedelta(days=1)],
        )
        con.execute("UPDATE regions SET name = '-Kerinci' WHERE bps_code = '1501'")
        for run_id, created, as_of in (
            ("old-run", dt.datetime(2026, 1, 11, 6), dt.date(2026, 1, 11)),
            ("new-run", dt.datetime(2026, 1, 18, 6), dt.date(2026, 1, 18)),
            ("future-run", dt.datetime(2026, 2, 1, 6), dt.date(2026, 2, 1)),
        ):
            con.execute(
                "INSERT INTO forecast_runs (run_id, created_at, data_as_of, status)"
                " VALUES (?, ?, ?, 'success')",
                [run_id, created, as_of],
            )
        statuses = [
            ("old-run", dt.date(2026, 1, 11), "1571", "lpg_3kg", 3, "days_of_cover", "lama"),
            (
                "new-run",
                dt.date(2026, 1, 18),
                "1571",
                "lpg_3kg",
                2,
                "days_of_cover",
                INJECTION_REASON,
            ),
            (
                "new-run",
                dt.date(2026, 1, 18),
                "1502",
                "pertamax",
                1,
                "price_vs_reference",
                "di atas acuan",
            ),
            ("new-run", dt.date(2026, 1, 18), "1501", "beras_medium", 0, "none", "aman"),
            ("future-run", dt.date(2026, 2, 1), "1571", "lpg_3kg", 0, "none", "masa depan"),
        ]
        for run_id, as_of, region, commodity, level, rule, reason in statuses:
            con.execute(
                "INSERT INTO statuses (run_id, as_of, region_code, commodity, level, rule,"
                " reason_id, reason_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, as_of, region, commodity, level, rule, reason, reason],
            )
        if with_alerts:
            add_alerts(con)


def add_alerts(con) -> None:
    """Alerts for Kota Jambi LPG: two open, one closed before the meeting, one raised later,
    one from a historical replay (not counted)."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS alerts (alert_id VARCHAR PRIMARY KEY, origin VARCHAR NOT NULL,"
        " origin_id VARCHAR NOT NULL, region_code VARCHAR NOT NULL, commodity VARCHAR NOT NULL,"
        " kind VARCHAR NOT NULL, first_as_of DATE NOT NULL, level INTEGER NOT NULL,"
        " rule VARCHAR NOT NULL, reason_id VARCHAR NOT NULL, reason_en VARCHAR NOT NULL,"
        " created_at TIMESTAMP NOT NULL)"
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS alert_events (alert_id VARCHAR NOT NULL, seq INTEGER NOT NULL,"
        " event VARCHAR NOT NULL, as_of DATE, run_id VARCHAR, level INTEGER, reason_id VARCHAR,"
        " reason_en VARCHAR, user_name VARCHAR, note VARCHAR, created_at TIMESTAMP NOT NULL)"
    )
    alerts = [
        ("a1", "live", "1571", "lpg_3kg", "2026-01-14"),
        ("a2", "live", "1571", "lpg_3kg", "2026-01-15"),
        ("a3", "live", "1571", "lpg_3kg", "2026-01-13"),
        ("a4", "live", "1502", "pertamax", "2026-03-01"),
        ("a5", "replay", "1571", "lpg_3kg", "2026-01-14"),
    ]
    for alert_id, origin, region, commodity, first in alerts:
        con.execute(
            "INSERT INTO alerts (alert_id, origin, origin_id, region_code, commodity, kind,"
            " first_as_of, level, rule, reason_id, reason_en, created_at)"
            " VALUES (?, ?, 'r', ?, ?, 'stock', ?, 2, 'days_of_cover', 'x', 'x', ?)",
            [
                alert_id,
                origin,
                region,
                commodity,
                dt.date.fromisoformat(first),
                dt.datetime(2026, 1, 19),
            ],
        )
    con.execute(
        "INSERT INTO alert_events (alert_id, seq, event, created_at) VALUES"
        " ('a3', 1, 'raised', '2026-01-13 07:00'), ('a3', 2, 'closed', '2026-01-16 09:00'),"
        " ('a2', 1, 'raised', '2026-01-15 07:00'), ('a2', 2, 'acknowledged', '2026-01-16 07:00'),"
        " ('a1', 1, 'raised', '2026-01-14 07:00'), ('a1', 2, 'closed', '2026-02-20 07:00')"
    )


# ---------------------------------------------------------------- independent computation


def winning_prices(facts: list[dict]) -> dict[tuple, float]:
    """(date, region, commodity) -> price after source priority, computed without SQL."""
    best: dict[tuple, tuple[int, float]] = {}
    for row in facts:
        if row["metric"] != "price":
            continue
        key = (row["date"], row["region_code"], row["commodity"])
        rank = SOURCE_RANK[row["source"]]
        if key not in best or rank < best[key][0]:
            best[key] = (rank, row["value"])
    return {key: value for key, (_, value) in best.items()}


def expected_mean(prices, week: IsoWeek, region: str, commodity: str, weekdays=(0, 1, 2)):
    values = [
        prices[(day, region, commodity)]
        for day in week.days(weekdays)
        if (day, region, commodity) in prices
    ]
    return (sum(values) / len(values), len(values)) if values else (None, 0)


@pytest.fixture(scope="module")
def built_warehouse(tmp_path_factory):
    """The hand-made warehouse, built once per module (tests get their own copy)."""
    path = tmp_path_factory.mktemp("reports") / "warehouse.duckdb"
    facts = hand_made_facts()
    build_warehouse(path, facts)
    return path, facts


@pytest.fixture(scope="module")
def export_w03(built_warehouse):
    """The export of the test week built once (Mon-Wed prices); tests only read it."""
    path, _ = built_warehouse
    return build_weekly(path, WEEK, today=TODAY, price_days=(0, 1, 2), stale_days=3)


@pytest.fixture
def small_warehouse(built_warehouse, tmp_db):
    source, facts = built_warehouse
    shutil.copyfile(source, tmp_db)
    return tmp_db, facts


def row_of(detail: pd.DataFrame, region: str, commodity: str) -> pd.Series:
    rows = detail[(detail.region_code == region) & (detail.commodity == commodity)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_detail_prices_and_changes_match_an_independent_computation(built_warehouse, export_w03):
    _, facts = built_warehouse
    export = export_w03
    prices = winning_prices(facts)
    detail = export.detail
    assert len(detail) == 11 * len(COMMODITIES)
    for region in PRICED:
        for commodity in COMMODITIES:
            row = row_of(detail, region, commodity)
            mean, count = expected_mean(prices, WEEK, region, commodity)
            previous, _ = expected_mean(prices, WEEK.shifted(-1), region, commodity)
            earlier, _ = expected_mean(prices, WEEK.shifted(-4), region, commodity)
            assert row.mean_price == pytest.approx(mean, abs=0.01)
            assert row.days_reported == count
            assert row.days_in_window == 3
            assert row.change_wow_pct == pytest.approx((mean / previous - 1) * 100, abs=0.01)
            assert row.change_4w_pct == pytest.approx((mean / earlier - 1) * 100, abs=0.01)
    assert row_of(detail, "1501", "beras_medium").days_reported == 2
    officer_monday = row_of(detail, "1502", "pertamax")
    assert "officer" in officer_monday.sources and "sp2kp" not in officer_monday.sources


def test_a_regency_without_reports_has_a_row_with_empty_values(export_w03):
    detail = export_w03.detail
    silent = detail[detail.region_code == "1572"]
    assert len(silent) == len(COMMODITIES)
    assert silent.mean_price.isna().all() and silent.change_wow_pct.isna().all()
    assert (silent.days_reported == 0).all()
    assert silent.region_name.eq("Kota Sungai Penuh").all()


def test_reference_price_changed_inside_the_week_uses_the_last_counted_day(
    built_warehouse, export_w03
):
    _, facts = built_warehouse
    detail = export_w03.detail
    row = row_of(detail, "1571", "pertamax")
    assert row.reference_price == 12900
    assert row.reference_changed_in_week == 1
    assert row.reference_price_before_change == 12400
    assert row.reference_valid_from == (MONDAY + dt.timedelta(days=1)).isoformat()
    mean, _ = expected_mean(winning_prices(facts), WEEK, "1571", "pertamax")
    assert row.vs_reference_pct == pytest.approx((mean / 12900 - 1) * 100, abs=0.01)
    lpg = row_of(detail, "1502", "lpg_3kg")  # regency-scope HET for Merangin
    assert lpg.reference_price == 17000 and lpg.reference_changed_in_week == 0
    assert pd.isna(lpg.reference_price_before_change)


def test_price_days_setting_changes_which_days_count(small_warehouse, monkeypatch):
    path, facts = small_warehouse
    monkeypatch.setenv("JSW_REPORT_PRICE_DAYS", "mon-sun")
    export = build_weekly(path, WEEK, today=TODAY)
    row = row_of(export.detail, "1571", "beras_medium")
    mean, count = expected_mean(winning_prices(facts), WEEK, "1571", "beras_medium", range(7))
    assert count == 7 and row.days_reported == 7
    assert row.mean_price == pytest.approx(mean, abs=0.01)
    assert export.detail.price_days.iloc[0] == "mon-sun"
    # the reference in force on the last counted day (Sunday) is the new one
    assert row_of(export.detail, "1571", "pertamax").reference_price == 12900


def test_stock_cover_status_and_alerts(tmp_db):
    facts = hand_made_facts()
    build_warehouse(tmp_db, facts, with_alerts=True)
    detail = build_weekly(tmp_db, WEEK, today=TODAY).detail
    row = row_of(detail, "1571", "lpg_3kg")
    friday = MONDAY + dt.timedelta(days=4)
    stock = 9000.0 - 400 * 4
    first = max(-20, 4 - (settings.COVER_WINDOW_DAYS - 1))  # distribution starts on offset -20
    window = [1000.0 + 50 * o for o in range(first, 5)]  # the window ending on Friday
    assert row.stock == stock and row.stock_date == friday.isoformat()
    assert row.days_of_cover == pytest.approx(stock / statistics.mean(window), abs=0.05)
    assert row.status_level == 2 and row.status == "Siaga"  # the newest run up to the meeting
    assert row.status_reason == INJECTION_REASON
    assert row.open_alerts == 2  # closed and later alerts are not counted
    assert row_of(detail, "1502", "pertamax").open_alerts == 0
    assert pd.isna(row_of(detail, "1572", "lpg_3kg").status_level)


def test_open_alerts_are_zero_without_an_alerts_table(export_w03):
    assert export_w03.detail.open_alerts.eq(0).all()


def test_commodity_summary_counts_rises_falls_and_holds(export_w03):
    export = export_w03
    for commodity, rows in export.detail.groupby("commodity"):
        changes = rows.change_wow_pct.dropna().tolist()
        summary = export.commodities.set_index("commodity").loc[commodity]
        assert summary.regencies_rose == sum(c >= 0.5 for c in changes)
        assert summary.regencies_fell == sum(c <= -0.5 for c in changes)
        assert summary.regencies_held == sum(abs(c) < 0.5 for c in changes)
        assert summary.regencies_without_change == 11 - len(changes)
        rising = rows[rows.change_wow_pct >= 0.5]
        if len(rising):
            top = rising.sort_values("change_wow_pct").iloc[-1]
            assert summary.top_rise_region_code == top.region_code
            assert summary.top_rise_pct == top.change_wow_pct


def test_regency_summary_indicator_drivers_and_alerts(built_warehouse, export_w03):
    _, facts = built_warehouse
    export = export_w03
    regencies = export.regencies.set_index("region_code")
    assert len(regencies) == 11
    for region in PRICED:
        changes = export.detail[export.detail.region_code == region].change_wow_pct
        assert regencies.loc[region, "price_change_indicator_pct"] == pytest.approx(
            changes.mean(), abs=0.01
        )
        drivers = regencies.loc[region, "drivers"]
        assert drivers == "" or drivers.split("(")[0].isupper()
    assert regencies.loc["1571", "in_alert"] == 1
    assert regencies.loc["1571", "alert_commodities"] == "LPG 3 kg(Siaga)"
    assert regencies.loc["1502", "in_alert"] == 0
    assert pd.isna(regencies.loc["1572", "price_change_indicator_pct"])
    # most volatile commodity: highest coefficient of variation over Mon-Wed of two weeks
    prices = winning_prices(facts)
    days = WEEK.days((0, 1, 2)) + WEEK.shifted(-1).days((0, 1, 2))
    cvs = {}
    for commodity in COMMODITIES:
        values = [prices[(d, "1571", commodity)] for d in days if (d, "1571", commodity) in prices]
        cvs[commodity] = statistics.stdev(values) / statistics.mean(values) * 100
    top = max(cvs, key=cvs.get)
    assert regencies.loc["1571", "most_volatile_cv_pct"] == pytest.approx(cvs[top], abs=0.01)


def test_drivers_follow_the_indicator_sign():
    from reports.summary import driver_text

    changes = pd.DataFrame(
        {
            "commodity_name": ["Beras Medium", "LPG 3 kg", "Pertamax"],
            "change_wow_pct": [3.0, -1.0, 1.5],
            "sort_order": [1, 6, 5],
        }
    )
    text = driver_text(changes, indicator=1.17, decimal=",")
    assert text == "BERAS MEDIUM(1,00), PERTAMAX(0,50)"


def test_movement_threshold():
    assert movement(0.49) == "hold" and movement(-0.49) == "hold"
    assert movement(0.5) == "rise" and movement(-0.5) == "fall"
    assert movement(float("nan")) is None


def test_default_week_is_the_last_complete_iso_week(small_warehouse):
    path, _ = small_warehouse
    export = build_weekly(path, today=TODAY)
    newest = max(f["date"] for f in hand_made_facts())
    assert export.data_as_of == newest == WEEK.sunday
    assert export.week == WEEK
    assert last_complete_week(dt.date(2026, 1, 19)) == WEEK
    assert last_complete_week(dt.date(2026, 1, 17)) == IsoWeek(2026, 2)
    assert parse_week("2026-W03") == WEEK and parse_week("2026W3") == WEEK
    with pytest.raises(ValueError, match="2026-W47"):
        parse_week("minggu 3")


def test_stale_data_is_refused_unless_allowed(small_warehouse):
    path, _ = small_warehouse
    late = WEEK.sunday + dt.timedelta(days=10)
    with pytest.raises(StaleData, match="--allow-stale") as info:
        build_weekly(path, today=late)
    assert info.value.age_days == 10
    export = build_weekly(path, today=late, allow_stale=True)
    assert export.stale and export.detail.stale.eq(1).all() and export.regencies.stale.eq(1).all()
    assert not build_weekly(path, today=TODAY).stale


def test_price_days_parsing():
    assert settings.parse_price_days("mon-wed") == (0, 1, 2)
    assert settings.parse_price_days("mon,wed,fri") == (0, 2, 4)
    assert settings.price_days_label((0, 1, 2, 3, 4, 5, 6)) == "mon-sun"
    for bad in ("senin-rabu", "wed-mon", ""):
        with pytest.raises(settings.SettingError):
            settings.parse_price_days(bad)


# ---------------------------------------------------------------- files


def test_both_dialects_read_back_to_the_same_numbers(export_w03, tmp_path):
    export = export_w03
    standard = write_export(export, tmp_path / "std", "standard")
    excel = write_export(export, tmp_path / "xl", "excel-id")
    for name in ("detail", "commodities", "regencies"):
        a = read_back(tmp_path / "std" / f"jsw_weekly_{name}_2026-W03.csv", "standard")
        b = read_back(tmp_path / "xl" / f"jsw_weekly_{name}_2026-W03_excel-id.csv", "excel-id")
        pd.testing.assert_frame_equal(a, b)
        assert len(a) == standard.manifest["rows"][name] == excel.manifest["rows"][name]
    detail = read_back(tmp_path / "std" / "jsw_weekly_detail_2026-W03.csv")
    original = export.detail.set_index(["region_code", "commodity"])
    merged = detail.set_index(["region_code", "commodity"])
    pd.testing.assert_series_equal(
        merged.mean_price, original.mean_price, check_dtype=False, check_names=False
    )
    raw = (tmp_path / "xl" / "jsw_weekly_detail_2026-W03_excel-id.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("schema_version;week;")
    assert ";" in raw.decode("utf-8-sig").splitlines()[1]


def test_injection_cells_are_neutralised_but_numbers_stay_numbers(export_w03, tmp_path):
    export = export_w03
    write_export(export, tmp_path, "excel-id")
    text = (tmp_path / "jsw_weekly_detail_2026-W03_excel-id.csv").read_text(encoding="utf-8-sig")
    assert "'-Kerinci" in text and ";-Kerinci" not in text
    assert "'=HYPERLINK" in text and ';"=HYPERLINK' not in text and ";=HYPERLINK" not in text
    detail = read_back(tmp_path / "jsw_weekly_detail_2026-W03_excel-id.csv", "excel-id")
    assert detail.change_wow_pct.dtype.kind == "f" and (detail.change_wow_pct < 0).any()
    assert detail[detail.region_code == "1501"].region_name.eq("'-Kerinci").all()


@pytest.mark.slow
def test_same_warehouse_gives_byte_identical_files(small_warehouse, tmp_path):
    path, _ = small_warehouse
    outputs = []
    for attempt in ("a", "b"):
        export = build_weekly(path, WEEK, today=TODAY)
        for dialect, fmt in (("standard", "csv"), ("excel-id", "csv"), ("standard", "xlsx")):
            write_export(export, tmp_path / attempt, dialect, fmt, brief=True)
        outputs.append(
            {
                p.relative_to(tmp_path / attempt): p.read_bytes()
                for p in (tmp_path / attempt).rglob("*")
                if p.is_file()
            }
        )
    assert outputs[0].keys() == outputs[1].keys() and len(outputs[0]) > 8
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name


def test_running_twice_into_the_same_folder_is_safe(small_warehouse, tmp_path):
    path, _ = small_warehouse
    export = build_weekly(path, WEEK, today=TODAY)
    first = write_export(export, tmp_path, "standard")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    second = write_export(build_weekly(path, WEEK, today=TODAY), tmp_path, "standard")
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert first.archive_dir == second.archive_dir and before == after


def test_manifest_lists_checksums_and_row_counts(small_warehouse, tmp_path):
    import hashlib
    import json

    path, _ = small_warehouse
    written = write_export(build_weekly(path, WEEK, today=TODAY), tmp_path, "standard")
    manifest = json.loads(written.manifest_path.read_text(encoding="utf-8"))
    assert manifest["schema_version"] == settings.SCHEMA_VERSION
    assert manifest["data_as_of"] == WEEK.sunday.isoformat() and manifest["stale"] is False
    assert manifest["status_run_id"] == "new-run"
    for entry in manifest["files"]:
        data = (tmp_path / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert (written.archive_dir / entry["name"]).read_bytes() == data
        assert entry["rows"] == len(data.decode("utf-8-sig").splitlines()) - 1
    assert json.loads((written.archive_dir / "manifest.json").read_text()) == manifest


def test_xlsx_opens_with_frozen_header_and_number_formats(export_w03, tmp_path):
    from openpyxl import load_workbook

    export = export_w03
    write_export(export, tmp_path, fmt="xlsx")
    book = load_workbook(tmp_path / "jsw_weekly_2026-W03.xlsx")
    assert book.sheetnames == ["detail", "komoditas", "kabkota"]
    sheet = book["detail"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[: len(export.detail.columns)] == list(export.detail.columns)
    price_col = header.index("mean_price") + 1
    pct_col = header.index("change_wow_pct") + 1
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, header.index("region_code") + 1).value == "1571"
        and sheet.cell(r, header.index("commodity") + 1).value == "pertamax"
    )
    assert isinstance(sheet.cell(row, price_col).value, float)
    assert sheet.cell(row, price_col).number_format == "#,##0.00"
    assert sheet.cell(row, pct_col).number_format == "0.00"
    assert sheet.column_dimensions["A"].width >= 10
    reasons = [c.value for c in sheet[get_letter(header, "status_reason")] if c.value]
    assert "'" + INJECTION_REASON in reasons
    assert sheet.cell(2, header.index("data_as_of") + 1).value == WEEK.sunday.isoformat()


def get_letter(header: list[str], name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(header.index(name) + 1)


def test_render_files_without_disk_names_files_by_week(export_w03):
    files = render_files(export_w03, "standard", "csv", brief=False)
    assert sorted(files) == [
        "jsw_weekly_commodities_2026-W03.csv",
        "jsw_weekly_detail_2026-W03.csv",
        "jsw_weekly_regencies_2026-W03.csv",
    ]


def test_first_week_of_data_has_empty_changes_and_summaries(small_warehouse, tmp_path):
    path, _ = small_warehouse
    first = WEEK.shifted(-4)
    export = build_weekly(path, first, today=TODAY)
    assert export.detail.change_wow_pct.isna().all() and export.detail.change_4w_pct.isna().all()
    assert export.detail.mean_price.notna().sum() == len(PRICED) * len(COMMODITIES)
    assert (export.commodities.regencies_without_change == 11).all()
    assert export.commodities.top_rise_region_code.isna().all()
    assert export.regencies.price_change_indicator_pct.isna().all()
    assert export.regencies.drivers.eq("").all()
    assert export.notes == []
    files = write_export(export, tmp_path, "excel-id").files
    assert all(p.stat().st_size > 0 for p in files)


def test_a_week_without_any_data_is_refused_with_a_message(small_warehouse):
    from reports.weekly import NoData

    path, _ = small_warehouse
    with pytest.raises(NoData, match="2025-W40"):
        build_weekly(path, parse_week("2025-W40"), today=TODAY)
