"""What each column of an office table holds, read from its header text.

A column is a *key* (date, period, region, commodity, unit, market, reporter, price level,
province, or a column to ignore) or a *value* column (a metric, and where the header names
them a commodity, a unit and a price level). Units in the header ("Stok (Ton)", "Harga
(Rp/kg)") count like a unit column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from ingest.normalise import ValueProblem, normalise_alias, parse_date, resolve_commodity
from ingest.officer.regions import resolve_region_name

# Day-number columns are read as a month's days only when at least this many run 1, 2, 3 …
MIN_DAY_COLUMNS = 7
KEY_FIELDS = {
    "date": ("tanggal", "date", "tgl", "hari_tanggal", "tanggal_laporan", "waktu", "timestamp"),
    "period": ("periode", "periode_update", "bulan", "month", "periode_laporan", "bulan_tahun"),
    "region": (
        "kabupaten_kota",
        "kab_kota",
        "kabupaten",
        "wilayah",
        "region",
        "kota_kabupaten",
        "kota_kab",
        "kota_kelurahan",  # PIHPS per-market exports: the column holds regency/city names
        "nama_kabupaten_kota",
        "nama_kab_kota",
        "nama_wilayah",
        "kota",
        "daerah",
        "regency",
    ),
    "commodity": (
        "komoditas",
        "jenis_komoditas",
        "commodity",
        "kategori",
        "nama_komoditas",
        "komoditi",
        "jenis_barang",
        "nama_barang",
        "barang",
        "bahan_pokok",
        "jenis_bahan_pokok",
        "item",
        "commodity_slug",
    ),
    "unit": ("satuan", "unit"),
    "market": (
        "pasar",
        "nama_pasar",
        "outlet",
        "pasar_outlet",
        "pangkalan",
        "market",
        "pasar_pangkalan",
        "market_type",
        "jenis_pasar",
    ),
    "reporter": ("pelapor", "nama_pelapor", "reporter", "petugas", "nama_petugas"),
    "level": (
        "tipe",
        "tingkat",
        "tingkat_harga",
        "level_harga",
        "jenis_harga",
        "level",
        "price_level",
    ),
    "province": ("provinsi", "nama_provinsi", "province", "province_name"),
    "province_code": ("kode_provinsi", "bps_province_code", "province_code", "kode_prov"),
    "ignore": (
        "no",
        "nomor",
        "id",
        "id_index",
        "kode_kabupaten_kota",
        "kode_wilayah",
        "kode",
        "tahun",
        "year",
        "keterangan",
        "ket",
        "sumber",
    ),
}
KEY_BY_HEADER = {header: field for field, headers in KEY_FIELDS.items() for header in headers}
METRIC_WORDS = {
    "STOK AKHIR": "stock",
    "JUMLAH STOK": "stock",
    "STOK": "stock",
    "STOCK": "stock",
    "PENYALURAN": "distribution",
    "DISTRIBUTION": "distribution",
    "PENERIMAAN": "delivery",
    "DELIVERIES": "delivery",
    "DELIVERY": "delivery",
    "HARGA RATA RATA": "price",
    "HARGA": "price",
    "PRICE": "price",
    "JUMLAH": "value",
    "NILAI": "value",
    "VALUE": "value",
}
# level word -> metric; the consumer price alone is "price" (compared with the HET)
LEVEL_WORDS = {
    "TINGKAT PETANI": "price_producer",
    "DI PETANI": "price_producer",
    "PRODUSEN": "price_producer",
    "PETANI": "price_producer",
    "PRODUCER": "price_producer",
    "PENGGILINGAN": "price_mill",
    "PABRIK GULA": "price_mill",
    "PABRIK": "price_mill",
    "MILL": "price_mill",
    "GROSIR": "price_wholesale",
    "PEDAGANG BESAR": "price_wholesale",
    "PERDAGANGAN BESAR": "price_wholesale",
    "WHOLESALE": "price_wholesale",
    "HPP": "price_procurement",
    "KONSUMEN": "price",
    "ECERAN": "price",
    "RETAIL": "price",
    "CONSUMER": "price",
}
LEVEL_LABELS = {
    "price": "konsumen/consumer",
    "price_producer": "produsen/producer",
    "price_mill": "penggilingan/mill-gate",
    "price_wholesale": "grosir/wholesale",
    "price_procurement": "HPP/procurement",
}
# Office names of watched commodities that are not a reference name or code.
COMMODITY_HEADER_ALIASES = {
    "GULA KONSUMSI": "gula_pasir",
    "GULA PASIR": "gula_pasir",
    "MINYAK GORENG KEMASAN": "minyak_goreng",
    "MINYAK GORENG KEMASAN SEDERHANA": "minyak_goreng",
    "BERAS SPHP": "beras_sphp",
    "LPG 3 KG": "lpg_3kg",
    "LPG TABUNG 3 KG": "lpg_3kg",
    "SOLAR SUBSIDI": "biosolar",
}
# Commodities office files carry that this system does not watch: skipped, and named.
UNWATCHED_WORDS = (
    "GABAH",
    "GKP",
    "GKG",
    "JAGUNG",
    "KEDELAI",
    "BAWANG",
    "CABAI",
    "CABE",
    "DAGING",
    "AYAM",
    "TELUR",
    "IKAN",
    "GARAM",
    "TEPUNG",
    "MINYAKITA",
    "SAPI",
    "KERBAU",
    "SUSU",
    "BERAS KHUSUS",
    "NON SPHP",
    "CURAH",
    "TERIGU",
    "KACANG",
    "PERTAMAX TURBO",
    "DEXLITE",
)
# Columns that hold no observation of the day: earlier values, changes, references, targets.
NOT_AN_OBSERVATION = (
    "KEMARIN",
    "SEBELUMNYA",
    "LALU",
    "PERUBAHAN",
    "SELISIH",
    "PERSEN",
    "NAIK",
    "TURUN",
    "DISPARITAS",
    "HET",
    "HAP",
    "TERTINGGI",
    "TERENDAH",
    "MINIMUM",
    "MAKSIMUM",
    "MAKS",
    "MIN",
    "STOK AWAL",
    "KEBUTUHAN",
    "KONSUMSI HARIAN",
    "KETAHANAN",
    "TARGET",
    "ALOKASI",
    "KUOTA",
    "NASIONAL",
    "RENCANA",
    "PROYEKSI",
)
# PIHPS grade names (the categories of Bank Indonesia's survey), stored as their own commodities.
PIHPS_GRADES = {
    "BERAS KUALITAS BAWAH I": "pihps_beras_bawah_1",
    "BERAS KUALITAS BAWAH II": "pihps_beras_bawah_2",
    "BERAS KUALITAS MEDIUM I": "pihps_beras_medium_1",
    "BERAS KUALITAS MEDIUM II": "pihps_beras_medium_2",
    "BERAS KUALITAS SUPER I": "pihps_beras_super_1",
    "BERAS KUALITAS SUPER II": "pihps_beras_super_2",
    "MINYAK GORENG KEMASAN BERMERK 1": "pihps_minyak_goreng_kemasan_1",
    "MINYAK GORENG KEMASAN BERMERK 2": "pihps_minyak_goreng_kemasan_2",
    "GULA PASIR KUALITAS PREMIUM": "pihps_gula_pasir_premium",
    "GULA PASIR LOKAL": "pihps_gula_pasir_lokal",
}
_UNIT_IN_HEADER = re.compile(r"\(([^()]*)\)\s*$")


@dataclass(frozen=True)
class ValueColumn:
    """A column of numbers: its metric and what the header says about them."""

    index: int
    header: str
    metric: str  # stock | distribution | delivery | price | value (metric told by the unit)
    commodity: str | None = None
    unit: str | None = None
    level: str | None = None  # a price metric when the header names the level
    region: str | None = None  # a column per regency (dates or commodities down the rows)
    date: dt.date | None = None  # a column per day (regencies or commodities down the rows)
    day: int | None = None  # a column per day number 1..31 (month and year told elsewhere)


@dataclass
class Columns:
    """The roles of a header row's columns."""

    keys: dict[str, tuple[int, str]]
    values: list[ValueColumn]
    ignored: list[str]
    unwatched: list[str]

    @property
    def score(self) -> int:
        """How much of a known table this header row shows."""
        useful = {"date", "period", "region", "commodity", "unit", "market", "level", "province"}
        return len(set(self.keys) & useful) + len(self.values)


_TEXTS: dict[str, str] = {}
_TEXTS_MAX = 20_000


def cell_text(value: object) -> str:
    """A cell as text ('' for empty); spaces collapsed (remembered: names repeat on every row)."""
    if value.__class__ is str:
        text = _TEXTS.get(value)  # type: ignore[arg-type]
        if text is None:
            if len(_TEXTS) >= _TEXTS_MAX:
                _TEXTS.clear()
            text = _TEXTS[value] = " ".join(value.split())  # type: ignore[union-attr,index]
        return text
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def header_key(text: str) -> str:
    """``'Kota / Kelurahan'`` -> ``'kota_kelurahan'``."""
    return "_".join(normalise_alias(text).lower().split())


def split_unit(text: str) -> tuple[str, str | None]:
    """``'Stok (Ton)'`` -> ('Stok', 'Ton'); a header without a unit in brackets keeps None."""
    match = _UNIT_IN_HEADER.search(text)
    if not match:
        return text, None
    return text[: match.start()].strip(), match.group(1).strip() or None


def _take_words(text: str, words: dict[str, str]) -> tuple[str | None, str]:
    """The first listed word found in ``text`` (as whole words) and the text without it."""
    for word in sorted(words, key=len, reverse=True):
        pattern = rf"(^| ){re.escape(word)}( |$)"
        if re.search(pattern, text):
            return words[word], " ".join(re.sub(pattern, " ", text).split())
    return None, text


def header_commodity(text: str) -> str | None:
    """The watched commodity a header text names (PIHPS grade names included), or None."""
    key = normalise_alias(text).replace("BERMEREK", "BERMERK")
    code = COMMODITY_HEADER_ALIASES.get(key) or resolve_commodity(key)
    if code is None and ("KUALITAS" in key or "BERMERK" in key or key == "GULA PASIR LOKAL"):
        code = PIHPS_GRADES.get(key)
    return code


def is_unwatched(text: str) -> bool:
    """Whether a name is a commodity this system does not watch (skipped, not an error)."""
    key = normalise_alias(text)
    return any(re.search(rf"(^| ){re.escape(w)}( |$)", key) for w in UNWATCHED_WORDS)


def is_not_an_observation(text: str) -> bool:
    """Yesterday's price, a change, the HET, a target…: a column that is not the day's value."""
    key = normalise_alias(text)
    return any(re.search(rf"(^| ){re.escape(w)}( |$)", key) for w in NOT_AN_OBSERVATION)


def classify(headers: list[str], aliases: dict[str, str] | None = None) -> Columns:
    """The role of every column of a header row."""
    keys: dict[str, tuple[int, str]] = {}
    values: list[ValueColumn] = []
    ignored: list[str] = []
    unwatched: list[str] = []
    days: list[ValueColumn] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        name, unit = split_unit(header)
        key_field = KEY_BY_HEADER.get(header_key(name)) or KEY_BY_HEADER.get(header_key(header))
        if key_field == "ignore":
            ignored.append(header)
            continue
        if key_field and key_field not in keys:
            keys[key_field] = (index, header)
            continue
        if is_not_an_observation(name):
            ignored.append(header)
            continue
        column = (
            _value_column(index, header, name, unit)
            or _region_column(index, header, name, unit, aliases)
            or _date_column(index, header)
        )
        if column is not None:
            values.append(column)
        elif (number := day_number(header)) is not None:
            days.append(ValueColumn(index, header, "value", unit=unit, day=number))
        elif is_unwatched(name):
            unwatched.append(header)
        else:
            ignored.append(header)
    if is_day_run([c.day or 0 for c in days]) and keys.keys() & {"region", "commodity"}:
        values += days
    else:
        ignored += [c.header for c in days]
    return Columns(keys, values, ignored, unwatched)


_DAY_HEADER = re.compile(r"(?:TANGGAL|TGL|HARI|DAY)?\s*(\d{1,2})")


def day_number(header: str) -> int | None:
    """``'1'`` .. ``'31'`` (or ``'Tgl 5'``): a day of the month heading a column, else None."""
    match = _DAY_HEADER.fullmatch(normalise_alias(header))
    number = int(match.group(1)) if match else 0
    return number if 1 <= number <= 31 else None


def is_day_run(numbers: list[int]) -> bool:
    """Day numbers 1, 2, 3 … in order (at least a week of them): a month's days across."""
    return len(numbers) >= MIN_DAY_COLUMNS and numbers == list(range(1, len(numbers) + 1))


def _region_column(
    index: int, header: str, name: str, unit: str | None, aliases: dict[str, str] | None
) -> ValueColumn | None:
    """A column headed by a regency name ("Kerinci", "Kota Jambi")."""
    try:
        code = resolve_region_name(name, aliases)
    except ValueProblem:
        return None
    return ValueColumn(index, header, "value", None, unit, None, code)


def _date_column(index: int, header: str) -> ValueColumn | None:
    """A column headed by a date ("01/08/2024", "1 Agu 2024", a date cell)."""
    try:
        day = parse_date(header)
    except ValueProblem:
        return None
    return ValueColumn(index, header, "value", date=day)


def _value_column(index: int, header: str, name: str, unit: str | None) -> ValueColumn | None:
    text = normalise_alias(name)
    metric, rest = _take_words(text, METRIC_WORDS)
    levels: list[str] = []
    while True:
        found, rest = _take_words(rest, LEVEL_WORDS)
        if found is None:
            break
        levels.append(found)
    level = "price_producer" if "price_producer" in levels else (levels[0] if levels else None)
    rest = " ".join(w for w in rest.split() if w not in {"RP", "IDR", "TINGKAT", "DI"})
    if level and metric in (None, "value"):
        metric = "price"
    if not rest:
        return ValueColumn(index, header, metric, None, unit, level) if metric else None
    if is_unwatched(rest) and not COMMODITY_HEADER_ALIASES.get(rest):
        return None
    commodity = header_commodity(rest)
    if commodity is None:
        return None
    return ValueColumn(index, header, metric or "value", commodity, unit, level)
