"""Numbers from public sources: each source's separator convention, refusal of ambiguous
text (naming source, field and raw text) and the per-commodity plausibility check."""

from __future__ import annotations

import pytest

from ingest.normalise import parse_comma_thousands
from ingest.numbers import (
    COMMA_THOUSANDS,
    DOT_THOUSANDS,
    PLAIN,
    SourceNumberError,
    parse_source_number,
    read_price,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("43,550", 43550.0), ("1,234,567.5", 1234567.5), ("13950", 13950.0), ("13950.0", 13950.0)],
)
def test_comma_thousands_reads_pihps_text(text, expected):
    assert parse_source_number("pihps", "cell", text) == expected
    assert parse_comma_thousands(text) == expected  # the old name still works


@pytest.mark.parametrize(
    ("text", "expected"),
    [("43.550", 43550.0), ("1.234.567,5", 1234567.5), ("13950", 13950.0), ("12,5", 12.5)],
)
def test_dot_thousands_reads_indonesian_text(text, expected):
    assert parse_source_number("officer", "harga", text, convention=DOT_THOUSANDS) == expected


@pytest.mark.parametrize("text", ["-", "", "0", " - ", None, 0, "null"])
def test_missing_markers_mean_no_report(text):
    assert parse_source_number("pihps", "cell", text) is None
    assert parse_source_number("sp2kp", "harga", text) is None


@pytest.mark.parametrize(
    ("source", "convention", "text"),
    [
        ("pihps", None, "43.550"),  # comma-thousands source, dot-grouped text
        ("pihps", None, "1.234.567"),
        ("bapanas", None, "13.500"),  # plain source: thousands or decimals?
        ("bapanas", None, "13,500"),
        ("officer", DOT_THOUSANDS, "43,550"),
    ],
)
def test_ambiguous_text_is_refused_naming_source_field_and_raw(source, convention, text):
    with pytest.raises(SourceNumberError) as info:
        parse_source_number(source, "Nilai", text, convention=convention)
    message = str(info.value)
    assert message.startswith(f"{source}: Nilai '{text}'") and "ambiguous" in message
    assert info.value.raw == text and info.value.field == "Nilai"


@pytest.mark.parametrize("text", ["1,5", "12a", "Rp 13.5k", "13 500"])
def test_text_that_is_no_number_is_refused(text):
    with pytest.raises(SourceNumberError, match="is not a number"):
        parse_source_number("pihps", "cell", text)


@pytest.mark.parametrize("value", [True, -5, float("nan")])
def test_json_values_that_are_not_amounts_are_refused(value):
    with pytest.raises(SourceNumberError):
        parse_source_number("sp2kp", "harga", value)


@pytest.mark.parametrize("price", [1_500, 13_833, 43_550, 141_301])
@pytest.mark.parametrize("convention", [COMMA_THOUSANDS, DOT_THOUSANDS, PLAIN])
def test_a_price_is_never_read_1000_times_too_small_or_large(price, convention):
    """Every way of writing a price is either read exactly or refused, in every convention."""
    writings = {f"{price:,}", f"{price:,}".replace(",", "."), str(price), f"{price}.00"}
    for text in writings:
        try:
            value = parse_source_number("src", "harga", text, convention=convention)
        except SourceNumberError:
            continue
        assert value == price, (text, convention, value)


def test_implausible_prices_are_refused_from_the_first_value():
    assert read_price("sp2kp", "harga", 13833, "beras_medium") == 13833.0
    assert read_price("pertamina", "products.Pertalite", 10000, "pertalite") == 10000.0
    assert read_price("sp2kp", "harga", 15865, "minyak_goreng") == 15865.0
    for value in (43.55, 43_550_000, 13.833):
        with pytest.raises(SourceNumberError, match="outside the plausible"):
            read_price("bapanas", "today", value, "beras_medium")
    assert read_price("bapanas", "today", 0, "beras_medium") is None
