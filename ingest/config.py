"""Connector configuration: ``ingest/sources.toml`` with ``JSW_*`` environment overrides."""

from __future__ import annotations

import copy
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES_FILE = Path(__file__).with_name("sources.toml")
DEFAULT_RAW_DIR = ROOT / "data" / "raw"

# environment variable -> (section, key, type). JSW_PACING_SECONDS applies to every source.
ENV_OVERRIDES: dict[str, tuple[str, str, type]] = {
    "JSW_HTTP_TIMEOUT": ("http", "timeout_seconds", float),
    "JSW_HTTP_RETRIES": ("http", "retries", int),
    "JSW_HTTP_BACKOFF": ("http", "backoff_seconds", float),
    "JSW_HTTP_MAX_WAIT": ("http", "max_wait_seconds", float),
    "JSW_BAPANAS_URL": ("bapanas", "base_url", str),
    "JSW_BAPANAS_PROVINCE_ID": ("bapanas", "province_id", str),
    "JSW_PIHPS_URL": ("pihps", "base_url", str),
    "JSW_PIHPS_PROVINCE_ID": ("pihps", "province_id", str),
    "JSW_SP2KP_URL": ("sp2kp", "base_url", str),
    "JSW_SP2KP_PROVINCE_CODE": ("sp2kp", "province_code", str),
    "JSW_FUEL_URL": ("fuel", "url", str),
    "JSW_WFP_URL": ("wfp", "base_url", str),
    "JSW_WFP_MAX_MB": ("wfp", "max_mb", float),
    "JSW_UPLOAD_MAX_MB": ("upload", "max_mb", float),
    "JSW_UPLOAD_MAX_ROWS": ("upload", "max_rows", int),
}
SOURCE_SECTIONS = ("bapanas", "pihps", "sp2kp", "fuel", "wfp")


class ConfigError(ValueError):
    """The configuration file or an environment override is invalid."""


@dataclass(frozen=True)
class HttpSettings:
    """Timeouts and retry policy shared by every connector."""

    timeout_seconds: float = 30.0
    retries: int = 4
    backoff_seconds: float = 2.0
    max_wait_seconds: float = 120.0
    user_agent: str = "Mozilla/5.0"


@dataclass(frozen=True)
class SourceConfig:
    """One source: where it lives, how fast we may ask, and its id mappings."""

    name: str
    base_url: str
    pacing_seconds: float
    headers: dict[str, str] = field(default_factory=dict)
    commodities: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    def url(self, path: str = "") -> str:
        """Join the base URL and a relative path (absolute URLs pass through)."""
        if path.startswith(("http://", "https://")):
            return path
        if not path:
            return self.base_url
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


@dataclass(frozen=True)
class Settings:
    """Everything the ingest layer reads from configuration."""

    http: HttpSettings
    sources: dict[str, SourceConfig]
    upload_max_mb: float
    upload_max_rows: int
    raw_dir: Path


def _coerce(name: str, raw: str, kind: type) -> Any:
    try:
        value = kind(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a valid {kind.__name__}") from exc
    if kind in (int, float) and value < 0:
        raise ConfigError(f"{name}={raw!r} must not be negative")
    return value


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read the committed configuration, then apply JSW_* environment overrides."""
    source_file = Path(path or os.environ.get("JSW_SOURCES_FILE") or DEFAULT_SOURCES_FILE)
    try:
        data = tomllib.loads(source_file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read configuration {source_file}: {exc}") from exc
    data = copy.deepcopy(data)
    for name, (section, key, kind) in ENV_OVERRIDES.items():
        if os.environ.get(name):
            data.setdefault(section, {})[key] = _coerce(name, os.environ[name], kind)
    pacing = os.environ.get("JSW_PACING_SECONDS")
    if pacing:
        for section in SOURCE_SECTIONS:
            data.setdefault(section, {})["pacing_seconds"] = _coerce(
                "JSW_PACING_SECONDS", pacing, float
            )
    http = data.get("http", {})
    upload = data.get("upload", {})
    raw_dir = Path(os.environ.get("JSW_RAW_DIR") or DEFAULT_RAW_DIR)
    return Settings(
        http=HttpSettings(**http),
        sources={name: _source(name, data.get(name, {})) for name in SOURCE_SECTIONS},
        upload_max_mb=float(upload.get("max_mb", 10.0)),
        upload_max_rows=int(upload.get("max_rows", 20000)),
        raw_dir=raw_dir,
    )


def _source(name: str, section: dict[str, Any]) -> SourceConfig:
    options = {
        k: v
        for k, v in section.items()
        if k not in {"base_url", "url", "pacing_seconds", "headers", "commodities"}
    }
    base_url = section.get("base_url") or section.get("url")
    if not base_url:
        raise ConfigError(f"source {name!r} has no base_url/url in the configuration")
    return SourceConfig(
        name=name,
        base_url=str(base_url),
        pacing_seconds=float(section.get("pacing_seconds", 1.0)),
        headers={str(k): str(v) for k, v in section.get("headers", {}).items()},
        commodities={str(k): str(v) for k, v in section.get("commodities", {}).items()},
        options=options,
    )
