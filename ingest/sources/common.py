"""Small helpers shared by the connector modules."""

from __future__ import annotations

import datetime as dt
import email.utils
from typing import Any

from ingest.config import ConfigError, SourceConfig
from ingest.errors import FetchError, missing_field
from ingest.numbers import SourceNumberError, read_price
from ingest.validate import WIB, Rejection, today_wib
from warehouse.geography import province


def data_list(source: str, body: Any, where: str, key: str = "data") -> list[dict[str, Any]]:
    """``body[key]`` as a list of objects (a bare list is accepted too), or a clear error."""
    items = (
        body
        if isinstance(body, list)
        else (body or {}).get(key)
        if isinstance(body, dict)
        else None
    )
    if not isinstance(items, list):
        raise missing_field(source, key, where)
    return [item for item in items if isinstance(item, dict)]


def first_field(item: dict[str, Any], names: tuple[str, ...], source: str, where: str) -> Any:
    """The first of several accepted field names present in ``item``, or a clear error."""
    for name in names:
        if name in item and item[name] is not None:
            return item[name]
    raise missing_field(source, "/".join(names), where)


# source section -> the field of the province table (data/provinces.csv) holding its id
PROVINCE_ID_FIELDS = {
    "bapanas": "bapanas_province_id",
    "pihps": "pihps_prov_id",
    "sp2kp": "sp2kp_code",
    "fuel": "bps_code",
}


def province_source_id(config: SourceConfig) -> str:
    """The deployment province's id in this source's own numbering: the configured override
    (``province_id``/``province_code``, JSW_* variables) or the province table's id of the
    province chosen by JSW_PROVINCE. The one place province ids are read."""
    key = "province_code" if "province_code" in config.options else "province_id"
    configured = str(config.options.get(key) or "").strip()
    if configured:
        return configured
    deployed = province()
    value = getattr(deployed, PROVINCE_ID_FIELDS.get(config.name, "bps_code"))
    if value is None or str(value).strip() == "":
        raise ConfigError(
            f"{config.name} lists no id for {deployed.name}; set [{config.name}] {key} in "
            f"ingest/sources.toml if the source has added it"
        )
    return str(value)


def province_name(config: SourceConfig) -> str:
    """The deployment province's name (resolved by name at run time where a source lists
    provinces): the configured ``province_name`` or the province table's name."""
    return str(config.options.get("province_name") or province().name)


def weekdays(since: dt.date, until: dt.date) -> list[dt.date]:
    """Monday to Friday days of [since, until] (the markets' reporting days)."""
    days = (since + dt.timedelta(days=i) for i in range((until - since).days + 1))
    return [day for day in days if day.weekday() < 5]


def previous_weekday(day: dt.date) -> dt.date:
    """The weekday before ``day`` (Friday for a Monday)."""
    day -= dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def response_day(date_header: str | None) -> dt.date:
    """The server's date (HTTP ``Date`` header) in WIB; today in WIB if absent."""
    if date_header:
        try:
            return email.utils.parsedate_to_datetime(date_header).astimezone(WIB).date()
        except (TypeError, ValueError):
            pass
    return today_wib()


def month_chunks(since: dt.date, until: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Split [since, until] into calendar-month pieces."""
    chunks = []
    start = since
    while start <= until:
        next_month = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        end = min(until, next_month - dt.timedelta(days=1))
        chunks.append((start, end))
        start = end + dt.timedelta(days=1)
    return chunks


def recent_window(
    since: dt.date | None, until: dt.date | None, days: int
) -> tuple[dt.date, dt.date]:
    """Defaults for range sources: until = today (WIB), since = until - days."""
    end = until or today_wib()
    return (since or end - dt.timedelta(days=days)), end


def price_or_rejection(
    source: str, field: str, value: object, commodity: str, raw: str, rejected: list[Rejection]
) -> float | None:
    """A price read by the source's convention and checked for plausibility; a refused value
    becomes a Rejection naming the field and the raw text (and None is returned)."""
    try:
        return read_price(source, field, value, commodity)
    except SourceNumberError as problem:
        rejected.append(Rejection(None, field, raw, problem.message_id, problem.message_en))
        return None


def blocked_statuses(exc: FetchError) -> bool:
    """True when a request was refused (HTTP 401/403): the source asks for a token or blocks us."""
    return getattr(exc, "status", None) in (401, 403)
