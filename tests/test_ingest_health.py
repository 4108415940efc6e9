"""Data-health queries and configuration overrides."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ingest.config import ConfigError, load_settings
from ingest.loader import RunLog, commit_run, record_failed_run
from ingest.sources.common import province_source_id
from ingest.validate import FACT_COLUMNS, Rejection
from warehouse import health_queries


def facts_frame(day: dt.date, value: float) -> pd.DataFrame:
    return pd.DataFrame(
        [[day, "1571", "beras_medium", "price", value, "Rp/kg"]], columns=FACT_COLUMNS
    )


def started(minutes: int) -> dt.datetime:
    return dt.datetime(2026, 3, 1, 8, 0) + dt.timedelta(minutes=minutes)


@pytest.fixture
def history(tmp_db):
    commit_run(
        RunLog("pihps-1", "pihps", started(0)),
        facts_frame(dt.date(2026, 2, 25), 13900),
        [],
        path=tmp_db,
    )
    record_failed_run(
        RunLog("pihps-2", "pihps", started(10), status="failed", message="pihps: HTTP 500"), tmp_db
    )
    record_failed_run(
        RunLog("pihps-3", "pihps", started(20), status="failed", message="pihps: HTML page"), tmp_db
    )
    bad = [
        Rejection(7, "stok", "12,3,4", "Baris 7, kolom stok: salah", "Row 7, column stock: wrong")
    ]
    commit_run(
        RunLog("officer-1", "officer", started(30)),
        facts_frame(dt.date(2026, 2, 28), 1),
        bad,
        path=tmp_db,
    )
    return tmp_db


def test_freshness_per_source_counts_failures_since_the_last_success(history):
    table = health_queries.source_freshness(history, today=dt.date(2026, 3, 2)).set_index("source")
    assert list(table.index[:6]) == list(health_queries.SOURCES)
    pihps = table.loc["pihps"]
    assert pihps.last_status == "failed" and pihps.last_message == "pihps: HTML page"
    assert pihps.last_success_run_id == "pihps-1" and pihps.failures_since_success == 2
    assert pihps.age_days == 5 and str(pihps.latest_fact_date)[:10] == "2026-02-25"
    assert table.loc["officer"].age_days == 2 and table.loc["officer"].failures_since_success == 0
    assert pd.isna(table.loc["bapanas"].last_status)  # never ran: listed, empty
    assert (
        table.loc["bapanas"].stale and table.loc["pihps"].stale and not table.loc["officer"].stale
    )
    fresh = health_queries.source_freshness(history, today=dt.date(2026, 2, 27)).set_index("source")
    assert not fresh.loc["pihps"].stale


def test_recent_runs_newest_first_and_by_source(history):
    runs = health_queries.recent_runs(limit=3, path=history)
    assert runs.run_id.tolist() == ["officer-1", "pihps-3", "pihps-2"]
    assert health_queries.recent_runs(source="pihps", path=history).status.tolist() == [
        "failed",
        "failed",
        "success",
    ]


def test_rejected_rows_of_recent_runs_in_both_languages(history):
    rows = health_queries.rejected_rows_of_recent_runs(runs=2, path=history)
    assert rows.to_dict(orient="records")[0] | {"started_at": None} == {
        "run_id": "officer-1",
        "source": "officer",
        "started_at": None,
        "row_number": 7,
        "raw": '{"column": "stok", "raw": "12,3,4"}',
        "reason_id": "Baris 7, kolom stok: salah",
        "reason_en": "Row 7, column stock: wrong",
    }
    assert health_queries.rejected_rows_of_recent_runs(source="pihps", path=history).empty


def test_environment_overrides_the_committed_configuration(monkeypatch):
    monkeypatch.setenv("JSW_PIHPS_URL", "http://mirror.example/pihps/")
    monkeypatch.setenv("JSW_PACING_SECONDS", "0.5")
    monkeypatch.setenv("JSW_HTTP_RETRIES", "7")
    monkeypatch.setenv("JSW_BAPANAS_PROVINCE_ID", "5")
    settings = load_settings()
    assert settings.sources["pihps"].base_url == "http://mirror.example/pihps/"
    assert (
        settings.sources["pihps"].url("TabelHarga/X") == "http://mirror.example/pihps/TabelHarga/X"
    )
    assert {s.pacing_seconds for s in settings.sources.values()} == {0.5}
    assert settings.http.retries == 7 and settings.sources["bapanas"].options["province_id"] == "5"


def test_committed_configuration_has_the_documented_defaults(monkeypatch):
    for name in ("JSW_PIHPS_URL", "JSW_PACING_SECONDS", "JSW_SOURCES_FILE"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.sources["pihps"].base_url == "https://www.bi.go.id/hargapangan/"
    assert province_source_id(settings.sources["pihps"]) == "6"  # Jambi, from the province table
    assert settings.sources["bapanas"].commodities["27"] == "beras_premium"
    assert settings.sources["bapanas"].headers["Origin"] == "https://panelharga.badanpangan.go.id"


def test_invalid_override_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("JSW_HTTP_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="JSW_HTTP_TIMEOUT"):
        load_settings()


def test_runs_without_data_count_as_unsuccessful_since_the_last_success(history):
    record_failed_run(
        RunLog("pihps-4", "pihps", started(40), message="pihps: answered with no rows"),
        history,
        status="no_data",
    )
    table = health_queries.source_freshness(history, today=dt.date(2026, 3, 2)).set_index("source")
    assert table.loc["pihps"].last_status == "no_data"
    assert table.loc["pihps"].failures_since_success == 3


def _days(first: dt.date, offsets: list[int]) -> list[dt.date]:
    return [first + dt.timedelta(days=o) for o in offsets]


@pytest.fixture
def gappy(tmp_db):
    """Rice prices from two sources with known pauses, and a stock series that stopped early."""
    first = dt.date(2025, 1, 1)
    # Reported days 0-9, a 6-day pause (10..15), 16-19, a 3-day pause (20..22), 23-30, then a
    # 19-day pause (31..49) and 50-54; the second source repeats some days and adds day 60.
    pihps = _days(first, [*range(10), *range(16, 20), *range(23, 31), *range(50, 55)])
    officer = _days(first, [0, 5, 16, 60])
    stock = _days(first, range(0, 21))
    rows = [[d, "1571", "beras_medium", "price", 13900.0, "Rp/kg"] for d in pihps]
    commit_run(RunLog("pihps-1", "pihps", started(0)), pd.DataFrame(rows, columns=FACT_COLUMNS),
               [], path=tmp_db)  # fmt: skip
    rows = [[d, "1571", "beras_medium", "price", 14000.0, "Rp/kg"] for d in officer]
    rows += [[d, "1571", "beras_medium", "stock", 800.0, "ton"] for d in stock]
    commit_run(RunLog("officer-1", "officer", started(5)), pd.DataFrame(rows, columns=FACT_COLUMNS),
               [], path=tmp_db)  # fmt: skip
    return tmp_db


def test_coverage_counts_days_pauses_and_how_far_behind_each_series_is(gappy):
    table = health_queries.data_coverage(gappy).set_index("metric")
    assert list(table.columns[:2]) == ["region_code", "commodity"]
    price, stock = table.loc["price"], table.loc["stock"]
    assert price.sources == "officer, pihps"
    assert str(price.first_date)[:10] == "2025-01-01" and str(price.last_date)[:10] == "2025-03-02"
    # days 0-9, 16-19, 23-30, 50-54 and 60: 28 distinct days however many sources report them
    assert price.n_days == 28
    # pauses over 4 days: 10..15 (6 days), 31..49 (19 days), 55..59 (5 days); 20..22 is not
    assert price.n_gaps == 3 and price.longest_gap_days == 19
    assert price.days_behind == 0
    assert stock.sources == "officer" and stock.n_days == 21
    assert stock.n_gaps == 0 and stock.longest_gap_days == 0
    assert stock.days_behind == 60 - 20


def test_coverage_reads_sealed_history_like_current_facts(gappy):
    from warehouse import seal

    before = health_queries.data_coverage(gappy)
    result = seal.seal(gappy, keep_days=10)
    assert result.facts_sealed > 0
    pd.testing.assert_frame_equal(health_queries.data_coverage(gappy), before)


def test_coverage_of_an_empty_warehouse_is_an_empty_table(tmp_db):
    from warehouse.db import init_warehouse

    init_warehouse(tmp_db)
    table = health_queries.data_coverage(tmp_db)
    assert table.empty and list(table.columns) == list(health_queries.COVERAGE_COLUMNS)
