"""Normalisation shared by every source: regions, commodities, numbers, dates and units."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from warehouse.geography import province
from warehouse.reference import normalise_alias, read_reference_csv

PROVINCE_CODE = province().bps_code  # province-level observations (JSW_PROVINCE, default 15)
PROVINCE_ALIASES = province().aliases


class ValueProblem(ValueError):
    """A single cell that cannot be understood; the message is shown to the user."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en


# ---------------------------------------------------------------- regions and commodities
@lru_cache(maxsize=1)
def region_lookup() -> dict[str, str]:
    """Normalised alias (and BPS code) -> BPS code, from the committed reference data."""
    aliases = read_reference_csv("region_aliases")
    lookup = dict(zip(aliases["alias"].map(normalise_alias), aliases["bps_code"], strict=True))
    for code, name in read_reference_csv("regions")[["bps_code", "name"]].itertuples(index=False):
        lookup[code] = code
        lookup.setdefault(normalise_alias(name), code)
    return lookup


def resolve_region(text: object, allow_province: bool = False) -> str | None:
    """BPS code for a region name/code variant, ``'15'`` for the province if allowed, else None."""
    key = normalise_alias(str(text or ""))
    if allow_province and (key in PROVINCE_ALIASES or key == PROVINCE_CODE):
        return PROVINCE_CODE
    return region_lookup().get(key)


@dataclass(frozen=True)
class Commodity:
    """A commodity of the reference table with its units."""

    code: str
    name_id: str
    name_en: str
    category: str
    price_unit: str
    stock_unit: str


@lru_cache(maxsize=1)
def commodities() -> dict[str, Commodity]:
    """Commodity code -> Commodity, from ``data/commodities.csv``."""
    frame = read_reference_csv("commodities")
    return {
        row.code: Commodity(
            row.code, row.name_id, row.name_en, row.category, row.price_unit, row.stock_unit
        )
        for row in frame.itertuples(index=False)
    }


# officer spellings that are not a code or a reference name
COMMODITY_EXTRA_ALIASES = {
    "SOLAR": "biosolar",
    "BIO SOLAR": "biosolar",
    "LPG": "lpg_3kg",
    "LPG 3KG": "lpg_3kg",
    "ELPIJI 3 KG": "lpg_3kg",
    "ELPIJI 3KG": "lpg_3kg",
    "GAS MELON": "lpg_3kg",
    "GULA": "gula_pasir",
    "MINYAK GORENG": "minyak_goreng",
}


@lru_cache(maxsize=1)
def commodity_lookup() -> dict[str, str]:
    """Normalised code / Indonesian name / English name -> commodity code."""
    lookup = {normalise_alias(k): v for k, v in COMMODITY_EXTRA_ALIASES.items()}
    for item in commodities().values():
        for text in (item.code, item.code.replace("_", " "), item.name_id, item.name_en):
            lookup[normalise_alias(text)] = item.code
    return lookup


def resolve_commodity(text: object) -> str | None:
    """Commodity code for a code or name variant, or None."""
    return commodity_lookup().get(normalise_alias(str(text or "")))


# ---------------------------------------------------------------- numbers
_NUMBER_CHARS = re.compile(r"^[0-9.,]+$")


def number_convention(texts: list[object]) -> str | None:
    """The separator convention a column (or file) shows by its unambiguous values.

    ``"id"`` when some value can only be Indonesian (``1.234,5``, ``12,5``, ``13.500.000``),
    ``"en"`` when some value can only be English (``1,234.5``, ``12.5``, ``1,234,567``), None when
    no value tells, or when both conventions occur (a mixed column decides nothing).
    """
    seen: set[str] = set()
    for text in texts:
        if not isinstance(text, str):
            continue
        cleaned = _strip_currency(text)
        if not cleaned or not _NUMBER_CHARS.match(cleaned.lstrip("-")):
            continue
        seen |= _conventions_shown(cleaned.lstrip("-"))
    return next(iter(seen)) if len(seen) == 1 else None


def _conventions_shown(cleaned: str) -> set[str]:
    dots, commas = cleaned.count("."), cleaned.count(",")
    if dots and commas:
        return {"id"} if cleaned.rfind(",") > cleaned.rfind(".") else {"en"}
    if commas == 1 and len(cleaned.split(",")[1]) != 3:
        return {"id"}
    if dots == 1 and len(cleaned.split(".")[1]) != 3:
        return {"en"}
    if commas > 1 and _grouped(cleaned, ","):
        return {"en"}
    if dots > 1 and _grouped(cleaned, "."):
        return {"id"}
    return set()


def _strip_currency(raw: str) -> str:
    cleaned = re.sub(r"^(RP\.?|IDR)\s*", "", raw.strip().upper())
    return cleaned.replace(" ", "").replace("\u00a0", "")


def parse_number(text: object, convention: str | None = None) -> float | None:
    """A number in a file whose separator convention is known (``"id"``/``"en"``) or not (None).

    With a known convention, ``13,500`` and ``13.500`` are read by it. Without one, the
    Indonesian rules of :func:`parse_indonesian_number` apply, except that a Rupiah amount
    (``Rp12,072``: Rupiah are never written with three decimals) is read as thousands.
    """
    if convention == "en" and isinstance(text, str) and _strip_currency(text) not in {"", "-"}:
        swapped = _strip_currency(text).translate(str.maketrans({",": ".", ".": ","}))
        try:
            return parse_indonesian_number(swapped)
        except ValueProblem as problem:
            raise ValueProblem(
                problem.message_id.replace(swapped, text.strip()),
                problem.message_en.replace(swapped, text.strip()),
            ) from None
    if convention == "id" and isinstance(text, str):
        cleaned = _strip_currency(text)
        if re.fullmatch(r"-?\d{1,3},\d{3}", cleaned):
            return float(cleaned.replace(",", "."))
    if convention is None and isinstance(text, str):
        raw = text.strip().upper()
        cleaned = _strip_currency(text)
        if raw.startswith(("RP", "IDR")) and re.fullmatch(r"\d{1,3}(,\d{3})+", cleaned):
            return float(cleaned.replace(",", ""))
    return parse_indonesian_number(text)


def parse_indonesian_number(text: object) -> float | None:
    """Parse a number as officers write it; None for an empty cell.

    Indonesian style: ``13.500`` = 13500, ``1.234,5`` = 1234.5, ``12,5`` = 12.5, optional
    ``Rp`` prefix and spaces. English style with both separators (``1,234.5``) and plain
    decimals (``12.5``) are unambiguous and accepted. ``1,234`` (could be 1.234 or 1234) and
    malformed groups such as ``12,3,4`` raise ValueProblem.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueProblem("bukan angka", "not a number")
    if isinstance(text, int | float):
        if isinstance(text, float) and math.isnan(text):
            return None
        return float(text)
    raw = str(text).strip()
    cleaned = re.sub(r"^(RP\.?|IDR)\s*", "", raw.upper()).replace(" ", "").replace("\u00a0", "")
    cleaned = cleaned.removesuffix(",-").removesuffix(",00") if "," in cleaned else cleaned
    if cleaned in {"", "-"}:
        return None
    negative = cleaned.startswith("-")
    cleaned = cleaned.lstrip("-")
    if not _NUMBER_CHARS.match(cleaned):
        raise _not_a_number(raw)
    value = _parse_separators(cleaned, raw)
    return -value if negative else value


def _not_a_number(raw: str) -> ValueProblem:
    return ValueProblem(f"'{raw}' bukan angka yang valid", f"'{raw}' is not a valid number")


def _grouped(integer: str, sep: str) -> bool:
    parts = integer.split(sep)
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def _parse_separators(cleaned: str, raw: str) -> float:
    dots, commas = cleaned.count("."), cleaned.count(",")
    if dots and commas:
        last_dot, last_comma = cleaned.rfind("."), cleaned.rfind(",")
        thousands, decimal = (".", ",") if last_comma > last_dot else (",", ".")
        integer, _, fraction = cleaned.rpartition(decimal)
        if cleaned.count(decimal) != 1 or not fraction or not _grouped(integer, thousands):
            raise _not_a_number(raw)
        return float(integer.replace(thousands, "") + "." + fraction)
    if commas:
        if commas == 1 and len(cleaned.split(",")[1]) == 3:
            raise ValueProblem(
                f"'{raw}' ambigu (1,234 bisa berarti seribu lebih atau satu koma) dan berkas tidak "
                "menunjukkan pemisah yang dipakai; tulis 1234 atau 1,2",
                f"'{raw}' is ambiguous (thousands or decimal comma) and the file does not show "
                "which separator it uses; write 1234 or 1,2",
            )
        if commas > 1:
            if not _grouped(cleaned, ","):
                raise _not_a_number(raw)
            raise ValueProblem(
                f"'{raw}' memakai koma sebagai pemisah ribuan; gunakan titik (13.500)",
                f"'{raw}' uses commas as thousands separators; use dots (13.500)",
            )
        integer, fraction = cleaned.split(",")
        if not integer or not fraction:
            raise _not_a_number(raw)
        return float(f"{integer}.{fraction}")
    if dots:
        if dots == 1 and len(cleaned.split(".")[1]) != 3:
            integer, fraction = cleaned.split(".")
            if not integer or not fraction:
                raise _not_a_number(raw)
            return float(cleaned)
        if not _grouped(cleaned, "."):
            raise _not_a_number(raw)
        return float(cleaned.replace(".", ""))
    return float(cleaned)


def parse_comma_thousands(text: object) -> float | None:
    """PIHPS style ``"43,550"`` = 43550: moved to ``ingest.numbers`` (one reader of source
    numbers); kept here for existing callers."""
    from ingest.numbers import parse_comma_thousands as parse  # numbers imports this module

    return parse(text)


# ---------------------------------------------------------------- dates
EXCEL_EPOCH = dt.date(1899, 12, 30)


MONTHS = {
    "JANUARI": 1, "JANUARY": 1, "JAN": 1,
    "FEBRUARI": 2, "PEBRUARI": 2, "FEBRUARY": 2, "FEB": 2, "PEB": 2,
    "MARET": 3, "MARCH": 3, "MAR": 3,
    "APRIL": 4, "APR": 4,
    "MEI": 5, "MAY": 5,
    "JUNI": 6, "JUNE": 6, "JUN": 6,
    "JULI": 7, "JULY": 7, "JUL": 7,
    "AGUSTUS": 8, "AUGUST": 8, "AGU": 8, "AGT": 8, "AGS": 8, "AUG": 8, "AGUST": 8,
    "SEPTEMBER": 9, "SEP": 9, "SEPT": 9,
    "OKTOBER": 10, "OCTOBER": 10, "OKT": 10, "OCT": 10,
    "NOVEMBER": 11, "NOPEMBER": 11, "NOV": 11, "NOP": 11,
    "DESEMBER": 12, "DECEMBER": 12, "DES": 12, "DEC": 12,
}  # fmt: skip
_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_NAMED_DATE = re.compile(
    rf"\b(\d{{1,2}})[\s.-]*({_MONTH_WORDS})\.?[\s.-]*(\d{{4}}|\d{{2}})\b", re.IGNORECASE
)
_NAMED_MONTH = re.compile(rf"\b({_MONTH_WORDS})\.?[\s.-]*(\d{{4}})\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


def _real_date(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(
            f"'{raw}' bukan tanggal yang ada (format dd/mm/yyyy)",
            f"'{raw}' is not a real date (format dd/mm/yyyy)",
        ) from None


def _named_date(raw: str) -> dt.date | None:
    """``26 Februari 2026``, ``Kamis, 26 Feb 2026``, ``30 Jan 26``, ``7-Agu-2024``."""
    match = _NAMED_DATE.fullmatch(re.sub(r"^[A-Za-z]+,\s*", "", raw))
    if not match:
        return None
    day, month, year = match.groups()
    year_number = int(year) + (2000 if len(year) == 2 else 0)
    return _real_date(year_number, MONTHS[month.upper()], int(day), raw)


def parse_period(value: object) -> dt.date | None:
    """First day of a month period (``2020-01``, ``Januari 2020``, ``Juni 2026``), else None."""
    raw = " ".join(str(value if value is not None else "").split())
    match = re.fullmatch(r"(\d{4})[-/](\d{1,2})", raw)
    if match:
        year, month = (int(g) for g in match.groups())
        return _real_date(year, month, 1, raw) if 1 <= month <= 12 else None
    match = _NAMED_MONTH.fullmatch(raw)
    if match:
        return dt.date(int(match.group(2)), MONTHS[match.group(1).upper()], 1)
    return None


def find_date(text: str) -> dt.date | None:
    """The first date written inside a longer text (a title, a sheet or file name), or None."""
    text = text.replace("_", " ")
    for pattern, order in ((_NAMED_DATE, "dmy"), (_NUMERIC_DATE, "dmy"), (_ISO_DATE, "ymd")):
        for match in pattern.finditer(text):
            first, second, third = match.groups()
            try:
                if pattern is _NAMED_DATE:
                    year = int(third) + (2000 if len(third) == 2 else 0)
                    return dt.date(year, MONTHS[second.upper()], int(first))
                if order == "dmy":
                    return dt.date(int(third), int(second), int(first))
                return dt.date(int(first), int(second), int(third))
            except ValueError:
                continue
    return None


def parse_date(value: object, allow_excel_serial: bool = False) -> dt.date:
    """Dates as officers write them: ``dd/mm/yyyy``, ``dd-mm-yyyy``, ``yyyy-mm-dd``, Indonesian
    month names or abbreviations (``26 Februari 2026``, ``7 Agu 2024``) or Excel cells."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if allow_excel_serial and isinstance(value, int | float) and 20000 <= value <= 80000:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    raw = " ".join(str(value if value is not None else "").split())
    if not raw:
        raise ValueProblem("tanggal kosong", "date is empty")
    if allow_excel_serial and re.fullmatch(r"\d{5}(\.0+)?", raw) and 20000 <= float(raw) <= 80000:
        return EXCEL_EPOCH + dt.timedelta(days=int(float(raw)))
    named = _named_date(raw)
    if named is not None:
        return named
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", raw)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", raw)
        if not match:
            raise ValueProblem(
                f"'{raw}' bukan tanggal yang dikenali; gunakan dd/mm/yyyy",
                f"'{raw}' is not a recognised date; use dd/mm/yyyy",
            )
        day, month, year = (int(g) for g in match.groups())
    return _real_date(year, month, day, raw)


# ---------------------------------------------------------------- units
# unit spelling -> (canonical unit, factor to that unit)
_UNIT_ALIASES: dict[str, tuple[str, float]] = {
    "TON": ("ton", 1.0),
    "TONNE": ("ton", 1.0),
    "T": ("ton", 1.0),
    "MT": ("ton", 1.0),
    "KG": ("kg", 1.0),
    "KILOGRAM": ("kg", 1.0),
    "KL": ("kL", 1.0),
    "KILOLITER": ("kL", 1.0),
    "KILOLITRE": ("kL", 1.0),
    "L": ("L", 1.0),
    "LT": ("L", 1.0),
    "LITER": ("L", 1.0),
    "LITRE": ("L", 1.0),
    "TABUNG": ("tabung", 1.0),
    "TABUNG 3 KG": ("tabung", 1.0),
    "TABUNG 3KG": ("tabung", 1.0),
}
# (from, to) -> multiply by
_CONVERSIONS: dict[tuple[str, str], float] = {
    ("kg", "ton"): 0.001,
    ("L", "kL"): 0.001,
}
LPG_3KG_KG_PER_TABUNG = 3.0


def convert_quantity(value: float, unit_text: object, commodity: Commodity) -> float:
    """Convert a stock quantity into the commodity's stock unit (ton, kL or tabung)."""
    key = normalise_alias(str(unit_text or ""))
    if not key:
        raise ValueProblem(
            f"satuan kosong; isi satuan ({commodity.stock_unit})",
            f"unit is empty; fill in the unit ({commodity.stock_unit})",
        )
    if key not in _UNIT_ALIASES:
        raise ValueProblem(
            f"satuan '{unit_text}' tidak dikenal; gunakan {commodity.stock_unit}",
            f"unit '{unit_text}' is unknown; use {commodity.stock_unit}",
        )
    unit, factor = _UNIT_ALIASES[key]
    value *= factor
    target = commodity.stock_unit
    if unit == target:
        return value
    if target == "tabung" and commodity.code == "lpg_3kg" and unit in {"kg", "ton"}:
        kilograms = value * (1000.0 if unit == "ton" else 1.0)
        return kilograms / LPG_3KG_KG_PER_TABUNG
    if (unit, target) in _CONVERSIONS:
        return value * _CONVERSIONS[(unit, target)]
    raise ValueProblem(
        f"satuan '{unit_text}' tidak cocok untuk {commodity.name_id} (harus {target})",
        f"unit '{unit_text}' does not fit {commodity.name_en} (expected {target})",
    )
