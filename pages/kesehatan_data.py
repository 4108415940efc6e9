"""Kesehatan Data: sources and freshness, data coverage, import runs, rejected rows,
forecast accuracy, reference prices."""

import streamlit as st

from ui import tables
from ui.actions import edit_reference_price
from ui.auth import current_user
from ui.data import load, stale_days, warehouse_path
from ui.format import date_label
from ui.forms import reference_price_form
from ui.held import held_section
from ui.i18n import current_lang, t
from ui.skill import skill_section
from ui.widgets import coverage_section
from warehouse import queries

lang = current_lang()
st.title(t("kesehatan_title"))
health = load(queries.health_view)
commodities = load(queries.commodities)
names = dict(
    zip(commodities["code"], commodities["name_id" if lang == "id" else "name_en"], strict=True)
)
places = load(queries.places)
place_names = dict(zip(places["bps_code"], places["name"], strict=True))
regencies = places[~places["is_province"]]
region_names = dict(zip(regencies["bps_code"], regencies["name"], strict=True))
sources, rejected, forecast_runs = health["sources"], health["rejected"], health["forecast_runs"]
max_age = stale_days()

stale_col, rejected_col, forecast_col = st.columns(3)
with_data = sources.dropna(subset=["age_days"])
stale_col.metric(
    t("kpi_sources_stale"),
    f"{int((with_data['age_days'] > max_age).sum())} / {len(with_data)}",
    border=True,
)
rejected_col.metric(t("kpi_rejected"), len(rejected), border=True)
latest_forecast = forecast_runs.iloc[0] if not forecast_runs.empty else None
forecast_col.metric(
    t("kpi_last_forecast"),
    date_label(latest_forecast["data_as_of"], lang) if latest_forecast is not None else "–",
    latest_forecast["status"] if latest_forecast is not None else None,
    delta_color="off",
    border=True,
)

st.subheader(t("sources_title"))
st.dataframe(tables.source_rows(sources, max_age, lang), hide_index=True, width="stretch")

coverage_section(health["coverage"], place_names, names, lang)

st.subheader(t("runs_title"))
st.dataframe(tables.run_rows(health["runs"], lang), hide_index=True, width="stretch")

st.subheader(t("rejected_title"))
if rejected.empty:
    st.success(t("no_rejected"))
else:
    st.dataframe(tables.rejected_rows(rejected, lang), hide_index=True, width="stretch")

held_section(health["held"], place_names, names, current_user(), warehouse_path(), lang)

st.subheader(t("accuracy_title"))
st.caption(t("accuracy_help"))
if health["accuracy"].empty:
    st.info(t("no_accuracy"))
else:
    st.dataframe(
        tables.accuracy_rows(health["accuracy"], names, lang), hide_index=True, width="stretch"
    )
skill_section(lang)

st.subheader(t("forecast_runs_title"))
st.dataframe(tables.forecast_run_rows(forecast_runs, lang), hide_index=True, width="stretch")

st.subheader(t("reference_title"))
st.caption(t("reference_help"))
if "kesehatan_flash" in st.session_state:
    st.success(st.session_state.pop("kesehatan_flash"))
current = load(queries.reference_prices_in_force)
st.dataframe(tables.reference_rows(current, lang), hide_index=True, width="stretch")
user = current_user()
if user is None:
    st.caption(t("login_to_edit_reference"))
    st.stop()
fields = reference_price_form(names, region_names)
if fields is not None:
    try:
        edit_reference_price(fields, warehouse_path(), user)
    except ValueError as problem:
        st.error(t("reference_failed", message=str(problem)))
    else:
        st.session_state["kesehatan_flash"] = t("reference_saved")
        st.rerun()
