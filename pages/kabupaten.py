"""Kabupaten/Kota: one region (a regency, or the province's own series) × commodity — price
with forecast and reference, stock with projection, status and signals.

The region part runs as a fragment (``ui.region_view.show``) holding the commodity part as a
nested fragment, so a commodity change reruns only what depends on the commodity."""

import streamlit as st

from ui import region_view
from ui.data import load_shared
from ui.i18n import current_lang, t
from warehouse import queries

lang = current_lang()
options = load_shared(queries.choices)
places, commodities = options["places"], options["commodities"]
if commodities.empty:
    st.info(t("coverage_empty"))
    st.stop()

region_view.show(places, commodities, lang)
