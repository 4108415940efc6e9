"""Sealed history: closed months in Parquet parts, ``facts`` one view, writes copy only the
current file, revisions of sealed dates win, interrupted seals leave the old state."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ingest.loader import RunLog, commit_run
from tests.price_frames import COMMODITIES, REGIONS, daily_prices
from warehouse import db, parts, seal
from warehouse.__main__ import main as warehouse_cli

FIRST_DAY = dt.date(2025, 1, 1)
DAYS = 240
TOTALS = "SELECT count(*) AS n, sum(value) AS total, count(DISTINCT date) AS days FROM facts"


def _prices(days: int = DAYS, first: dt.date = FIRST_DAY, seed: int = 3) -> pd.DataFrame:
    return daily_prices(first, days, seed)


def _commit(path: Path, facts: pd.DataFrame, run_id: str):
    run = RunLog(run_id, "pihps", dt.datetime(2025, 9, 1), rows_read=len(facts))
    run.rows_loaded = len(facts)
    return commit_run(run, facts, [], path=str(path))


@pytest.fixture(scope="module")
def loaded_warehouse(tmp_path_factory) -> Path:
    """240 days of prices (3 regions x 2 commodities) committed through the loader."""
    path = tmp_path_factory.mktemp("parts") / "warehouse.duckdb"
    _commit(path, _prices(), "run-1")
    return path


@pytest.fixture
def warehouse(loaded_warehouse, tmp_path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(loaded_warehouse, path)
    return path


def _current_rows(path: Path) -> int:
    with db.reader(path) as con:
        return con.execute(f"SELECT count(*) FROM {parts.current_table(con)}").fetchone()[0]


def test_seal_moves_closed_months_and_readers_see_the_same_facts(warehouse):
    before = db.read_df(TOTALS, path=warehouse)
    series_before = db.read_df(
        "SELECT date, value FROM daily_values WHERE region_code = '1571' AND"
        " commodity = 'gula_pasir' AND metric = 'price' ORDER BY date",
        path=warehouse,
    )
    result = seal.seal(warehouse)
    # latest day 2025-08-28, keep 92 days -> cutoff 2025-05-28: January..April are sealed
    assert result.months == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert result.rows_moved == result.facts_sealed == 120 * len(REGIONS) * len(COMMODITIES)
    assert _current_rows(warehouse) == (DAYS - 120) * len(REGIONS) * len(COMMODITIES)
    pd.testing.assert_frame_equal(db.read_df(TOTALS, path=warehouse), before)
    series_after = db.read_df(
        "SELECT date, value FROM daily_values WHERE region_code = '1571' AND"
        " commodity = 'gula_pasir' AND metric = 'price' ORDER BY date",
        path=warehouse,
    )
    pd.testing.assert_frame_equal(series_after, series_before)
    files = sorted(p.name for p in parts.parts_dir(warehouse).iterdir())
    assert len(files) == 4 and all(name.endswith(".parquet") for name in files)


def test_reingest_of_sealed_dates_is_a_no_op_and_a_revision_wins(warehouse):
    seal.seal(warehouse)
    again = _commit(warehouse, _prices(), "run-2")
    assert (again.inserted, again.revised) == (0, 0)
    revised = _prices(days=3)  # three sealed January days, one value changed
    revised.loc[0, "value"] = revised.loc[0, "value"] + 100
    counts = _commit(warehouse, revised, "run-3")
    assert (counts.inserted, counts.revised) == (0, 1)
    row = revised.iloc[0]
    key = [row["date"], row["region_code"], row["commodity"]]
    seen = db.read_df(
        "SELECT value, run_id FROM facts WHERE date = ? AND region_code = ? AND commodity = ?",
        key,
        path=warehouse,
    )
    assert seen.value.tolist() == [row["value"]] and seen.run_id.tolist() == ["run-3"]
    history = db.read_df(
        "SELECT old_value, new_value, old_run_id FROM fact_revisions WHERE date = ?"
        " AND region_code = ? AND commodity = ?",
        key,
        path=warehouse,
    )
    assert history.iloc[0].tolist() == [row["value"] - 100, row["value"], "run-1"]
    assert db.read_df(TOTALS, path=warehouse).n[0] == DAYS * len(REGIONS) * len(COMMODITIES)


@pytest.mark.slow
def test_resealing_a_revised_month_replaces_its_part_after_the_grace_period(warehouse):
    seal.seal(warehouse)
    revised = _prices(days=1)
    revised["value"] = revised["value"] + 50
    _commit(warehouse, revised, "run-4")
    old_files = set(p.name for p in parts.parts_dir(warehouse).iterdir())
    result = seal.seal(warehouse, grace_seconds=3600)
    assert result.months == ["2025-01"] and result.rows_moved == len(revised)
    files = set(p.name for p in parts.parts_dir(warehouse).iterdir())
    assert len(files) == 5  # the replaced January part stays for readers of the old manifest
    jan = db.read_df(
        "SELECT sum(value) AS total, count(*) AS n FROM facts WHERE date = ?",
        [FIRST_DAY],
        path=warehouse,
    )
    assert jan.n[0] == len(revised) and jan.total[0] == pytest.approx(revised["value"].sum())
    seal.seal(warehouse, grace_seconds=0)
    remaining = set(p.name for p in parts.parts_dir(warehouse).iterdir())
    assert len(remaining) == 4 and remaining != old_files


@pytest.mark.slow
def test_a_seal_interrupted_before_its_commit_leaves_the_old_state(warehouse, monkeypatch):
    before = warehouse.read_bytes()
    totals = db.read_df(TOTALS, path=warehouse)

    def crash(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(seal, "_expire_retired", crash)  # after the rename, before the commit
    with pytest.raises(OSError):
        seal.seal(warehouse)
    assert warehouse.read_bytes() == before
    pd.testing.assert_frame_equal(db.read_df(TOTALS, path=warehouse), totals)
    leftovers = list(parts.parts_dir(warehouse).iterdir())
    assert len(leftovers) == 4  # renamed but never listed: orphans
    monkeypatch.undo()
    seal.seal(warehouse)
    with db.reader(warehouse) as con:
        listed = {row[0] for row in parts.active_parts(con)}
    assert {p.name for p in parts.parts_dir(warehouse).iterdir()} == listed
    pd.testing.assert_frame_equal(db.read_df(TOTALS, path=warehouse), totals)


def test_cli_seals_and_lists_parts(warehouse, capsys):
    assert warehouse_cli(["seal", "--db", str(warehouse), "--json"]) == 0
    assert '"months": ["2025-01", "2025-02", "2025-03", "2025-04"]' in capsys.readouterr().out
    assert warehouse_cli(["parts", "--db", str(warehouse)]) == 0
    assert "4 sealed part(s)" in capsys.readouterr().out


def test_a_warehouse_without_a_manifest_is_still_read(tmp_path):
    import duckdb

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE facts (date DATE, region_code VARCHAR, commodity VARCHAR, metric VARCHAR,"
        " source VARCHAR, value DOUBLE, unit VARCHAR, run_id VARCHAR)"
    )
    con.execute(
        "INSERT INTO facts (date, region_code, commodity, metric, source, value, unit, run_id)"
        " VALUES ('2024-01-01', '1501', 'beras_medium', 'price', 's', 1.0, 'Rp/kg', 'r')"
    )
    con.close()
    assert db.read_df("SELECT count(*) AS n FROM facts", path=path).n[0] == 1
    db.init_warehouse(path)  # the migration adds the manifest and known_at
    assert db.read_df("SELECT count(*) AS n FROM fact_parts", path=path).n[0] == 0


@pytest.mark.slow
def test_bulk_import_writes_closed_months_as_parts_and_reimport_changes_nothing(tmp_path):
    from ingest.bulk import bulk_commit_run

    path = tmp_path / "warehouse.duckdb"
    facts = _prices()
    run = RunLog("import-1", "pihps", dt.datetime(2025, 9, 1))
    counts = bulk_commit_run(run, facts, str(path))
    assert counts.inserted == len(facts)
    with db.reader(path) as con:
        months = [row[1].strftime("%Y-%m") for row in parts.active_parts(con)]
    assert months == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert _current_rows(path) == (DAYS - 120) * len(REGIONS) * len(COMMODITIES)
    stored = db.read_df(TOTALS, path=path)
    assert stored.n[0] == len(facts) and stored.total[0] == pytest.approx(facts["value"].sum())
    runs = db.read_df("SELECT status FROM ingest_runs WHERE run_id = 'import-1'", path=path)
    assert runs.status.tolist() == ["success"]
    again = bulk_commit_run(RunLog("import-2", "pihps", dt.datetime(2025, 9, 2)), facts, str(path))
    assert (again.inserted, again.revised, again.unchanged) == (0, 0, len(facts))
    assert db.read_df(TOTALS, path=path).n[0] == len(facts)


def test_bulk_import_with_a_duplicate_fact_is_refused_and_stores_nothing(tmp_path):
    from ingest.bulk import DuplicateFacts, bulk_commit_run

    path = tmp_path / "warehouse.duckdb"
    db.init_warehouse(path)
    facts = pd.concat([_prices(days=40), _prices(days=1)], ignore_index=True)
    with pytest.raises(DuplicateFacts, match="duplicate facts"):
        bulk_commit_run(RunLog("import-dup", "pihps", dt.datetime(2025, 9, 1)), facts, str(path))
    assert db.read_df(TOTALS, path=path).n[0] == 0
    folder = parts.parts_dir(path)
    assert not folder.exists() or not list(folder.iterdir())


def test_an_upload_with_a_duplicate_fact_is_refused_and_stores_nothing(warehouse):
    from ingest.loader import DuplicateFacts

    before = db.read_df(TOTALS, path=warehouse)
    later = _prices(days=3, first=FIRST_DAY + dt.timedelta(days=DAYS))
    with pytest.raises(DuplicateFacts, match="1 duplicate facts"):
        _commit(warehouse, pd.concat([later, later.head(1)], ignore_index=True), "run-dup")
    pd.testing.assert_frame_equal(db.read_df(TOTALS, path=warehouse), before)


def test_a_warehouse_with_the_old_fact_key_is_rebuilt_without_it_on_its_next_write(warehouse):
    """Older versions kept a primary key on facts (an index 15x the table): the next write
    drops it, keeps every fact and leaves a smaller file."""
    daily = db.read_df("SELECT count(*) AS n FROM daily_values", path=warehouse).n[0]
    with db.write_transaction(warehouse) as con:  # the facts table as older versions made it
        con.execute("CREATE TABLE keyed AS SELECT * FROM facts")
        con.execute("DROP VIEW daily_values")
        con.execute("DROP TABLE facts")
        con.execute(
            "CREATE TABLE facts (date DATE NOT NULL, region_code VARCHAR NOT NULL, commodity"
            " VARCHAR NOT NULL, metric VARCHAR NOT NULL, source VARCHAR NOT NULL, value DOUBLE"
            " NOT NULL, unit VARCHAR NOT NULL, run_id VARCHAR NOT NULL, known_at TIMESTAMP,"
            " PRIMARY KEY (date, region_code, commodity, metric, source))"
        )
        con.execute("INSERT INTO facts SELECT * FROM keyed")
        con.execute("DROP TABLE keyed")
    keyed = "SELECT count(*) AS n FROM information_schema.table_constraints WHERE table_name"
    keyed += " = 'facts' AND constraint_type = 'PRIMARY KEY'"
    assert db.read_df(keyed, path=warehouse).n[0] == 1
    before, size = db.read_df(TOTALS, path=warehouse), warehouse.stat().st_size
    counts = _commit(warehouse, _prices(days=DAYS), "run-after-key")
    assert (counts.inserted, counts.revised) == (0, 0)
    assert db.read_df(keyed, path=warehouse).n[0] == 0
    pd.testing.assert_frame_equal(db.read_df(TOTALS, path=warehouse), before)
    assert db.read_df("SELECT count(*) AS n FROM daily_values", path=warehouse).n[0] == daily
    assert warehouse.stat().st_size < size
    assert not list(warehouse.parent.glob(f"{warehouse.name}.tmp-*"))


def test_a_pinned_snapshot_of_a_sealed_warehouse_reads_the_live_parts(warehouse):
    from warehouse import snapshots

    before = db.read_df(TOTALS, path=warehouse)
    seal.seal(warehouse)
    pinned = snapshots.pin(warehouse)
    assert pinned != warehouse
    pd.testing.assert_frame_equal(db.read_df(TOTALS, path=pinned), before)


KEYS_UNIQUE = (
    "SELECT count(*) = count(DISTINCT (date, region_code, commodity, metric, source)) AS unique"
    " FROM facts"
)


@pytest.mark.slow
def test_a_seal_that_moves_many_rows_rebuilds_the_current_file_with_unique_keys(
    warehouse, monkeypatch
):
    plain = warehouse.with_name("plain.duckdb")
    shutil.copyfile(warehouse, plain)
    seal.seal(plain)
    monkeypatch.setattr(seal, "COMPACT_ROWS", 1)
    before = db.read_df(TOTALS, path=warehouse)
    seal.seal(warehouse)
    pd.testing.assert_frame_equal(db.read_df(TOTALS, path=warehouse), before)
    assert warehouse.stat().st_size <= plain.stat().st_size  # nothing carried over
    counts = _commit(warehouse, _prices(days=DAYS), "run-5")
    assert (counts.inserted, counts.revised) == (0, 0)
    assert db.read_df(KEYS_UNIQUE, path=warehouse).unique[0]
