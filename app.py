"""Pantau Pasokan Jambi — entry point: page config, navigation, shared sidebar."""

import streamlit as st

from ui.auth import sidebar_login
from ui.bootstrap import ensure_warehouse
from ui.data import pin_snapshot, warehouse_path
from ui.errors import page_errors
from ui.i18n import t
from ui.navigation import build_pages, redirects
from ui.sidebar import freshness_note, language_switch

st.set_page_config(page_title=t("app_title"), layout="wide")
current = st.navigation(build_pages(t))
if redirects(current):  # "/" goes straight on to the first page, sidebar drawn once
    current.run()

st.sidebar.title(t("app_title"))
language_switch()
if not ensure_warehouse(warehouse_path()):
    st.stop()
pin_snapshot()
freshness_note()
sidebar_login()

with page_errors():
    current.run()
