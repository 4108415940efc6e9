"""Upstream faults at scale: a full ``python -m ingest all`` while every source's data endpoint
misbehaves in one way, including slow-drip bodies and connection resets. Each fault ends in
its documented state, failed runs write no fact, and received responses are archived."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest
from replay import routes
from replay.fixtures import FAST_HTTP_ENV
from werkzeug import Response

from ingest import all_sources
from tests.test_ingest_faults import ENDPOINTS
from warehouse.db import init_warehouse, read_df

SINCE, UNTIL = "2026-02-10", "2026-02-27"
SOURCES = tuple(ENDPOINTS)
FACT_SOURCE = {"fuel": "pertamina"}


@pytest.fixture
def server(httpserver, monkeypatch, tmp_path, tmp_db):
    monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
    for name, value in {**FAST_HTTP_ENV, **routes.env(httpserver.url_for("/"))}.items():
        monkeypatch.setenv(name, value)
    init_warehouse(tmp_db)
    return httpserver


def ingest_all(capsys) -> dict:
    code = all_sources.main(["--json", "--since", SINCE, "--until", UNTIL])
    result = json.loads(capsys.readouterr().out)
    result["exit_code"] = code
    return result


def runs_by_source(result: dict) -> dict[str, dict]:
    by_fact_source = {run["source"]: run for run in result["runs"]}
    return {name: by_fact_source[FACT_SOURCE.get(name, name)] for name in SOURCES}


def archived_statuses(raw: Path, name: str) -> list[int]:
    statuses = []
    for manifest in (raw / name).glob("*/manifest.jsonl"):
        statuses += [json.loads(line)["status"] for line in manifest.read_text().splitlines()]
    return statuses


def facts_count(db: Path) -> int:
    return int(read_df("SELECT count(*) AS n FROM facts", path=db)["n"][0])


def install_everywhere(server, response_for) -> None:
    for name, (_, path, method, *_rest) in ENDPOINTS.items():
        server.expect_request(path, method=method).respond_with_handler(response_for(name))
    routes.install(server)


@pytest.mark.slow
def test_transient_faults_on_every_source_end_in_success(server, capsys, tmp_path, tmp_db):
    for _, path, method, *_rest in ENDPOINTS.values():
        server.expect_oneshot_request(path, method=method).respond_with_response(
            Response("busy", status=429, headers={"Retry-After": "0"})
        )
        server.expect_oneshot_request(path, method=method).respond_with_response(
            Response("<html>error</html>", status=500, content_type="text/html")
        )
    routes.install(server)
    result = ingest_all(capsys)
    assert result["exit_code"] == 0 and result["status"] == "success", result["errors"]
    assert all(run["status"] == "success" for run in result["runs"])
    assert facts_count(tmp_db) > 0
    for name in SOURCES:
        statuses = archived_statuses(tmp_path / "raw", name)
        assert 429 in statuses and 500 in statuses and 200 in statuses, (name, statuses)


def _html(name):
    return lambda request: Response(
        "<!DOCTYPE html><html>Maintenance</html>", content_type="text/html"
    )


def _malformed(name):
    if name == "wfp":
        return lambda request: Response("tanggal;harga\n1;2\n", content_type="text/csv")
    return lambda request: Response('{"data": [{"id": 27', content_type="application/json")


def _missing_field(name):
    if name == "wfp":
        return lambda request: Response(
            "date,admin1,admin2\n2026-02-12,Jambi,Kota Jambi\n", content_type="text/csv"
        )
    return lambda request: Response(
        json.dumps({"data": [{"unexpected": 1}]}), content_type="application/json"
    )


def _empty(name):
    body = ENDPOINTS[name][3]
    if isinstance(body, str):
        return lambda request: Response(body, content_type="text/csv")
    return lambda request: Response(json.dumps(body), content_type="application/json")


def _slow_drip(name):
    def drip():  # 2 s of one byte per 50 ms: twice the 1 s body deadline the test sets
        for _ in range(40):
            time.sleep(0.05)
            yield b" "

    return lambda request: Response(drip(), content_type="application/json")


# fault -> (handler factory, words every failed source's error contains, extra env)
PERMANENT = {
    "html_with_200": (_html, ("HTML page",), {}),
    "malformed": (_malformed, ("malformed JSON", "field 'date' is missing"), {}),
    "missing_field": (_missing_field, ("missing", "no ", "not in"), {}),
    "slow_drip": (
        _slow_drip,
        ("timed out",),
        {"JSW_HTTP_TIMEOUT": "0.25", "JSW_HTTP_RETRIES": "0"},
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("fault", PERMANENT)
def test_permanent_faults_fail_each_source_cleanly(
    server, capsys, tmp_path, tmp_db, monkeypatch, fault
):
    factory, words, env = PERMANENT[fault]
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    install_everywhere(server, factory)
    result = ingest_all(capsys)
    runs = runs_by_source(result)
    failed = {name for name, run in runs.items() if run["status"] == "failed"}
    for name in failed:
        message = runs[name]["errors"][0]
        assert "unexpected error" not in message and "Traceback" not in message, message
        assert any(word in message for word in words), message
    if fault in ("html_with_200", "malformed", "slow_drip"):
        assert failed == set(SOURCES), {n: r["status"] for n, r in runs.items()}
    assert result["exit_code"] == (1 if failed else 0)
    assert facts_count(tmp_db) == sum(
        r["facts_new"] for r in result["runs"] if r["status"] == "success"
    )
    logged = read_df("SELECT source, status FROM ingest_runs", path=tmp_db)
    assert sorted(logged[logged.status == "failed"]["source"]) == sorted(
        FACT_SOURCE.get(n, n) for n in failed
    )
    if fault != "slow_drip":
        for name in SOURCES:
            assert 200 in archived_statuses(tmp_path / "raw", name), name


@pytest.mark.slow
def test_empty_answers_end_in_no_rows_or_a_clear_failure(server, capsys, tmp_db):
    install_everywhere(server, _empty)
    runs = runs_by_source(ingest_all(capsys))
    for name, (_, _, _, _, outcome) in ENDPOINTS.items():
        if outcome == "no_data":
            assert runs[name]["status"] == "no_data" and runs[name]["rows_read"] == 0
        elif outcome == "partial":
            assert runs[name]["status"] == "success" and runs[name]["rows_loaded"] > 0
        else:
            assert runs[name]["status"] == "failed" and outcome in runs[name]["errors"][0]
    logged = read_df("SELECT source, status FROM ingest_runs", path=tmp_db)
    assert sorted(logged[logged.status == "no_data"].source) == ["pihps", "sp2kp"]
    assert facts_count(tmp_db) == runs["bapanas"]["facts_new"]


class ResettingServer:
    """Accepts a connection, reads the request, then resets it (RST, no answer)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            conn.recv(65536)
            conn.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            conn.close()

    def close(self) -> None:
        self.listener.close()


@pytest.mark.slow
def test_connection_resets_on_every_source(server, capsys, tmp_db, monkeypatch):
    resetting = ResettingServer()
    try:
        for name, value in routes.env(f"http://127.0.0.1:{resetting.port}/").items():
            monkeypatch.setenv(name, value)
        result = ingest_all(capsys)
    finally:
        resetting.close()
    runs = runs_by_source(result)
    assert result["exit_code"] == 1
    for name, run in runs.items():
        assert run["status"] == "failed" and "connection failed" in run["errors"][0], (name, run)
    assert resetting.accepted >= len(SOURCES) * 3  # every attempt (1 + 2 retries) was made
    assert facts_count(tmp_db) == 0


@pytest.mark.slow
def test_a_source_without_data_is_named_but_does_not_fail_the_daily_run(server, capsys, tmp_db):
    """PIHPS answers empty, the others deliver: status partial, PIHPS named, exit code 0."""
    _, path, method, *_ = ENDPOINTS["pihps"]
    server.expect_request(path, method=method).respond_with_handler(_empty("pihps"))
    routes.install(server)
    result = ingest_all(capsys)
    runs = runs_by_source(result)
    assert runs["pihps"]["status"] == "no_data"
    assert all(runs[name]["status"] == "success" for name in SOURCES if name != "pihps")
    assert result["status"] == "partial" and result["exit_code"] == 0
    assert any(error.startswith("pihps") for error in result["errors"]), result["errors"]
