"""The folder tree is the architecture: imports point one way and pages stay thin scripts."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PACKAGES = {
    "app",
    "pages",
    "ui",
    "warehouse",
    "ingest",
    "forecasting",
    "reports",
    "seasons",
    "demo",
}
HEAVY_OR_NETWORK = {"duckdb", "requests", "statsmodels", "subprocess", "urllib3", "httpx"}

# package -> project packages it must never import
FORBIDDEN_PROJECT_IMPORTS = {
    "app": {"ingest", "forecasting", "reports", "pages"},
    "pages": {"ingest", "forecasting", "reports", "pages"},
    "ui": {"ingest", "forecasting", "reports", "pages"},
    "warehouse": {"ingest", "forecasting", "reports", "ui", "pages", "seasons"},
    "ingest": {"forecasting", "reports", "ui", "pages"},
    "forecasting": {"ingest", "reports", "ui", "pages"},
    "reports": {"ingest", "forecasting", "ui", "pages"},
    "seasons": {"ingest", "forecasting", "reports", "ui", "pages", "warehouse"},
    "demo": {"forecasting", "reports", "ui", "pages"},
}
# package -> third-party modules it must never import
FORBIDDEN_LIBRARIES = {
    "app": HEAVY_OR_NETWORK,
    "pages": HEAVY_OR_NETWORK,
    "ui": HEAVY_OR_NETWORK - {"subprocess"},
    "warehouse": {"streamlit", "requests", "statsmodels", "plotly"},
    "reports": {"streamlit", "statsmodels"},
    "ingest": {"streamlit", "statsmodels"},
    "forecasting": {"streamlit", "requests"},
    "seasons": {"streamlit", "requests", "statsmodels", "duckdb"},
    "demo": {"streamlit", "requests", "statsmodels"},
}
PAGE_MAX_LINES = 100
APP_MAX_LINES = 40


def python_files(package: str) -> list[Path]:
    if package == "app":
        return [ROOT / "app.py"]
    folder = ROOT / package
    return sorted(folder.rglob("*.py")) if folder.is_dir() else []


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant):
                names.add(str(node.args[0].value))
    return {name.split(".")[0] for name in names}


def violations_for(package: str) -> list[str]:
    found = []
    banned = FORBIDDEN_PROJECT_IMPORTS[package] | FORBIDDEN_LIBRARIES[package]
    for path in python_files(package):
        bad = sorted(imported_modules(path) & banned)
        if bad:
            found.append(f"{path.relative_to(ROOT)} imports {', '.join(bad)}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN_PROJECT_IMPORTS))
def test_imports_point_one_way(package):
    assert not violations_for(package)


def test_scanner_detects_a_forbidden_import(tmp_path):
    sample = tmp_path / "page.py"
    sample.write_text("import duckdb\nfrom forecasting.batch import run\n", encoding="utf-8")
    assert imported_modules(sample) == {"duckdb", "forecasting"}


def page_files() -> list[Path]:
    return sorted((ROOT / "pages").glob("*.py"))


def test_pages_exist():
    names = {p.stem for p in page_files()}
    assert {"ringkasan", "kabupaten"} <= names


@pytest.mark.parametrize("page", page_files(), ids=lambda p: p.name)
def test_page_is_a_thin_script(page):
    text = page.read_text(encoding="utf-8")
    tree = ast.parse(text)
    assert len(text.splitlines()) <= PAGE_MAX_LINES, f"{page.name} is longer than {PAGE_MAX_LINES}"
    helpers = [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    assert not helpers, f"{page.name} defines helpers {helpers}: move them to ui/"
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    sql = [
        s
        for s in strings
        if isinstance(s, str) and re.search(r"\bSELECT\b.+\bFROM\b", s, re.I | re.S)
    ]
    assert not sql, f"{page.name} contains SQL: use a function in warehouse/queries.py"


@pytest.mark.parametrize("page", page_files(), ids=lambda p: p.name)
def test_widget_keys_are_prefixed_by_page(page):
    prefix = page.stem.split("_")[0] + "_"
    keys = re.findall(r"\bkey=\"([^\"]+)\"", page.read_text(encoding="utf-8"))
    wrong = [k for k in keys if not k.startswith(prefix)]
    assert not wrong, f"{page.name}: keys {wrong} should start with {prefix!r}"


def test_app_is_a_short_router():
    text = (ROOT / "app.py").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= APP_MAX_LINES
    assert "st.navigation" in text and ".run()" in text


def test_every_page_file_is_routed():
    from ui.navigation import PAGES

    routed = {path for path, *_ in PAGES}
    assert {f"pages/{p.name}" for p in page_files()} <= routed


def test_dashboard_doc_covers_every_page_and_setting():
    doc = (ROOT / "docs" / "dashboard.md").read_text(encoding="utf-8")
    missing = [f"pages/{p.name}" for p in page_files() if f"pages/{p.name}" not in doc]
    used: set[str] = set()
    for path in [ROOT / "app.py", *python_files("pages"), *python_files("ui")]:
        used |= set(re.findall(r"\bJSW_[A-Z0-9_]+\b", path.read_text(encoding="utf-8")))
    missing += sorted(v for v in used if v not in doc)
    assert not missing, f"docs/dashboard.md lacks {missing}"
