"""Small helpers shared by the connector modules."""

from __future__ import annotations

import datetime as dt
import email.utils
from typing import Any

from ingest.errors import missing_field
from ingest.validate import WIB, today_wib


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
