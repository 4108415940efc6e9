"""Bapanas Panel Harga: consumer prices of the province and each city: today and yesterday
(front/harga-pangan-informasi) and the daily recap series (front/table-rekapitulasi)."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from ingest.cli import source_main
from ingest.config import SourceConfig
from ingest.errors import FetchError, SourceFormatError
from ingest.http import HttpClient, decode_json
from ingest.normalise import PROVINCE_CODE, ValueProblem, commodities, parse_date, resolve_region
from ingest.runner import Parsed, Payload, Progress, Window
from ingest.sources.common import (
    data_list,
    first_field,
    month_chunks,
    price_or_rejection,
    province_name,
    province_source_id,
    recent_window,
    response_day,
)
from ingest.validate import Fact, Rejection
from warehouse.reference import normalise_alias

SOURCE = "bapanas"
FACT_SOURCE = "bapanas"
NAME_FIELDS = ("nama", "name", "province_name", "city_name", "nama_kota", "nama_provinsi")
MAX_CITY_PAGES = 20
Found = set[tuple[dt.date, str, str]]  # (day, region, commodity) already stored by this run


def default_window(since: dt.date | None, until: dt.date | None) -> Window:
    """As asked; open ends keep every day of the current list. The recap series is read for
    the window, or for the last ``recap_days`` days when no range is given."""
    return Window(since, until)


def listed(body: Any, where: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The items of a list answer at ``data`` or ``data.data`` (Laravel page) and the page info."""
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict):
        return data_list(FACT_SOURCE, data, where), data
    return data_list(FACT_SOURCE, body, where), {}


def resolve_province(client: HttpClient, config: SourceConfig) -> tuple[str, str, str]:
    """(id, name, note): found by name in /provinces, else the configured id with a note."""
    wanted = province_name(config)
    try:
        body = client.get_json(config.options["provinces_path"], label="provinces")
        items, _ = listed(body, "the province list")
    except (FetchError, SourceFormatError) as exc:
        return (
            province_source_id(config),
            wanted,
            f"province list unavailable ({exc}); configured id used",
        )
    for item in items:
        name = str(item.get("nama") or item.get("name") or "")
        if normalise_alias(name).removeprefix("PROVINSI ") == normalise_alias(wanted):
            return str(first_field(item, ("id",), FACT_SOURCE, "the province list")), name, ""
    return (
        province_source_id(config),
        wanted,
        f"'{wanted}' is not in the province list ({len(items)} rows); configured id used",
    )


def resolve_cities(client: HttpClient, config: SourceConfig, province_id: str) -> list[dict]:
    """Every city of the province (once each), following the paginator's pages."""
    cities: list[dict] = []
    for page in range(1, MAX_CITY_PAGES + 1):
        params = {"province_id": province_id} | ({"page": str(page)} if page > 1 else {})
        body = client.get_json(config.options["cities_path"], params=params, label=f"cities_{page}")
        items, info = listed(body, "the city list")
        current = int(info.get("current_page") or page) if info else page
        if current != page:  # the server ignored ?page=: no new page to read
            break
        cities += items
        if not info or current >= int(info.get("last_page") or 1):
            break
    return list({str(item.get("id")): item for item in cities}.values())


def _targets(cities: list[dict], province: tuple[str, str]) -> tuple[list, list]:
    targets = [("", province[1], PROVINCE_CODE)]
    unresolved = []
    for item in cities:
        city_id = str(first_field(item, ("id",), FACT_SOURCE, "the city list"))
        name = str(first_field(item, NAME_FIELDS, FACT_SOURCE, "the city list"))
        code = resolve_region(name)
        if code is None:
            unresolved.append((city_id, name))
        else:
            targets.append((city_id, name, code))
    return targets, unresolved


def period_date(start: dt.date, end: dt.date) -> str:
    """``DD/MM/YYYY - DD/MM/YYYY``, the form every client sends."""
    return f"{start:%d/%m/%Y} - {end:%d/%m/%Y}"


def fetch(
    client: HttpClient, config: SourceConfig, window: Window, progress: Progress
) -> list[Payload]:
    """Province id by name, the cities, then per province and city: today's table and the
    recap series of the window."""
    progress.add_total(2)
    province_id, name, note = resolve_province(client, config)
    progress.advance()
    try:
        cities = resolve_cities(client, config, province_id)
    except (FetchError, SourceFormatError) as exc:
        cities, note = (
            [],
            "; ".join(p for p in (note, f"city list unavailable ({exc}); province only") if p),
        )
    progress.advance()
    targets, unresolved = _targets(cities, (province_id, name))
    payloads = [Payload({"kind": "province", "id": province_id, "name": name, "note": note}, None)]
    payloads += [
        Payload({"kind": "unresolved_city", "id": i, "name": n}, None) for i, n in unresolved
    ]
    since, until = recent_window(
        window.since, window.until, int(config.options.get("recap_days", 7))
    )
    chunks = month_chunks(since, until)
    level = str(config.options.get("level_harga_id", "3"))
    progress.add_total(len(targets) * (1 + len(chunks)))
    for city_id, target_name, code in targets:
        params = {"province_id": province_id, "city_id": city_id, "level_harga_id": level}
        response = client.request(
            "GET",
            config.options["prices_path"],
            params=params,
            label=f"prices_{city_id or 'province'}",
        )
        meta = {"kind": "prices", "city_id": city_id, "name": target_name, "region_code": code}
        meta["day"] = response_day(response.headers.get("Date"))
        payloads.append(Payload(meta, decode_json(FACT_SOURCE, response)))
        progress.advance()
        for start, end in chunks:
            body = client.get_json(
                config.options["recap_path"],
                params={"period_date": period_date(start, end), **params},
                label=f"recap_{city_id or 'province'}_{start:%Y%m}",
            )
            payloads.append(Payload({**meta, "kind": "recap", "start": start}, body))
            progress.advance()
    return payloads


def _add(
    parsed: Parsed,
    found: Found,
    window: Window,
    day: dt.date,
    region: str,
    code: str,
    value: float | None,
    raw: str,
) -> None:
    if value is None or not window.contains(day) or (day, region, code) in found:
        return
    found.add((day, region, code))
    parsed.facts.append(
        Fact(day, region, code, "price", value, commodities()[code].price_unit, raw=raw)
    )


def _parse_prices(
    payload: Payload, config: SourceConfig, window: Window, parsed: Parsed, found: Found
) -> None:
    meta = payload.meta
    where = f"the price table of {meta['name']}"
    for item in data_list(FACT_SOURCE, payload.body, where):
        commodity_id = str(first_field(item, ("id",), FACT_SOURCE, where))
        code = config.commodities.get(commodity_id)
        if code is None:
            continue
        raw = f"{meta['name']} id={commodity_id} today={item.get('today')} yesterday={item.get('yesterday')}"
        today = price_or_rejection(
            FACT_SOURCE,
            "today",
            first_field(item, ("today",), FACT_SOURCE, where),
            code,
            raw,
            parsed.rejected,
        )
        yesterday = price_or_rejection(
            FACT_SOURCE, "yesterday", item.get("yesterday"), code, raw, parsed.rejected
        )
        try:
            yesterday_day = parse_date(item.get("yesterday_date"))
        except ValueProblem as problem:
            # without yesterday_date, today is dated by the server's clock (WIB)
            _add(parsed, found, window, meta["day"], meta["region_code"], code, today, raw)
            if yesterday is not None:
                parsed.rejected.append(
                    Rejection(None, "yesterday_date", raw, problem.message_id, problem.message_en)
                )
            continue
        # the panel's "today" is the day after yesterday_date (true for every real sample row)
        _add(
            parsed,
            found,
            window,
            yesterday_day + dt.timedelta(days=1),
            meta["region_code"],
            code,
            today,
            raw,
        )
        _add(parsed, found, window, yesterday_day, meta["region_code"], code, yesterday, raw)


def _parse_recap(
    payload: Payload, config: SourceConfig, window: Window, parsed: Parsed, found: Found
) -> None:
    meta = payload.meta
    where = f"the recap series of {meta['name']} {meta['start']:%Y-%m}"
    names = {normalise_alias(k): v for k, v in config.options.get("commodity_names", {}).items()}
    for item in data_list(FACT_SOURCE, payload.body, where):
        code = names.get(normalise_alias(str(first_field(item, ("name",), FACT_SOURCE, where))))
        if code is None:
            continue
        series = first_field(item, ("by_date",), FACT_SOURCE, where)
        for point in series if isinstance(series, list) else []:
            raw = f"{meta['name']} {item.get('name')} {point}"
            try:
                day = parse_date(first_field(point, ("date",), FACT_SOURCE, where))
            except ValueProblem as problem:
                parsed.rejected.append(
                    Rejection(None, "by_date.date", raw, problem.message_id, problem.message_en)
                )
                continue
            value = price_or_rejection(
                FACT_SOURCE, "by_date.rata_rata", point.get("rata_rata"), code, raw, parsed.rejected
            )
            _add(parsed, found, window, day, meta["region_code"], code, value, raw)


def _crosswalk(meta: dict, parsed: Parsed) -> None:
    if meta["kind"] == "province":
        parsed.crosswalk.append(
            {
                "kind": "province",
                "source_id": meta["id"],
                "source_name": meta["name"],
                "code": PROVINCE_CODE,
            }
        )
        if meta["note"]:
            parsed.notes.append(meta["note"])
    elif meta["kind"] == "unresolved_city":
        parsed.crosswalk.append(
            {"kind": "region", "source_id": meta["id"], "source_name": meta["name"], "code": None}
        )
        parsed.notes.append(
            f"city '{meta['name']}' (id {meta['id']}) is not in the alias table; skipped"
        )
    elif meta["kind"] == "prices" and meta["city_id"]:
        parsed.crosswalk.append(
            {
                "kind": "region",
                "source_id": meta["city_id"],
                "source_name": meta["name"],
                "code": meta["region_code"],
            }
        )


def parse(payloads: list[Payload], config: SourceConfig, window: Window) -> Parsed:
    """Mapped commodities only; price 0 means no report; today's table first, then the recap
    series fills the other days; the id crosswalk is kept."""
    parsed = Parsed()
    found: Found = set()
    for payload in payloads:
        _crosswalk(payload.meta, parsed)
        if payload.meta["kind"] == "prices":
            _parse_prices(payload, config, window, parsed, found)
    for payload in payloads:
        if payload.meta["kind"] == "recap":
            _parse_recap(payload, config, window, parsed, found)
    for commodity_id, code in config.commodities.items():
        parsed.crosswalk.append(
            {"kind": "commodity", "source_id": commodity_id, "source_name": None, "code": code}
        )
    if not parsed.facts:
        parsed.no_data_reason = (
            "bapanas: the price tables and recap series held no price for the requested days "
            "(every price 0 or the lists empty)"
        )
    return parsed


def main(argv: list[str]) -> int:
    return source_main(sys.modules[__name__], argv)
