"""Every connector meets every fault: 429 and 500 then success, HTML with 200, malformed
payload, timeout and an empty answer, served by a real local server."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from replay import routes
from replay.fixtures import FAST_HTTP_ENV
from werkzeug import Response

from ingest.runner import run_source
from ingest.sources import bapanas, fuel, pihps, sp2kp, wfp

WINDOW = {"since": dt.date(2026, 2, 10), "until": dt.date(2026, 2, 27)}
# connector -> (main data endpoint, HTTP method, empty answer, what an empty answer gives):
# "no_data" = the run ends as no_data (nothing else carries a value); "partial" = another
# endpoint of the same source still carries values; otherwise the words of the failure
ENDPOINTS = {
    "bapanas": (
        bapanas,
        "/bapanas/api/front/harga-pangan-informasi",
        "GET",
        {"status": "success", "data": []},
        "partial",
    ),
    "pihps": (
        pihps,
        "/pihps/WebSite/TabelHarga/GetGridDataKomoditas",
        "GET",
        {"data": []},
        "no_data",
    ),
    "sp2kp": (
        sp2kp,
        "/sp2kp/report/api/average-price/export-area-daily-json",
        "POST",
        {"status": "success", "data": []},
        "no_data",
    ),
    "fuel": (
        fuel,
        "/fuel/api/prices.json",
        "GET",
        {
            "success": True,
            "data": {"lastUpdated": "2026-02-02T03:15:00Z", "providers": {"pertamina": []}},
        },
        "province 15 (Jambi) is not in",
    ),
    "wfp": (wfp, routes.WFP_CSV_PATH, "GET", "", "field 'date' is missing"),
}


@pytest.fixture
def server(httpserver, monkeypatch, tmp_path, tmp_db):
    monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
    for name, value in {**FAST_HTTP_ENV, **routes.env(httpserver.url_for("/"))}.items():
        monkeypatch.setenv(name, value)
    return httpserver


def clean_rows(server, connector) -> int:
    routes.install(server)
    result = run_source(connector, dry_run=True, **WINDOW)
    server.clear()
    assert result.status == "dry_run" and result.rows_read > 0
    return result.rows_read


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("fault", ["429_retry_after", "500_then_ok"])
def test_transient_faults_are_retried_to_the_same_result(server, name, fault):
    connector, path, method, _, _ = ENDPOINTS[name]
    expected = clean_rows(server, connector)
    if fault == "429_retry_after":
        response = Response("too many", status=429, headers={"Retry-After": "0"})
    else:
        response = Response("<html>Internal error</html>", status=500, content_type="text/html")
    server.expect_oneshot_request(path, method=method).respond_with_response(response)
    routes.install(server)
    result = run_source(connector, dry_run=True, **WINDOW)
    assert result.status == "dry_run", result.errors
    assert result.rows_read == expected


def install_with(server, path, method, response):
    server.expect_request(path, method=method).respond_with_response(response)
    routes.install(server)  # registered after the fault: the fault answers first


@pytest.mark.parametrize("name", ENDPOINTS)
def test_html_page_with_status_200_fails_clearly(server, name):
    connector, path, method, _, _ = ENDPOINTS[name]
    install_with(
        server,
        path,
        method,
        Response(
            "<!DOCTYPE html><html><body>Sedang pemeliharaan</body></html>", content_type="text/html"
        ),
    )
    result = run_source(connector, dry_run=True, **WINDOW)
    assert (
        result.status == "failed" and "HTML page" in result.errors[0] and name in result.errors[0]
    )


@pytest.mark.parametrize("name", ENDPOINTS)
def test_malformed_payload_fails_clearly(server, name):
    connector, path, method, _, _ = ENDPOINTS[name]
    body, words = (
        ('{"data": [{"id": 27', "malformed JSON")
        if name != "wfp"
        else ("tanggal;harga\n1;2\n", "field 'date' is missing")
    )
    install_with(
        server,
        path,
        method,
        Response(body, content_type="application/json" if name != "wfp" else "text/csv"),
    )
    result = run_source(connector, dry_run=True, **WINDOW)
    assert result.status == "failed" and words in result.errors[0]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_timeout_fails_clearly(server, monkeypatch, name):
    monkeypatch.setenv("JSW_HTTP_TIMEOUT", "0.2")
    monkeypatch.setenv("JSW_HTTP_RETRIES", "0")
    connector, path, method, _, _ = ENDPOINTS[name]

    def slow(request):
        time.sleep(0.4)
        return Response("{}", content_type="application/json")

    server.expect_request(path, method=method).respond_with_handler(slow)
    routes.install(server)
    result = run_source(connector, dry_run=True, **WINDOW)
    assert result.status == "failed" and "timed out" in result.errors[0]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_empty_answer(server, name):
    connector, path, method, empty, outcome = ENDPOINTS[name]
    if isinstance(empty, str):
        install_with(server, path, method, Response(empty, content_type="text/csv"))
    else:
        install_with(
            server, path, method, Response(json.dumps(empty), content_type="application/json")
        )
    result = run_source(connector, dry_run=True, **WINDOW)
    if outcome == "no_data":
        assert result.status == "no_data" and result.rows_read == 0
        assert name in result.errors[0]
    elif outcome == "partial":
        server.clear()
        assert result.status == "dry_run" and 0 < result.rows_read < clean_rows(server, connector)
    else:
        assert result.status == "failed" and outcome in result.errors[0]
