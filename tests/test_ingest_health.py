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
