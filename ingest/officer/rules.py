"""Row rules of officer files that span facts: one message per row, the stock balance."""

from __future__ import annotations

import datetime as dt

from ingest.validate import Fact, Rejection

FIELD_LABEL_ID = {"date": "tanggal", "region": "kabupaten_kota", "commodity": "komoditas"}


def unique(rejections) -> list[Rejection]:
    """One message per row and reason (a row gives up to three facts)."""
    seen: dict[tuple, Rejection] = {}
    for rejection in rejections:
        seen.setdefault((rejection.sheet, rejection.row_number, rejection.reason_id), rejection)
    return list(seen.values())


def with_row_prefix(rejection: Rejection) -> Rejection:
    """Say which row and column a validation rejection belongs to, and what to do."""
    column = FIELD_LABEL_ID.get(rejection.column or "", rejection.column or "")
    return Rejection(
        rejection.row_number,
        rejection.column,
        rejection.raw,
        f"Baris {rejection.row_number}, kolom {column}: {rejection.reason_id}. "
        "Perbaiki baris ini lalu unggah ulang.",
        f"Row {rejection.row_number}, column {rejection.column}: {rejection.reason_en}. "
        "Fix this row and upload again.",
        rejection.sheet,
    )


def balance_rejections(facts: list[Fact]) -> tuple[list[Fact], list[Rejection]]:
    """Reject rows whose distribution exceeds the previous day's stock plus that day's deliveries."""
    by_key = {(f.date, f.region_code, f.commodity, f.metric): f for f in facts}
    bad_rows: dict[int, Rejection] = {}
    for fact in facts:
        if fact.metric != "distribution":
            continue
        previous = by_key.get(
            (fact.date - dt.timedelta(days=1), fact.region_code, fact.commodity, "stock")
        )
        if fact.sheet != (previous.sheet if previous else fact.sheet):
            continue
        if previous is None:
            continue
        delivery = by_key.get((fact.date, fact.region_code, fact.commodity, "delivery"))
        available = previous.value + (delivery.value if delivery else 0.0)
        if fact.value > available + 1e-9:
            bad_rows[(fact.sheet, fact.row_number)] = balance_rejection(
                fact.row_number,
                fact.sheet,
                fact.raw,
                fact.value,
                fact.unit,
                previous.value,
                available - previous.value,
            )
    kept = [f for f in facts if (f.sheet, f.row_number) not in bad_rows]
    return kept, list(bad_rows.values())


def balance_rejection(
    number: int | None,
    sheet: str,
    raw: str,
    value: float,
    unit: str,
    previous: float,
    delivered: float,
) -> Rejection:
    """A row whose distribution exceeds the previous day's stock plus that day's deliveries."""
    return Rejection(
        number,
        "penyaluran",
        raw,
        f"Baris {number}, kolom penyaluran: penyaluran {value:g} {unit} melebihi stok hari "
        f"sebelumnya ({previous:g}) ditambah penerimaan ({delivered:g}). "
        "Periksa angka stok/penyaluran lalu unggah ulang.",
        f"Row {number}, column distribution: distribution {value:g} {unit} exceeds the "
        f"previous day's stock ({previous:g}) plus deliveries ({delivered:g}). "
        "Check the stock/distribution figures and upload again.",
        sheet,
    )
