"""Laporan Mingguan: build, preview and download the weekly export for the governor's office."""

import streamlit as st

from ui.data import warehouse_path
from ui.format import date_label
from ui.i18n import current_lang, t
from ui.report import build_weekly, data_date, mime_of, output_files, preview_table

lang = current_lang()
st.title(t("laporan_title"))
st.caption(t("laporan_intro"))
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
    result = build_weekly(warehouse_path(), week.strip() or None, dialect, fmt, allow_stale)
    if result.ok:
        st.session_state["laporan_result"] = result.data
    else:
        st.session_state.pop("laporan_result", None)
        st.error(t("report_failed", message=result.message))

if "laporan_result" in st.session_state:
    data = st.session_state["laporan_result"]
    st.success(t("report_ready", week=data["week"], date=date_label(data_date(data), lang)))
    if data.get("stale"):
        st.warning(t("report_stale"))
    files = output_files(data)
    for index, (column, (name, content)) in enumerate(
        zip(st.columns(len(files)), files.items(), strict=True)
    ):
        column.download_button(
            t("download_file", name=name),
            content,
            file_name=name,
            mime=mime_of(name),
            key=f"laporan_file_{index}",
        )
    st.subheader(t("regencies_table"))
    st.dataframe(preview_table(data, "regencies"), hide_index=True, width="stretch")
    st.subheader(t("commodities_table"))
    st.dataframe(preview_table(data, "commodities"), hide_index=True, width="stretch")
