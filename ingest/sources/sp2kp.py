"""SP2KP (Kemendag): daily average prices of the province (generate-perbandingan-harga and
export-area-daily-json, both POST multipart as the SP2KP site sends them)."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from ingest.cli import source_main
from ingest.config import SourceConfig
from ingest.errors import FetchError
from ingest.http import HttpClient
from ingest.normalise import PROVINCE_CODE, ValueProblem, commodities, parse_date
from ingest.runner import Parsed, Payload, Progress, Window
from ingest.sources.common import (
    blocked_statuses,
    data_list,
    first_field,
    month_chunks,
    previous_weekday,
    price_or_rejection,
    province_source_id,
    recent_window,
)
from ingest.validate import Fact, Rejection

SOURCE = "sp2kp"
FACT_SOURCE = "sp2kp"
DEFAULT_DAYS = 7  # the series is re-read this far back, so a missed day is recovered
Found = dict[tuple[dt.date, str], float]  # (day, commodity) already stored by this run


def default_window(since: dt.date | None, until: dt.date | None) -> Window:
    """Default: the last seven days."""
    return Window(*recent_window(since, until, DEFAULT_DAYS))


def latest_pair(until: dt.date) -> tuple[dt.date, dt.date]:
    """(tanggal, tanggal_pembanding): the last weekday up to ``until`` and the one before."""
    day = until if until.weekday() < 5 else previous_weekday(until)
    return day, previous_weekday(day)


def _post(
    client: HttpClient, path: str, form: dict[str, str], label: str, blocked: list[str]
) -> Any | None:
    """POST multipart; a refused request (401/403, which SP2KP flips to) is noted, not fatal."""
    try:
        return client.post_json(path, multipart=form, label=label)
    except FetchError as exc:
        if blocked_statuses(exc):
            blocked.append(str(exc))
            return None
        raise


def fetch(
    client: HttpClient, config: SourceConfig, window: Window, progress: Progress
) -> list[Payload]:
    """The province series per month of the window, then the latest date pair."""
    code = province_source_id(config)
    chunks = month_chunks(window.since, window.until)
    progress.add_total(len(chunks) + 1)
    payloads: list[Payload] = []
    blocked: list[str] = []
    for start, end in chunks:
        form = {
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "level": str(config.options.get("level", "1")),
            "variant_ids": ",".join(config.commodities),
            "kode_provinsi": code,
            "kode_kab_kota": "",
            "pasar_id": "",
            "skip_sat_sun": "true",
            "tipe_komoditas": "1",
        }
        body = _post(client, config.options["series_path"], form, f"series_{start:%Y%m}", blocked)
        if body is not None:
            payloads.append(Payload({"kind": "series", "start": start}, body))
        progress.advance()
    day, before = latest_pair(window.until)
    form = {
        "tanggal": day.isoformat(),
        "tanggal_pembanding": before.isoformat(),
        "kode_provinsi": code,
    }
    body = _post(client, config.options["compare_path"], form, f"compare_{day:%Y%m%d}", blocked)
    if body is not None:
        payloads.append(Payload({"kind": "compare", "day": day}, body))
    progress.advance()
    if not payloads:
        raise FetchError(blocked[0] if blocked else f"{FACT_SOURCE}: no request was answered")
    payloads.append(Payload({"kind": "blocked", "messages": blocked}, None))
    return payloads


def _observation(
    parsed: Parsed,
    window: Window,
    found: Found,
    day_text: object,
    value: object,
    code: str,
    where: str,
    raw: str,
) -> None:
    try:
        day = parse_date(day_text)
    except ValueProblem as problem:
        parsed.rejected.append(Rejection(None, where, raw, problem.message_id, problem.message_en))
        return
    if not window.contains(day) or (day, code) in found:
        return
    price = price_or_rejection(FACT_SOURCE, where, value, code, raw, parsed.rejected)
    if price is not None:
        found[(day, code)] = price
        unit = commodities()[code].price_unit
        parsed.facts.append(Fact(day, PROVINCE_CODE, code, "price", price, unit, raw=raw))


def _parse_series(
    payload: Payload, config: SourceConfig, window: Window, parsed: Parsed, found: Found
) -> None:
    where = f"export-area-daily-json {payload.meta['start']:%Y-%m}"
    for item in data_list(FACT_SOURCE, payload.body, where):
        vid = str(first_field(item, ("variant_id",), FACT_SOURCE, where))
        code = config.commodities.get(vid)
        if code is None:
            continue
        prices = first_field(item, ("daftarHarga",), FACT_SOURCE, where)
        for entry in prices if isinstance(prices, list) else []:
            raw = f"variant {vid} {entry}"
            day_text = entry.get("date", entry.get("tanggal"))
            if day_text is None:
                parsed.rejected.append(
                    Rejection(
                        None,
                        "daftarHarga.date",
                        raw,
                        "daftarHarga tanpa tanggal ('date')",
                        "daftarHarga entry without a date ('date')",
                    )
                )
                continue
            _observation(
                parsed, window, found, day_text, entry.get("harga"), code, "daftarHarga.harga", raw
            )


def _parse_compare(
    payload: Payload, config: SourceConfig, window: Window, parsed: Parsed, found: Found
) -> None:
    where = "generate-perbandingan-harga"
    for item in data_list(FACT_SOURCE, payload.body, where):
        vid = str(first_field(item, ("variant_id",), FACT_SOURCE, where))
        code = config.commodities.get(vid)
        if code is None:
            continue
        for day_key, price_key in (
            ("tanggal", "harga"),
            ("tanggal_pembanding", "harga_pembanding"),
        ):
            raw = f"variant {vid} {item.get('variant_nama', '')} {day_key}={item.get(day_key)} {price_key}={item.get(price_key)}"
            day_text = first_field(item, (day_key,), FACT_SOURCE, where)
            _observation(parsed, window, found, day_text, item.get(price_key), code, price_key, raw)


def parse(payloads: list[Payload], config: SourceConfig, window: Window) -> Parsed:
    """One province price per variant and day; harga 0 or null means no report. The series
    wins over the date pair where both carry a day."""
    parsed = Parsed()
    found: Found = {}
    ordered = sorted(payloads, key=lambda p: {"series": 0, "compare": 1}.get(p.meta["kind"], 2))
    for payload in ordered:
        kind = payload.meta["kind"]
        if kind == "series":
            _parse_series(payload, config, window, parsed, found)
        elif kind == "compare":
            _parse_compare(payload, config, window, parsed, found)
        elif payload.meta["messages"]:
            parsed.notes.append(
                f"{len(payload.meta['messages'])} request(s) refused: {payload.meta['messages'][0]}"
            )
    for vid, code in config.commodities.items():
        parsed.crosswalk.append(
            {"kind": "commodity", "source_id": vid, "source_name": None, "code": code}
        )
    if not parsed.facts:
        blocked = [m for p in payloads if p.meta["kind"] == "blocked" for m in p.meta["messages"]]
        parsed.no_data_reason = (
            f"{FACT_SOURCE}: no price for {window.since} to {window.until} in the answers "
            f"(the series was empty or every price was 0/null)"
            + (f"; {blocked[0]}" if blocked else "")
        )
    return parsed


def main(argv: list[str]) -> int:
    return source_main(sys.modules[__name__], argv)
