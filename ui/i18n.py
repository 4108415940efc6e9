"""User-facing labels in Bahasa Indonesia (default) and English.

Pages call ``t("key")``; the language is stored in ``st.session_state["lang"]`` by the sidebar
switch (widget key ``sidebar_lang``). Every key has both languages (a test checks it).
"""

from __future__ import annotations

import os
from functools import lru_cache

import streamlit as st

from warehouse.geography import PROVINCE_ENV, province

LANG_KEY = "lang"
LANG_WIDGET_KEY = "sidebar_lang"
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    # app frame and sidebar
    "app_title": {"id": "Pantau Pasokan {province}", "en": "{province} Supply Watch"},
    "language": {"id": "Bahasa", "en": "Language"},
    "data_as_of": {"id": "Data per {date}", "en": "Data as of {date}"},
    "forecast_as_of": {"id": "Prakiraan dihitung {date}", "en": "Forecast computed {date}"},
    "stale_warning": {
        "id": "Data terakhir {date} sudah lebih dari {days} hari. Periksa halaman Kesehatan Data.",
        "en": "Latest data {date} is older than {days} days. Check the Data Health page.",
    },
    "no_data_yet": {"id": "Belum ada data", "en": "No data yet"},
    "busy": {
        "id": "Data sedang diperbarui… Muat ulang halaman dalam beberapa detik.",
        "en": "Data is refreshing… Reload the page in a few seconds.",
    },
    "missing_warehouse": {
        "id": "Gudang data belum ada ({path}). Jalankan `python -m ingest demo` atau muat ulang aplikasi.",
        "en": "The data warehouse does not exist yet ({path}). Run `python -m ingest demo` or reload the app.",
    },
    "empty_statuses": {
        "id": "Belum ada status. Jalankan prakiraan: `python -m forecasting run`.",
        "en": "No statuses yet. Run the forecast: `python -m forecasting run`.",
    },
    "empty_series": {
        "id": "Belum ada data untuk pilihan ini.",
        "en": "No data for this selection yet.",
    },
    "bootstrap_title": {
        "id": "Menyiapkan data demo (sekali saja)…",
        "en": "Preparing the demo data (first start only)…",
    },
    "bootstrap_demo": {"id": "Membangun gudang data demo", "en": "Building the demo warehouse"},
    "bootstrap_forecast": {
        "id": "Menghitung prakiraan pertama",
        "en": "Computing the first forecast",
    },
    "bootstrap_failed": {
        "id": "Gagal menyiapkan data demo: {message}",
        "en": "Could not prepare the demo data: {message}",
    },
    "choose": {"id": "Pilih…", "en": "Choose…"},
    "all_regions": {"id": "Semua kab/kota", "en": "All regencies"},
    "all_commodities": {"id": "Semua komoditas", "en": "All commodities"},
    # login
    "login_title": {"id": "Masuk petugas", "en": "Officer login"},
    "login": {"id": "Masuk", "en": "Log in"},
    "login_oidc": {"id": "Masuk dengan akun instansi", "en": "Log in with your agency account"},
    "logout": {"id": "Keluar", "en": "Log out"},
    "username": {"id": "Nama pengguna", "en": "User name"},
    "password": {"id": "Kata sandi", "en": "Password"},
    "login_failed": {
        "id": "Nama pengguna atau kata sandi salah.",
        "en": "Wrong user name or password.",
    },
    "logged_in_as": {"id": "Masuk sebagai **{user}**", "en": "Logged in as **{user}**"},
    "no_accounts": {
        "id": "Belum ada akun petugas. Lihat .streamlit/secrets.example.toml.",
        "en": "No officer accounts yet. See .streamlit/secrets.example.toml.",
    },
    "login_to_act": {
        "id": "Masuk sebagai petugas (panel samping) untuk menerima, mencatat tindakan, atau menutup peringatan.",
        "en": "Log in as an officer (sidebar) to acknowledge, record an action or close alerts.",
    },
    # page titles
    "page_ringkasan": {"id": "Ringkasan", "en": "Overview"},
    "page_kabupaten": {"id": "Kabupaten/Kota", "en": "Regency/City"},
    "page_komoditas": {"id": "Komoditas", "en": "Commodity"},
    "page_peringatan": {"id": "Peringatan", "en": "Alerts"},
    "page_skenario": {"id": "Skenario", "en": "Scenarios"},
    "page_kesehatan": {"id": "Kesehatan Data", "en": "Data Health"},
    "page_unggah": {"id": "Unggah Laporan Stok", "en": "Upload Stock Report"},
    "page_laporan": {"id": "Laporan Mingguan", "en": "Weekly Report"},
    # ringkasan
    "ringkasan_title": {
        "id": "Ringkasan Provinsi {province}",
        "en": "{province} Province Overview",
    },
    "top_alerts_title": {"id": "Peringatan teratas", "en": "Top alerts"},
    "no_open_alerts": {
        "id": "Tidak ada peringatan terbuka saat ini.",
        "en": "No open alerts at the moment.",
    },
    "all_alerts_link": {"id": "Lihat semua peringatan", "en": "See all alerts"},
    "kpi_regions_alert": {"id": "Kab/kota Siaga/Awas", "en": "Regencies in Warning/Critical"},
    "kpi_above_reference": {
        "id": "Komoditas di atas harga acuan",
        "en": "Commodities above reference price",
    },
    "kpi_above_reference_help": {
        "id": "{pairs} pasangan kab/kota × komoditas di atas HET/harga acuan",
        "en": "{pairs} regency × commodity pairs above the HET/reference price",
    },
    "kpi_lowest_cover": {"id": "Ketahanan stok terendah", "en": "Lowest days of cover"},
    "kpi_lowest_cover_help": {
        "id": "{commodity} di {region}: stok ÷ rata-rata distribusi harian {window} hari",
        "en": "{commodity} in {region}: stock ÷ average daily distribution over {window} days",
    },
    "days_value": {"id": "{value} hari", "en": "{value} days"},
    "map_title": {"id": "Status terburuk per kab/kota", "en": "Worst status per regency"},
    "map_hint": {
        "id": "Klik titik kab/kota untuk membuka halamannya.",
        "en": "Click a regency's point to open its page.",
    },
    "status_table_title": {
        "id": "Status per kab/kota × komoditas",
        "en": "Status per regency × commodity",
    },
    "filter_min_level": {"id": "Tampilkan mulai level", "en": "Show from level"},
    # column labels
    "col_region": {"id": "Kab/Kota", "en": "Regency/City"},
    "col_commodity": {"id": "Komoditas", "en": "Commodity"},
    "col_status": {"id": "Status", "en": "Status"},
    "col_reason": {"id": "Alasan", "en": "Reason"},
    "col_price": {"id": "Harga", "en": "Price"},
    "col_reference": {"id": "Harga acuan", "en": "Reference price"},
    "col_disparity": {"id": "Selisih thd acuan", "en": "Gap vs reference"},
    "het_not_set": {"id": "HET belum diatur", "en": "HET not set"},
    "col_days_cover": {"id": "Ketahanan stok", "en": "Days of cover"},
    "col_stockout": {"id": "Perkiraan stok habis", "en": "Projected stock-out"},
    "col_date": {"id": "Tanggal", "en": "Date"},
    "col_level": {"id": "Level", "en": "Level"},
    # kabupaten
    "kabupaten_title": {"id": "Kabupaten/Kota: {region}", "en": "Regency/City: {region}"},
    "select_region": {"id": "Kabupaten/Kota", "en": "Regency/City"},
    "select_commodity": {"id": "Komoditas", "en": "Commodity"},
    "metric_price": {"id": "Harga terakhir", "en": "Latest price"},
    "metric_reference": {"id": "Harga acuan berlaku", "en": "Reference price in force"},
    "metric_stock": {"id": "Stok akhir", "en": "Closing stock"},
    "metric_days_cover": {"id": "Ketahanan stok", "en": "Days of cover"},
    "cover_basis": {
        "id": "Stok {stock} ÷ rata-rata distribusi {dist}/hari ({window} hari terakhir). Perkiraan stok habis: {stockout}.",
        "en": "Stock {stock} ÷ average distribution {dist}/day (last {window} days). Projected stock-out: {stockout}.",
    },
    "latest_stock_report": {
        "id": "Laporan stok terbaru: {value} per {date} (sumber: {source}).",
        "en": "Latest stock report: {value} on {date} (source: {source}).",
    },
    "price_chart_title": {"id": "Harga dan prakiraan", "en": "Price and forecast"},
    "stock_chart_title": {"id": "Stok dan proyeksi", "en": "Stock and projection"},
    "price_stock_chart_title": {"id": "Harga dan stok", "en": "Price and stock"},
    "other_commodities": {"id": "Semua komoditas di {region}", "en": "All commodities in {region}"},
    "signals_title": {"id": "Sinyal peringatan dini", "en": "Early-warning signals"},
    "signals_caption": {
        "id": "Setiap aturan yang diperiksa pada proses peramalan terakhir, terkuat di atas.",
        "en": "Every rule checked in the latest forecasting run, strongest first.",
    },
    "signals_empty": {
        "id": "Belum ada sinyal untuk komoditas ini pada proses peramalan terakhir.",
        "en": "No signals for this commodity in the latest forecasting run.",
    },
    "col_signal": {"id": "Sinyal", "en": "Signal"},
    "col_explanation": {"id": "Keterangan", "en": "Explanation"},
    "signal_price_vs_reference": {"id": "Harga terhadap acuan", "en": "Price vs reference"},
    "signal_days_of_cover": {"id": "Ketahanan stok", "en": "Days of cover"},
    "signal_stockout": {"id": "Proyeksi stok habis", "en": "Projected stock-out"},
    "signal_price_trend": {"id": "Tren harga", "en": "Price trend"},
    "signal_wow_change": {"id": "Perubahan harga mingguan", "en": "Week-on-week change"},
    "signal_mom_change": {"id": "Perubahan harga bulanan", "en": "Month-on-month change"},
    "signal_alps": {"id": "ALPS (WFP)", "en": "ALPS (WFP)"},
    "signal_ipa": {"id": "IPA (FAO)", "en": "IPA (FAO)"},
    "signal_resupply_trend": {"id": "Tren pasokan", "en": "Resupply trend"},
    # chart legend labels
    "legend_price": {"id": "Harga harian", "en": "Daily price"},
    "legend_forecast": {"id": "Prakiraan", "en": "Forecast"},
    "legend_band80": {"id": "Rentang 80%", "en": "80% band"},
    "legend_band95": {"id": "Rentang 95%", "en": "95% band"},
    "legend_reference": {"id": "Harga acuan (HET)", "en": "Reference price (HET)"},
    "legend_stock": {"id": "Stok akhir hari", "en": "End-of-day stock"},
    "legend_projection": {"id": "Proyeksi stok", "en": "Projected stock"},
    "legend_distribution": {"id": "Distribusi harian", "en": "Daily distribution"},
    "distribution_chart_title": {"id": "Distribusi harian", "en": "Daily distribution"},
    "per_day": {"id": "hari", "en": "day"},
    "axis_date": {"id": "Tanggal", "en": "Date"},
    "axis_week": {"id": "Minggu mulai", "en": "Week starting"},
    "legend_price_latest": {"id": "Harga terakhir", "en": "Latest price"},
    "legend_cv": {
        "id": "Koefisien variasi antar kab/kota",
        "en": "Coefficient of variation across regencies",
    },
    "legend_cv_target": {"id": "Target 3,5%", "en": "Target 3.5%"},
    # kesehatan data
    "kesehatan_title": {"id": "Kesehatan Data", "en": "Data Health"},
    "sources_title": {"id": "Sumber data dan kesegarannya", "en": "Data sources and freshness"},
    "runs_title": {"id": "Proses impor terakhir", "en": "Latest import runs"},
    "rejected_title": {
        "id": "Baris yang ditolak (10 proses terakhir)",
        "en": "Rejected rows (last 10 runs)",
    },
    "no_rejected": {"id": "Tidak ada baris yang ditolak.", "en": "No rejected rows."},
    "forecast_runs_title": {"id": "Proses prakiraan terakhir", "en": "Latest forecast runs"},
    "accuracy_title": {
        "id": "Akurasi prakiraan (uji mundur terakhir)",
        "en": "Forecast accuracy (latest backtest)",
    },
    "accuracy_help": {
        "id": "Median MASE (< 1 = lebih baik dari metode naif) dan MAPE per komoditas; cakupan = porsi nilai aktual di dalam rentang 80%/95%.",
        "en": "Median MASE (< 1 = better than naive) and MAPE per commodity; coverage = share of actual values inside the 80%/95% band.",
    },
    "no_accuracy": {"id": "Belum ada hasil uji mundur.", "en": "No backtest results yet."},
    "kpi_sources_stale": {"id": "Sumber terlambat", "en": "Stale sources"},
    "kpi_rejected": {"id": "Baris ditolak", "en": "Rejected rows"},
    "kpi_last_forecast": {"id": "Prakiraan terakhir", "en": "Latest forecast"},
    "fresh_ok": {"id": "Segar", "en": "Fresh"},
    "fresh_stale": {"id": "Terlambat", "en": "Stale"},
    "fresh_no_data": {"id": "Belum ada data", "en": "No data"},
    "col_source": {"id": "Sumber", "en": "Source"},
    "col_freshness": {"id": "Kesegaran", "en": "Freshness"},
    "col_latest_data": {"id": "Data terbaru", "en": "Latest data"},
    "col_age_days": {"id": "Umur data", "en": "Data age"},
    "col_last_run": {"id": "Proses terakhir", "en": "Last run"},
    "col_run_status": {"id": "Hasil", "en": "Result"},
    "col_failures": {"id": "Gagal sejak sukses", "en": "Failures since success"},
    "col_message": {"id": "Pesan", "en": "Message"},
    "col_run": {"id": "ID proses", "en": "Run id"},
    "col_started": {"id": "Mulai", "en": "Started"},
    "col_rows_read": {"id": "Baris dibaca", "en": "Rows read"},
    "col_rows_loaded": {"id": "Baris dimuat", "en": "Rows loaded"},
    "col_rows_rejected": {"id": "Baris ditolak", "en": "Rows rejected"},
    "col_row": {"id": "Baris", "en": "Row"},
    "col_raw": {"id": "Isi asli", "en": "Raw content"},
    "col_metric": {"id": "Besaran", "en": "Measure"},
    "col_series": {"id": "Deret", "en": "Series"},
    "col_coverage80": {"id": "Cakupan 80%", "en": "Coverage 80%"},
    "col_coverage95": {"id": "Cakupan 95%", "en": "Coverage 95%"},
    "col_data_as_of": {"id": "Data per", "en": "Data as of"},
    "col_fallback": {"id": "Cadangan", "en": "Fallbacks"},
    "col_seconds": {"id": "Detik", "en": "Seconds"},
    "metric_name_price": {"id": "Harga", "en": "Price"},
    "metric_name_stock": {"id": "Stok", "en": "Stock"},
    "metric_name_distribution": {"id": "Distribusi", "en": "Distribution"},
    "metric_name_delivery": {"id": "Penerimaan", "en": "Delivery"},
    "metric_name_price_producer": {"id": "Harga produsen", "en": "Producer price"},
    "metric_name_price_mill": {"id": "Harga penggilingan", "en": "Mill-gate price"},
    "metric_name_price_wholesale": {"id": "Harga grosir", "en": "Wholesale price"},
    "metric_name_price_procurement": {"id": "HPP", "en": "Procurement price"},
    "held_title": {"id": "Nilai ditahan untuk diperiksa", "en": "Values held for checking"},
    "held_help": {
        "id": "Nilai yang lebih dari 8× di atas atau di bawah median deretnya (90 hari terakhir) tidak dimuat sampai petugas memeriksanya, agar salah ketik (mis. 135.000 untuk 13.500) tidak memicu krisis palsu. Muat bila nilainya benar, buang bila salah input.",
        "en": "Values more than 8× above or below their series' median (last 90 days) are not loaded until an officer checks them, so a typo (e.g. 135,000 for 13,500) does not raise a false crisis. Load a value that is right, discard one that was mistyped.",
    },
    "no_held": {"id": "Tidak ada nilai yang ditahan.", "en": "No values are held."},
    "col_held_value": {"id": "Nilai masuk", "en": "Value received"},
    "col_usual": {"id": "Biasanya (median)", "en": "Usual (median)"},
    "col_ratio": {"id": "Rasio", "en": "Ratio"},
    "login_to_decide_held": {
        "id": "Masuk sebagai petugas untuk memuat atau membuang nilai yang ditahan.",
        "en": "Log in as an officer to load or discard held values.",
    },
    "held_choose": {"id": "Nilai yang diputuskan", "en": "Values to decide on"},
    "held_decision": {"id": "Keputusan", "en": "Decision"},
    "held_confirm": {"id": "Muat (nilai benar)", "en": "Load (the value is right)"},
    "held_discard": {"id": "Buang (salah input)", "en": "Discard (mistyped)"},
    "held_submit": {"id": "Simpan keputusan", "en": "Save decision"},
    "held_none_chosen": {"id": "Pilih minimal satu nilai.", "en": "Choose at least one value."},
    "held_done_confirm": {
        "id": "{n} nilai dimuat ke gudang data.",
        "en": "{n} value(s) loaded into the warehouse.",
    },
    "held_done_discard": {"id": "{n} nilai dibuang.", "en": "{n} value(s) discarded."},
    "held_failed": {
        "id": "Keputusan tidak tersimpan: {message}",
        "en": "The decision was not saved: {message}",
    },
    "reference_title": {"id": "Harga acuan yang berlaku", "en": "Reference prices in force"},
    "reference_help": {
        "id": "Petugas dapat mencatat harga acuan baru (mis. HET baru); baris lama ditutup sehari sebelum tanggal mulai, riwayat tetap tersimpan.",
        "en": "Officers can record a new reference price (e.g. a new HET); the old row closes the day before, history is kept.",
    },
    "province_wide": {"id": "Seluruh provinsi", "en": "Province-wide"},
    "reference_kind": {"id": "Jenis acuan", "en": "Kind"},
    "reference_value": {"id": "Harga (Rp)", "en": "Price (Rp)"},
    "valid_from": {"id": "Berlaku mulai", "en": "Valid from"},
    "reference_source": {"id": "Dasar (keputusan/daftar harga)", "en": "Basis (decree/price list)"},
    "save_reference": {"id": "Simpan harga acuan", "en": "Save reference price"},
    "reference_saved": {"id": "Harga acuan baru tersimpan.", "en": "New reference price saved."},
    "reference_failed": {"id": "Tidak tersimpan: {message}", "en": "Not saved: {message}"},
    "login_to_edit_reference": {
        "id": "Masuk sebagai petugas untuk mengoreksi harga acuan.",
        "en": "Log in as an officer to correct reference prices.",
    },
    # peringatan
    "peringatan_title": {"id": "Peringatan", "en": "Alerts"},
    "filter_state": {"id": "Status penanganan", "en": "Handling state"},
    "filter_regions": {"id": "Kab/kota", "en": "Regencies"},
    "filter_commodities": {"id": "Komoditas", "en": "Commodities"},
    "no_alerts": {
        "id": "Tidak ada peringatan untuk filter ini.",
        "en": "No alerts for these filters.",
    },
    "select_alert": {"id": "Pilih peringatan", "en": "Choose an alert"},
    "current_state": {
        "id": "Level **{level}** · penanganan saat ini: **{state}**",
        "en": "Level **{level}** · current handling: **{state}**",
    },
    "history_title": {"id": "Riwayat peringatan", "en": "Alert history"},
    "act_title": {"id": "Tindak lanjut", "en": "Follow-up"},
    "step": {"id": "Langkah", "en": "Step"},
    "action_kind": {"id": "Jenis tindakan", "en": "Kind of action"},
    "note": {"id": "Catatan", "en": "Note"},
    "submit": {"id": "Simpan", "en": "Save"},
    "step_saved": {"id": "Tersimpan: {step} oleh {user}.", "en": "Saved: {step} by {user}."},
    "no_steps": {"id": "Peringatan ini sudah ditutup.", "en": "This alert is closed."},
    "open_alerts_of_region": {"id": "Peringatan untuk {region}", "en": "Alerts for {region}"},
    "state_new": {"id": "Baru", "en": "New"},
    "state_acknowledged": {"id": "Diterima", "en": "Acknowledged"},
    "state_action": {"id": "Tindakan dicatat", "en": "Action recorded"},
    "state_closed": {"id": "Ditutup", "en": "Closed"},
    "step_acknowledged": {"id": "Terima (acknowledge)", "en": "Acknowledge"},
    "step_action": {"id": "Catat tindakan", "en": "Record an action"},
    "step_closed": {"id": "Tutup peringatan", "en": "Close the alert"},
    "event_raised": {"id": "Muncul", "en": "Raised"},
    "event_repeated": {"id": "Berulang", "en": "Repeated"},
    "event_escalated": {"id": "Meningkat", "en": "Escalated"},
    "event_acknowledged": {"id": "Diterima", "en": "Acknowledged"},
    "event_action": {"id": "Tindakan", "en": "Action"},
    "event_closed": {"id": "Ditutup", "en": "Closed"},
    "kind_stock": {"id": "Stok", "en": "Stock"},
    "kind_price": {"id": "Harga", "en": "Price"},
    "action_operasi_pasar": {"id": "Operasi pasar", "en": "Market operation"},
    "action_tambahan_alokasi": {
        "id": "Tambahan alokasi (mis. LPG)",
        "en": "Extra allocation (e.g. LPG)",
    },
    "action_koordinasi_distributor": {
        "id": "Koordinasi distributor/agen",
        "en": "Coordination with distributors",
    },
    "action_sidak": {"id": "Inspeksi mendadak (sidak)", "en": "Spot inspection"},
    "action_lainnya": {"id": "Lainnya", "en": "Other"},
    "col_kind": {"id": "Jenis", "en": "Kind"},
    "col_first_seen": {"id": "Pertama", "en": "First"},
    "col_last_seen": {"id": "Terakhir", "en": "Latest"},
    "col_state": {"id": "Penanganan", "en": "Handling"},
    "col_when": {"id": "Waktu", "en": "When"},
    "col_event": {"id": "Kejadian", "en": "Event"},
    "col_user": {"id": "Petugas", "en": "Officer"},
    "col_note": {"id": "Catatan / alasan", "en": "Note / reason"},
    # laporan mingguan
    "laporan_title": {"id": "Laporan Mingguan", "en": "Weekly Report"},
    "laporan_intro": {
        "id": "Ekspor untuk rapat pengendalian inflasi hari Senin (Kemendagri): IPH per kab/kota dan ringkasan per komoditas.",
        "en": "Export for the Monday inflation-control meeting (Kemendagri): price-change indicator per regency and a summary per commodity.",
    },
    "week": {
        "id": "Minggu (ISO, mis. 2026-W47; kosong = minggu lengkap terakhir)",
        "en": "Week (ISO, e.g. 2026-W47; empty = last complete week)",
    },
    "dialect": {"id": "Format angka", "en": "Number format"},
    "dialect_standard": {
        "id": "Standar (titik desimal, koma pemisah)",
        "en": "Standard (decimal point, comma separated)",
    },
    "dialect_excel-id": {
        "id": "Excel Indonesia (koma desimal, titik koma)",
        "en": "Indonesian Excel (decimal comma, semicolon)",
    },
    "file_format": {"id": "Jenis berkas", "en": "File type"},
    "allow_stale": {"id": "Tetap buat walau data lama", "en": "Export even if data is old"},
    "build_report": {"id": "Buat laporan", "en": "Build the report"},
    "report_ready": {
        "id": "Laporan minggu {week} siap (data per {date}).",
        "en": "Report for week {week} is ready (data as of {date}).",
    },
    "report_stale": {
        "id": "Perhatian: data lama — berkas ditandai stale=1.",
        "en": "Warning: old data — files are flagged stale=1.",
    },
    "report_failed": {
        "id": "Laporan tidak dapat dibuat: {message}",
        "en": "The report could not be built: {message}",
    },
    "regencies_table": {"id": "Per kab/kota", "en": "Per regency"},
    "commodities_table": {"id": "Per komoditas", "en": "Per commodity"},
    "download_file": {"id": "Unduh {name}", "en": "Download {name}"},
    # unggah
    "unggah_title": {"id": "Unggah Laporan Stok", "en": "Upload Stock Report"},
    "unggah_intro": {
        "id": "Unggah laporan stok harian (CSV/XLSX) dari Pertamina, Bulog, Disperindag atau agen. Periksa dulu, lalu muat baris yang benar.",
        "en": "Upload a daily stock report (CSV/XLSX) from Pertamina, Bulog, Disperindag or agents. Check it first, then load the good rows.",
    },
    "download_template": {"id": "Unduh templat {name}", "en": "Download template {name}"},
    "choose_file": {"id": "Pilih berkas laporan", "en": "Choose the report file"},
    "check_file": {"id": "Periksa berkas", "en": "Check the file"},
    "login_to_upload": {
        "id": "Masuk sebagai petugas (panel samping) untuk mengunggah laporan stok.",
        "en": "Log in as an officer (sidebar) to upload stock reports.",
    },
    "upload_summary": {
        "id": "{file}: {read} baris dibaca, {good} benar, {bad} ditolak.",
        "en": "{file}: {read} rows read, {good} good, {bad} rejected.",
    },
    "upload_errors_title": {"id": "Baris yang perlu diperbaiki", "en": "Rows to fix"},
    "upload_preview_title": {"id": "Data yang akan dimuat", "en": "Data that will be loaded"},
    "load_good_rows": {"id": "Muat {n} baris yang benar", "en": "Load the {n} good rows"},
    "upload_loaded": {
        "id": "Dimuat: {loaded} baris (proses {run}). {bad} baris ditolak tetap tercatat di Kesehatan Data.",
        "en": "Loaded: {loaded} rows (run {run}). {bad} rejected rows are kept on the Data Health page.",
    },
    "upload_failed": {
        "id": "Berkas tidak dapat dimuat: {message}",
        "en": "The file could not be loaded: {message}",
    },
    "nothing_to_load": {
        "id": "Tidak ada baris yang benar untuk dimuat.",
        "en": "There are no good rows to load.",
    },
    "upload_notes_title": {
        "id": "Cara berkas dibaca (lembar, baris judul/ringkasan yang dilewati)",
        "en": "How the file was read (sheets, title/summary rows skipped)",
    },
    "region_suggestions_title": {
        "id": "Nama kabupaten/kota yang tidak dikenal",
        "en": "Regency/city names not recognised",
    },
    "region_suggestions_help": {
        "id": "Pilih kabupaten/kota yang dimaksud bila sarannya benar, lalu periksa ulang. Nama yang tidak dipilih tetap ditolak.",
        "en": "Pick the regency/city meant where the suggestion is right, then check again. Names left unpicked stay rejected.",
    },
    "region_keep_refused": {"id": "(biarkan ditolak)", "en": "(keep rejected)"},
    "apply_suggestions": {"id": "Terapkan dan periksa ulang", "en": "Apply and check again"},
    "col_column": {"id": "Kolom", "en": "Column"},
    "col_value": {"id": "Nilai", "en": "Value"},
    # skenario
    "skenario_title": {"id": "Skenario Perencanaan", "en": "Planning Scenarios"},
    "skenario_intro": {
        "id": "Ubah permintaan, pasokan, keterlambatan atau kuota, lalu bandingkan dengan prakiraan dasar.",
        "en": "Change demand, deliveries, delays or quota, then compare with the baseline forecast.",
    },
    "scenario_name": {"id": "Nama skenario", "en": "Scenario name"},
    "demand_pct": {"id": "Perubahan permintaan (%)", "en": "Demand change (%)"},
    "delivery_pct": {"id": "Perubahan pasokan (%)", "en": "Delivery change (%)"},
    "delay_days": {"id": "Keterlambatan pasokan (hari)", "en": "Delivery delay (days)"},
    "quota_pct": {"id": "Perubahan kuota (%)", "en": "Quota change (%)"},
    "ref_price_pct": {"id": "Perubahan harga acuan (%)", "en": "Reference price change (%)"},
    "window_start": {"id": "Mulai berlaku", "en": "Window start"},
    "window_end": {"id": "Berakhir", "en": "Window end"},
    "run_scenario": {"id": "Jalankan skenario", "en": "Run scenario"},
    "save_scenario": {"id": "Simpan skenario", "en": "Save scenario"},
    "scenario_saved": {"id": 'Skenario "{name}" disimpan.', "en": 'Scenario "{name}" saved.'},
    "scenario_failed": {"id": "Skenario gagal: {message}", "en": "Scenario failed: {message}"},
    "scenario_result_title": {
        "id": "Hasil: dasar vs skenario",
        "en": "Result: baseline vs scenario",
    },
    "scenario_chart_region": {"id": "Grafik untuk", "en": "Chart for"},
    "transfers_title": {"id": "Usulan pemindahan stok", "en": "Suggested stock transfers"},
    "no_transfers": {"id": "Tidak ada usulan pemindahan.", "en": "No transfers suggested."},
    "saved_title": {"id": "Skenario tersimpan: bandingkan", "en": "Saved scenarios: compare"},
    "no_saved": {"id": "Belum ada skenario tersimpan.", "en": "No saved scenarios yet."},
    "login_to_save": {
        "id": "Masuk sebagai petugas untuk menyimpan skenario.",
        "en": "Log in as an officer to save scenarios.",
    },
    "earlier_stockout": {
        "id": "Stok habis lebih cepat pada skenario di {n} kab/kota.",
        "en": "Stock runs out earlier under the scenario in {n} regencies.",
    },
    "legend_baseline": {"id": "Dasar", "en": "Baseline"},
    "legend_scenario": {"id": "Skenario", "en": "Scenario"},
    "col_stockout_baseline": {"id": "Stok habis (dasar)", "en": "Stock-out (baseline)"},
    "col_stockout_scenario": {"id": "Stok habis (skenario)", "en": "Stock-out (scenario)"},
    "col_cover_baseline": {"id": "Ketahanan terendah (dasar)", "en": "Lowest cover (baseline)"},
    "col_cover_scenario": {"id": "Ketahanan terendah (skenario)", "en": "Lowest cover (scenario)"},
    "col_unmet": {"id": "Permintaan tak terlayani", "en": "Unmet demand"},
    "col_from": {"id": "Dari", "en": "From"},
    "col_to": {"id": "Ke", "en": "To"},
    "col_amount": {"id": "Jumlah", "en": "Amount"},
    "col_distance": {"id": "Jarak", "en": "Distance"},
    # komoditas
    "komoditas_title": {"id": "Komoditas: {commodity}", "en": "Commodity: {commodity}"},
    "ranking_title": {"id": "Harga terakhir per kab/kota", "en": "Latest price per regency"},
    "dispersion_title": {
        "id": "Disparitas harga antar kab/kota",
        "en": "Price dispersion across regencies",
    },
    "dispersion_help": {
        "id": "Koefisien variasi (SD ÷ rata-rata). Kemendag: 5–9% normal, target 3,5%.",
        "en": "Coefficient of variation (SD ÷ mean). Ministry of Trade: 5–9% normal, target 3.5%.",
    },
    "heatmap_title": {"id": "Harga rata-rata mingguan", "en": "Weekly mean price"},
    "kpi_cv_now": {"id": "Disparitas (CV) hari ini", "en": "Dispersion (CV) today"},
    "kpi_regions_above": {"id": "Kab/kota di atas acuan", "en": "Regencies above reference"},
    "kpi_biggest_rise": {"id": "Kenaikan terbesar 7 hari", "en": "Largest 7-day rise"},
    "col_price_week_ago": {"id": "Harga 7 hari lalu", "en": "Price 7 days ago"},
    "col_change": {"id": "Perubahan 7 hari", "en": "7-day change"},
    "no_stockout": {"id": "tidak dalam horizon", "en": "not within horizon"},
    # security
    "login_throttled": {
        "id": "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit.",
        "en": "Too many failed login attempts. Try again in 15 minutes.",
    },
    "login_demo_refused": {
        "id": "Akun demo hanya berlaku untuk gudang data demo. Buat akun sendiri (lihat .streamlit/secrets.example.toml).",
        "en": "The demo account works only on the demo warehouse. Create your own account (see .streamlit/secrets.example.toml).",
    },
    "oidc_not_writer": {
        "id": "Akun ini hanya dapat melihat. Minta admin menambahkan Anda ke daftar [writers].",
        "en": "This account can only view. Ask the administrator to add you to the [writers] list.",
    },
    "login_to_build_report": {
        "id": "Masuk sebagai petugas (panel samping) untuk menyusun laporan mingguan.",
        "en": "Log in as an officer (sidebar) to build the weekly report.",
    },
    "internal_error": {
        "id": "Terjadi kesalahan pada aplikasi. Sampaikan kode {error_id} kepada admin.",
        "en": "Something went wrong in the application. Give the code {error_id} to the administrator.",
    },
    "warehouse_not_built": {
        "id": "Gudang data tidak ditemukan di {path}. Data demo hanya dibangun otomatis di lokasi bawaan; periksa JSW_DB, atau setel JSW_BUILD_DEMO=1 untuk membangun data demo di sana.",
        "en": "No data warehouse at {path}. Demo data is built automatically only at the default location; check JSW_DB, or set JSW_BUILD_DEMO=1 to build demo data there.",
    },
    # province level, commodity groups and data coverage
    # ringkasan
    "kpi_province_status": {"id": "Status {province}", "en": "{province} status"},
    "kpi_province_help": {
        "id": "Status terburuk dari data tingkat provinsi (harga PIHPS/Bapanas untuk seluruh"
        " provinsi); {n} komoditas Siaga/Awas.",
        "en": "Worst status of the province-level data (PIHPS/Bapanas prices for the whole"
        " province); {n} commodities in Warning/Critical.",
    },
    "kpi_regions_alert_help": {
        "id": "Kab/kota yang punya status dari datanya sendiri: {n}.",
        "en": "Regencies with a status from their own data: {n}.",
    },
    "no_regency_statuses": {
        "id": "Belum ada status kab/kota: belum ada data tingkat kab/kota. Peta terisi setelah"
        " laporan kab/kota masuk; status tingkat provinsi ada di tabel di bawah.",
        "en": "No regency statuses yet: no regency-level data. The map fills once regency"
        " reports arrive; the province-level statuses are in the table below.",
    },
    "no_stock_reports": {
        "id": "Belum ada laporan stok: ketahanan stok belum dapat dihitung.",
        "en": "No stock reports yet: days of cover cannot be computed.",
    },
    "province_prices_title": {"id": "Harga tingkat provinsi", "en": "Province-level prices"},
    "province_prices_help": {
        "id": "Harga harian {province} dari sumber publik, semua jenis dalam kelompok yang"
        " dipilih, {days} hari terakhir data.",
        "en": "Daily {province} prices from public sources, every kind in the chosen group,"
        " last {days} days of data.",
    },
    "select_group": {"id": "Kelompok komoditas", "en": "Commodity group"},
    "group_all": {"id": "Semua kelompok", "en": "All groups"},
    # komoditas
    "kpi_province_price": {"id": "Harga {province}", "en": "{province} price"},
    "kpi_province_price_help": {
        "id": "Harga terakhir tingkat provinsi ({date}); perubahan terhadap 7 hari sebelumnya"
        " (naik = merah).",
        "en": "Latest province-level price ({date}); change against 7 days earlier (up = red).",
    },
    "no_regency_prices": {
        "id": "Belum ada harga tingkat kab/kota untuk komoditas ini; yang ada hanya harga"
        " tingkat provinsi (di bawah).",
        "en": "No regency-level prices for this commodity yet; only province-level prices"
        " exist (below).",
    },
    "dispersion_needs_two": {
        "id": "Disparitas antar kab/kota perlu harga dari sedikitnya dua kab/kota.",
        "en": "Dispersion across regencies needs prices from at least two regencies.",
    },
    "province_series_title": {
        "id": "Harga {province}: riwayat, prakiraan dan harga acuan",
        "en": "{province} price: history, forecast and reference price",
    },
    "group_prices_title": {
        "id": "Semua jenis {group} di {region}",
        "en": "Every kind of {group} in {region}",
    },
    "group_prices_help": {
        "id": "Kelas HET dan jenis/kualitas menurut sumber (mis. PIHPS) adalah barang yang"
        " berbeda: dibandingkan dengan HET hanya bila pemetaannya dapat dipertanggungjawabkan"
        " (lihat docs/dashboard.md).",
        "en": "HET classes and the grades a source reports (e.g. PIHPS) are different things:"
        " compared with a HET only where the mapping is defensible (see docs/dashboard.md).",
    },
    # kabupaten
    "province_view_caption": {
        "id": "Tingkat provinsi: harga dari sumber publik untuk seluruh provinsi. Stok dilaporkan"
        " per kab/kota, jadi aturan ketahanan stok tidak berlaku di sini.",
        "en": "Province level: prices from public sources for the whole province. Stock is"
        " reported per regency, so the days-of-cover rules do not apply here.",
    },
    "no_price_series": {
        "id": "Belum ada laporan harga untuk pilihan ini.",
        "en": "No price reports for this selection yet.",
    },
    "no_stock_series": {
        "id": "Belum ada laporan stok untuk pilihan ini: aturan ketahanan stok tidak berjalan.",
        "en": "No stock reports for this selection yet: the days-of-cover rules cannot run.",
    },
    "metric_stock_unit": {"id": "Stok akhir ({unit})", "en": "Closing stock ({unit})"},
    "days_unit": {"id": "Ketahanan stok (hari)", "en": "Days of cover (days)"},
    # kesehatan data
    "coverage_title": {"id": "Cakupan data", "en": "Data coverage"},
    "coverage_help": {
        "id": "Apa yang ada per wilayah × komoditas × ukuran. Aturan harga berjalan di mana ada"
        " harga; aturan ketahanan stok hanya di mana stok dan penyaluran dilaporkan. Jeda ="
        " lebih dari {gap} hari tanpa laporan.",
        "en": "What exists per region × commodity × metric. Price rules run where prices exist;"
        " days-of-cover rules only where stock and distribution are reported. Gap = more than"
        " {gap} days without a report.",
    },
    "coverage_summary": {
        "id": "Seri data: {price} harga, {stock} stok, {distribution} distribusi,"
        " {delivery} penerimaan.",
        "en": "Series: {price} price, {stock} stock, {distribution} distribution,"
        " {delivery} delivery.",
    },
    "coverage_empty": {
        "id": "Belum ada data di gudang data. Impor data: `python -m ingest file PATH`.",
        "en": "No data in the warehouse yet. Import data: `python -m ingest file PATH`.",
    },
    "col_place": {"id": "Wilayah", "en": "Region"},
    "col_first_date": {"id": "Data pertama", "en": "First date"},
    "col_last_date": {"id": "Data terakhir", "en": "Last date"},
    "col_days_reported": {"id": "Hari dilaporkan", "en": "Days reported"},
    "col_gaps": {"id": "Jeda", "en": "Gaps"},
    "col_longest_gap": {"id": "Jeda terpanjang", "en": "Longest gap"},
    "col_behind": {"id": "Tertinggal", "en": "Behind"},
    # early-warning engine: stock-out probability
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
    # kesehatan data: measured alert skill
    "skill_title": {"id": "Ketepatan peringatan dini", "en": "Early-warning skill"},
    "skill_help": {
        "id": "Diukur dengan memutar ulang peringatan pada tanggal-tanggal lalu terhadap kejadian "
        "yang tercatat. Terdeteksi = peringatan sejenis (stok/harga) di wilayah dan komoditas yang "
        "sama antara awal penyebab dan saat batas terlampaui. Rentang = selang kepercayaan 90 %.",
        "en": "Measured by replaying the alerts on past dates against recorded incidents. "
        "Detected = an alert of the same kind (stock/price), region and commodity between the "
        "cause and the breach. Ranges are 90 % intervals.",
    },
    "skill_none": {
        "id": "Belum ada skor. Jalankan `python -m forecasting score`.",
        "en": "No score yet. Run `python -m forecasting score`.",
    },
    "skill_source": {
        "id": "Putar ulang {start} – {end}; kejadian dari {source}; dihitung {when}.",
        "en": "Replay {start} – {end}; incidents from {source}; scored {when}.",
    },
    "skill_measure": {"id": "Ukuran", "en": "Measure"},
    "skill_value": {"id": "Nilai", "en": "Value"},
    "skill_interval": {"id": "Rentang 90 %", "en": "90 % range"},
    "skill_old": {"id": "Angka lama (rilis ini saja)", "en": "Old figure (this release only)"},
    "skill_pod": {"id": "Deteksi: semua kejadian", "en": "Detection: all incidents"},
    "skill_pod_kind": {"id": "Deteksi: {kind}", "en": "Detection: {kind}"},
    "skill_lead": {"id": "Median jarak waktu (hari)", "en": "Median lead (days)"},
    "skill_false": {
        "id": "Alarm palsu per wilayah × komoditas × tahun ({kind})",
        "en": "False-alarm episodes per region × commodity × year ({kind})",
    },
    "skill_precision": {
        "id": "Presisi peringatan (sebelum batas terlampaui)",
        "en": "Warning precision (before the breach)",
    },
    "skill_old_fa": {"id": "tingkat alarm palsu (hari) {v}", "en": "false-alarm rate (days) {v}"},
    "skill_kind_all": {"id": "semua", "en": "all"},
    "skill_kind_stock": {"id": "stok", "en": "stock"},
    "skill_kind_price": {"id": "harga", "en": "price"},
}


def current_lang() -> str:
    """The selected language code, ``id`` unless the user switched to English."""
    value = st.session_state.get(LANG_KEY, "id")
    return value if value in LANGUAGES else "id"


@lru_cache(maxsize=8)
def _province_name(setting: str | None) -> str:
    """The province's name for a ``JSW_PROVINCE`` setting (looked up once per setting)."""
    return province().name


def text(key: str, lang: str, **values: object) -> str:
    """The label for ``key`` in ``lang`` (pure; for figure and table builders)."""
    template = TEXTS[key][lang if lang in LANGUAGES else "id"]
    if "{province}" in template:  # the deployment's province (JSW_PROVINCE)
        values = {"province": _province_name(os.environ.get(PROVINCE_ENV)), **values}
    return template.format(**values) if values else template


def t(key: str, **values: object) -> str:
    """The label for ``key`` in the current language, formatted with ``values``."""
    return text(key, current_lang(), **values)
