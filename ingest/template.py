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
PRICE_CSV_TEMPLATE = TEMPLATE_DIR / "laporan_harga.csv"
PRICE_XLSX_TEMPLATE = TEMPLATE_DIR / "laporan_harga.xlsx"
# Officer price reports: consumer prices where the officer saw them (market, LPG pangkalan).
PRICE_HEADERS = [
    "tanggal",
    "kabupaten_kota",
    "komoditas",
    "harga_konsumen",
    "satuan",
    "pasar_outlet",
    "pelapor",
]
PRICE_EXAMPLE_ROWS = [
    (
        dt.date(2024, 8, 1),
        "Kota Jambi",
        "LPG 3 kg",
        19000,
        "Rp/tabung",
        "Pangkalan Maju Jaya",
        "Budi Santoso",
    ),
    (
        dt.date(2024, 8, 1),
        "Muaro Jambi",
        "Beras Medium",
        13500,
        "Rp/kg",
        "Pasar Sengeti",
        "Siti Aminah",
    ),
    (
        dt.date(2024, 8, 1),
        "Kota Jambi",
        "Minyak Goreng",
        17500,
        "Rp/liter",
        "Pasar Angso Duo",
        "Budi Santoso",
    ),
]
PRICE_INSTRUCTIONS = [
    ("kolom / column", "isi / content"),
    ("tanggal", "dd/mm/yyyy, tanggal pengamatan / observation date"),
    ("kabupaten_kota", "nama kabupaten/kota, mis. 'Kota Jambi', 'Muaro Jambi', 'Tanjab Barat'"),
    (
        "komoditas",
        "Beras Medium, Beras Premium, Pertalite, Biosolar, Pertamax, LPG 3 kg, Gula Pasir, Minyak Goreng",
    ),
    ("harga_konsumen", "harga eceran yang dibayar konsumen / consumer (retail) price, Rupiah"),
    ("satuan", "Rp/kg (beras, gula), Rp/liter (BBM, minyak goreng), Rp/tabung (LPG 3 kg)"),
    ("pasar_outlet", "nama pasar, pangkalan LPG atau SPBU / market, LPG base or station"),
    ("pelapor", "nama pelapor / reporter's name"),
    (
        "harga lain / other prices",
        "harga produsen/grosir: judul kolom 'harga_produsen' atau 'harga_grosir'",
    ),
]
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


def _write_xlsx(
    path: Path,
    title: str,
    headers: list[str],
    rows: list[tuple],
    widths: tuple[int, ...],
    instructions: list[tuple],
    label_width: int,
) -> Path:
    """XLSX with a data sheet ``title`` (bold headers, real date and number cells, column
    widths) and a ``petunjuk`` instructions sheet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for cell in sheet["A"][1:]:
        cell.number_format = "DD/MM/YYYY"
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    notes = book.create_sheet("petunjuk")
    for row in instructions:
        notes.append(list(row))
    notes.column_dimensions["A"].width = label_width
    notes.column_dimensions["B"].width = 110
    book.save(path)
    return path


def write_xlsx_template(path: Path = XLSX_TEMPLATE) -> Path:
    """XLSX with a data sheet (real date and number cells) and an instructions sheet."""
    widths = (12, 22, 16, 12, 12, 12, 10, 18)
    return _write_xlsx(path, "laporan", HEADERS, EXAMPLE_ROWS, widths, INSTRUCTIONS, 18)


def _write_csv(path: Path, headers: list[str], rows: list[tuple]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows([_indonesian(v) for v in row] for row in rows)
    return path


def write_price_templates() -> tuple[Path, Path]:
    """The officer price report template (CSV and XLSX with an instructions sheet)."""
    _write_csv(PRICE_CSV_TEMPLATE, PRICE_HEADERS, PRICE_EXAMPLE_ROWS)
    widths = (12, 22, 16, 16, 12, 24, 18)
    _write_xlsx(
        PRICE_XLSX_TEMPLATE, "laporan_harga", PRICE_HEADERS, PRICE_EXAMPLE_ROWS, widths,
        PRICE_INSTRUCTIONS, 24,
    )  # fmt: skip
    return PRICE_CSV_TEMPLATE, PRICE_XLSX_TEMPLATE


def write_templates() -> tuple[Path, ...]:
    """Write the stock and price template files."""
    return write_csv_template(), write_xlsx_template(), *write_price_templates()
