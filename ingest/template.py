"""The officer stock report template (CSV and XLSX) offered for download on the dashboard.

``python -c "from ingest.template import write_templates; write_templates()"`` rewrites
``data/templates/``; the files are committed.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "data" / "templates"
CSV_TEMPLATE = TEMPLATE_DIR / "laporan_stok.csv"
XLSX_TEMPLATE = TEMPLATE_DIR / "laporan_stok.xlsx"
HEADERS = [
    "tanggal",
    "kabupaten_kota",
    "komoditas",
    "stok",
    "penyaluran",
    "penerimaan",
    "satuan",
    "pelapor",
]
EXAMPLE_ROWS = [
    (dt.date(2024, 8, 1), "Kota Jambi", "LPG 3 kg", 12500, 1150, 1000, "tabung", "Budi Santoso"),
    (dt.date(2024, 8, 1), "Muaro Jambi", "Beras Medium", 1234.5, 42, 0, "ton", "Siti Aminah"),
    (dt.date(2024, 8, 1), "Kota Jambi", "Pertalite", 850, 96.5, 120, "kL", "Budi Santoso"),
]
INSTRUCTIONS = [
    ("kolom / column", "isi / content"),
    ("tanggal", "dd/mm/yyyy, tanggal laporan (akhir hari) / report date (end of day)"),
    ("kabupaten_kota", "nama kabupaten/kota, mis. 'Kota Jambi', 'Muaro Jambi', 'Tanjab Barat'"),
    (
        "komoditas",
        "Beras Medium, Beras Premium, Pertalite, Biosolar, Pertamax, LPG 3 kg, Gula Pasir, Minyak Goreng",
    ),
    ("stok", "stok akhir hari / end-of-day stock"),
    ("penyaluran", "penyaluran hari itu / distributed that day"),
    ("penerimaan", "penerimaan hari itu / received that day"),
    (
        "satuan",
        "ton atau kg (beras, gula), kL atau liter (BBM, minyak goreng), tabung atau kg (LPG 3 kg = 3 kg per tabung)",
    ),
    ("pelapor", "nama pelapor / reporter's name"),
    (
        "angka / numbers",
        "13.500 = tiga belas ribu lima ratus; 1.234,5 = seribu dua ratus tiga puluh empat koma lima",
    ),
]


def _indonesian(value: object) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        whole, _, fraction = f"{value:.1f}".partition(".")
        return f"{int(whole):,}".replace(",", ".") + ("," + fraction if fraction != "0" else "")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def write_csv_template(path: Path = CSV_TEMPLATE) -> Path:
    """Semicolon-delimited UTF-8 CSV with Indonesian number formats (opens in Excel id-ID)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows([_indonesian(v) for v in row] for row in EXAMPLE_ROWS)
    return path


def write_xlsx_template(path: Path = XLSX_TEMPLATE) -> Path:
    """XLSX with a data sheet (real date and number cells) and an instructions sheet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "laporan"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in EXAMPLE_ROWS:
        sheet.append(list(row))
    for cell in sheet["A"][1:]:
        cell.number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFGH", (12, 22, 16, 12, 12, 12, 10, 18), strict=True):
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet("petunjuk")
    for row in INSTRUCTIONS:
        notes.append(list(row))
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 110
    book.save(path)
    return path


def write_templates() -> tuple[Path, Path]:
    """Write both template files."""
    return write_csv_template(), write_xlsx_template()
