"""The one HTTP client of the ingest layer.

Timeouts, retries with exponential backoff that honour ``Retry-After`` on 429 and 5xx,
per-source pacing, the headers each source needs, and every raw response archived
(gzip-compressed) under its run id.
"""

from __future__ import annotations

import email.utils
import gzip
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import urllib3

from ingest.config import HttpSettings, SourceConfig
from ingest.errors import FetchError, SourceFormatError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A whole response body must arrive within this many times the per-read timeout.
BODY_DEADLINE_FACTOR = 4


class RawArchive:
    """Compressed copies of every response of one run: ``<root>/<source>/<run_id>/``."""

    def __init__(self, root: Path, source: str, run_id: str) -> None:
        self.directory = Path(root) / source / run_id
        self.count = 0

    def save(self, label: str, url: str, status: int, headers: dict[str, str], body: bytes) -> Path:
        """Write one response body and append its description to ``manifest.jsonl``."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.count += 1
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", label)[:80] or "response"
        path = self.directory / f"{self.count:04d}_{safe}.gz"
        with gzip.open(path, "wb") as handle:
            handle.write(body)
        entry = {
            "file": path.name,
            "url": url,
            "status": status,
            "content_type": headers.get("Content-Type", ""),
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with open(self.directory / "manifest.jsonl", "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
        return path


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Parse a Retry-After header (delta seconds or an HTTP date) into seconds."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class BodyTooLarge(SourceFormatError):
    """A response body grew past the size limit set for it."""


def read_body_within(
    response: requests.Response, seconds: float, max_bytes: int | None = None
) -> None:
    """Read the whole body of a streamed response, or raise ``requests.Timeout`` after
    ``seconds``: the per-read timeout alone never ends a server that drips a byte at a time.
    With ``max_bytes``, stop reading (and raise BodyTooLarge) once the body exceeds it."""
    deadline = time.monotonic() + seconds
    chunks = []
    size = 0
    too_large = False
    try:
        for chunk in response.iter_content(chunk_size=65536):
            chunks.append(chunk)
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                too_large = True
                raise BodyTooLarge(
                    f"{response.url} sent more than {max_bytes / 1e6:.1f} MB, the limit set for "
                    f"it; the download was stopped. Raise the limit in ingest/sources.toml if "
                    f"the file has legitimately grown."
                )
            if time.monotonic() > deadline:
                raise requests.Timeout(
                    f"the response body was still arriving after {seconds:.0f} s (slow drip)"
                )
    finally:
        if too_large or time.monotonic() > deadline:
            response.close()
    response._content = b"".join(chunks)
    response._content_consumed = True


def timed_out(exc: requests.RequestException) -> bool:
    """A timeout, including a read that timed out while the body streamed in (``requests``
    re-raises that one as a ``ConnectionError`` wrapping urllib3's ``ReadTimeoutError``)."""
    if isinstance(exc, requests.Timeout):
        return True
    cause = exc.args[0] if exc.args else None
    return isinstance(cause, urllib3.exceptions.ReadTimeoutError)


class HttpClient:
    """A polite session for one source: pacing, retries, archive, clear errors."""

    def __init__(
        self,
        source: SourceConfig,
        settings: HttpSettings,
        archive: RawArchive | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.source = source
        self.settings = settings
        self.archive = archive
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": settings.user_agent, **source.headers})
        self.session.headers.update(secret_headers(source))
        self._last_request = 0.0
        self.requests_made = 0
        self.statuses: Counter[int] = Counter()
        self.bytes_received = 0

    def _pace(self) -> None:
        wait = self.source.pacing_seconds - (time.monotonic() - self._last_request)
        if self._last_request and wait > 0:
            self.sleep(wait)
        self._last_request = time.monotonic()

    def request(
        self,
        method: str,
        path: str = "",
        *,
        params: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        multipart: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        label: str = "",
        max_bytes: int | None = None,
    ) -> requests.Response:
        """Send one request with retries; return the successful response or raise FetchError.

        ``data`` is sent as a URL-encoded form, ``multipart`` as multipart/form-data (the way
        a browser's FormData is sent); ``max_bytes`` caps the body size."""
        url = self.source.url(path)
        files = {k: (None, str(v)) for k, v in multipart.items()} if multipart else None
        attempts = self.settings.retries + 1
        last_problem = ""
        last_status: int | None = None
        for attempt in range(attempts):
            self._pace()
            self.requests_made += 1
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    files=files,
                    headers=headers,
                    timeout=self.settings.timeout_seconds,
                    stream=True,
                )
                read_body_within(
                    response, self.settings.timeout_seconds * BODY_DEADLINE_FACTOR, max_bytes
                )
            except (
                requests.Timeout,
                requests.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                kind = "timed out" if timed_out(exc) else "connection failed"
                last_problem = f"{kind} ({exc.__class__.__name__})"
                delay = self._backoff(attempt)
            else:
                self.statuses[response.status_code] += 1
                self.bytes_received += len(response.content)
                self._archive(label or path or "response", response)
                if response.status_code < 400:
                    return response
                last_status = response.status_code
                last_problem = f"HTTP {response.status_code}{status_hint(response.status_code)}"
                if response.status_code not in RETRY_STATUSES:
                    break
                delay = self._delay_for(response, attempt)
            if attempt + 1 < attempts:
                self.sleep(delay)
        error = FetchError(
            f"{self.source.name}: {method} {url} failed after {attempt + 1} attempt(s): "
            f"{last_problem}. Try again later; if it persists, check the source address "
            f"(configuration or JSW_* override)."
        )
        error.status = last_status
        raise error

    def _backoff(self, attempt: int) -> float:
        return self.settings.backoff_seconds * (2**attempt)

    def _delay_for(self, response: requests.Response, attempt: int) -> float:
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is None:
            return self._backoff(attempt)
        if asked > self.settings.max_wait_seconds:
            raise FetchError(
                f"{self.source.name}: {response.url} answered HTTP {response.status_code} and asks "
                f"us to wait {asked:.0f} s, longer than the allowed {self.settings.max_wait_seconds:.0f} s "
                f"(JSW_HTTP_MAX_WAIT). Run again later."
            )
        return asked

    def _archive(self, label: str, response: requests.Response) -> None:
        if self.archive is not None:
            self.archive.save(
                label, response.url, response.status_code, dict(response.headers), response.content
            )

    def close(self) -> None:
        """Release the session's connections."""
        self.session.close()

    def get_json(self, path: str = "", **kwargs: Any) -> Any:
        """GET and decode JSON, refusing HTML error pages served with status 200."""
        return decode_json(self.source.name, self.request("GET", path, **kwargs))

    def post_json(self, path: str = "", **kwargs: Any) -> Any:
        """POST a form and decode the JSON answer."""
        return decode_json(self.source.name, self.request("POST", path, **kwargs))


def status_hint(status: int) -> str:
    """A plain-language reading of an HTTP status that means "not allowed"."""
    if status in (401, 403):
        return " (access refused: the source asks for a token or blocks this address)"
    return ""


def secret_headers(source: SourceConfig) -> dict[str, str]:
    """An API key read from the environment variable the configuration names (never stored
    in the repository), sent under the configured header; empty when the variable is unset."""
    variable = str(source.options.get("api_key_env") or "")
    key = os.environ.get(variable, "").strip() if variable else ""
    if not key:
        return {}
    return {str(source.options.get("api_key_header") or "x-api-key"): key}


def decode_json(source: str, response: requests.Response) -> Any:
    """Decode a JSON body or raise a SourceFormatError that says what came back instead."""
    text = response.text.lstrip("\ufeff").lstrip()
    content_type = response.headers.get("Content-Type", "")
    if "html" in content_type.lower() or text[:1] == "<":
        raise SourceFormatError(
            f"{source}: {response.url} returned an HTML page instead of JSON (status "
            f"{response.status_code}). The site may be blocking us or showing an error page; "
            f"try again later."
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            f"{source}: {response.url} returned malformed JSON ({exc.msg} at position {exc.pos}). "
            f"The raw response is kept in the run's archive."
        ) from exc
