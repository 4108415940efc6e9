"""Security: parameterised SQL, no code execution on user data, safe XLSX reading, secrets
never shown, writes only for logged-in officers (checked anonymously), audited writes and
exports that neutralise formula injection."""

from __future__ import annotations

import ast
import hashlib
import io
import zipfile
from pathlib import Path

import bcrypt
import duckdb
import openpyxl
import pandas as pd
import pytest
import streamlit as st

from ingest.tables import read_xlsx
from reports.writers import csv_bytes, xlsx_bytes
from tests.page_support import serve_through_app
from ui import actions
from warehouse import audit, queries

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pages", "ui", "services", "warehouse", "ingest", "forecasting", "reports", "seasons")
SOURCES = [ROOT / "app.py", *[p for d in PACKAGES for p in sorted((ROOT / d).rglob("*.py"))]]
# Identifiers (never values) that code may put into SQL text: table and column lists from constants.
SQL_IDENTIFIER_NAMES = {"table", "columns", "names", "column", "key"}
# The only functions whose output may be formatted into SQL text: warehouse.parts quotes every
# name and literal it writes (view text over sealed parts cannot take parameters).
SQL_BUILDERS = {
    "current_table", "parquet_source", "key_match", "sql_literal", "sql_identifier",
    "sealed_view_sql",
}  # fmt: skip
HOSTILE_NAMES = [
    "Kota Jambi' OR '1'='1",
    "'); DROP TABLE facts; --",
    'O"Brien; DELETE FROM audit_log',
    "1571\\'; SELECT * FROM regions --",
]
PASSWORD = "rahasia-petugas-42"
HASH = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
FORMULAS = ['=HYPERLINK("http://x","klik")', "+1+1", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0"]


def _calls(tree: ast.AST):
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return f"{_name(func.value)}.{func.attr}"
    return ""


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_sql_values_are_always_parameters(path):
    """No value is formatted into SQL text; only identifier lists from code constants."""
    for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(call.func, ast.Attribute) and call.func.attr in {"execute", "sql"}):
            if _name(call.func) != "read_df":
                continue
        if not call.args:
            continue
        sql = call.args[0]
        assert not isinstance(sql, ast.BinOp), f"{path}:{call.lineno} SQL built with + or %"
        assert not (isinstance(sql, ast.Call) and _name(sql.func).endswith("format")), (
            f"{path}:{call.lineno} SQL built with .format()"
        )
        if isinstance(sql, ast.JoinedStr):
            for part in sql.values:
                if isinstance(part, ast.FormattedValue):
                    if isinstance(part.value, ast.Call):
                        builder = _name(part.value.func).rsplit(".", 1)[-1]
                        assert builder in SQL_BUILDERS, (
                            f"{path}:{call.lineno} formats {ast.unparse(part.value)} into SQL"
                        )
                        continue
                    # identifier lists, or SQL fragments that are module constants (UPPER_CASE)
                    assert isinstance(part.value, ast.Name) and (
                        part.value.id in SQL_IDENTIFIER_NAMES or part.value.id.isupper()
                    ), f"{path}:{call.lineno} formats {ast.unparse(part.value)} into SQL"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_code_execution_or_unsafe_deserialisation(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    banned_calls = {"eval", "exec", "compile", "__import__", "os.system", "os.popen", "yaml.load"}
    for call in _calls(tree):
        name = _name(call.func)
        assert name not in banned_calls, f"{path}:{call.lineno} calls {name}"
        for keyword in call.keywords:
            if keyword.arg == "shell":
                assert isinstance(keyword.value, ast.Constant) and keyword.value.value is False, (
                    f"{path}:{call.lineno} runs a shell"
                )
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            for module in modules:
                assert module.split(".")[0] not in {
                    "pickle",
                    "marshal",
                    "shelve",
                    "dill",
                    "cloudpickle",
                }, f"{path}:{node.lineno} imports {module}"


@pytest.fixture
def db(hostile_db) -> Path:
    return hostile_db


def _table_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        con.complete()
        counts = {}
        for table in tables:
            counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            con.complete()
    return counts


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_are_data_not_sql(db, name):
    before = _table_counts(db)
    assert queries.price_history(name, name, 30, path=db).empty
    assert queries.commodity_prices(name, 30, path=db).empty
    assert queries.reference_steps(name, name, path=db).empty
    audit.record("security_probe", name, target=name, detail=name, path=db)
    after = _table_counts(db)
    assert after == {**before, "audit_log": before["audit_log"] + 1}
    stored = audit.recent(5, path=db)
    assert stored.iloc[0][["user_name", "target", "detail"]].tolist() == [name.strip(), name, name]


def test_anonymous_users_cannot_write(db):
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(PermissionError):
        actions.apply_alert_step(str(db), "any-alert", "acknowledged", None, "catatan")
    with pytest.raises(PermissionError):
        actions.save_scenario({"name": "x"}, str(db), None)
    with pytest.raises(ValueError):
        audit.record("upload_loaded", "   ", path=db)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def _all_text(at) -> str:
    parts = []
    for kind in (
        "markdown",
        "caption",
        "title",
        "header",
        "subheader",
        "text",
        "info",
        "warning",
        "error",
        "success",
        "code",
        "json",
        "metric",
        "exception",
    ):
        for element in at.get(kind):
            parts.append(str(getattr(element, "value", "")))
    for frame in at.get("dataframe"):
        parts.append(frame.value.to_csv())
    return "\n".join(parts)


PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_every_page_anonymously_writes_nothing_and_shows_no_secret(
    request, page, tmp_path, monkeypatch
):
    """Anonymous on every page: click every button there is; the warehouse stays byte-identical,
    no upload widget is offered, and no password or hash appears anywhere."""
    from streamlit.testing.v1 import AppTest

    from tests.page_support import copy_forecast_warehouse

    serve_through_app(monkeypatch)
    st.cache_data.clear()
    path = copy_forecast_warehouse(request, tmp_path, monkeypatch)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets["accounts"] = {"petugas": {"name": "Petugas", "password_hash": HASH}}
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.get("file_uploader"), "an upload widget is offered to an anonymous user"
    for index in range(len(at.button)):
        if index < len(at.button) and not at.button[index].disabled:
            at.button[index].click().run()
            assert not at.exception, at.exception
    text = _all_text(at)
    assert HASH not in text and PASSWORD not in text and "password_hash" not in text
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    st.cache_data.clear()


def test_xlsx_reader_ignores_formulas_links_and_external_entities(tmp_path):
    """Cached values only; an XML external entity in the workbook is not expanded."""
    secret = tmp_path / "secret.txt"
    secret.write_text("ISI-RAHASIA-SERVER", encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.append(["tanggal", "kabupaten_kota", "komoditas", "stok", "satuan"])
    book.active.append(
        ["01/08/2026", "Kota Jambi", "LPG 3 kg", '=WEBSERVICE("http://x")', "tabung"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    workbook = tmp_path / "xxe.xlsx"
    with zipfile.ZipFile(workbook, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                head, body = text.split("?>", 1) if text.startswith("<?xml") else ("", text)
                root = body.split(" ", 1)[0].lstrip("<")
                doctype = f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file://{secret}">]>'
                assert ">Kota Jambi<" in body
                body = body.replace(">Kota Jambi<", ">&xxe;<")
                data = ((head + "?>" if head else "") + doctype + body).encode()
            target.writestr(item.filename, data)
    try:
        table = read_xlsx(workbook)
    except Exception as exc:  # noqa: BLE001 - refusing the file is also safe
        assert "ISI-RAHASIA" not in str(exc)
        return
    cells = [str(c) for _, row in table.rows for c in row]
    assert not any("ISI-RAHASIA" in c for c in cells)
    assert not any(c.startswith("=") for c in cells), "a formula was read as text to run"


def test_exports_neutralise_formula_injection():
    frame = pd.DataFrame({"region_name": FORMULAS, "value": range(len(FORMULAS))})
    text = csv_bytes(frame).decode("utf-8-sig")
    for formula in FORMULAS:
        assert f"'{formula}" in text.replace('""', '"')
    book = openpyxl.load_workbook(
        io.BytesIO(xlsx_bytes({"data": frame}, pd.Timestamp("2026-11-20").date()))
    )
    values = [cell.value for row in book.worksheets[0].iter_rows() for cell in row]
    formula_cells = [
        cell for row in book.worksheets[0].iter_rows() for cell in row if cell.data_type == "f"
    ]
    assert formula_cells == []
    for formula in FORMULAS:
        assert f"'{formula}" in values


# --- Writers, logins and what a viewer can see ------------------------------------------------


def test_oidc_writers_must_be_on_the_allow_list():
    from ui.auth import oidc_may_write

    allow = {"emails": ["Kepala@Jambiprov.go.id"], "domains": ["@disperindag.jambiprov.go.id"]}
    allow_groups = {**allow, "groups": ["pantau-pasokan-penulis"]}
    assert oidc_may_write({"email": "kepala@jambiprov.go.id"}, allow)
    assert oidc_may_write({"email": "budi@disperindag.jambiprov.go.id"}, allow)
    assert not oidc_may_write({"email": "budi@gmail.com"}, allow)
    assert not oidc_may_write({"email": "x@evil-disperindag.jambiprov.go.id.example"}, allow)
    assert not oidc_may_write({"email": "budi@disperindag.jambiprov.go.id"}, {})
    unverified = {"email": "kepala@jambiprov.go.id", "email_verified": False}
    assert not oidc_may_write(unverified, allow)
    member = {"email": "siti@gmail.com", "groups": ["pantau-pasokan-penulis", "staf"]}
    assert oidc_may_write(member, allow_groups) and not oidc_may_write(member, allow)


def test_failed_logins_are_throttled_per_user_and_per_client(tmp_db):
    from ui.auth import LoginThrottle, check_login

    now = [1000.0]
    throttle = LoginThrottle(max_failures=3, window=900, clock=lambda: now[0])
    known = {"petugas": {"password_hash": HASH}, "siti": {"password_hash": HASH}}

    def attempt(user, password, client="client:10.0.0.5"):
        return check_login(user, password, known, client, tmp_db, throttle)

    assert [attempt("petugas", "salah") for _ in range(3)] == ["failed"] * 3
    assert attempt("petugas", PASSWORD, "client:10.0.0.9") == "throttled"  # per user
    assert attempt("siti", PASSWORD) == "throttled"  # per client
    assert attempt("siti", PASSWORD, "client:10.0.0.9") == "ok"
    now[0] += 901
    assert attempt("petugas", PASSWORD) == "ok"


def test_an_unknown_user_costs_the_same_bcrypt_check(monkeypatch):
    from ui import auth

    checked: list[bytes] = []
    real = bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        checked.append(hashed)
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)
    assert not auth.verify("tidak-ada", PASSWORD, {"petugas": {"password_hash": HASH}})
    assert checked == [auth.DUMMY_HASH]
    assert bcrypt.gensalt(12)[:7] == auth.DUMMY_HASH[:7], "dummy hash must cost like a real one"
    assert auth.verify("petugas", PASSWORD, {"petugas": {"password_hash": HASH}})
    assert checked[-1] == HASH.encode()


def test_the_published_demo_account_works_only_on_a_demo_warehouse(hostile_db, tmp_path):
    from ui.auth import PUBLISHED_DEMO_PASSWORD, LoginThrottle, check_login

    example = (ROOT / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8")
    assert PUBLISHED_DEMO_PASSWORD in example
    demo_hash = bcrypt.hashpw(PUBLISHED_DEMO_PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    known = {"petugas": {"password_hash": demo_hash}}

    def attempt(warehouse):
        return check_login(
            "petugas", PUBLISHED_DEMO_PASSWORD, known, "c", warehouse, LoginThrottle()
        )

    assert attempt(hostile_db) == "ok"  # built by the demo generator
    assert attempt(tmp_path / "none.duckdb") == "demo_refused"
    from services.officer_files import load_officer_file
    from tests.test_services import REPORT

    load_officer_file(hostile_db, "stok.csv", REPORT.encode(), "budi", False)
    assert attempt(hostile_db) == "demo_refused"  # real officer data now


def test_weekly_reports_need_a_login(hostile_db):
    from services.common import LoginRequired
    from services.weekly import WeeklyRequest, build_weekly_export

    with pytest.raises(LoginRequired):
        build_weekly_export(hostile_db, WeeklyRequest(allow_stale=True), None)
    page = (ROOT / "pages" / "laporan_mingguan.py").read_text(encoding="utf-8")
    assert page.index("current_user()") < page.index("st.form(")


def test_upload_messages_render_as_plain_text(hostile_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_pages_alerts import ACCOUNTS
    from tests.test_pages_alerts import PASSWORD as OFFICER_PASSWORD
    from ui.format import plain
    from ui.upload import error_list

    assert plain("[klik](http://x) ![i](http://x/i.png) **b**") == (
        "\\[klik\\]\\(http\\://x\\) \\!\\[i\\]\\(http\\://x/i\\.png\\) \\*\\*b\\*\\*"
    )
    serve_through_app(monkeypatch)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["accounts"] = ACCOUNTS
    at.run()
    at.text_input(key="sidebar_login_user").input("petugas")
    at.text_input(key="sidebar_login_password").input(OFFICER_PASSWORD)
    next(b for b in at.button if b.label == "Masuk").click().run()
    at.switch_page("pages/unggah.py").run()
    evil = (
        "tanggal;kabupaten_kota;komoditas;stok;penyaluran;penerimaan;satuan;pelapor\n"
        "01/08/2026;[klik](http://evil.example);LPG 3 kg;100;10;10;tabung;Budi\n"
        "01/08/2026;Kerinci;![x](http://evil.example/i.png);100;10;10;tabung;Budi\n"
        "02/08/2026;Kerinci;LPG 3 kg;100;10;10;tabung;Budi\n"
    )
    from services.officer_files import check_officer_file

    data = check_officer_file(hostile_db, "evil.csv", evil.encode(), "petugas").as_json()
    at.session_state["unggah_preview"] = ("[x](http://evil.example).csv", evil.encode(), data, {})
    at.run()
    assert not at.exception, at.exception
    rendered = [e.value for kind in ("markdown", "warning", "info", "error") for e in at.get(kind)]
    assert not [text for text in rendered if "](http" in text], "cell text rendered as Markdown"
    shown = [e.value for e in at.get("text")]
    assert error_list(data, "id") in shown and "](http://evil.example)" in error_list(data, "id")
    st.cache_data.clear()


def test_error_details_stay_on_the_server_with_an_id(monkeypatch, caplog):
    import tomllib

    from ui.errors import page_errors

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    monkeypatch.delenv("JSW_RAISE_PAGE_ERRORS", raising=False)

    with caplog.at_level("ERROR", logger="jsw.dashboard"), page_errors() as outcome:
        raise RuntimeError("rahasia: /srv/jsw/secret-path")
    error_id = outcome.error_id
    assert error_id and error_id.startswith("E-")
    assert error_id in caplog.text and "secret-path" in caplog.text
    with page_errors() as fine:
        pass
    assert fine.error_id is None


def test_table_downloads_are_off_and_our_own_downloads_neutralise_formulas():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
    assert csv_bytes(pd.DataFrame({"x": ["=1+1"]})).decode("utf-8-sig").splitlines()[1] == "'=1+1"


def test_demo_data_is_built_only_at_the_default_path_or_when_asked(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ui.bootstrap import may_build_demo
    from warehouse.db import DEFAULT_DB

    elsewhere = tmp_path / "salah-ketik" / "warehouse.duckdb"
    assert may_build_demo(DEFAULT_DB, {}) and not may_build_demo(elsewhere, {})
    assert may_build_demo(elsewhere, {"JSW_BUILD_DEMO": "1"})
    monkeypatch.setenv("JSW_DB", str(elsewhere))
    monkeypatch.delenv("JSW_BUILD_DEMO", raising=False)
    serve_through_app(monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert any(str(elsewhere) in e.value and "JSW_BUILD_DEMO" in e.value for e in at.error)
    assert not elsewhere.exists() and not elsewhere.parent.exists()


@pytest.mark.parametrize("hostile", HOSTILE_NAMES + ['a"b', "x'; DROP TABLE facts; --"])
def test_sql_builders_quote_what_they_format(hostile, tmp_path):
    """The builders allowed in SQL text keep a hostile name or path one literal/identifier."""
    import duckdb

    from warehouse import parts

    con = duckdb.connect()
    assert con.execute(f"SELECT {parts.sql_literal(hostile)}").fetchone()[0] == hostile
    con.execute(f"CREATE TABLE {parts.sql_identifier(hostile)} (v INTEGER)")
    assert [row[0] for row in con.execute("SHOW TABLES").fetchall()] == [hostile]
    folder = tmp_path / hostile.replace("/", "_")
    folder.mkdir()
    target = folder / "part.parquet"
    con.execute("COPY (SELECT 1 AS v) TO ? (FORMAT parquet)", [str(target)])
    assert con.execute(f"SELECT v FROM {parts.parquet_source([target])}").fetchall() == [(1,)]
