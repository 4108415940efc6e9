"""Long histories read in chunks inside one run, and tables with day numbers across the top."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from ingest.officer import stream
from ingest.officer.importer import parse_file
from ingest.officer.parse import Options, find_month
from ingest.officer_file import import_file
from warehouse.db import read_df

HEADER = "tanggal;kabupaten_kota;komoditas;stok;penyaluran;penerimaan;satuan;pelapor"
START = dt.date(2024, 6, 1)


@pytest.fixture(autouse=True)
def small_chunks(tmp_path, monkeypatch):
    """Upload limit of 40 rows and chunks of 25 rows: a 120-row file spans five chunks."""
    monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("JSW_UPLOAD_MAX_ROWS", "40")
    monkeypatch.setattr(stream, "CHUNK_ROWS", 25)


def history(path: Path, days: int = 60, extra: list[str] | None = None) -> Path:
    rows = []
    for n in range(days):
        day = f"{START + dt.timedelta(days=n):%d/%m/%Y}"
        rows.append(f"{day};Kota Jambi;LPG 3 kg;{10_000 + n};500;400;tabung;Budi")
        rows.append(f"{day};Kerinci;Beras Medium;{300 + n},5;12;10;ton;Siti")
    path.write_text("\n".join([HEADER, *rows, *(extra or [])]) + "\n", encoding="utf-8")
    return path


def stored(db: Path) -> list[tuple]:
    frame = read_df(
        "SELECT date, region_code, commodity, metric, value, unit FROM facts "
        "ORDER BY date, region_code, commodity, metric",
        path=db,
    )
    return [tuple(row) for row in frame.astype(str).itertuples(index=False)]


def runs(db: Path) -> list[tuple]:
    frame = read_df(
        "SELECT status, rows_read, rows_loaded, rows_rejected FROM ingest_runs", path=db
    )
    return [tuple(row) for row in frame.itertuples(index=False)]


def test_a_long_history_streams_in_chunks_to_the_same_facts_in_one_run(tmp_path, monkeypatch):
    path = history(tmp_path / "riwayat.csv")
    streamed_db, whole_db = tmp_path / "streamed.duckdb", tmp_path / "whole.duckdb"
    result, code = import_file(path, db=str(streamed_db), upload_limits=False)
    assert code == 0 and result.details["chunks"] == 5  # 120 rows in chunks of 25
    assert result.rows_read == 120 and result.rows_loaded == 120
    monkeypatch.setenv("JSW_UPLOAD_MAX_ROWS", "1000")  # the same file read whole
    whole, _ = import_file(path, db=str(whole_db), upload_limits=False)
    assert "chunks" not in whole.details
    assert stored(streamed_db) == stored(whole_db)
    assert len(stored(streamed_db)) == 360
    assert ("2024-06-03", "1501", "beras_medium", "stock", "302.5", "ton") in stored(streamed_db)
    assert runs(streamed_db) == [("success", 120, 120, 0)]
    assert result.details["preview"][0]["row"] == 2


def test_bad_rows_in_later_chunks_refuse_the_whole_file_until_accepted(tmp_path):
    extra = [
        # chunk 5: a conflicting duplicate of row 2 (given in chunk 1)
        "01/06/2024;Kota Jambi;LPG 3 kg;99.999;500;400;tabung;Budi",
        # distribution beyond the previous day's stock (10.059) plus deliveries (0)
        "31/07/2024;Kota Jambi;LPG 3 kg;100;20.000;0;tabung;Budi",
        "01/08/2024;Kerinci;Beras Medium;dua ratus;1;1;ton;Siti",
        # an identical repeat of row 3: merged, not refused
        "01/06/2024;Kerinci;Beras Medium;300,5;12;10;ton;Siti",
    ]
    path = history(tmp_path / "riwayat.csv", extra=extra)
    db = tmp_path / "w.duckdb"
    result, code = import_file(path, db=str(db), upload_limits=False)
    assert code == 3 and result.status == "needs_confirmation"
    assert not db.exists()  # nothing written, not even a run row
    reasons = " ".join(result.errors)
    assert "already given in row 2" in reasons and "exceeds the previous day's stock" in reasons
    assert "'dua ratus' is not a valid number" in reasons
    assert [row["row"] for row in result.details["error_rows"]] == [122, 123, 124]

    result, code = import_file(path, db=str(db), upload_limits=False, accept_partial=True)
    assert code == 0 and result.rows_loaded == 121 and result.rows_rejected == 3
    assert "5 identical duplicate(s) merged" in result.message  # row 125, and 2 of row 122
    facts = stored(db)
    assert ("2024-06-01", "1571", "lpg_3kg", "stock", "10000.0", "tabung") in facts
    assert not any(f[0] == "2024-07-31" for f in facts)  # row 123 refused whole
    rejected = read_df("SELECT row_number, reason FROM rejected_rows ORDER BY 1", path=db)
    assert rejected.row_number.tolist() == [122, 123, 124]
    assert runs(db) == [("success", 124, 121, 3)]


def test_a_streamed_history_with_a_user_is_audited_in_its_run(tmp_path):
    db = tmp_path / "w.duckdb"
    result, code = import_file(
        history(tmp_path / "riwayat.csv"), db=str(db), upload_limits=False, user="Rina"
    )
    assert code == 0
    audit = read_df("SELECT user_name, action, target, detail FROM audit_log", path=db)
    assert audit.values.tolist() == [
        ["Rina", "upload_loaded", result.run_id, "riwayat.csv: 120 loaded, 0 rejected"]
    ]


def test_a_streamed_file_of_another_layout_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "lain.csv"
    path.write_text("a;b;c\n" + "1;2;3\n" * 60, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    result, code = import_file(path, db=str(db), upload_limits=False)
    assert code == 1 and "Required columns are missing" in result.errors[0]
    assert runs(db) == [("failed", 0, 0, 0)]
    assert stored(db) == []


def days_book(path: Path, title: str, last_day: int = 31, sheet: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    book.active.title = sheet
    book.active.append([title])
    book.active.append(["No", "Kabupaten/Kota", *range(1, last_day + 1)])
    book.active.append([1, "Kota Jambi", *[13_000 + day for day in range(1, 31)], None])
    book.active.append([2, "Kerinci", *[14_000] * 30, 14_100][: last_day + 2])
    book.active.append([None, "Rata-rata", *[13_500] * 30])
    book.save(path)
    return path


def test_day_numbers_across_the_top_are_dated_from_the_title(tmp_path):
    path = days_book(tmp_path / "harga.xlsx", "Harga Eceran Beras Medium November 2025 (Rp/kg)")
    parsed = parse_file(path, Options(), upload_limits=False)
    facts = {(f.date.isoformat(), f.region_code): f.value for f in parsed.facts}
    assert facts[("2025-11-01", "1571")] == 13_001 and facts[("2025-11-30", "1571")] == 13_030
    assert len(facts) == 30 and {f.metric for f in parsed.facts} == {"price"}
    # Kerinci wrote a price under 31 November: its whole row is refused, with the reason
    assert [r.row_number for r in parsed.rejected] == [4]
    assert "day 31 of November 2025 does not exist" in parsed.rejected[0].reason_en
    assert any("dated November 2025 (from the title" in note for note in parsed.notes)


def test_day_numbers_take_the_month_from_the_sheet_or_file_name(tmp_path):
    path = days_book(tmp_path / "stok.xlsx", "Stok LPG 3 kg (tabung)", 30, sheet="Nop 2025")
    parsed = parse_file(path, Options(), upload_limits=False)
    assert parsed.rejected == [] and len(parsed.facts) == 60
    assert {f.date for f in parsed.facts} == {dt.date(2025, 11, d) for d in range(1, 31)}
    csv = tmp_path / "stok_lpg_2025-02.csv"
    csv.write_text("Stok (tabung)\nKabupaten/Kota;1;2;3;4;5;6;7\nKota Jambi;9;8;7;6;5;4;3\n")
    facts = parse_file(csv, Options(), upload_limits=False).facts
    assert [(f.date.day, f.value) for f in facts][:2] == [(1, 9.0), (2, 8.0)]
    assert {f.date.month for f in facts} == {2}


def test_day_numbers_without_a_month_are_refused_with_the_reason(tmp_path):
    path = days_book(tmp_path / "stok.xlsx", "Stok LPG 3 kg (tabung)", 30)
    result, code = import_file(path, dry_run=True)
    assert code == 1 and "no month and year were found" in result.errors[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Harga Beras November 2025", (2025, 11)),
        ("stok_lpg_agt_2024", (2024, 8)),
        ("Laporan 11/2025", (2025, 11)),
        ("rekap 2026-01", (2026, 1)),
        ("Laporan Harian", None),
    ],
)
def test_month_and_year_in_titles_and_names(text, expected):
    assert find_month(text) == expected


def test_a_column_numbering_row_is_not_read_as_days(tmp_path):
    rows = [
        ["tanggal", "kabupaten_kota", "komoditas", "stok", "satuan", "x", "y", "z"],
        [1, 2, 3, 4, 5, 6, 7, 8],
        ["05/08/2024", "Kota Jambi", "LPG 3 kg", 12_500, "tabung", None, None, None],
    ]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "bernomor.xlsx")
    parsed = parse_file(tmp_path / "bernomor.xlsx", Options(), upload_limits=False)
    assert [(f.date, f.value) for f in parsed.facts] == [(dt.date(2024, 8, 5), 12_500.0)]


def test_repeated_identical_rows_are_good_rows_merged_into_one_fact_each(tmp_path):
    row = "01/08/2024;Kota Jambi;LPG 3 kg;310.000;16.000;15.500;tabung;Budi"
    path = tmp_path / "ulang.csv"
    path.write_text("\n".join([HEADER, *[row] * 100]) + "\n", encoding="utf-8")
    result, code = import_file(path, dry_run=True, upload_limits=False)
    assert code == 0 and result.details["rows_accepted"] == 100 and result.rows_rejected == 0
    assert result.details["facts_accepted"] == 3
    assert "297 identical duplicate(s) merged" in result.message


def test_a_long_file_of_nothing_but_bad_rows_stops_early_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "HOPELESS_ROWS", 60)
    path = tmp_path / "sampah.csv"
    path.write_text(HEADER + "\n" + "1;x\n" * 10_000, encoding="utf-8")
    result, code = import_file(path, dry_run=True, upload_limits=False)
    assert code == 1 and "the first 74 rows are all refused" in result.errors[0]
    assert "First row: Row 2, column " in result.errors[0]
    assert "'1' is not a recognised date" in result.errors[0]


def test_a_city_of_another_province_in_the_file_name_is_refused_by_name(tmp_path):
    path = tmp_path / "harga_konsumen_kota_bandung.csv"
    path.write_text(
        "Timestamp,Komoditas,Satuan,Harga\n2025-09-13,Beras Medium,Rp./Kg,13250\n",
        encoding="utf-8",
    )
    result, code = import_file(path, dry_run=True)
    assert code == 1
    assert "names Kota Bandung, a region of Jawa Barat Province, not of Jambi" in result.errors[0]


def test_the_real_bandung_price_file_is_refused_in_jambi_with_the_reason(realdata, tmp_path):
    """harga_komoditas_konsumen_kota_bandung.csv: a Kota Bandung (Jawa Barat) price series."""
    path = realdata / "bapanas_panelharga" / "harga_komoditas_konsumen_kota_bandung.csv"
    result, code = import_file(path, dry_run=True, upload_limits=False)
    assert code == 1 and "Kota Bandung, a region of Jawa Barat Province" in result.errors[0]


def test_the_command_line_refuses_a_zip_bomb_workbook_too(tmp_path, monkeypatch):
    from ingest import tables
    from tests.hostile.corpus import _xlsx_zip_bomb

    monkeypatch.setattr(tables, "MAX_UNPACKED_MB", 1)
    path = tmp_path / "bom.xlsx"
    _xlsx_zip_bomb(path, uncompressed_mb=3)
    result, code = import_file(path, dry_run=True, upload_limits=False)
    assert code == 1 and "too large when unpacked" in result.errors[0]
