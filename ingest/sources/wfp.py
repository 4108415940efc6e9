"""WFP food prices for Indonesia: the HDX CKAN API names the current CSV (package_show),
which is streamed with a size limit; only the deployment province's rows are kept."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys

from ingest.cli import source_main
from ingest.config import SourceConfig
from ingest.errors import SourceFormatError, missing_field
from ingest.http import HttpClient
from ingest.normalise import commodities, resolve_region
from ingest.numbers import SourceNumberError, check_plausible_price, parse_source_number
from ingest.runner import Parsed, Payload, Progress, Window
from ingest.sources.common import province_name
from ingest.validate import Fact, Rejection

SOURCE = "wfp"
FACT_SOURCE = "wfp"
REQUIRED = (
    "date",
    "admin1",
    "admin2",
    "market",
    "commodity",
    "unit",
    "pricetype",
    "currency",
    "price",
)
# per-unit factors into the project's price units (Rp/kg, Rp/liter)
UNIT_FACTORS = {"KG": ("Rp/kg", 1.0), "L": ("Rp/liter", 1.0), "100 KG": ("Rp/kg", 0.01)}


def default_window(since: dt.date | None, until: dt.date | None) -> Window:
    """The CSV holds the whole history; no default range."""
    return Window(since, until)


def resource_url(body: object, config: SourceConfig) -> str:
    """The download URL of the configured resource in a CKAN ``package_show`` answer."""
    result = body.get("result") if isinstance(body, dict) else None
    resources = result.get("resources") if isinstance(result, dict) else None
    if not isinstance(resources, list):
        raise missing_field(FACT_SOURCE, "result.resources", "the HDX package_show answer")
    wanted = str(config.options.get("resource_name", "wfp_food_prices_idn.csv"))
    for resource in resources:
        if not isinstance(resource, dict):
            continue
        url = str(resource.get("url") or "")
        if resource.get("name") == wanted or url.rsplit("/", 1)[-1] == wanted:
            if not url:
                raise missing_field(FACT_SOURCE, "url", f"the HDX resource {wanted}")
            return url
    names = ", ".join(str(r.get("name")) for r in resources if isinstance(r, dict))
    raise SourceFormatError(
        f"{FACT_SOURCE}: the HDX dataset has no resource named {wanted} (it has: {names}); "
        f"update resource_name in ingest/sources.toml."
    )


def fetch(
    client: HttpClient, config: SourceConfig, window: Window, progress: Progress
) -> list[Payload]:
    """package_show for the current resource URL, then one streamed GET of the country CSV."""
    progress.add_total(2)
    dataset = str(config.options.get("dataset", "wfp-food-prices-for-indonesia"))
    body = client.get_json("package_show", params={"id": dataset}, label="package_show")
    url = resource_url(body, config)
    progress.advance()
    max_bytes = int(float(config.options.get("max_mb", 120.0)) * 1_000_000)
    response = client.request("GET", url, label="wfp_food_prices.csv", max_bytes=max_bytes)
    progress.advance()
    return [Payload({"url": url}, response.content)]


def read_rows(content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; the HXL tag row (``#date,...``) is skipped."""
    text = content.decode("utf-8-sig", errors="replace")
    if text.lstrip()[:1] == "<":
        raise SourceFormatError(f"{FACT_SOURCE}: the CSV address returned an HTML page")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    for name in REQUIRED:
        if name not in header:
            raise missing_field(FACT_SOURCE, name, "the CSV header")
    reader.fieldnames = header
    rows = []
    for row in reader:
        if str(row.get("date", "")).startswith("#"):
            continue
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    return rows


def _fact(
    line: int, row: dict[str, str], config: SourceConfig, window: Window
) -> Fact | Rejection | None:
    code = config.commodities.get(row["commodity"])
    if code is None or row["pricetype"] != config.options.get("pricetype", "Retail"):
        return None
    if (
        row["admin1"].strip().upper()
        != str(config.options.get("admin1") or province_name(config)).upper()
    ):
        return None
    raw = ",".join(row.get(k, "") for k in REQUIRED)
    try:
        day = dt.date.fromisoformat(row["date"][:10])
    except ValueError:
        return Rejection(
            line,
            "date",
            raw,
            f"tanggal '{row['date']}' tidak valid",
            f"invalid date '{row['date']}'",
        )
    if not window.contains(day):
        return None
    markets = config.options.get("markets", {})
    region = (
        markets.get(row["market"]) or resolve_region(row["admin2"]) or resolve_region(row["market"])
    )
    if region is None:
        return Rejection(
            line,
            "admin2",
            raw,
            f"wilayah '{row['admin2']}' / pasar '{row['market']}' tidak ada di tabel alias",
            f"region '{row['admin2']}' / market '{row['market']}' is not in the alias table",
        )
    unit = row["unit"].strip().upper()
    if unit not in UNIT_FACTORS or row["currency"] != config.options.get("currency", "IDR"):
        return Rejection(
            line,
            "unit",
            raw,
            f"satuan '{row['unit']}' {row['currency']} tidak didukung",
            f"unit '{row['unit']}' {row['currency']} is not supported",
        )
    price_unit, factor = UNIT_FACTORS[unit]
    if commodities()[code].price_unit != price_unit:
        return Rejection(
            line,
            "unit",
            raw,
            f"satuan '{row['unit']}' tidak cocok dengan {code}",
            f"unit '{row['unit']}' does not match {code}",
        )
    item = commodities()[code]
    try:
        value = parse_source_number(FACT_SOURCE, "price", row["price"])
        if value is None:
            return None
        value = check_plausible_price(
            FACT_SOURCE, "price", row["price"], value * factor, item.category, price_unit
        )
    except SourceNumberError as problem:
        return Rejection(line, "price", raw, problem.message_id, problem.message_en)
    return Fact(day, region, code, "price", value, price_unit, line, raw)


def parse(payloads: list[Payload], config: SourceConfig, window: Window) -> Parsed:
    """Retail IDR prices of Jambi markets for the configured commodities."""
    parsed = Parsed()
    province = str(config.options.get("admin1") or province_name(config))
    province_rows = 0
    for payload in payloads:
        for line, row in read_rows(payload.body):
            province_rows += row["admin1"].strip().upper() == province.upper()
            item = _fact(line, row, config, window)
            if isinstance(item, Fact):
                parsed.facts.append(item)
            elif isinstance(item, Rejection):
                parsed.rejected.append(item)
    if not province_rows:
        parsed.no_data_reason = (
            f"{FACT_SOURCE}: the WFP file has no row for {province} (WFP publishes no market of "
            f"this province today); nothing to store"
        )
    elif not parsed.facts:
        parsed.no_data_reason = (
            f"{FACT_SOURCE}: {province_rows} row(s) for {province}, none of a mapped commodity "
            f"in the requested dates"
        )
    return parsed


def main(argv: list[str]) -> int:
    return source_main(sys.modules[__name__], argv)
