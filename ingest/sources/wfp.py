"""WFP food prices for Indonesia (HDX CSV): all three published layouts."""

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
from ingest.runner import Parsed, Payload, Progress, Window
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


def fetch(
    client: HttpClient, config: SourceConfig, window: Window, progress: Progress
) -> list[Payload]:
    """One GET of the country CSV."""
    progress.add_total(1)
    response = client.request("GET", "", label="wfp_food_prices_idn.csv")
    progress.advance()
    return [Payload({"url": config.base_url}, response.content)]


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
    if row["admin1"].strip().upper() != str(config.options.get("admin1", "Jambi")).upper():
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
    try:
        value = float(row["price"]) * factor
    except ValueError:
        return Rejection(
            line,
            "price",
            raw,
            f"harga '{row['price']}' bukan angka",
            f"price '{row['price']}' is not a number",
        )
    return Fact(day, region, code, "price", value, price_unit, line, raw)


def parse(payloads: list[Payload], config: SourceConfig, window: Window) -> Parsed:
    """Retail IDR prices of Jambi markets for the configured commodities."""
    parsed = Parsed()
    for payload in payloads:
        for line, row in read_rows(payload.body):
            item = _fact(line, row, config, window)
            if isinstance(item, Fact):
                parsed.facts.append(item)
            elif isinstance(item, Rejection):
                parsed.rejected.append(item)
    return parsed


def main(argv: list[str]) -> int:
    return source_main(sys.modules[__name__], argv)
