"""PIHPS wide exports: a 'Tanggal' column and one column per PIHPS commodity (consumer prices)."""

from __future__ import annotations

from ingest.normalise import ValueProblem, commodities, parse_date, parse_indonesian_number
from ingest.officer.columns import PIHPS_GRADES, cell_text, header_key
from ingest.officer.sheet import SheetResult
from ingest.validate import Fact, Rejection
from warehouse.reference import normalise_alias

WIDE_SOURCE = "pihps"
# PIHPS export column (normalised) -> commodity code; other columns are not staples here.
WIDE_COLUMNS = {
    "BERAS": "pihps_beras",
    "MINYAK GORENG": "pihps_minyak_goreng",
    "MINYAK GORENG CURAH": "pihps_minyak_goreng_curah",
    "GULA PASIR": "pihps_gula_pasir",
    **PIHPS_GRADES,
}


def is_wide_price_export(headers: list[str]) -> bool:
    """A 'Tanggal' column followed by PIHPS commodity columns."""
    first = header_key(headers[0]) if headers else ""
    return first in {"tanggal", "date"} and any(
        normalise_alias(h) in WIDE_COLUMNS for h in headers[1:]
    )


def read_wide(
    headers: list[str], rows, region_code: str, is_workbook: bool, sheet: str
) -> tuple[SheetResult, list[str]]:
    """Daily prices with one column per PIHPS commodity; empty cells mean no report."""
    result = SheetResult()
    mapped = {
        i: WIDE_COLUMNS[normalise_alias(h)]
        for i, h in enumerate(headers)
        if i and normalise_alias(h) in WIDE_COLUMNS
    }
    ignored = [h for i, h in enumerate(headers) if i and i not in mapped and h]
    for number, values in rows:
        result.rows += 1
        try:
            day = parse_date(values[0], allow_excel_serial=is_workbook)
        except ValueProblem as problem:
            result.rejected.append(
                _rejection(number, headers[0], problem, cell_text(values[0]), sheet)
            )
            continue
        problems, row_facts = [], []
        for index, code in mapped.items():
            cell = values[index] if index < len(values) else None
            try:
                value = parse_indonesian_number(cell)
            except ValueProblem as problem:
                problems.append((headers[index], problem))
                continue
            if value is not None:
                unit = commodities()[code].price_unit
                raw = f"{headers[index]}={cell_text(cell)}"
                row_facts.append(
                    Fact(day, region_code, code, "price", value, unit, number, raw, sheet)
                )
        if problems:
            header, problem = problems[0]
            result.rejected.append(_rejection(number, header, problem, cell_text(values[0]), sheet))
        else:
            result.facts += row_facts
    return result, ignored


def _rejection(number: int, header: str, problem: ValueProblem, raw: str, sheet: str) -> Rejection:
    return Rejection(
        number,
        header,
        raw,
        f"Baris {number}, kolom {header}: {problem.message_id}. Perbaiki lalu unggah ulang.",
        f"Row {number}, column {header}: {problem.message_en}. Fix it and upload again.",
        sheet,
    )
