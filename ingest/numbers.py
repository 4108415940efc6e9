"""The one reader of numbers that come from a public source.

Each source writes numbers its own way: PIHPS sends text with comma thousands (``"43,550"``),
Bapanas, SP2KP and the fuel list send JSON numbers, WFP writes a decimal point. A text such
as ``"43.550"`` means 43550 in Indonesian writing and 43.55 in English writing, so it is
refused (naming the source, the field and the raw text) rather than guessed. Every price is
also checked against a plausible range for its commodity from the very first value, so a
factor-of-1,000 misreading can never be stored.
"""

from __future__ import annotations

import re

from ingest.normalise import ValueProblem, commodities

# source -> how its numbers are written when they arrive as text
COMMA_THOUSANDS = "comma_thousands"  # "43,550" = 43550; "." is the decimal point
DOT_THOUSANDS = "dot_thousands"  # "43.550" = 43550; "," is the decimal comma (Indonesian)
PLAIN = "plain"  # digits with an optional decimal point, no grouping
CONVENTIONS: dict[str, str] = {
    "pihps": COMMA_THOUSANDS,
    "bapanas": PLAIN,
    "sp2kp": PLAIN,
    "pertamina": PLAIN,
    "wfp": PLAIN,
}
MISSING_TEXT = frozenset({"", "-", "–", "—", "null", "none", "n/a"})

# (low, high) plausible retail price per commodity category, in the commodity's price unit.
# Wide enough for every province and year seen; a 1,000-fold misreading falls far outside.
PLAUSIBLE_PRICE: dict[str, tuple[float, float]] = {
    "rice": (4_000.0, 80_000.0),
    "fuel": (3_000.0, 60_000.0),
    "lpg": (10_000.0, 200_000.0),
    "other": (2_000.0, 300_000.0),
}

_PATTERNS = {
    COMMA_THOUSANDS: re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?"),
    DOT_THOUSANDS: re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+(,\d+)?"),
    PLAIN: re.compile(r"\d+(\.\d+)?"),
}
# text that reads as a whole number in one convention and as a fraction in the other
_AMBIGUOUS = {
    COMMA_THOUSANDS: re.compile(r"\d{1,3}(\.\d{3})+"),
    DOT_THOUSANDS: re.compile(r"\d{1,3}(,\d{3})+"),
    PLAIN: re.compile(r"\d{1,3}([.,]\d{3})+"),
}


class SourceNumberError(ValueProblem):
    """A number from a source that cannot be read with certainty (shown to the user)."""

    def __init__(self, source: str, field: str, raw: object, why_en: str, why_id: str) -> None:
        self.source = source
        self.field = field
        self.raw = raw
        super().__init__(
            f"{source}: {field} {raw!r} {why_id}", f"{source}: {field} {raw!r} {why_en}"
        )


def parse_source_number(
    source: str,
    field: str,
    raw: object,
    *,
    zero_is_missing: bool = True,
    convention: str | None = None,
) -> float | None:
    """Read one number the way ``source`` writes it (or as ``convention`` says); None for
    "no report" (empty, "-", 0).

    Raises SourceNumberError for text that is not a number or is ambiguous between the
    comma-thousands and dot-thousands conventions.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise SourceNumberError(source, field, raw, "is not a number", "bukan angka")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        value = _parse_text(source, field, str(raw), convention or CONVENTIONS.get(source, PLAIN))
        if value is None:
            return None
    if value != value or value < 0:  # NaN or negative
        raise SourceNumberError(source, field, raw, "is not a valid amount", "bukan jumlah valid")
    if value == 0 and zero_is_missing:
        return None
    return value


def _parse_text(source: str, field: str, raw: str, convention: str) -> float | None:
    text = raw.strip().removeprefix("Rp").removeprefix(".").strip()
    if text.lower() in MISSING_TEXT:
        return None
    if _AMBIGUOUS[convention].fullmatch(text):
        raise SourceNumberError(
            source,
            field,
            raw,
            "is ambiguous: the separator may mark thousands or decimals; refused rather than "
            "guessed (check the raw response in the run's archive)",
            "ambigu: pemisah bisa berarti ribuan atau desimal; ditolak, tidak ditebak",
        )
    if not _PATTERNS[convention].fullmatch(text):
        raise SourceNumberError(source, field, raw, "is not a number", "bukan angka yang dikenali")
    if convention == COMMA_THOUSANDS:
        return float(text.replace(",", ""))
    if convention == DOT_THOUSANDS:
        return float(text.replace(".", "").replace(",", "."))
    return float(text)


def check_plausible_price(
    source: str, field: str, raw: object, value: float, category: str, unit: str
) -> float:
    """Refuse a price outside its commodity's plausible range (from the first value on)."""
    low, high = PLAUSIBLE_PRICE.get(category, PLAUSIBLE_PRICE["other"])
    if not low <= value <= high:
        raise SourceNumberError(
            source,
            field,
            raw,
            f"read as {value:,.2f} {unit}, outside the plausible {low:,.0f}-{high:,.0f} "
            f"{unit} for {category}; a misread separator or unit is likely",
            f"terbaca {value:,.2f} {unit}, di luar kisaran wajar {low:,.0f}-{high:,.0f} {unit}",
        )
    return value


def read_price(source: str, field: str, raw: object, commodity: str) -> float | None:
    """One price of ``commodity`` from ``source``: parsed by its convention and plausible."""
    value = parse_source_number(source, field, raw)
    if value is None:
        return None
    item = commodities()[commodity]
    return check_plausible_price(source, field, raw, value, item.category, item.price_unit)


def parse_comma_thousands(text: object) -> float | None:
    """PIHPS style: ``"43,550"`` = 43550; ``"-"``, ``"0"`` and empty = no report (None).

    ``"43.550"`` is refused as ambiguous (it is never read as 43.55)."""
    return parse_source_number("pihps", "value", text)
