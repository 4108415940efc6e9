"""Run ingest / forecasting / reports command-line programs from the dashboard.

Pages never import those packages: they start ``python -m MODULE ... --json`` as a
subprocess and read its machine-readable output. One helper, with a timeout and a message a
liaison officer can act on when something fails.
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
ALLOWED_MODULES = {"ingest", "forecasting", "reports"}
DEFAULT_TIMEOUT_SECONDS = 600.0


@dataclass
class JobResult:
    """Outcome of one CLI run: ``data`` is the parsed JSON result (or None)."""

    ok: bool
    returncode: int
    data: Any = None
    message: str = ""
    stderr: str = ""
    lines: list[dict[str, Any]] = field(default_factory=list)


def _command(module: str, args: Sequence[str]) -> list[str]:
    if module not in ALLOWED_MODULES:
        raise ValueError(f"not a project command: {module}")
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


def parse_result(stdout: str) -> Any:
    """The JSON result of a ``--json`` run: the whole output, else its last JSON line."""
    text = stdout.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        lines = parse_json_lines(text)
        return lines[-1] if lines else None


def _failure_message(module: str, returncode: int, data: Any, stderr: str) -> str:
    if isinstance(data, dict):
        for key in ("error", "message", "detail"):
            if data.get(key):
                return str(data[key])
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    if any(line.startswith("Traceback") for line in lines):
        lines = lines[-1:]  # the exception itself, not the stack
    detail = " | ".join(lines[:2]) if lines else f"exit code {returncode}"
    return f"python -m {module} failed: {detail}"


def run_cli(
    module: str,
    args: Sequence[str],
    *,
    db: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> JobResult:
    """Run ``python -m module args`` and parse its JSON output."""
    try:
        done = subprocess.run(
            _command(module, args),
            cwd=ROOT,
            env=_environment(db),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return JobResult(False, -1, message=f"python -m {module} took longer than {timeout:.0f} s")
    data = parse_result(done.stdout)
    ok = done.returncode == 0
    message = "" if ok else _failure_message(module, done.returncode, data, done.stderr)
    if ok and isinstance(data, dict) and data.get("message"):
        message = str(data["message"])
    return JobResult(ok, done.returncode, data, message, done.stderr)


def stream_cli(
    module: str,
    args: Sequence[str],
    on_line: Callable[[dict[str, Any]], None],
    *,
    db: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> JobResult:
    """Run a CLI that prints JSON progress lines, calling ``on_line`` for each one."""
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
    return JobResult(ok, process.returncode, data, message, stderr, lines)


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
