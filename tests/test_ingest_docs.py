"""docs/ingest.md documents every ingest command, option and JSW_* setting of the ingest layer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.__main__ import COMMANDS
from ingest.__main__ import main as ingest_main

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "ingest.md").read_text(encoding="utf-8")
MY_COMMANDS = ["bapanas", "pihps", "sp2kp", "fuel", "wfp", "file", "all"]


@pytest.mark.parametrize("command", MY_COMMANDS)
def test_every_option_is_documented(command, capsys):
    assert command in COMMANDS
    with pytest.raises(SystemExit) as info:
        ingest_main([command, "--help"])
    assert info.value.code == 0
    options = set(re.findall(r"(--[a-z][a-z-]+)", capsys.readouterr().out)) - {"--help"}
    assert options, command
    assert f"python -m ingest {command}" in DOC
    missing = sorted(o for o in options if o not in DOC)
    assert not missing, f"docs/ingest.md lacks {missing} of {command}"


def test_every_setting_is_documented():
    used: set[str] = set()
    for path in list((ROOT / "ingest").rglob("*.py")) + [ROOT / "warehouse" / "health_queries.py"]:
        used |= set(re.findall(r"\bJSW_[A-Z0-9_]+\b", path.read_text(encoding="utf-8")))
    assert "JSW_UPLOAD_MAX_MB" in used
    missing = sorted(name for name in used if f"`{name}`" not in DOC)
    assert not missing, f"docs/ingest.md lacks {missing}"
