"""``python -m reports weekly``: exit codes, messages, JSON result, brief and formats."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_reports import INJECTION_REASON, TODAY, WEEK, build_warehouse, hand_made_facts

from reports.__main__ import EXIT_NO_DATA, EXIT_STALE, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cli_source(tmp_path_factory):
    path = tmp_path_factory.mktemp("reports_cli") / "warehouse.duckdb"
    build_warehouse(path, hand_made_facts(), with_alerts=True)
    return path


@pytest.fixture
def cli_db(cli_source, tmp_db):
    shutil.copyfile(cli_source, tmp_db)
    return tmp_db


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.slow
def test_subprocess_json_result_lists_the_files(cli_db, tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "JSW_DB": str(cli_db)}
    command = [sys.executable, "-m", "reports", "weekly", "--today", TODAY.isoformat()]
    result = subprocess.run(
        command + ["--out", str(out), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["week"] == WEEK.label and payload["stale"] is False
    assert payload["data_as_of"] == WEEK.sunday.isoformat()
    assert payload["rows"] == {"detail": 33, "commodities": 3, "regencies": 11}
    assert sorted(Path(f).name for f in payload["files"]) == [
        f"jsw_weekly_{name}_{WEEK.label}.csv" for name in ("commodities", "detail", "regencies")
    ]
    assert all(Path(f).is_file() for f in payload["files"])


def test_stale_data_exits_with_code_3_and_a_clear_message(cli_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JSW_STALE_DAYS", "3")
    argv = ["weekly", "--today", "2026-01-23", "--out", str(tmp_path), "--db", str(cli_db)]
    code, out, err = run(argv + ["--json"], capsys)
    assert code == EXIT_STALE
    payload = json.loads(out)
    assert payload == {
        "ok": False,
        "error": "stale",
        "message": payload["message"],
        "data_as_of": "2026-01-18",
        "age_days": 5,
        "stale": True,
    }
    assert "2026-01-18" in err and "5 hari" in err and "--allow-stale" in err
    assert not list(tmp_path.glob("*.csv"))
    code, out, _ = run(argv + ["--allow-stale", "--json"], capsys)
    assert code == 0 and json.loads(out)["stale"] is True
    manifest = json.loads((tmp_path / f"jsw_weekly_manifest_{WEEK.label}.json").read_text())
    assert manifest["stale"] is True and "data_age_days" not in manifest
    detail = (tmp_path / f"jsw_weekly_detail_{WEEK.label}.csv").read_text(encoding="utf-8-sig")
    assert detail.splitlines()[0].endswith(",data_as_of,stale")
    assert all(line.endswith(",2026-01-18,1") for line in detail.splitlines()[1:])


def test_stale_limit_option_overrides_the_environment(cli_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JSW_STALE_DAYS", "30")
    argv = ["weekly", "--today", "2026-01-23", "--out", str(tmp_path), "--db", str(cli_db)]
    assert run(argv, capsys)[0] == 0
    assert run(argv + ["--stale-days", "2"], capsys)[0] == EXIT_STALE


def test_bad_options_and_missing_warehouse_give_messages(tmp_path, capsys):
    code, _, err = run(["weekly", "--week", "2026-47", "--db", str(tmp_path / "x")], capsys)
    assert code == EXIT_USAGE and "YYYY-Www" in err
    code, _, err = run(["weekly", "--price-days", "senin", "--db", str(tmp_path / "x")], capsys)
    assert code == EXIT_USAGE and "mon-wed" in err
    code, out, err = run(["weekly", "--db", str(tmp_path / "nope.duckdb"), "--json"], capsys)
    assert code == EXIT_NO_DATA and json.loads(out)["error"] == "no_data"
    code, _, err = run(["weekly", "--today", "19-01-2026", "--db", str(tmp_path / "x")], capsys)
    assert code == EXIT_USAGE and "YYYY-MM-DD" in err
    assert run(["nonsense"], capsys)[0] == EXIT_USAGE


def test_week_previous_is_the_week_before_today(cli_db, tmp_path, capsys):
    argv = ["weekly", "--week", "previous", "--db", str(cli_db), "--out", str(tmp_path)]
    code, out, _ = run(argv + ["--today", "2026-01-20", "--json"], capsys)
    assert code == 0 and json.loads(out)["week"] == "2026-W03"
    code, out, _ = run(argv + ["--today", "2026-01-18", "--json"], capsys)
    assert code == 0 and json.loads(out)["week"] == "2026-W02"


def test_empty_warehouse_is_reported_as_no_data(tmp_db, tmp_path, capsys):
    from warehouse.db import init_warehouse

    init_warehouse(tmp_db)
    code, _, err = run(["weekly", "--db", str(tmp_db), "--out", str(tmp_path)], capsys)
    assert code == EXIT_NO_DATA and "Impor data" in err


@pytest.mark.slow
def test_excel_id_xlsx_and_price_days_options(cli_db, tmp_path, capsys):
    base = ["weekly", "--week", "2026-W03", "--today", TODAY.isoformat(), "--db", str(cli_db)]
    code, out, _ = run(base + ["--out", str(tmp_path), "--dialect", "excel-id", "--json"], capsys)
    assert code == 0
    names = sorted(Path(f).name for f in json.loads(out)["files"])
    assert names[0] == "jsw_weekly_commodities_2026-W03_excel-id.csv"
    code, out, _ = run(base + ["--out", str(tmp_path), "--format", "xlsx", "--json"], capsys)
    assert code == 0 and [Path(f).name for f in json.loads(out)["files"]] == [
        "jsw_weekly_2026-W03.xlsx"
    ]
    code, out, _ = run(base + ["--out", str(tmp_path / "p"), "--price-days", "mon-sun"], capsys)
    detail = (tmp_path / "p" / "jsw_weekly_detail_2026-W03.csv").read_text(encoding="utf-8-sig")
    assert code == 0 and ",mon-sun," in detail.splitlines()[1]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.urls += [v for k, v in attrs if k in {"src", "href"} and v]
        if tag == "script" and "src" not in values:
            self.inline_scripts += 1


def test_brief_is_self_contained_and_printable(cli_db, tmp_path, capsys):
    argv = ["weekly", "--today", TODAY.isoformat(), "--db", str(cli_db), "--out", str(tmp_path)]
    code, out, _ = run(argv + ["--brief", "--json"], capsys)
    assert code == 0
    brief = next(Path(f) for f in json.loads(out)["files"] if f.endswith(".html"))
    assert brief.name == f"jsw_weekly_brief_{WEEK.label}.html"
    text = brief.read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(text)
    external = [u for u in parser.urls if re.match(r"(?i)^\s*(https?:)?//", u)]
    assert external == []
    assert parser.inline_scripts >= 2 and "Plotly.newPlot" in text
    assert "cdn.plot.ly" not in text.split("<script")[0]
    assert '"type":"scattergeo"' not in text and '"type":"scattermap"' not in text
    assert '"type":"scatter"' in text and "@page" in text
    assert "Kota Jambi" in text and "Siaga" in text  # the regency in alert is named
    assert html.escape(INJECTION_REASON) in text  # shown as text, never as markup


def test_every_column_and_option_is_documented(cli_db):
    from reports.__main__ import weekly_parser
    from reports.weekly import build_weekly

    docs = (ROOT / "docs" / "weekly_export.md").read_text(encoding="utf-8")
    export = build_weekly(cli_db, WEEK, today=TODAY)
    columns = {c for table in export.tables.values() for c in table.columns}
    missing = sorted(c for c in columns if f"`{c}`" not in docs)
    assert not missing, f"docs/weekly_export.md lacks columns: {missing}"
    options = {o for action in weekly_parser()._actions for o in action.option_strings}
    missing = sorted(o for o in options - {"-h", "--help"} if f"`{o}`" not in docs)
    assert not missing, f"docs/weekly_export.md lacks options: {missing}"
    for setting in ("JSW_REPORT_PRICE_DAYS", "JSW_STALE_DAYS", "JSW_REPORT_DIR", "JSW_DB"):
        assert setting in docs


def test_brief_shortens_long_reasons_and_flags_stale_data(cli_db):
    from reports.brief import brief_html, shortened
    from reports.weekly import build_weekly

    long_reason = "Proyeksi ketahanan stok " * 20
    short = shortened(long_reason, limit=60)
    assert short.endswith(" …") and len(short) <= 62 and long_reason.startswith(short[:-2])
    assert shortened("pendek") == "pendek" and shortened(None) == ""
    late = WEEK.sunday.replace(day=WEEK.sunday.day + 9)
    stale = brief_html(build_weekly(cli_db, WEEK, today=late, allow_stale=True))
    assert 'class="stale"' in stale and "9 hari" in stale
    fresh = brief_html(build_weekly(cli_db, WEEK, today=TODAY))
    assert 'class="stale"' not in fresh
