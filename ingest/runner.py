"""The pipeline shared by every source: fetch → archive raw → parse → validate → load.

Slow work (network, parsing) happens before the one short write transaction. A run that
fails at any step writes no fact; it is logged in ``ingest_runs`` with its message, and the
raw responses received so far stay in the archive. An answer that carries no value (a
blocked or empty source) ends as ``no_data`` with its reason, never as ``success``. Every
run's message ends with one line of diagnostics: requests, HTTP statuses, bytes, facts and
the first failing field, plus a notice when the source has been silent too long.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pandas as pd
from tqdm import tqdm

from ingest.config import Settings, SourceConfig, load_settings
from ingest.errors import IngestError
from ingest.http import HttpClient, RawArchive
from ingest.loader import LoadCounts, RunLog, commit_run, record_failed_run
from ingest.validate import Fact, Rejection, today_wib, validate_facts
from warehouse.db import WarehouseError, WarehouseMissing, read_df

NO_DATA = "no_data"


@dataclass
class Payload:
    """One decoded response and what it was asked for (city id, commodity, month...)."""

    meta: dict[str, Any]
    body: Any


@dataclass
class Parsed:
    """What a connector's parse step produced."""

    facts: list[Fact] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    crosswalk: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    no_data_reason: str = ""  # why the answers held no value, when the connector knows


class NoData(IngestError):
    """The source answered, but with no value at all (blocked, empty or nothing published)."""


@dataclass(frozen=True)
class Window:
    """The date range asked for (either end may be open)."""

    since: dt.date | None
    until: dt.date | None

    def contains(self, day: dt.date) -> bool:
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )


class Progress:
    """A tqdm bar on stderr that connectors advance per request."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.bar = tqdm(desc=label, unit="req", disable=not enabled, leave=False)

    def add_total(self, count: int) -> None:
        self.bar.total = (self.bar.total or 0) + count
        self.bar.refresh()

    def advance(self, count: int = 1) -> None:
        self.bar.update(count)

    def close(self) -> None:
        self.bar.close()


@dataclass
class RunResult:
    """The outcome reported by the CLI (``--json``) and the dashboard."""

    run_id: str
    source: str
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    errors: list[str] = field(default_factory=list)
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def committed(self) -> bool:
        return self.status == "success"

    def as_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "source": self.source,
            "status": self.status,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "errors": self.errors,
            "message": self.message,
            **self.details,
        }


def new_run_id(source: str) -> str:
    """A sortable, unique run id: ``<source>-YYYYmmddTHHMMSS-<6 hex>``."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    return f"{source}-{stamp}-{uuid.uuid4().hex[:6]}"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def finish_run(
    run: RunLog,
    facts: list[Fact],
    rejected: list[Rejection],
    *,
    crosswalk: list[dict[str, str]] | None = None,
    notes: list[str] | None = None,
    dry_run: bool = False,
    db: str | None = None,
    postprocess: Callable[[pd.DataFrame, str | None], tuple[pd.DataFrame, list[str]]] | None = None,
    row_counts: tuple[int, int, int] | None = None,
) -> tuple[RunResult, pd.DataFrame]:
    """Validate parsed facts and, unless dry-run, commit them in one transaction.

    Counts are facts unless ``row_counts`` (read, loaded, rejected input rows) is given.
    """
    checked = validate_facts(facts)
    accepted = checked.accepted
    notes = list(notes or [])
    if postprocess is not None and not accepted.empty:
        accepted, extra = postprocess(accepted, db)
        notes += extra
    all_rejected = list(rejected) + checked.rejected
    run.rows_read = len(facts) + len(rejected)
    run.rows_loaded = len(accepted)
    run.rows_rejected = len(all_rejected)
    if row_counts is not None:
        run.rows_read, run.rows_loaded, run.rows_rejected = row_counts
    if checked.duplicates_dropped:
        notes.append(f"{checked.duplicates_dropped} identical duplicate(s) merged")
    run.message = "; ".join(notes)
    counts = LoadCounts()
    if dry_run:
        run.status = "dry_run"
        run.rows_loaded = 0
    else:
        run.status = "success"
        counts = commit_run(run, accepted, all_rejected, crosswalk, db)
    result = RunResult(
        run_id=run.run_id,
        source=run.source,
        status=run.status,
        rows_read=run.rows_read,
        rows_loaded=run.rows_loaded,
        rows_rejected=run.rows_rejected,
        errors=[f"row {r.row_number}: {r.reason_en}" for r in all_rejected[:50]],
        message=run.message,
        details={
            "facts_new": counts.inserted,
            "facts_revised": counts.revised,
            "facts_unchanged": counts.unchanged,
            "facts_accepted": len(accepted),
            "facts_held": counts.held,
        },
    )
    return result, accepted


def fail_run(
    run: RunLog, exc: Exception, dry_run: bool, db: str | None, diagnostics: str = ""
) -> RunResult:
    """Turn an exception into a failed (or no_data) result and log it (not in dry-run)."""
    message = (
        str(exc)
        if isinstance(exc, IngestError | WarehouseError)
        else (f"unexpected error ({exc.__class__.__name__}): {exc}")
    )
    status = NO_DATA if isinstance(exc, NoData) else "failed"
    run.status = status
    run.message = "; ".join(part for part in (message, diagnostics) if part)
    errors = [message]
    if not dry_run:
        try:
            record_failed_run(run, db, status=status)
        except (WarehouseError, OSError) as log_exc:
            errors.append(f"the failed run could not be logged either: {log_exc}")
    return RunResult(run.run_id, run.source, status, run.rows_read, 0, 0, errors, run.message)


@dataclass
class Diagnostics:
    """What one run saw of its source, for the one-line summary."""

    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    bytes_received: int = 0
    facts: int = 0
    first_failing_field: str = ""
    silent_notice: str = ""

    @classmethod
    def of(cls, client: HttpClient | None) -> Diagnostics:
        if client is None:
            return cls()
        return cls(client.requests_made, dict(client.statuses), client.bytes_received)

    def line(self) -> str:
        statuses = ", ".join(f"{code}x{n}" for code, n in sorted(self.statuses.items())) or "-"
        text = (
            f"requests {self.requests} (HTTP {statuses}), {self.bytes_received / 1024:.1f} kB, "
            f"facts {self.facts}, first failing field: {self.first_failing_field or 'none'}"
        )
        return "; ".join(part for part in (text, self.silent_notice) if part)

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "http_statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "bytes": self.bytes_received,
            "facts": self.facts,
            "first_failing_field": self.first_failing_field,
            "silent_notice": self.silent_notice,
        }


def require_values(parsed: Parsed, fact_source: str) -> None:
    """Raise NoData when the answers held no value, IngestError when every value was refused."""
    if not parsed.facts and not parsed.rejected:
        raise NoData(
            parsed.no_data_reason
            or f"{fact_source}: the source answered but returned no value for the requested "
            f"dates (blocked, empty or not published yet)"
        )
    if not parsed.facts:
        first = parsed.rejected[0]
        raise IngestError(
            f"{fact_source}: every value was refused ({len(parsed.rejected)}); the first: "
            f"{first.column} {first.raw!r}: {first.reason_en}"
        )


def first_failing_field(exc: Exception | None, rejected: list[Rejection]) -> str:
    """The field named by a format error, else the first refused value's column and text."""
    text = str(exc) if exc is not None else ""
    if exc is not None and getattr(exc, "field", None):
        return str(exc.field)
    if "field '" in text:
        return text.split("field '", 1)[1].split("'", 1)[0]
    if rejected:
        return f"{rejected[0].column} {rejected[0].raw!r}"[:160]
    return ""


def silence_notice(
    fact_source: str,
    config: SourceConfig | None,
    db: str | None,
    newest_in_run: dt.date | None = None,
) -> str:
    """A notice when the newest fact of the source (stored, or in this run) is older than its
    ``silent_after_days``: a source that answers but has not moved on is silent too."""
    if config is None:
        return ""
    limit = int(config.options.get("silent_after_days") or 0)
    if limit <= 0:
        return ""
    try:
        stored = read_df(
            "SELECT max(date) AS d FROM facts WHERE source = ?", [fact_source], path=db
        )["d"][0]
    except WarehouseMissing:
        stored = None
    days = [pd.Timestamp(stored).date()] if stored is not None and not pd.isna(stored) else []
    days += [newest_in_run] if newest_in_run else []
    if not days:
        return f"NOTICE: {fact_source} has delivered no data yet"
    newest_day = max(days)
    silent = (today_wib() - newest_day).days
    if silent <= limit:
        return ""
    return (
        f"NOTICE: no new data from {fact_source} for {silent} days (newest {newest_day}; "
        f"alert after {limit}): check the source or enter the prices by hand"
    )


def run_source(
    connector: ModuleType,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    dry_run: bool = False,
    db: str | None = None,
    settings: Settings | None = None,
    show_progress: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> RunResult:
    """Run one connector end to end and return its result (never raises for source faults)."""
    fact_source = getattr(connector, "FACT_SOURCE", connector.SOURCE)
    run = RunLog(new_run_id(fact_source), fact_source, utc_now())
    progress = Progress(connector.SOURCE, show_progress)
    client: HttpClient | None = None
    config: SourceConfig | None = None
    rejected: list[Rejection] = []
    try:
        settings = settings or load_settings()
        config = settings.sources[connector.SOURCE]
        window = connector.default_window(since, until)
        archive = RawArchive(settings.raw_dir, connector.SOURCE, run.run_id)
        client = HttpClient(config, settings.http, archive, sleep=sleep)
        try:
            payloads = connector.fetch(client, config, window, progress)
        finally:
            client.close()
        parsed = connector.parse(payloads, config, window)
        rejected = parsed.rejected
        require_values(parsed, fact_source)
        diagnostics = Diagnostics.of(client)
        diagnostics.facts = len(parsed.facts)
        diagnostics.first_failing_field = first_failing_field(None, parsed.rejected)
        if not dry_run:
            newest = max(fact.date for fact in parsed.facts)
            diagnostics.silent_notice = silence_notice(fact_source, config, db, newest)
        parsed.notes.append(diagnostics.line())
        result, _ = finish_run(
            run,
            parsed.facts,
            parsed.rejected,
            crosswalk=parsed.crosswalk,
            notes=parsed.notes,
            dry_run=dry_run,
            db=db,
            postprocess=getattr(connector, "postprocess", None),
        )
        result.details["requests"] = client.requests_made
        result.details["raw_archive"] = str(archive.directory)
        result.details["diagnostics"] = diagnostics.as_json()
        return result
    except Exception as exc:  # noqa: BLE001 - every failure becomes a logged, readable result
        diagnostics = Diagnostics.of(client)
        diagnostics.first_failing_field = first_failing_field(exc, rejected)
        if not dry_run:
            try:
                diagnostics.silent_notice = silence_notice(fact_source, config, db)
            except WarehouseError:
                pass
        result = fail_run(run, exc, dry_run, db, diagnostics.line())
        result.details["diagnostics"] = diagnostics.as_json()
        result.details["requests"] = diagnostics.requests
        return result
    finally:
        progress.close()
