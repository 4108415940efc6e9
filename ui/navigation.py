"""The dashboard's pages: file, translated title key, URL path and icon (one list)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("pages/ringkasan.py", "page_ringkasan", "ringkasan", ":material/dashboard:"),
    ("pages/kabupaten.py", "page_kabupaten", "kabupaten", ":material/location_city:"),
    ("pages/komoditas.py", "page_komoditas", "komoditas", ":material/inventory_2:"),
    ("pages/peringatan.py", "page_peringatan", "peringatan", ":material/notifications:"),
    ("pages/skenario.py", "page_skenario", "skenario", ":material/insights:"),
    ("pages/kesehatan_data.py", "page_kesehatan", "kesehatan-data", ":material/monitor_heart:"),
    ("pages/unggah.py", "page_unggah", "unggah", ":material/upload_file:"),
    ("pages/laporan_mingguan.py", "page_laporan", "laporan-mingguan", ":material/summarize:"),
)


def available_pages() -> list[tuple[str, str, str, str]]:
    """The pages whose files exist, in menu order."""
    return [page for page in PAGES if (ROOT / page[0]).exists()]
