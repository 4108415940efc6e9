"""PIHPS (Bank Indonesia): daily market prices per regency of Jambi (GetGridDataKomoditas)."""

from __future__ import annotations

import datetime as dt
import re
import sys

from ingest.cli import source_main
from ingest.config import SourceConfig
from ingest.http import HttpClient
from ingest.normalise import (
    PROVINCE_CODE,
    ValueProblem,
    commodities,
    parse_comma_thousands,
    resolve_region,
)
from ingest.runner import Parsed, Payload, Progress, Window
from ingest.sources.common import data_list, first_field, month_chunks, recent_window
from ingest.validate import Fact, Rejection

SOURCE = "pihps"
FACT_SOURCE = "pihps"
DEFAULT_DAYS = 7
DATE_KEY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
LEVEL_PROVINCE, LEVEL_REGENCY = 1, 2


def default_window(since: dt.date | None, until: dt.date | None) -> Window:
    """Default: the last seven days (PIHPS reports weekdays only)."""
    return Window(*recent_window(since, until, DEFAULT_DAYS))


def fetch(
    client: HttpClient, config: SourceConfig, window: Window, progress: Progress
) -> list[Payload]:
    """Session cookie from the home page first, then one request per commodity and month."""
    chunks = month_chunks(window.since, window.until)
    progress.add_total(1 + len(chunks) * len(config.commodities))
    client.request("GET", str(config.options.get("home_path", "")), label="home")
    progress.advance()
    referer = config.url(str(config.options.get("referer_path", "")))
    payloads = []
    for com_id, code in config.commodities.items():
        for start, end in chunks:
            params = {
                "price_type_id": config.options.get("price_type_id", "1"),
                "comcat_id": com_id,
                "province_id": config.options.get("province_id", "6"),
                "regency_id": "",
                "showKota": "true",
                "showPasar": "false",
                "tipe_laporan": "1",
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
            }
            body = client.get_json(
                config.options["grid_path"],
                params=params,
                headers={"Referer": referer},
                label=f"{com_id}_{start:%Y%m}",
            )
            payloads.append(
                Payload({"com_id": com_id, "commodity": code, "start": start, "end": end}, body)
            )
            progress.advance()
    return payloads


def _region_of(row: dict, where: str) -> tuple[int, str | None]:
    level = int(first_field(row, ("level",), FACT_SOURCE, where))
    name = str(first_field(row, ("name",), FACT_SOURCE, where))
    if level == LEVEL_PROVINCE:
        return level, PROVINCE_CODE
    if level == LEVEL_REGENCY:
        return level, resolve_region(name)
    return level, None


def parse(payloads: list[Payload], config: SourceConfig, window: Window) -> Parsed:
    """Province (level 1) and regency (level 2) rows; '-' and '0' mean no report."""
    parsed = Parsed()
    for payload in payloads:
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
                try:
                    value = parse_comma_thousands(text)
                except ValueProblem as problem:
                    parsed.rejected.append(
                        Rejection(None, key, raw, problem.message_id, problem.message_en)
                    )
                    continue
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
    for com_id, code in config.commodities.items():
        parsed.crosswalk.append(
            {"kind": "commodity", "source_id": com_id, "source_name": None, "code": code}
        )
    return parsed


def main(argv: list[str]) -> int:
    return source_main(sys.modules[__name__], argv)
