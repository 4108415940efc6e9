"""Bapanas Panel Harga: consumer prices per city and for the province (harga-pangan-informasi)."""

from __future__ import annotations

import datetime as dt
import sys

from ingest.cli import source_main
from ingest.config import SourceConfig
from ingest.errors import SourceFormatError
from ingest.http import HttpClient, decode_json
from ingest.normalise import (
    PROVINCE_CODE,
    ValueProblem,
    commodities,
    parse_date,
    resolve_region,
)
from ingest.runner import Parsed, Payload, Progress, Window
from ingest.sources.common import data_list, first_field, response_day
from ingest.validate import Fact, Rejection
from warehouse.reference import normalise_alias

SOURCE = "bapanas"
FACT_SOURCE = "bapanas"
NAME_FIELDS = ("nama", "name", "province_name", "city_name", "nama_kota", "nama_provinsi")


def default_window(since: dt.date | None, until: dt.date | None) -> Window:
    """A snapshot source: --since/--until do not apply (every run stores the current list)."""
    return Window(None, None)


def resolve_province(client: HttpClient, config: SourceConfig) -> tuple[str, str]:
    """(id, name) of the configured province: from configuration or the province endpoint."""
    configured = str(config.options.get("province_id") or "")
    wanted = str(config.options.get("province_name", "Jambi"))
    if configured:
        return configured, wanted
    body = client.get_json(config.options["provinces_path"], label="provinces")
    for item in data_list(FACT_SOURCE, body, "the province list"):
        name = str(first_field(item, NAME_FIELDS, FACT_SOURCE, "the province list"))
        if normalise_alias(name).removeprefix("PROVINSI ") == normalise_alias(wanted):
            return str(first_field(item, ("id",), FACT_SOURCE, "the province list")), name
    raise SourceFormatError(
        f"{FACT_SOURCE}: province '{wanted}' was not found in the province list; set "
        f"JSW_BAPANAS_PROVINCE_ID to its id."
    )


def fetch(
    client: HttpClient, config: SourceConfig, window: Window, progress: Progress
) -> list[Payload]:
    """Resolve province and city ids, then fetch the price table of the province and each city."""
    progress.add_total(2)
    province_id, province_name = resolve_province(client, config)
    progress.advance()
    cities = client.get_json(
        config.options["cities_path"], params={"province_id": province_id}, label="cities"
    )
    progress.advance()
    targets = [("", province_name, PROVINCE_CODE)]
    unresolved = []
    for item in data_list(FACT_SOURCE, cities, "the city list"):
        city_id = str(first_field(item, ("id",), FACT_SOURCE, "the city list"))
        name = str(first_field(item, NAME_FIELDS, FACT_SOURCE, "the city list"))
        code = resolve_region(name)
        if code is None:
            unresolved.append((city_id, name))
        else:
            targets.append((city_id, name, code))
    payloads = [Payload({"kind": "province", "id": province_id, "name": province_name}, None)]
    payloads += [
        Payload({"kind": "unresolved_city", "id": i, "name": n}, None) for i, n in unresolved
    ]
    progress.add_total(len(targets))
    for city_id, name, code in targets:
        response = client.request(
            "GET",
            config.options["prices_path"],
            params={
                "province_id": province_id,
                "city_id": city_id,
                "level_harga_id": config.options.get("level_harga_id", "3"),
            },
            label=f"prices_{city_id or 'province'}",
        )
        meta = {
            "kind": "prices",
            "city_id": city_id,
            "name": name,
            "region_code": code,
            "day": response_day(response.headers.get("Date")),
        }
        payloads.append(Payload(meta, decode_json(FACT_SOURCE, response)))
        progress.advance()
    return payloads


def _price(value: object, where: str) -> float | None:
    if value in (None, "", 0, "0", "-"):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SourceFormatError(
            f"{FACT_SOURCE}: price {value!r} in {where} is not a number"
        ) from None
    return number or None


def _parse_prices(payload: Payload, config: SourceConfig, window: Window, parsed: Parsed) -> None:
    meta = payload.meta
    where = f"the price table of {meta['name']}"
    for item in data_list(FACT_SOURCE, payload.body, where):
        commodity_id = str(first_field(item, ("id",), FACT_SOURCE, where))
        code = config.commodities.get(commodity_id)
        if code is None:
            continue
        unit = commodities()[code].price_unit
        today = _price(first_field(item, ("today",), FACT_SOURCE, where), where)
        yesterday = _price(item.get("yesterday"), where)
        raw = f"{meta['name']} id={commodity_id} today={item.get('today')} yesterday={item.get('yesterday')}"
        observations: list[tuple[dt.date, float | None]] = []
        try:
            yesterday_day = parse_date(item.get("yesterday_date"))
        except ValueProblem as problem:
            # without yesterday_date, today is dated by the server's clock (WIB)
            observations.append((meta["day"], today))
            if yesterday is not None:
                parsed.rejected.append(
                    Rejection(None, "yesterday_date", raw, problem.message_id, problem.message_en)
                )
        else:
            # the panel's "today" is the day after yesterday_date (true for every real sample row)
            observations += [
                (yesterday_day + dt.timedelta(days=1), today),
                (yesterday_day, yesterday),
            ]
        for day, value in observations:
            if value is not None and window.contains(day):
                parsed.facts.append(
                    Fact(day, meta["region_code"], code, "price", value, unit, raw=raw)
                )


def parse(payloads: list[Payload], config: SourceConfig, window: Window) -> Parsed:
    """Mapped commodities only; price 0 means no report; the id crosswalk is kept."""
    parsed = Parsed()
    for payload in payloads:
        meta = payload.meta
        if meta["kind"] == "province":
            parsed.crosswalk.append(
                {
                    "kind": "province",
                    "source_id": meta["id"],
                    "source_name": meta["name"],
                    "code": PROVINCE_CODE,
                }
            )
        elif meta["kind"] == "unresolved_city":
            parsed.crosswalk.append(
                {
                    "kind": "region",
                    "source_id": meta["id"],
                    "source_name": meta["name"],
                    "code": None,
                }
            )
            parsed.notes.append(
                f"city '{meta['name']}' (id {meta['id']}) is not in the alias table; skipped"
            )
        else:
            if meta["city_id"]:
                parsed.crosswalk.append(
                    {
                        "kind": "region",
                        "source_id": meta["city_id"],
                        "source_name": meta["name"],
                        "code": meta["region_code"],
                    }
                )
            _parse_prices(payload, config, window, parsed)
    for commodity_id, code in config.commodities.items():
        parsed.crosswalk.append(
            {"kind": "commodity", "source_id": commodity_id, "source_name": None, "code": code}
        )
    return parsed


def main(argv: list[str]) -> int:
    return source_main(sys.modules[__name__], argv)
