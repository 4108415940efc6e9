"""The shared HTTP client against a real local server: retries, Retry-After, timeouts, archive."""

from __future__ import annotations

import gzip
import json
import time

import pytest
from werkzeug import Response

from ingest.config import HttpSettings, SourceConfig
from ingest.errors import FetchError, SourceFormatError
from ingest.http import HttpClient, RawArchive, retry_after_seconds


def make_client(httpserver, tmp_path, retries=2, timeout=5.0, max_wait=30.0, pacing=0.0):
    delays: list[float] = []
    source = SourceConfig("testsrc", httpserver.url_for("/api/"), pacing, {"X-Test": "yes"})
    settings = HttpSettings(timeout, retries, 0.5, max_wait, "JSW-test-agent")
    archive = RawArchive(tmp_path / "raw", "testsrc", "run-1")
    return HttpClient(source, settings, archive, sleep=delays.append), delays, archive


def test_sends_source_headers_and_archives_every_response(httpserver, tmp_path):
    httpserver.expect_request(
        "/api/items", headers={"X-Test": "yes", "User-Agent": "JSW-test-agent"}
    ).respond_with_json({"data": [1, 2]})
    client, _, archive = make_client(httpserver, tmp_path)
    assert client.get_json("items", label="items") == {"data": [1, 2]}
    files = sorted(archive.directory.glob("*.gz"))
    assert len(files) == 1
    assert json.loads(gzip.decompress(files[0].read_bytes())) == {"data": [1, 2]}
    manifest = [
        json.loads(line) for line in (archive.directory / "manifest.jsonl").read_text().splitlines()
    ]
    assert manifest[0]["status"] == 200 and manifest[0]["url"].endswith("/api/items")


def test_429_with_retry_after_is_honoured(httpserver, tmp_path):
    httpserver.expect_oneshot_request("/api/items").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "3"})
    )
    httpserver.expect_request("/api/items").respond_with_json({"ok": True})
    client, delays, archive = make_client(httpserver, tmp_path)
    assert client.get_json("items") == {"ok": True}
    assert delays == [3.0]
    assert len(list(archive.directory.glob("*.gz"))) == 2  # the 429 is archived too


def test_500_then_success_uses_exponential_backoff(httpserver, tmp_path):
    httpserver.expect_oneshot_request("/api/items").respond_with_data("boom", status=500)
    httpserver.expect_oneshot_request("/api/items").respond_with_data("boom", status=503)
    httpserver.expect_request("/api/items").respond_with_json({"ok": True})
    client, delays, _ = make_client(httpserver, tmp_path, retries=3)
    assert client.get_json("items") == {"ok": True}
    assert delays == [0.5, 1.0]


def test_5xx_retry_after_http_date_is_understood():
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_seconds("soon") is None


def test_persistent_500_gives_up_with_clear_message(httpserver, tmp_path):
    httpserver.expect_request("/api/items").respond_with_data("boom", status=500)
    client, delays, _ = make_client(httpserver, tmp_path, retries=2)
    with pytest.raises(FetchError) as info:
        client.get_json("items")
    assert (
        "testsrc" in str(info.value)
        and "3 attempt(s)" in str(info.value)
        and "HTTP 500" in str(info.value)
    )
    assert len(delays) == 2


def test_404_is_not_retried(httpserver, tmp_path):
    httpserver.expect_request("/api/items").respond_with_data("nope", status=404)
    client, delays, _ = make_client(httpserver, tmp_path, retries=3)
    with pytest.raises(FetchError, match="HTTP 404"):
        client.get_json("items")
    assert delays == [] and client.requests_made == 1


def test_retry_after_longer_than_allowed_stops(httpserver, tmp_path):
    httpserver.expect_request("/api/items").respond_with_response(
        Response("later", status=429, headers={"Retry-After": "3600"})
    )
    client, delays, _ = make_client(httpserver, tmp_path, max_wait=60)
    with pytest.raises(FetchError, match="JSW_HTTP_MAX_WAIT"):
        client.get_json("items")
    assert delays == []


def test_timeout_is_retried_then_reported(httpserver, tmp_path):
    def slow(request):
        time.sleep(0.6)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/api/slow").respond_with_handler(slow)
    client, delays, _ = make_client(httpserver, tmp_path, retries=1, timeout=0.2)
    with pytest.raises(FetchError, match="timed out"):
        client.get_json("slow")
    assert delays == [0.5]


def test_a_body_that_stops_arriving_is_reported_as_timed_out(httpserver, tmp_path):
    """The headers and a first chunk arrive, then nothing: ``requests`` raises that read
    timeout as a ConnectionError, and the officer must still read "timed out"."""

    def stalls():
        yield b'{"data": ['
        time.sleep(0.8)
        yield b"]}"

    httpserver.expect_request("/api/stall").respond_with_handler(
        lambda request: Response(stalls(), content_type="application/json")
    )
    client, _, _ = make_client(httpserver, tmp_path, retries=0, timeout=0.2)
    with pytest.raises(FetchError, match="timed out") as raised:
        client.get_json("stall")
    assert "connection failed" not in str(raised.value)


def test_html_error_page_with_status_200_is_refused(httpserver, tmp_path):
    httpserver.expect_request("/api/items").respond_with_data(
        "<!DOCTYPE html><html><body>Access denied</body></html>", content_type="text/html"
    )
    client, _, archive = make_client(httpserver, tmp_path)
    with pytest.raises(SourceFormatError, match="HTML page instead of JSON"):
        client.get_json("items")
    assert len(list(archive.directory.glob("*.gz"))) == 1


def test_malformed_json_is_refused(httpserver, tmp_path):
    httpserver.expect_request("/api/items").respond_with_data(
        '{"data": [1, 2', content_type="application/json"
    )
    client, _, _ = make_client(httpserver, tmp_path)
    with pytest.raises(SourceFormatError, match="malformed JSON"):
        client.get_json("items")


def test_pacing_waits_between_requests(httpserver, tmp_path):
    httpserver.expect_request("/api/items").respond_with_json({})
    client, delays, _ = make_client(httpserver, tmp_path, pacing=30.0)
    client.get_json("items")
    client.get_json("items")
    assert len(delays) == 1 and 29.0 < delays[0] <= 30.0


def test_unreachable_server_is_a_fetch_error(tmp_path):
    source = SourceConfig("testsrc", "http://127.0.0.1:9/", 0.0)
    client = HttpClient(source, HttpSettings(1.0, 1, 0.01, 1.0, "x"), None, sleep=lambda s: None)
    with pytest.raises(FetchError, match="connection failed"):
        client.get_json("items")


def test_multipart_form_is_sent_as_a_browser_formdata(httpserver, tmp_path):
    seen = {}

    def handler(request):
        seen["type"] = request.content_type
        seen["form"] = dict(request.form)
        return Response('{"status": "success", "data": []}', content_type="application/json")

    httpserver.expect_request("/api/report", method="POST").respond_with_handler(handler)
    client, _, _ = make_client(httpserver, tmp_path)
    client.post_json("report", multipart={"tanggal": "2026-07-13", "kode_provinsi": "15"})
    assert seen["type"].startswith("multipart/form-data; boundary=")
    assert seen["form"] == {"tanggal": "2026-07-13", "kode_provinsi": "15"}


def test_statuses_and_bytes_are_counted_and_401_is_explained(httpserver, tmp_path):
    httpserver.expect_oneshot_request("/api/a").respond_with_data("12345", status=200)
    httpserver.expect_request("/api/b").respond_with_json({"code": "unauthorized"}, status=401)
    client, _, _ = make_client(httpserver, tmp_path)
    client.request("GET", "a")
    with pytest.raises(FetchError, match=r"HTTP 401 \(access refused") as info:
        client.request("GET", "b")
    assert info.value.status == 401
    assert dict(client.statuses) == {200: 1, 401: 1}  # 401 is not retried
    assert client.bytes_received == 5 + len(httpserver.log[1][1].get_data())


def test_a_body_over_the_size_limit_is_stopped(httpserver, tmp_path):
    httpserver.expect_request("/api/big.csv").respond_with_data(b"x" * 300_000)
    client, _, _ = make_client(httpserver, tmp_path, retries=0)
    with pytest.raises(SourceFormatError, match="more than 0.1 MB"):
        client.request("GET", "big.csv", max_bytes=100_000)
    assert len(client.request("GET", "big.csv", max_bytes=400_000).content) == 300_000


def test_api_key_comes_from_the_named_environment_variable_only(httpserver, tmp_path, monkeypatch):
    httpserver.expect_request("/api/keyed").respond_with_json({})
    source = SourceConfig(
        "testsrc", httpserver.url_for("/api/"), 0.0, options={"api_key_env": "JSW_TEST_KEY"}
    )
    settings = HttpSettings(5.0, 0, 0.5, 30.0, "JSW-test-agent")
    HttpClient(source, settings).get_json("keyed")
    monkeypatch.setenv("JSW_TEST_KEY", "rahasia")
    HttpClient(source, settings).get_json("keyed")
    keys = [request.headers.get("x-api-key") for request, _ in httpserver.log]
    assert keys == [None, "rahasia"]
