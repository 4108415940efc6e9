"""Fuel prices: Pertamina's per-province price list (JSON mirror of mypertamina.id)."""

from __future__ import annotations

import datetime as dt
import sys

import pandas as pd

from ingest.cli import source_main
from ingest.config import SourceConfig
from ingest.errors import SourceFormatError, missing_field
from ingest.http import HttpClient
from ingest.normalise import PROVINCE_CODE, commodities
from ingest.numbers import SourceNumberError, read_price
from ingest.runner import Parsed, Payload, Progress, Window
from ingest.sources.common import province_name, province_source_id
from ingest.validate import WIB, Fact
from warehouse.db import WarehouseMissing, read_df

SOURCE = "fuel"
FACT_SOURCE = "pertamina"


def default_window(since: dt.date | None, until: dt.date | None) -> Window:
    """A snapshot source: --since/--until do not apply (every run stores the current list)."""
    return Window(None, None)


def fetch(
    client: HttpClient, config: SourceConfig, window: Window, progress: Progress
) -> list[Payload]:
    """One GET of the price list."""
    progress.add_total(1)
    body = client.get_json("", label="prices")
    progress.advance()
    return [Payload({"url": config.base_url}, body)]


def _snapshot_date(data: dict) -> dt.date:
    stamp = data.get("lastUpdated")
    if not stamp:
        raise missing_field(FACT_SOURCE, "data.lastUpdated", "the fuel price list")
    try:
        moment = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        raise SourceFormatError(
            f"{FACT_SOURCE}: data.lastUpdated '{stamp}' is not an ISO timestamp"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WIB)
    return moment.astimezone(WIB).date()


def _province_entry(data: dict, config: SourceConfig) -> dict:
    providers = data.get("providers")
    if not isinstance(providers, dict):
        raise missing_field(FACT_SOURCE, "data.providers", "the fuel price list")
    provider = config.options.get("provider", "pertamina")
    entries = providers.get(provider)
    if not isinstance(entries, list):
        raise missing_field(FACT_SOURCE, f"data.providers.{provider}", "the fuel price list")
    code = province_source_id(config)
    for entry in entries:
        info = entry.get("provinceInfo") or {}
        if str(info.get("id", "")) == code:
            return entry
    raise SourceFormatError(
        f"{FACT_SOURCE}: province {code} ({province_name(config)}) is not in the {provider} price list; "
        f"the list has {len(entries)} provinces."
    )


def parse(payloads: list[Payload], config: SourceConfig, window: Window) -> Parsed:
    """Jambi's prices of the configured products, dated by the list's lastUpdated (WIB)."""
    parsed = Parsed()
    for payload in payloads:
        if not isinstance(payload.body, dict) or not isinstance(payload.body.get("data"), dict):
            raise missing_field(FACT_SOURCE, "data", "the fuel price list")
        data = payload.body["data"]
        day = _snapshot_date(data)
        if not window.contains(day):
            parsed.notes.append(f"price list dated {day} is outside the requested range")
            continue
        entry = _province_entry(data, config)
        products = entry.get("products")
        if not isinstance(products, dict):
            raise missing_field(FACT_SOURCE, "products", "Jambi's entry of the fuel price list")
        for product, code in config.commodities.items():
            if product not in products:
                raise missing_field(FACT_SOURCE, f"products.{product}", "Jambi's entry")
            value = products[product]
            parsed.facts.append(
                Fact(
                    day,
                    PROVINCE_CODE,
                    code,
                    "price",
                    _number(value, product, code),
                    commodities()[code].price_unit,
                    raw=f"{product}={value}",
                )
            )
    return parsed


def _number(value: object, product: str, code: str) -> float:
    """A JSON number within the plausible fuel price range (a misread list is refused whole)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            price = read_price(FACT_SOURCE, f"products.{product}", value, code)
        except SourceNumberError as problem:
            error = SourceFormatError(problem.message_en)
            error.field = problem.field  # shown as the run's first failing field
            raise error from None
        if price is not None:
            return price
    raise SourceFormatError(f"{FACT_SOURCE}: price of {product} is not a number: {value!r}")


def postprocess(frame: pd.DataFrame, db: str | None) -> tuple[pd.DataFrame, list[str]]:
    """Keep only price changes: a price equal to the last stored one is not a new observation."""
    try:
        last = read_df(
            "SELECT region_code, commodity, date AS last_date, value AS last_value FROM ("
            " SELECT *, row_number() OVER (PARTITION BY region_code, commodity ORDER BY date DESC)"
            " AS n FROM facts WHERE source = ? AND metric = 'price') WHERE n = 1",
            [FACT_SOURCE],
            path=db,
        )
    except WarehouseMissing:
        return frame, []
    merged = frame.merge(last, on=["region_code", "commodity"], how="left")
    last_date = pd.to_datetime(merged["last_date"]).dt.normalize()
    same_price = (merged["value"] == merged["last_value"]) & (
        last_date < pd.to_datetime(merged["date"]).dt.normalize()
    )
    kept = frame[~same_price.to_numpy()].reset_index(drop=True)
    dropped = int(same_price.sum())
    notes = (
        [f"{dropped} price(s) unchanged since the last observation, not stored"] if dropped else []
    )
    return kept, notes


def main(argv: list[str]) -> int:
    return source_main(sys.modules[__name__], argv)
