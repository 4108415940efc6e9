"""Laporan Mingguan: build, preview and download the weekly export for the governor's office."""

import streamlit as st

from services.common import ServiceError
from ui.auth import current_user
from ui.data import warehouse_path
from ui.format import date_label
from ui.i18n import current_lang, t
from ui.report import build_weekly, mime_of

lang = current_lang()
st.title(t("laporan_title"))
st.caption(t("laporan_intro"))
user = current_user()
if user is None:
    st.info(t("login_to_build_report"))
    st.stop()
dialects = {name: t(f"dialect_{name}") for name in ("standard", "excel-id")}
with st.form("laporan_form"):
    week_col, dialect_col, format_col = st.columns(3)
    week = week_col.text_input(t("week"), key="laporan_week")
    dialect = dialect_col.selectbox(
        t("dialect"), list(dialects), format_func=dialects.get, key="laporan_dialect"
    )
    fmt = format_col.selectbox(t("file_format"), ["csv", "xlsx"], key="laporan_format")
    allow_stale = st.checkbox(t("allow_stale"), key="laporan_allow_stale")
    submitted = st.form_submit_button(t("build_report"), type="primary")
if submitted:
    try:
        built = build_weekly(warehouse_path(), week, dialect, fmt, allow_stale, user)
    except ServiceError as problem:
        st.session_state.pop("laporan_result", None)
        st.error(t("report_failed", message=str(problem)))
    else:
        st.session_state["laporan_result"] = built

if "laporan_result" in st.session_state:
    report = st.session_state["laporan_result"]
    st.success(t("report_ready", week=report.week, date=date_label(report.data_as_of, lang)))
    if report.stale:
        st.warning(t("report_stale"))
    for index, (column, (name, content)) in enumerate(
        zip(st.columns(len(report.files)), report.files.items(), strict=True)
    ):
        column.download_button(
            t("download_file", name=name),
            content,
            file_name=name,
            mime=mime_of(name),
            key=f"laporan_file_{index}",
        )
    st.subheader(t("regencies_table"))
    st.dataframe(report.tables["regencies"], hide_index=True, width="stretch")
    st.subheader(t("commodities_table"))
    st.dataframe(report.tables["commodities"], hide_index=True, width="stretch")
