"""Generator of hostile and broken uploads, built at test time into a temporary folder.

Each case names the file, what the import must end in and words its message must contain
(Indonesian and English messages are both checked through ``needles``). Nothing here is
committed as a binary file: everything is written by code.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

HEADER = "tanggal;kabupaten_kota;komoditas;stok;penyaluran;penerimaan;satuan;pelapor"
GOOD_ROW = "01/08/2026;Kota Jambi;LPG 3 kg;310.000;16.000;15.500;tabung;Budi"

# outcomes
REFUSED = "refused"  # the whole file is refused: status failed, exit 1
NEEDS_CONFIRMATION = "needs_confirmation"  # bad rows: nothing saved unless --accept-partial
LOADED = "loaded"  # a valid file, loaded
HELD = "held"  # loaded, but out-of-line values are held for confirmation


@dataclass(frozen=True)
class Case:
    """One hostile file: its name, the expected outcome and words its message must hold."""

    name: str
    filename: str
    outcome: str
    needles: tuple[str, ...]
    build: Callable[[Path], None]
    env: tuple[tuple[str, str], ...] = ()


def _text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content.encode(encoding))


def _bytes(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def _rows(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def _xlsx(
    rows: list[list[object]], formula_cells: dict[str, str] | None = None
) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(row)
        for cell, formula in (formula_cells or {}).items():
            sheet[cell] = formula
        book.save(path)

    return build


def _xlsx_zip_bomb(path: Path, uncompressed_mb: int = 300) -> None:
    """A valid-looking workbook whose sheet XML inflates to ``uncompressed_mb`` MB."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx_bytes([HEADER.split(";"), GOOD_ROW.split(";")])))
    chunk = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item.filename, source.read(item.filename))
                continue
            with bomb.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData>'
                )
                for _ in range(uncompressed_mb * 1_000_000 // len(chunk)):
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _million_rows(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n")
        handle.write("1\n" * 1_000_000)


def _over_size(path: Path) -> None:
    row = GOOD_ROW + "\n"
    path.write_text(HEADER + "\n" + row * (1_300_000 // len(row)), encoding="utf-8")


def _many_xlsx_rows(path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER.split(";"))
    day = dt.date(2026, 1, 1)
    for number in range(25_000):
        sheet.append([day, "Kota Jambi", "LPG 3 kg", number, 0, 0, "tabung", "Budi"])
    book.save(path)


def _zip_with(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def build_cases() -> list[Case]:
    """Every hostile case (at least 40)."""
    binary = bytes(range(256)) * 64
    cases = [
        Case("empty", "kosong.csv", REFUSED, ("kosong", "empty"), _bytes(b"")),
        Case("whitespace only", "spasi.csv", REFUSED, ("kosong", "empty"), _text("\n  \n\t\n")),
        Case(
            "header only",
            "judul_saja.csv",
            REFUSED,
            ("tidak ada baris data", "no data rows"),
            _text(HEADER + "\n"),
        ),
        Case(
            "binary renamed .csv",
            "biner.csv",
            REFUSED,
            ("bukan berkas teks", "not a text"),
            _bytes(binary),
        ),
        Case(
            "PNG renamed .csv",
            "gambar.csv",
            REFUSED,
            ("bukan berkas teks", "not a text"),
            _bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        ),
        Case(
            "XLSX renamed .csv",
            "excel.csv",
            REFUSED,
            ("bukan berkas teks", "not a text"),
            _bytes(_xlsx_bytes([HEADER.split(";")])),
        ),
        Case(
            "CSV renamed .xlsx",
            "teks.xlsx",
            REFUSED,
            ("tidak dapat dibaca sebagai excel", "cannot be read as excel"),
            _text(_rows(GOOD_ROW)),
        ),
        Case(
            "legacy .xls",
            "lama.xls",
            REFUSED,
            ("tidak dapat dibaca sebagai excel (.xls)", "cannot be read as excel (.xls)"),
            _bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 500),
        ),
        Case(
            "macro workbook .xlsm",
            "makro.xlsm",
            REFUSED,
            ("tidak didukung", "not supported"),
            _bytes(_xlsx_bytes([HEADER.split(";")])),
        ),
        Case(
            "PDF renamed .xlsx",
            "dokumen.xlsx",
            REFUSED,
            ("tidak dapat dibaca sebagai excel", "cannot be read as excel"),
            _bytes(b"%PDF-1.7\n" + b"0" * 300),
        ),
        Case(
            "encrypted workbook",
            "terkunci.xlsx",
            REFUSED,
            ("tidak dapat dibaca sebagai excel", "cannot be read as excel"),
            _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000),
        ),
        Case(
            "zip without a workbook",
            "arsip.xlsx",
            REFUSED,
            ("tidak dapat dibaca sebagai excel", "cannot be read as excel"),
            _bytes(_zip_with({"readme.txt": b"hello"})),
        ),
        Case(
            "pipe delimiter (valid: the delimiter is sniffed)",
            "pipa.csv",
            LOADED,
            (),
            _text(
                _rows(
                    GOOD_ROW.replace("01/08", "06/08").replace(";", "|"),
                    header=HEADER.replace(";", "|"),
                )
            ),
        ),
        Case(
            "no header row",
            "tanpa_judul.csv",
            REFUSED,
            ("kolom wajib tidak ada", "required columns are missing"),
            _text(GOOD_ROW + "\n" + GOOD_ROW + "\n"),
        ),
        Case(
            "UTF-16 text",
            "utf16.csv",
            REFUSED,
            ("bukan berkas teks", "not a text"),
            _text(_rows(GOOD_ROW), "utf-16"),
        ),
        Case(
            "NUL bytes in a row",
            "nul.csv",
            REFUSED,
            ("bukan berkas teks", "not a text"),
            _bytes(
                _rows(GOOD_ROW).encode() + b"01/08/2026;Kota\x00Jambi;LPG 3 kg;1;1;1;tabung;x\n"
            ),
        ),
        Case(
            "mixed date formats",
            "tanggal_campur.csv",
            NEEDS_CONFIRMATION,
            ("bukan tanggal yang dikenali", "not a recognised date"),
            _text(
                _rows(
                    GOOD_ROW,
                    "2026-08-02;Kota Jambi;LPG 3 kg;12.400;1.100;1.000;tabung;Budi",
                    "3 Agustus 2026;Kota Jambi;LPG 3 kg;12.300;1.100;1.000;tabung;Budi",
                    "08/04/26;Kota Jambi;LPG 3 kg;12.300;1.100;1.000;tabung;Budi",
                )
            ),
        ),
        Case(
            "impossible date",
            "tanggal_salah.csv",
            NEEDS_CONFIRMATION,
            ("bukan tanggal yang ada", "not a real date"),
            _text(_rows("29/02/2025;Kota Jambi;LPG 3 kg;12.500;1.150;1.000;tabung;Budi")),
        ),
        Case(
            "future dates",
            "masa_depan.csv",
            NEEDS_CONFIRMATION,
            ("di luar rentang wajar", "outside the plausible range"),
            _text(
                _rows(
                    f"{dt.date.today() + dt.timedelta(days=40):%d/%m/%Y};Kota Jambi;LPG 3 kg;12.500;1.150;1.000;tabung;Budi"
                )
            ),
        ),
        Case(
            "ancient date",
            "kuno.csv",
            NEEDS_CONFIRMATION,
            ("di luar rentang wajar", "outside the plausible range"),
            _text(_rows("01/08/1926;Kota Jambi;LPG 3 kg;12.500;1.150;1.000;tabung;Budi")),
        ),
        Case(
            "Excel serial date in a CSV",
            "serial.csv",
            NEEDS_CONFIRMATION,
            ("bukan tanggal yang dikenali", "not a recognised date"),
            _text(_rows("46235;Kota Jambi;LPG 3 kg;12.500;1.150;1.000;tabung;Budi")),
        ),
        Case(
            "negative stock",
            "negatif.csv",
            NEEDS_CONFIRMATION,
            ("nilai negatif", "negative value"),
            _text(_rows("01/08/2026;Kota Jambi;LPG 3 kg;-12.500;1.150;1.000;tabung;Budi")),
        ),
        Case(
            "text instead of a number",
            "teks_angka.csv",
            NEEDS_CONFIRMATION,
            ("baris 2", "row 2"),
            _text(_rows("01/08/2026;Kota Jambi;LPG 3 kg;banyak;1.150;1.000;tabung;Budi")),
        ),
        Case(
            "number too large",
            "raksasa.csv",
            NEEDS_CONFIRMATION,
            ("baris 2", "row 2"),
            _text(_rows("01/08/2026;Kota Jambi;LPG 3 kg;" + "9" * 400 + ";1;1;tabung;Budi")),
        ),
        Case(
            "NaN and infinity",
            "nan.csv",
            NEEDS_CONFIRMATION,
            ("baris 2", "row 2"),
            _text(_rows("01/08/2026;Kota Jambi;LPG 3 kg;NaN;inf;1;tabung;Budi")),
        ),
        Case(
            "distribution above stock",
            "neraca.csv",
            NEEDS_CONFIRMATION,
            ("melebihi stok", "exceeds the previous day"),
            _text(_rows(GOOD_ROW, "02/08/2026;Kota Jambi;LPG 3 kg;100;500.000;10;tabung;Budi")),
        ),
        Case(
            "conflicting duplicates",
            "duplikat.csv",
            NEEDS_CONFIRMATION,
            ("duplikat", "duplicate"),
            _text(_rows(GOOD_ROW, GOOD_ROW.replace("310.000", "330.000"))),
        ),
        Case(
            "unknown region",
            "wilayah.csv",
            NEEDS_CONFIRMATION,
            ("tidak dikenal", "not known"),
            _text(_rows(GOOD_ROW.replace("Kota Jambi", "Kota Palembang"))),
        ),
        Case(
            "ambiguous region 'Jambi'",
            "jambi.csv",
            NEEDS_CONFIRMATION,
            ("ambigu", "ambiguous"),
            _text(_rows(GOOD_ROW.replace("Kota Jambi", "Jambi"))),
        ),
        Case(
            "unknown commodity",
            "komoditas.csv",
            NEEDS_CONFIRMATION,
            ("tidak dikenal", "not known"),
            _text(_rows(GOOD_ROW.replace("LPG 3 kg", "Minyak Tanah"))),
        ),
        Case(
            "wrong unit for rice",
            "satuan.csv",
            NEEDS_CONFIRMATION,
            ("kolom satuan", "column satuan"),
            _text(_rows("01/08/2026;Kota Jambi;Beras Medium;120;4;0;liter;Budi")),
        ),
        Case(
            "135000 t of LPG in one regency",
            "lpg_ton.csv",
            HELD,
            ("ditahan", "held"),
            _text(_rows("20/11/2026;Muaro Jambi;LPG 3 kg;135000;900;900;t;Budi")),
        ),
        Case(
            "formula in a number cell",
            "rumus.csv",
            NEEDS_CONFIRMATION,
            ("baris 2", "row 2"),
            _text(_rows("01/08/2026;Kota Jambi;LPG 3 kg;=1+2;=SUM(A1:A9);1;tabung;Budi")),
        ),
        Case(
            "DDE payload in the region",
            "dde.csv",
            NEEDS_CONFIRMATION,
            ("tidak dikenal", "not known"),
            _text(_rows("01/08/2026;=cmd|' /C calc'!A0;LPG 3 kg;1;1;1;tabung;Budi")),
        ),
        Case(
            "SQL in the region",
            "sql.csv",
            NEEDS_CONFIRMATION,
            ("tidak dikenal", "not known"),
            _text(_rows("01/08/2026;Kota Jambi'); DROP TABLE facts;--;LPG 3 kg;1;1;1;tabung;Budi")),
        ),
        Case(
            "one huge cell",
            "sel_besar.csv",
            REFUSED,
            ("rusak", "damaged"),
            _text(_rows("01/08/2026;" + "A" * 500_000 + ";LPG 3 kg;1;1;1;tabung;Budi")),
        ),
        Case(
            "unbalanced quote",
            "kutip.csv",
            NEEDS_CONFIRMATION,
            ("baris", "row"),
            _text(_rows('01/08/2026;"Kota Jambi;LPG 3 kg;1;1;1;tabung;Budi', GOOD_ROW)),
        ),
        Case(
            "all quantities empty",
            "kosong_angka.csv",
            NEEDS_CONFIRMATION,
            ("kosong semua", "all empty"),
            _text(_rows("01/08/2026;Kota Jambi;LPG 3 kg;;;;tabung;Budi")),
        ),
        Case(
            "over the size limit",
            "besar.csv",
            REFUSED,
            ("melebihi batas", "above the"),
            _over_size,
            (("JSW_UPLOAD_MAX_MB", "1"),),
        ),
        Case(
            "a million rows", "sejuta.csv", REFUSED, ("melebihi batas", "above the"), _million_rows
        ),
        Case(
            "XLSX over the row limit",
            "banyak_baris.xlsx",
            REFUSED,
            ("melebihi batas", "above the"),
            _many_xlsx_rows,
        ),
        Case(
            "XLSX zip bomb",
            "bom.xlsx",
            REFUSED,
            ("terlalu besar saat dibuka", "too large when unpacked"),
            _xlsx_zip_bomb,
        ),
        Case(
            "XLSX formula without cached value",
            "rumus.xlsx",
            NEEDS_CONFIRMATION,
            ("kosong semua", "all empty"),
            _xlsx(
                [
                    HEADER.split(";"),
                    ["01/08/2026", "Kota Jambi", "LPG 3 kg", None, None, None, "tabung", "Budi"],
                ],
                {"D2": "=1+2", "E2": "=D2*2"},
            ),
        ),
        Case("XLSX empty workbook", "kosong.xlsx", REFUSED, ("kosong", "empty"), _xlsx([])),
        Case(
            "Windows-1252 text (valid)",
            "cp1252.csv",
            LOADED,
            (),
            _text(_rows(GOOD_ROW.replace("Budi", "José Ñoño")), "cp1252"),
        ),
        Case(
            "BOM and CRLF (valid)",
            "bom_crlf.csv",
            LOADED,
            (),
            _bytes(
                b"\xef\xbb\xbf"
                + _rows(GOOD_ROW.replace("01/08", "02/08")).replace("\n", "\r\n").encode()
            ),
        ),
        Case(
            "tonnes written as kg",
            "beras_kg.csv",
            HELD,
            ("ditahan", "held"),
            _text(_rows("20/11/2026;Kerinci;Beras Medium;2330;30;0;kg;Budi")),
        ),
        Case(
            "workbook declaring A1:XFD1048576 (valid: the declared dimension is ignored)",
            "dimensi_bohong.xlsx",
            LOADED,
            (),
            _lying_dimension,
        ),
        Case(
            "one stray cell at XFD1048576",
            "sel_terpencil.xlsx",
            REFUSED,
            ("sel terpencil", "stray cells"),
            _stray_far_cell,
        ),
        Case(
            "2,000 sheets (the first 50 read, the rest named)",
            "dua_ribu_lembar.xlsx",
            LOADED,
            ("sheet(s) beyond the first 50 not read",),
            _many_sheets,
        ),
        Case(
            "impossible magnitude refuses the whole row",
            "mustahil.csv",
            NEEDS_CONFIRMATION,
            ("mustahil", "impossible"),
            _text(
                _rows("01/08/2026;Kota Jambi;LPG 3 kg;4.200.000.000.000.000;16.000;15.500;kg;Budi")
            ),
        ),
    ]
    return cases


def _rewrite_sheet(path: Path, edit: Callable[[bytes], bytes]) -> None:
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            target.writestr(item, data)


def _lying_dimension(path: Path) -> None:
    """A 5 KB workbook whose sheet declares A1:XFD1048576 and rows spanning 16,384 columns."""
    _xlsx([HEADER.split(";"), *[GOOD_ROW.replace("01/08", "05/08").split(";")] * 300])(path)
    _rewrite_sheet(
        path,
        lambda data: re.sub(
            rb' spans="[^"]+"',
            b' spans="1:16384"',
            re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD1048576"/>', data),
        ),
    )


def _stray_far_cell(path: Path) -> None:
    _xlsx([HEADER.split(";"), GOOD_ROW.split(";")])(path)
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    _rewrite_sheet(path, lambda data: data.replace(b"</sheetData>", far + b"</sheetData>"))


def _many_sheets(path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    data = book.create_sheet("laporan")
    data.append(HEADER.split(";"))
    data.append(GOOD_ROW.replace("01/08", "07/08").split(";"))
    for number in range(1, 2000):
        book.create_sheet(f"kosong{number}").append(["catatan"])
    book.save(path)


def build_corpus(directory: Path) -> list[tuple[Case, Path]]:
    """Write every case into ``directory``; returns (case, path) pairs."""
    directory.mkdir(parents=True, exist_ok=True)
    built = []
    for case in build_cases():
        path = directory / case.filename
        case.build(path)
        built.append((case, path))
    return built
