"""Normalisation: Indonesian numbers, dates, units, region and commodity names."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.normalise import (
    PROVINCE_CODE,
    ValueProblem,
    commodities,
    convert_quantity,
    parse_comma_thousands,
    parse_date,
    parse_indonesian_number,
    resolve_commodity,
    resolve_region,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13.500", 13500.0),
        ("Rp 13.500", 13500.0),
        ("Rp13.500,-", 13500.0),
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("1,234.5", 1234.5),
        ("850", 850.0),
        (" 42 ", 42.0),
        ("IDR 15.400,00", 15400.0),
        (15400, 15400.0),
        (12.75, 12.75),
        ("", None),
        (None, None),
        ("-", None),
    ],
)
def test_indonesian_numbers(text, expected):
    assert parse_indonesian_number(text) == expected


@pytest.mark.parametrize(
    "text", ["12,3,4", "1,234", "abc", "1.23.4", "12..5", "1.234,5,6", "1,000,000"]
)
def test_ambiguous_or_malformed_numbers_are_rejected(text):
    with pytest.raises(ValueProblem) as info:
        parse_indonesian_number(text)
    assert text in info.value.message_id and text in info.value.message_en


def test_pihps_comma_thousands_and_no_report_markers():
    assert parse_comma_thousands("43,550") == 43550.0
    assert parse_comma_thousands("1,043,550") == 1043550.0
    assert parse_comma_thousands("-") is None
    assert parse_comma_thousands("0") is None
    with pytest.raises(ValueProblem):
        parse_comma_thousands("43.55.0")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("07/08/2024", dt.date(2024, 8, 7)),
        ("7/8/2024", dt.date(2024, 8, 7)),
        ("07-08-2024", dt.date(2024, 8, 7)),
        ("2024-08-07", dt.date(2024, 8, 7)),
        ("12-9-2025", dt.date(2025, 9, 12)),
        (dt.datetime(2024, 8, 7, 0, 0), dt.date(2024, 8, 7)),
    ],
)
def test_dates_day_first(value, expected):
    assert parse_date(value) == expected


def test_excel_serial_dates_only_when_allowed():
    assert parse_date(45511, allow_excel_serial=True) == dt.date(2024, 8, 7)
    with pytest.raises(ValueProblem):
        parse_date(45511)


@pytest.mark.parametrize("value", ["13/25/2024", "31/02/2024", "07/08/24", "Agustus", ""])
def test_bad_dates_are_rejected(value):
    with pytest.raises(ValueProblem):
        parse_date(value)


def test_unit_conversions_into_stock_units():
    rice, fuel, lpg = (commodities()[c] for c in ("beras_medium", "pertalite", "lpg_3kg"))
    assert convert_quantity(2500, "kg", rice) == pytest.approx(2.5)
    assert convert_quantity(2.5, "Ton", rice) == 2.5
    assert convert_quantity(96500, "liter", fuel) == pytest.approx(96.5)
    assert convert_quantity(96.5, "KL", fuel) == 96.5
    assert convert_quantity(300, "kg", lpg) == pytest.approx(100)
    assert convert_quantity(0.3, "ton", lpg) == pytest.approx(100)
    assert convert_quantity(100, "tabung", lpg) == 100
    for unit, item in (("liter", rice), ("ton", fuel), ("kL", lpg), ("", rice), ("karung", rice)):
        with pytest.raises(ValueProblem):
            convert_quantity(1, unit, item)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kab. Batanghari", "1504"),
        ("KABUPATEN TANJUNG JABUNG BARAT", "1507"),
        ("Tanjab Barat", "1507"),
        ("Tanjabtim", "1506"),
        ("Muarojambi", "1505"),
        ("Kota Sungaipenuh", "1572"),
        ("Kota Jambi", "1571"),
        ("1508", "1508"),
        ("Tebo", "1508"),
        ("Bungo", "1509"),
    ],
)
def test_region_variants(name, code):
    assert resolve_region(name) == code


def test_bare_jambi_is_not_a_regency_and_province_needs_permission():
    assert resolve_region("Jambi") is None
    assert resolve_region("Provinsi Jambi") is None
    assert resolve_region("Provinsi Jambi", allow_province=True) == PROVINCE_CODE


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("LPG 3 kg", "lpg_3kg"),
        ("Solar", "biosolar"),
        ("beras medium", "beras_medium"),
        ("Medium rice", "beras_medium"),
        ("minyak_goreng", "minyak_goreng"),
        ("Kopi", None),
    ],
)
def test_commodity_names(name, code):
    assert resolve_commodity(name) == code
