"""The README documents every CLI command, every page and every JSW_* setting, and CI runs
exactly the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE_DIRS = ("app.py", "pages", "ui", "warehouse", "ingest", "forecasting", "reports", "seasons")


def _python_files() -> list[Path]:
    files: list[Path] = []
    for name in CODE_DIRS:
        path = ROOT / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return files


def _fenced_block_after(heading: str) -> str:
    section = README.split(heading, 1)[1]
    return re.search(r"```(?:bash|sh)?\n(.*?)```", section, re.S).group(1).strip()


def test_ci_runs_the_readme_test_command():
    command = _fenced_block_after("## Run the tests")
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_run_command_starts_the_dashboard():
    command = _fenced_block_after("## Run the dashboard")
    assert "pip install -r requirements.txt" in command and "streamlit run app.py" in command


def test_every_ingest_command_is_documented():
    from ingest.__main__ import COMMANDS

    missing = [c for c in COMMANDS if f"python -m ingest {c}" not in README]
    assert not missing, f"README lacks: {missing}"


def test_every_cli_subcommand_is_documented():
    missing = []
    for package in ("forecasting", "reports"):
        main = ROOT / package / "__main__.py"
        if not main.exists():
            continue
        text = main.read_text(encoding="utf-8")
        names = set(re.findall(r"add_parser\(\s*\"([a-z_-]+)\"", text))
        names |= set(re.findall(r"^\s+\"([a-z_-]+)\": \(", text, re.M))
        missing += [f"{package} {n}" for n in names if f"python -m {package} {n}" not in README]
    assert not missing, f"README lacks: {missing}"


def test_every_page_is_documented():
    pages = sorted((ROOT / "pages").glob("*.py"))
    assert pages, "no pages found"
    missing = [p.name for p in pages if f"pages/{p.name}" not in README]
    assert not missing, f"README lacks pages: {missing}"


def test_every_setting_is_documented():
    used: set[str] = set()
    for path in _python_files():
        used |= set(re.findall(r"\bJSW_[A-Z0-9_]+\b", path.read_text(encoding="utf-8")))
    missing = sorted(v for v in used if v not in README)
    assert not missing, f"README lacks settings: {missing}"
