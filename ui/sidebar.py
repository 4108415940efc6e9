"""The shared sidebar: language switch and data freshness."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ui.data import load, stale_days
from ui.format import date_label
from ui.i18n import LANG_KEY, LANG_WIDGET_KEY, LANGUAGES, current_lang, t
from warehouse import queries


def _store_language() -> None:
    st.session_state[LANG_KEY] = st.session_state[LANG_WIDGET_KEY]


def language_switch() -> None:
    """The id/en switch; the choice lives in ``st.session_state[LANG_KEY]`` across pages."""
    st.session_state[LANG_WIDGET_KEY] = current_lang()
    st.sidebar.radio(
        t("language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        key=LANG_WIDGET_KEY,
        horizontal=True,
        on_change=_store_language,
    )


def freshness_note(today: dt.date | None = None) -> None:
    """ "Data per 20 Nov 2026", the forecast time, and a warning when data is stale."""
    info = load(queries.freshness)
    lang = current_lang()
    latest = info["latest_fact_date"]
    if latest is None:
        st.sidebar.caption(t("no_data_yet"))
        return
    st.sidebar.markdown(f"**{t('data_as_of', date=date_label(latest, lang))}**")
    if info["forecast_created_at"] is not None:
        st.sidebar.caption(t("forecast_as_of", date=date_label(info["forecast_created_at"], lang)))
    days = stale_days()
    if queries.is_stale(latest, today or dt.date.today(), days):
        st.sidebar.warning(t("stale_warning", date=date_label(latest, lang), days=days))
