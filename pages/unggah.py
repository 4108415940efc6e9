"""Unggah: officer reports — templates, check (dry run), accept regency suggestions, load."""

import streamlit as st

from ui.auth import current_user
from ui.data import load, warehouse_path
from ui.format import plain
from ui.i18n import current_lang, t
from ui.upload import (
    MIME,
    UPLOAD_TYPES,
    error_list,
    error_rows,
    load_good_rows,
    pick_region_aliases,
    preview,
    preview_rows,
    templates,
)
from warehouse import queries

lang = current_lang()
st.title(t("unggah_title"))
st.caption(t("unggah_intro"))
available = templates()
for column, (name, content) in zip(
    st.columns(len(available) or 1), available.items(), strict=False
):
    column.download_button(
        t("download_template", name=name),
        content,
        file_name=name,
        mime=MIME["." + name.rsplit(".", 1)[-1]],
        key=f"unggah_template_{name.replace('.', '_')}",
    )

user = current_user()
if user is None:
    st.info(t("login_to_upload"))
    st.stop()
options = load(queries.choices)
region_names = dict(zip(options["regions"]["bps_code"], options["regions"]["name"], strict=True))
commodities = options["commodities"]
names = dict(
    zip(commodities["code"], commodities["name_id" if lang == "id" else "name_en"], strict=True)
)

if "unggah_flash" in st.session_state:
    flash, note = st.session_state.pop("unggah_flash")
    st.success(flash)
    st.caption(plain(note))
uploaded = st.file_uploader(t("choose_file"), type=UPLOAD_TYPES, key="unggah_file")
if uploaded is not None and st.button(t("check_file"), key="unggah_check", type="primary"):
    content = uploaded.getvalue()
    result = preview(uploaded.name, content, warehouse_path(), user)
    if result.ok:
        st.session_state["unggah_preview"] = (uploaded.name, content, result.data, {})
    else:
        st.session_state.pop("unggah_preview", None)
        st.error(t("upload_failed", message=plain(result.message)))

if "unggah_preview" in st.session_state:
    file_name, content, data, aliases = st.session_state["unggah_preview"]
    good, bad = int(data.get("rows_accepted", 0)), int(data.get("rows_rejected", 0))
    summary = t("upload_summary", file=plain(file_name), read=data["rows_read"], good=good, bad=bad)
    (st.warning if bad else st.info)(summary)
    if data.get("notes"):
        with st.expander(t("upload_notes_title")):
            st.text("\n".join(f"- {note}" for note in data["notes"]))
    accepted = pick_region_aliases(data, aliases, t)
    if accepted is not None:
        result = preview(file_name, content, warehouse_path(), user, accepted)
        if result.ok:
            st.session_state["unggah_preview"] = (file_name, content, result.data, accepted)
            st.rerun()
        st.error(t("upload_failed", message=plain(result.message)))
    if bad:
        st.subheader(t("upload_errors_title"))
        st.text(error_list(data, lang))
        st.dataframe(error_rows(data, lang), hide_index=True, width="stretch")
    st.subheader(t("upload_preview_title"))
    st.dataframe(preview_rows(data, region_names, names, lang), hide_index=True, width="stretch")
    if good == 0:
        st.error(t("nothing_to_load"))
    elif st.button(t("load_good_rows", n=good), key="unggah_load", type="primary"):
        loaded = load_good_rows(
            file_name, content, warehouse_path(), user, partial=bad > 0, aliases=aliases
        )
        if loaded.ok:
            st.session_state.pop("unggah_preview")
            loaded_text = t(
                "upload_loaded",
                loaded=loaded.data.get("rows_loaded", 0),
                run=loaded.data.get("run_id"),
                bad=bad,
            )
            st.session_state["unggah_flash"] = (loaded_text, loaded.data.get("message", ""))
            st.rerun()
        else:
            st.error(t("upload_failed", message=plain(loaded.message)))
