"""The two long jobs the dashboard starts as child processes, with live progress.

Everything else the dashboard writes goes through ``services`` in process. Only the
first-start demo build (``python -m ingest demo --progress-json``) and the forecasting batch
(``python -m forecasting run --json``) run as child processes: they take minutes, and they
print JSON progress lines (``{"step", "done", "total"}``) that move the progress bar.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LONG_JOBS = {("ingest", "demo"), ("forecasting", "run")}
DEFAULT_TIMEOUT_SECONDS = 1800.0


@dataclass
class JobResult:
    """Outcome of one long job: ``data`` is its last JSON line (the summary) or None."""

    ok: bool
    returncode: int
    data: Any = None
    message: str = ""
    lines: list[dict[str, Any]] = field(default_factory=list)


def _command(module: str, args: Sequence[str]) -> list[str]:
    if not args or (module, str(args[0])) not in LONG_JOBS:
        raise ValueError(f"not a long job: {module} {' '.join(map(str, args[:1]))}")
    return [sys.executable, "-m", module, *[str(a) for a in args]]


def _environment(db: str | os.PathLike[str] | None) -> dict[str, str]:
    env = dict(os.environ)
    if db is not None:
        env["JSW_DB"] = str(db)
    env.setdefault("PYTHONPATH", str(ROOT))
    return env


def parse_json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of ``text`` that is a JSON object, in order (other lines are ignored)."""
    items: list[dict[str, Any]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            items.append(value)
    return items


def _failure_message(module: str, returncode: int, data: Any, stderr: str) -> str:
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    last = [line.strip() for line in stderr.strip().splitlines() if line.strip()][-1:]
    return f"python -m {module}: {last[0] if last else f'exit code {returncode}'}"


def stream_cli(
    module: str,
    args: Sequence[str],
    on_line: Callable[[dict[str, Any]], None],
    *,
    db: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> JobResult:
    """Run a long job, calling ``on_line`` for each JSON progress line it prints."""
    lines: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    with (
        tempfile.TemporaryFile("w+") as err,
        subprocess.Popen(
            _command(module, args),
            cwd=ROOT,
            env=_environment(db),
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        ) as process,
    ):
        assert process.stdout is not None
        for raw in process.stdout:
            for item in parse_json_lines(raw):
                lines.append(item)
                on_line(item)
            if time.monotonic() > deadline:
                process.kill()
                return JobResult(
                    False, -1, message=f"python -m {module} took longer than {timeout:.0f} s"
                )
        process.wait()
        err.seek(0)
        stderr = err.read()
    data = lines[-1] if lines else None
    ok = process.returncode == 0
    message = "" if ok else _failure_message(module, process.returncode, data, stderr)
    return JobResult(ok, process.returncode, data, message, lines)


def progress_fraction(item: dict[str, Any]) -> float | None:
    """A 0..1 fraction from a progress line (``progress``/``fraction`` or ``done``/``total``)."""
    for key in ("progress", "fraction", "pct"):
        if isinstance(item.get(key), int | float):
            value = float(item[key])
            return max(0.0, min(1.0, value / 100 if value > 1 else value))
    for done_key, total_key in (("done", "total"), ("step", "steps"), ("current", "total")):
        done, total = item.get(done_key), item.get(total_key)
        if isinstance(done, int | float) and isinstance(total, int | float) and total:
            return max(0.0, min(1.0, float(done) / float(total)))
    return None
