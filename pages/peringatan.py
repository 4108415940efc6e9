"""Peringatan: filterable alert list, full history, and the officer's follow-up steps."""

import streamlit as st

from ui import tables
from ui.actions import ACTION_KINDS, allowed_steps, apply_alert_step, compose_note
from ui.auth import current_user
from ui.data import load, warehouse_path
from ui.forms import alert_filters
from ui.i18n import current_lang, t
from ui.selection import preset_from_query
from warehouse import alerts, queries
from warehouse.levels import LEVELS, label

lang = current_lang()
st.title(t("peringatan_title"))
options = load(queries.choices)
regions, commodities = options["places"], options["commodities"]  # the province too
region_names = dict(zip(regions["bps_code"], regions["name"], strict=True))
commodity_names = dict(
    zip(commodities["code"], commodities["name_id" if lang == "id" else "name_en"], strict=True)
)
state_names = {state: tables.state_label(state, lang) for state in alerts.STATES}
level_names = {item.value: label(item.value, lang) for item in LEVELS}

preset_from_query("peringatan_regions", "region")
filters = alert_filters(state_names, region_names, commodity_names, level_names)

if "peringatan_flash" in st.session_state:
    st.success(st.session_state.pop("peringatan_flash"))
listing = load(alerts.list_alerts, **filters)
if listing.empty:
    st.info(t("no_alerts"))
    st.stop()
st.dataframe(tables.alert_table(listing, lang), hide_index=True, width="stretch")

labels = tables.alert_labels(listing, lang)
alert_id = st.selectbox(
    t("select_alert"), list(labels), format_func=labels.get, key="peringatan_alert"
)
current = listing.set_index("alert_id").loc[alert_id]
state = str(current["state"])
st.markdown(
    t(
        "current_state",
        level=label(int(current["level"]), lang),
        state=tables.state_label(state, lang),
    )
)
st.subheader(t("history_title"))
history = load(alerts.alert_history, alert_id=alert_id)
st.dataframe(tables.history_rows(history, lang), hide_index=True, width="stretch")

st.subheader(t("act_title"))
user = current_user()
if user is None:
    st.info(t("login_to_act"))
    st.stop()
steps = allowed_steps(state)
if not steps:
    st.info(t("no_steps"))
    st.stop()
step_names = {step: t(f"step_{step}") for step in steps}
kind_names = {kind: t(f"action_{kind}") for kind in ACTION_KINDS}
with st.form("peringatan_form", clear_on_submit=True):
    step = st.radio(t("step"), steps, format_func=step_names.get, key=f"peringatan_step_{state}")
    kind = st.selectbox(
        t("action_kind"), ACTION_KINDS, format_func=kind_names.get, key="peringatan_kind"
    )
    note = st.text_area(t("note"), key="peringatan_note")
    submitted = st.form_submit_button(t("submit"))
if submitted:
    try:
        apply_alert_step(
            warehouse_path(), alert_id, step, user, compose_note(step, kind_names[kind], note)
        )
    except (alerts.AlertError, ValueError) as problem:
        st.error(str(problem))
    else:
        st.session_state["peringatan_flash"] = t("step_saved", step=step_names[step], user=user)
        st.rerun()
