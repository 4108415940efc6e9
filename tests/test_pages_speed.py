"""Fast reruns must not mean stale pages: cached figures and tables follow the data version,
and a fragment rerun notices a write made since the page was drawn."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.page_support import open_app
from warehouse import db
from warehouse.formats import rupiah

pytestmark = pytest.mark.usefixtures("fresh_page_caches")

NEW_PRICE = 987_654.0


def add_next_day_price(path: Path, region: str, commodity: str, value: float) -> dt.date:
    """Write one price fact the day after the warehouse's latest fact; return that day."""
    latest = db.read_df("SELECT max(date) AS d FROM facts", path=path)["d"].iloc[0]
    day = pd_date(latest) + dt.timedelta(days=1)
    with db.write_transaction(path) as con:
        con.execute(
            "INSERT INTO facts (date, region_code, commodity, metric, source, value, unit, run_id)"
            " SELECT ?, region_code, commodity, metric, source, ?, unit, run_id FROM facts"
            " WHERE region_code = ? AND commodity = ? AND metric = 'price'"
            " ORDER BY date DESC LIMIT 1",
            [day, value, region, commodity],
        )
    return day


def pd_date(value: object) -> dt.date:
    return value.date() if hasattr(value, "date") else value


def price_spec(at: AppTest) -> str:
    return at.get("plotly_chart")[0].proto.spec


@pytest.mark.slow
def test_new_data_reaches_the_cached_kabupaten_chart(pages_db):
    at = open_app("pages/kabupaten.py")
    region = at.selectbox(key="kabupaten_region").value
    commodity = at.selectbox(key="kabupaten_commodity").value
    assert rupiah(NEW_PRICE, "id") not in price_spec(at)
    at.run()  # same data, same selection: served from the cache
    assert not at.exception, at.exception
    assert rupiah(NEW_PRICE, "id") not in price_spec(at)

    day = add_next_day_price(pages_db, region, commodity, NEW_PRICE)
    at.run()
    assert not at.exception, at.exception
    assert rupiah(NEW_PRICE, "id") in price_spec(at)
    assert day.strftime("%Y-%m-%d") in price_spec(at)


def _probe_script() -> None:
    import streamlit as st

    from ui.data import data_changed, derived, pin_snapshot

    if st.session_state.get("pin", True):
        pin_snapshot()
    builds = st.session_state.setdefault("builds", [])
    choice = st.session_state.get("choice", "a")
    derived("probe", (choice,), lambda: builds.append(choice) or len(builds))
    st.write(f"changed={data_changed()} builds={','.join(builds)}")


def probe_text(at: AppTest) -> str:
    assert not at.exception, at.exception
    return at.markdown[-1].value


def test_derived_rebuilds_only_for_a_new_selection_or_data_version(pages_db):
    at = AppTest.from_function(_probe_script, default_timeout=30)
    at.run()
    assert probe_text(at) == "changed=False builds=a"
    at.run()
    assert probe_text(at) == "changed=False builds=a"  # nothing changed: nothing rebuilt
    at.session_state["choice"] = "b"
    at.run()
    assert probe_text(at) == "changed=False builds=a,b"
    at.session_state["choice"] = "a"
    at.run()
    assert probe_text(at) == "changed=False builds=a,b"  # seen before: from the cache

    at.session_state["pin"] = False  # like a fragment rerun: the old snapshot stays pinned
    add_next_day_price(pages_db, "1571", "beras_medium", NEW_PRICE)
    at.run()
    assert probe_text(at).startswith("changed=True")
    at.session_state["pin"] = True  # the full rerun this triggers pins the new version
    at.run()
    assert probe_text(at) == "changed=False builds=a,b,a"
