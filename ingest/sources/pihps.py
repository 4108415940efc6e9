"""PIHPS (Bank Indonesia): daily traditional-market prices of Jambi, the province's category
averages (Home/GetGridData1) and the province and regency rows of each commodity
(TabelHarga/GetGridDataKomoditas)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import Any

from ingest.cli import source_main
from ingest.config import SourceConfig
from ingest.errors import SourceFormatError
from ingest.http import HttpClient
from ingest.normalise import PROVINCE_CODE, commodities, resolve_region
from ingest.runner import Parsed, Payload, Progress, Window
from ingest.sources.common import (
    data_list,
    first_field,
    month_chunks,
    price_or_rejection,
    province_name,
    province_source_id,
    recent_window,
    weekdays,
)
from ingest.validate import Fact, Rejection
from warehouse.reference import normalise_alias

SOURCE = "pihps"
FACT_SOURCE = "pihps"
DEFAULT_DAYS = 7  # re-read this far back, so a missed day is recovered
DATE_KEY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
LEVEL_PROVINCE, LEVEL_REGENCY = 1, 2
# GetGridData1 writes "30 Jan 26" / "29 Mei 26": Indonesian month abbreviations
MONTHS = {
    "JAN": 1,
    "FEB": 2,
    "MAR": 3,
    "APR": 4,
    "MEI": 5,
    "MAY": 5,
    "JUN": 6,
    "JUL": 7,
    "AGU": 8,
    "AGS": 8,
    "AUG": 8,
    "SEP": 9,
    "OKT": 10,
    "OCT": 10,
    "NOV": 11,
    "DES": 12,
    "DEC": 12,
}
EMPTY_REASON = (
    "pihps: every answer held empty data (PIHPS answers this way when it blocks a client, "
    "and on days without reports); nothing was stored"
)


def default_window(since: dt.date | None, until: dt.date | None) -> Window:
    """Default: the last seven days (PIHPS reports weekdays only)."""
    return Window(*recent_window(since, until, DEFAULT_DAYS))


def grid1_date(day: dt.date) -> str:
    """GetGridData1's ``tanggal``: ``"Feb 1, 2026"`` (the form clients with real answers send)."""
    return f"{day:%b} {day.day}, {day.year}"


def short_date(text: object) -> dt.date:
    """``"01 Jun 26"`` / ``"29 Mei 26"`` -> a date."""
    match = re.fullmatch(r"(\d{1,2}) ([A-Za-z]{3}) (\d{2})", str(text or "").strip())
    if not match or match[2].upper() not in MONTHS:
        raise SourceFormatError(
            f"{FACT_SOURCE}: field 'Tanggal' {text!r} is not a 'DD Mon YY' date"
        )
    return dt.date(2000 + int(match[3]), MONTHS[match[2].upper()], int(match[1]))


def _get(client: HttpClient, config: SourceConfig, path: str, params: dict, label: str) -> Any:
    referer = str(config.options.get("referer") or config.base_url)
    return client.get_json(path, params=params, headers={"Referer": referer}, label=label)


def fetch(
    client: HttpClient, config: SourceConfig, window: Window, progress: Progress
) -> list[Payload]:
    """Session cookie first, then the province averages per weekday and category, then the
    regency table per commodity and month."""
    days = weekdays(window.since, window.until)
    categories = config.options.get("categories", {})
    chunks = month_chunks(window.since, window.until)
    progress.add_total(1 + len(days) * len(categories) + len(chunks) * len(config.commodities))
    client.request("GET", str(config.options.get("session_path", "")), label="session")
    progress.advance()
    payloads = []
    for day in days:
        for category, code in categories.items():
            params = {
                "tanggal": grid1_date(day),
                "commodity": category,
                "priceType": config.options.get("price_type_id", "1"),
                "isPasokan": "1",
                "jenis": "1",
                "periode": "1",
                "provId": "0",
            }
            body = _get(
                client,
                config,
                config.options["province_grid_path"],
                params,
                f"grid1_{category}_{day:%Y%m%d}",
            )
            payloads.append(
                Payload(
                    {"kind": "province", "category": category, "commodity": code, "day": day}, body
                )
            )
            progress.advance()
    province_id = resolve_province_id(payloads, config)
    for com_id, code in config.commodities.items():
        for start, end in chunks:
            params = {
                "price_type_id": config.options.get("price_type_id", "1"),
                "comcat_id": com_id,
                "province_id": province_id,
                "regency_id": "",
                "showKota": "true",
                "showPasar": "false",
                "tipe_laporan": "1",
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
            }
            body = _get(
                client, config, config.options["grid_path"], params, f"{com_id}_{start:%Y%m}"
            )
            payloads.append(
                Payload({"kind": "grid", "com_id": com_id, "commodity": code, "start": start}, body)
            )
            progress.advance()
    return payloads


def resolve_province_id(payloads: list[Payload], config: SourceConfig) -> str:
    """The province's ProvID found by name in a GetGridData1 answer, else the configured id."""
    wanted = normalise_alias(province_name(config))
    for payload in payloads:
        for row in data_list(FACT_SOURCE, payload.body, "GetGridData1"):
            if normalise_alias(str(row.get("Provinsi", ""))) == wanted and "ProvID" in row:
                return str(row["ProvID"])
    return province_source_id(config)


def _parse_province(
    payload: Payload, province_id: str, wanted: str, window: Window, parsed: Parsed, found: set
) -> None:
    meta = payload.meta
    where = f"GetGridData1 commodity={meta['category']} {meta['day']}"
    for row in data_list(FACT_SOURCE, payload.body, where):
        if str(row.get("ProvID")) != province_id:
            continue
        name = str(first_field(row, ("Provinsi",), FACT_SOURCE, where))
        if normalise_alias(name) != wanted:
            raise SourceFormatError(
                f"{FACT_SOURCE}: ProvID {province_id} is '{name}' in {where}, not "
                f"'{wanted.title()}'; the province numbering changed: set JSW_PIHPS_PROVINCE_ID"
            )
        day = short_date(first_field(row, ("Tanggal",), FACT_SOURCE, where))
        code = meta["commodity"]
        if not window.contains(day) or (day, code) in found:
            continue
        raw = f"{name} {row.get('Komoditas')} Tanggal={row.get('Tanggal')} Nilai={row.get('Nilai')}"
        value = price_or_rejection(
            FACT_SOURCE, "Nilai", row.get("Nilai"), code, raw, parsed.rejected
        )
        if value is not None:
            found.add((day, code))
            unit = commodities()[code].price_unit
            parsed.facts.append(Fact(day, PROVINCE_CODE, code, "price", value, unit, raw=raw))


def _region_of(row: dict, where: str) -> tuple[int, str | None]:
    level = int(first_field(row, ("level",), FACT_SOURCE, where))
    name = str(first_field(row, ("name",), FACT_SOURCE, where))
    if level == LEVEL_PROVINCE:
        return level, PROVINCE_CODE
    if level == LEVEL_REGENCY:
        return level, resolve_region(name)
    return level, None


def _parse_grid(payload: Payload, window: Window, parsed: Parsed) -> None:
    code = payload.meta["commodity"]
    unit = commodities()[code].price_unit
    where = f"GetGridDataKomoditas {payload.meta['com_id']} {payload.meta['start']:%Y-%m}"
    for row in data_list(FACT_SOURCE, payload.body, where):
        level, region = _region_of(row, where)
        if level not in (LEVEL_PROVINCE, LEVEL_REGENCY):
            continue
        if region is None:
            parsed.rejected.append(
                Rejection(
                    None,
                    "name",
                    str(row.get("name")),
                    f"wilayah PIHPS '{row.get('name')}' tidak ada di tabel alias",
                    f"PIHPS region '{row.get('name')}' is not in the alias table",
                )
            )
            continue
        for key, text in row.items():
            match = DATE_KEY.match(str(key))
            if not match:
                continue
            day = dt.date(int(match[3]), int(match[2]), int(match[1]))
            if not window.contains(day):
                continue
            raw = f"{row.get('name')} {payload.meta['com_id']} {key}={text}"
            value = price_or_rejection(FACT_SOURCE, key, text, code, raw, parsed.rejected)
            if value is not None:
                parsed.facts.append(Fact(day, region, code, "price", value, unit, raw=raw))
        if level == LEVEL_REGENCY:
            parsed.crosswalk.append(
                {
                    "kind": "region",
                    "source_id": str(row.get("name")),
                    "source_name": str(row.get("name")),
                    "code": region,
                }
            )


def parse(payloads: list[Payload], config: SourceConfig, window: Window) -> Parsed:
    """Province averages (GetGridData1) and province/regency rows (level 1 and 2) of the
    commodity table; '-' and '0' mean no report; "12,345" is read with comma thousands."""
    parsed = Parsed()
    province_id = resolve_province_id([p for p in payloads if p.meta["kind"] == "province"], config)
    wanted = normalise_alias(province_name(config))
    found: set[tuple[dt.date, str]] = set()
    for payload in payloads:
        if payload.meta["kind"] == "province":
            _parse_province(payload, province_id, wanted, window, parsed, found)
        else:
            _parse_grid(payload, window, parsed)
    parsed.crosswalk.append(
        {
            "kind": "province",
            "source_id": province_id,
            "source_name": province_name(config),
            "code": PROVINCE_CODE,
        }
    )
    for com_id, code in {**config.options.get("categories", {}), **config.commodities}.items():
        parsed.crosswalk.append(
            {"kind": "commodity", "source_id": com_id, "source_name": None, "code": code}
        )
    if not parsed.facts:
        parsed.no_data_reason = EMPTY_REASON
    return parsed


def main(argv: list[str]) -> int:
    return source_main(sys.modules[__name__], argv)
