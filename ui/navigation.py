"""The dashboard's pages: file, translated title key and URL path (one list)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
ROOT_URL_PATH = "beranda"  # the hidden root page that redirects to the first page

# No page icons: Streamlit turns a page icon into the favicon, fetched from a font CDN.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("pages/ringkasan.py", "page_ringkasan", "ringkasan"),
    ("pages/kabupaten.py", "page_kabupaten", "kabupaten"),
    ("pages/komoditas.py", "page_komoditas", "komoditas"),
    ("pages/peringatan.py", "page_peringatan", "peringatan"),
    ("pages/skenario.py", "page_skenario", "skenario"),
    ("pages/kesehatan_data.py", "page_kesehatan", "kesehatan-data"),
    ("pages/unggah.py", "page_unggah", "unggah"),
    ("pages/laporan_mingguan.py", "page_laporan", "laporan-mingguan"),
)


def available_pages() -> list[tuple[str, str, str]]:
    """The pages whose files exist, in menu order."""
    return [page for page in PAGES if (ROOT / page[0]).exists()]


def open_overview() -> None:
    """The hidden root page: send ``/`` to ``/ringkasan`` so every page has a stable URL."""
    st.switch_page(PAGES[0][0], query_params=st.query_params.to_dict())


def redirects(page: st.Page) -> bool:
    """True for the hidden root page: run it before drawing anything (it only redirects)."""
    return page.url_path == ROOT_URL_PATH


def build_pages(title: Callable[[str], str]) -> list[st.Page]:
    """``st.Page`` objects for every available page, plus the hidden root redirect."""
    root = st.Page(
        open_overview,
        title=title(PAGES[0][1]),
        url_path=ROOT_URL_PATH,
        default=True,
        visibility="hidden",
    )
    return [root] + [
        st.Page(path, title=title(title_key), url_path=url)
        for path, title_key, url in available_pages()
    ]
