"""Alerts page and officer login: anonymous users cannot write; officers' steps are audited."""

from __future__ import annotations

from pathlib import Path

import bcrypt
import pytest

from tests.page_support import ROOT, copy_forecast_warehouse
from ui import actions, auth
from warehouse import alerts, audit, db

PASSWORD = "uji-sandi-123"
ACCOUNTS = {
    "petugas": {
        "name": "Petugas Uji",
        "password_hash": bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode(),
    }
}


pytestmark = pytest.mark.usefixtures("fresh_page_caches")


@pytest.fixture
def pages_db(request, tmp_path, monkeypatch) -> Path:
    path = copy_forecast_warehouse(request, tmp_path, monkeypatch)
    if alerts.list_alerts(path).empty:
        pytest.skip("the forecast warehouse raised no alerts")
    return path


def app(password: str | None = None, page: str = "pages/peringatan.py"):
    """The app on ``page``; with ``password``, log in first (the sidebar form of the home run)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["accounts"] = ACCOUNTS
    at.run()
    if password is not None:
        at.text_input(key="sidebar_login_user").input("petugas")
        at.text_input(key="sidebar_login_password").input(password)
        next(b for b in at.button if b.label == "Masuk").click().run()
        assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
def test_alert_list_matches_the_warehouse(pages_db):
    at = app()
    open_alerts = alerts.list_alerts(pages_db, state=["new", "acknowledged", "action"])
    table = at.dataframe[0].value
    assert len(table) == len(open_alerts)
    assert set(table["Penanganan"]) <= {"Baru", "Diterima", "Tindakan dicatat"}
    history = at.dataframe[1].value
    assert {"Waktu", "Kejadian", "Petugas"} <= set(history.columns)
    assert "Muncul" in set(history["Kejadian"])


@pytest.mark.slow
def test_anonymous_users_get_no_write_controls(pages_db):
    at = app()
    assert any("Masuk sebagai petugas" in i.value for i in at.info)
    assert not [w for w in at.radio if w.label == "Langkah"]
    assert not [b for b in at.button if b.label == "Simpan"]
    with pytest.raises(PermissionError):
        actions.apply_alert_step(str(pages_db), "any", "acknowledged", None, "note")
    assert audit.recent(path=pages_db).empty


@pytest.mark.slow
def test_wrong_password_is_refused(pages_db):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["accounts"] = ACCOUNTS
    at.run()
    at.text_input(key="sidebar_login_user").input("petugas")
    at.text_input(key="sidebar_login_password").input("salah")
    next(b for b in at.button if b.label == "Masuk").click().run()
    assert any("salah" in e.value for e in at.error)
    assert "auth_user" not in at.session_state
    at.switch_page("pages/peringatan.py").run()
    assert any("Masuk sebagai petugas" in i.value for i in at.info)


@pytest.mark.slow
def test_officer_acknowledges_an_alert_and_it_is_audited(pages_db):
    at = app(PASSWORD)
    alert_id = at.selectbox(key="peringatan_alert").value
    next(w for w in at.radio if w.label == "Langkah").set_value("acknowledged")
    at.text_area(key="peringatan_note").input("Sudah dikoordinasikan dengan agen LPG")
    next(b for b in at.button if b.label == "Simpan").click().run()
    assert not at.exception, at.exception
    assert any("Tersimpan" in s.value for s in at.success)
    state = alerts.list_alerts(pages_db).set_index("alert_id").loc[alert_id, "state"]
    assert state == "acknowledged"
    table = at.dataframe[0].value
    assert "Diterima" in set(table["Penanganan"])
    assert any("penanganan saat ini: **Diterima**" in m.value for m in at.markdown)
    steps = next(w for w in at.radio if w.label == "Langkah").options
    assert "Terima (acknowledge)" not in steps and "Tutup peringatan" in steps
    rows = audit.recent(path=pages_db)
    assert rows.iloc[0]["user_name"] == "petugas"
    assert rows.iloc[0]["action"] == "alert_acknowledged" and rows.iloc[0]["target"] == alert_id
    events = alerts.alert_history(pages_db, alert_id)
    assert events.iloc[-1]["user_name"] == "petugas"


@pytest.mark.slow
def test_recorded_action_keeps_its_kind(pages_db):
    at = app(PASSWORD)
    alert_id = at.selectbox(key="peringatan_alert").value
    next(w for w in at.radio if w.label == "Langkah").set_value("action")
    at.selectbox(key="peringatan_kind").set_value("tambahan_alokasi")
    at.text_area(key="peringatan_note").input("Tambahan 2.000 tabung")
    next(b for b in at.button if b.label == "Simpan").click().run()
    assert not at.exception, at.exception
    note = alerts.alert_history(pages_db, alert_id).iloc[-1]["note"]
    assert note == "Tambahan alokasi (mis. LPG): Tambahan 2.000 tabung"


@pytest.mark.slow
def test_region_deep_link_filters_the_list(pages_db):
    listing = alerts.list_alerts(pages_db, state=["new", "acknowledged", "action"])
    region = listing.iloc[0]["region_code"]
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.query_params["region"] = region
    at.switch_page("pages/peringatan.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == int((listing["region_code"] == region).sum())


def test_passwords_are_checked_against_bcrypt_hashes():
    assert auth.verify("petugas", PASSWORD, ACCOUNTS)
    assert not auth.verify("petugas", "wrong", ACCOUNTS)
    assert not auth.verify("someone", PASSWORD, ACCOUNTS)
    assert auth.hash_password("x").startswith("$2b$")


def test_audit_needs_a_user(tmp_db):
    db.init_warehouse(tmp_db)
    with pytest.raises(ValueError):
        audit.record("alert_closed", " ", "A1", path=tmp_db)
    audit.record("alert_closed", "petugas", "A1", "done", path=tmp_db)
    assert audit.recent(path=tmp_db).iloc[0]["user_name"] == "petugas"
