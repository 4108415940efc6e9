"""Labels for the province level, commodity groups and data coverage (merged into ``TEXTS``)."""

from __future__ import annotations

PROVINCE_TEXTS: dict[str, dict[str, str]] = {
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
}
