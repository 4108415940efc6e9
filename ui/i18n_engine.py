"""Labels for the early-warning engine's stock-out probability (merged into ``TEXTS``)."""

from __future__ import annotations

ENGINE_TEXTS: dict[str, dict[str, str]] = {
    "stockout_probability": {
        "id": "Peluang stok habis (ketahanan stok di bawah batas Siaga) dalam {days} hari:"
        " {pct} % (7 hari: {p7} %, 21 hari: {p21} %), dari simulasi penyaluran dan pengiriman",
        "en": "Chance of a stock-out (cover below the Warning limit) within {days} days:"
        " {pct} % (7 days: {p7} %, 21 days: {p21} %), from simulated distribution and deliveries",
    },
    "reliability_title": {
        "id": "Keandalan peluang stok habis",
        "en": "Reliability of the stock-out probabilities",
    },
    "reliability_empty": {
        "id": "Belum ada replay harian: jalankan python -m forecasting run --replay-from TANGGAL.",
        "en": "No daily replay yet: run python -m forecasting run --replay-from DATE.",
    },
    "reliability_caption": {
        "id": "Replay {start} – {end}: peluang yang diberikan tiap hari dibandingkan dengan yang"
        " terjadi (ketahanan stok di bawah batas Siaga dalam jangka waktunya).",
        "en": "Replay {start} – {end}: the probability given each day against what happened"
        " (cover below the Warning limit within the horizon).",
    },
    "reliability_horizon": {"id": "Jangka (hari)", "en": "Horizon (days)"},
    "reliability_bin": {"id": "Peluang", "en": "Probability"},
    "reliability_n": {"id": "Jumlah", "en": "Count"},
    "reliability_predicted": {"id": "Rata-rata peluang", "en": "Mean predicted"},
    "reliability_observed": {"id": "Terjadi", "en": "Observed"},
}
