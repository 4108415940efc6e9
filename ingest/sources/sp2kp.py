"""SP2KP (Kemendag): daily average prices per regency (export-area-daily-json)."""

from __future__ import annotations

import datetime as dt
import sys

from ingest.cli import source_main
from ingest.config import SourceConfig
from ingest.errors import SourceFormatError
from ingest.http import HttpClient
from ingest.normalise import ValueProblem, commodities, parse_date, region_lookup, resolve_region
from ingest.runner import Parsed, Payload, Progress, Window
from ingest.sources.common import data_list, first_field, month_chunks, recent_window
from ingest.validate import Fact, Rejection
from warehouse.reference import normalise_alias

SOURCE = "sp2kp"
FACT_SOURCE = "sp2kp"
DEFAULT_DAYS = 7
NAME_FIELDS = ("nama", "name", "nama_variant", "variant", "nama_kab_kota", "kab_kota")
CODE_FIELDS = ("kode_kab_kota", "kode", "id")


def default_window(since: dt.date | None, until: dt.date | None) -> Window:
    """Default: the last seven days."""
    return Window(*recent_window(since, until, DEFAULT_DAYS))


def resolve_variants(client: HttpClient, config: SourceConfig) -> dict[str, tuple[str, str]]:
    """variant id -> (variant name, commodity code) for the configured variant names."""
    wanted = {normalise_alias(k): v for k, v in config.commodities.items()}
    body = client.get_json(config.options["variants_path"], label="variants")
    found: dict[str, tuple[str, str]] = {}
    for item in data_list(FACT_SOURCE, body, "the variant list"):
        name = str(first_field(item, NAME_FIELDS, FACT_SOURCE, "the variant list"))
        code = wanted.get(normalise_alias(name))
        if code:
            found[str(first_field(item, ("id", "variant_id"), FACT_SOURCE, "the variant list"))] = (
                name,
                code,
            )
    if not found:
        raise SourceFormatError(
            f"{FACT_SOURCE}: none of the configured variants ({', '.join(config.commodities)}) "
            f"is in the variant list; update [sp2kp.commodities] in ingest/sources.toml."
        )
    return found


def resolve_regencies(client: HttpClient, config: SourceConfig) -> list[tuple[str, str]]:
    """(BPS code, name) of the province's regencies as SP2KP lists them."""
    path = config.options["regencies_path"].format(
        province_code=config.options.get("province_code", "15")
    )
    body = client.get_json(path, label="regencies")
    known = set(region_lookup().values())
    regencies = []
    for item in data_list(FACT_SOURCE, body, "the regency list"):
        code = str(first_field(item, CODE_FIELDS, FACT_SOURCE, "the regency list"))
        name = str(first_field(item, NAME_FIELDS, FACT_SOURCE, "the regency list"))
        regencies.append((code if code in known else (resolve_region(name) or code), name))
    if not regencies:
        raise SourceFormatError(f"{FACT_SOURCE}: the regency list is empty")
    return regencies


def fetch(
    client: HttpClient, config: SourceConfig, window: Window, progress: Progress
) -> list[Payload]:
    """Variants and regencies first, then one POST per regency and month."""
    progress.add_total(2)
    variants = resolve_variants(client, config)
    progress.advance()
    regencies = resolve_regencies(client, config)
    progress.advance()
    chunks = month_chunks(window.since, window.until)
    payloads = [Payload({"kind": "variants", "variants": variants, "regencies": regencies}, None)]
    progress.add_total(len(regencies) * len(chunks))
    for code, name in regencies:
        for start, end in chunks:
            form = {
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "level": config.options.get("level", "2"),
                "variant_ids": ",".join(variants),
                "kode_provinsi": config.options.get("province_code", "15"),
                "kode_kab_kota": code,
                "pasar_id": "",
                "skip_sat_sun": "false",
                "tipe_komoditas": "1",
            }
            body = client.post_json(
                config.options["prices_path"], data=form, label=f"{code}_{start:%Y%m}"
            )
            payloads.append(
                Payload({"kind": "prices", "region_code": code, "name": name, "start": start}, body)
            )
            progress.advance()
    return payloads


def parse(payloads: list[Payload], config: SourceConfig, window: Window) -> Parsed:
    """One price per variant, regency and day; harga 0 or empty means no report."""
    parsed = Parsed()
    variants: dict[str, tuple[str, str]] = {}
    known = set(region_lookup().values())
    for payload in payloads:
        meta = payload.meta
        if meta["kind"] == "variants":
            variants = meta["variants"]
            for vid, (name, code) in variants.items():
                parsed.crosswalk.append(
                    {"kind": "commodity", "source_id": vid, "source_name": name, "code": code}
                )
            for code, name in meta["regencies"]:
                parsed.crosswalk.append(
                    {
                        "kind": "region",
                        "source_id": code,
                        "source_name": name,
                        "code": code if code in known else None,
                    }
                )
            continue
        where = f"export-area-daily-json {meta['name']} {meta['start']:%Y-%m}"
        for item in data_list(FACT_SOURCE, payload.body, where):
            vid = str(first_field(item, ("variant_id",), FACT_SOURCE, where))
            if vid not in variants:
                continue
            code = variants[vid][1]
            prices = first_field(item, ("daftarHarga",), FACT_SOURCE, where)
            for entry in prices if isinstance(prices, list) else []:
                raw = f"{meta['name']} variant {vid} {entry}"
                harga = first_field(entry, ("harga",), FACT_SOURCE, where)
                if harga in (None, "", 0, "0", "-"):
                    continue
                try:
                    day = parse_date(first_field(entry, ("tanggal", "date"), FACT_SOURCE, where))
                    value = float(harga)
                except (ValueProblem, ValueError) as problem:
                    reason = getattr(problem, "message_en", f"harga {harga!r} is not a number")
                    parsed.rejected.append(
                        Rejection(
                            None, "daftarHarga", raw, getattr(problem, "message_id", reason), reason
                        )
                    )
                    continue
                if window.contains(day):
                    parsed.facts.append(
                        Fact(
                            day,
                            meta["region_code"],
                            code,
                            "price",
                            value,
                            commodities()[code].price_unit,
                            raw=raw,
                        )
                    )
    return parsed


def main(argv: list[str]) -> int:
    return source_main(sys.modules[__name__], argv)
