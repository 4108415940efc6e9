"""Bulk history import (ingest.bulk): free closed months become parts, months that hold facts
go through the keyed upsert (revisions kept), bad or duplicate input stores nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from ingest import bulk
from ingest.loader import RunAudit, RunLog, audited_as
from tests.price_frames import daily_prices
from warehouse import db, parts, seal

TOTALS = "SELECT count(*) AS n, sum(value) AS total FROM facts"


def _prices(first: dt.date, days: int, seed: int = 3) -> pd.DataFrame:
    return daily_prices(first, days, seed)


def _run(run_id: str) -> RunLog:
    return RunLog(run_id, "pihps", dt.datetime(2025, 9, 1))


def _copy(source: Path, path: Path) -> None:
    """The warehouse file and its (tiny) parts folder, copied."""
    path.write_bytes(source.read_bytes())
    shutil.copytree(parts.parts_dir(source), parts.parts_dir(path))


def _active(path: Path) -> list[tuple]:
    with db.reader(path) as con:
        return parts.active_parts(con)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """240 days of 2025 bulk-imported into an empty warehouse (January..April as parts)."""
    path = tmp_path_factory.mktemp("bulk") / "warehouse.duckdb"
    facts = _prices(dt.date(2025, 1, 1), 240)
    bulk.bulk_commit_run(_run("import-2025"), facts, str(path))
    return path, facts


def test_history_beside_held_months_becomes_parts_and_changed_values_are_revisions(
    imported, tmp_path
):
    source, first = imported
    path = tmp_path / "warehouse.duckdb"
    _copy(source, path)
    older = _prices(dt.date(2024, 1, 1), 366, seed=4)  # 2024: no fact held yet
    again = first.copy()
    sealed_row, current_row = 10, len(again) - 10  # one in a March part, one current (August)
    again.loc[[sealed_row, current_row], "value"] += 100
    facts = pd.concat([again, older], ignore_index=True)  # newest first: not in date order
    with audited_as(RunAudit("history_imported", "petugas")):
        counts = bulk.bulk_commit_run(_run("import-2024"), facts, str(path))
    assert (counts.inserted, counts.revised, counts.unchanged) == (len(older), 2, len(first) - 2)
    months = [row[1] for row in _active(path)]
    assert months == [dt.date(2024, m, 1) for m in range(1, 13)] + [
        dt.date(2025, m, 1) for m in range(1, 5)
    ]
    feb = next(row for row in _active(path) if row[1] == dt.date(2024, 2, 1))
    assert (feb[2], feb[3]) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    stored = db.read_df(TOTALS, path=path)
    assert stored.n[0] == len(facts)
    assert stored.total[0] == pytest.approx(facts["value"].sum())
    revisions = db.read_df(
        "SELECT date, old_value, new_value, new_run_id FROM fact_revisions ORDER BY date",
        path=path,
    )
    changed = again.loc[[sealed_row, current_row]]
    assert revisions.date.dt.date.tolist() == changed["date"].tolist()
    assert revisions.new_value.tolist() == changed["value"].tolist()
    assert revisions.old_value.tolist() == (changed["value"] - 100).tolist()
    assert set(revisions.new_run_id) == {"import-2024"}
    audit = db.read_df("SELECT user_name, action, target FROM audit_log", path=path)
    assert audit.values.tolist() == [["petugas", "history_imported", "import-2024"]]
    run = db.read_df(
        "SELECT status, message FROM ingest_runs WHERE run_id = 'import-2024'", path=path
    )
    assert run.status[0] == "success" and "revised 2" in run.message[0]


def test_a_month_that_gained_facts_meanwhile_refuses_the_import_and_leaves_no_file(
    imported, tmp_path, monkeypatch
):
    source, first = imported
    path = tmp_path / "warehouse.duckdb"
    _copy(source, path)
    before = path.read_bytes()
    latest = first["date"].max()
    # as if the plan was made before another writer loaded May..August
    monkeypatch.setattr(bulk, "_occupied_months", lambda _path: (set(), latest))
    monkeypatch.setattr(seal, "KEEP_DAYS", 10)
    with pytest.raises(seal.SealConflict, match="gained facts meanwhile"):
        bulk.bulk_commit_run(_run("import-late"), first, str(path))
    assert path.read_bytes() == before
    assert not list(parts.parts_dir(path).glob(f"*{parts.TMP_SUFFIX}"))
    listed = {row[0] for row in _active(path)}
    assert {p.name for p in parts.parts_dir(path).glob("*.parquet")} == listed


def test_bad_rows_are_named_and_nothing_is_stored(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    db.init_warehouse(path)
    facts = _prices(dt.date(2024, 1, 1), 200)
    missing = facts.astype({"value": "float64"})
    missing.loc[41, "value"] = np.nan
    with pytest.raises(bulk.BadFacts, match="row 42: value is empty"):
        bulk.bulk_commit_run(_run("import-missing"), missing, str(path))
    words = facts.astype({"value": "object"})
    words.loc[3, "value"] = "tiga ribu"
    with pytest.raises(bulk.BadFacts, match="column value"):
        bulk.bulk_commit_run(_run("import-words"), words, str(path))
    assert db.read_df(TOTALS, path=path).n[0] == 0
    assert db.read_df("SELECT count(*) AS n FROM ingest_runs", path=path).n[0] == 0
    folder = parts.parts_dir(path)
    assert not folder.exists() or not any(folder.iterdir())


@pytest.mark.parametrize("packed", [True, False], ids=["packed-key", "sorted-columns"])
def test_duplicates_are_found_in_any_order_on_both_key_paths(monkeypatch, packed):
    if not packed:
        monkeypatch.setattr(bulk, "PACKED_KEY_LIMIT", 0)
    facts = _prices(dt.date(2024, 1, 1), 30)
    shuffled = facts.sample(frac=1.0, random_state=7).reset_index(drop=True)
    table = bulk._in_date_order(bulk._typed(shuffled))
    bulk._check_unique(table)  # every key once: no error
    days = table.column("date").cast(pa.int32()).to_numpy()
    assert (np.diff(days) >= 0).all()
    repeated = pd.concat([shuffled, facts.iloc[[5, 100]].assign(value=1.0)], ignore_index=True)
    table = bulk._in_date_order(bulk._typed(repeated.sample(frac=1.0, random_state=8)))
    with pytest.raises(bulk.DuplicateFacts, match="2 duplicate facts") as raised:
        bulk._check_unique(table)
    first = facts.iloc[5]
    named = f"{first['date']} {first['region_code']} {first['commodity']} price"
    other = facts.iloc[100]
    assert named in str(raised.value) or (
        f"{other['date']} {other['region_code']} {other['commodity']} price" in str(raised.value)
    )


def test_an_import_failing_before_its_commit_leaves_the_old_state(imported, tmp_path, monkeypatch):
    source, _ = imported
    path = tmp_path / "warehouse.duckdb"
    _copy(source, path)
    before, totals = path.read_bytes(), db.read_df(TOTALS, path=path)

    def crash(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(bulk, "insert_run", crash)  # after the parts are renamed and listed
    with pytest.raises(OSError, match="disk full"):
        bulk.bulk_commit_run(_run("import-2024"), _prices(dt.date(2024, 1, 1), 366), str(path))
    assert path.read_bytes() == before
    pd.testing.assert_frame_equal(db.read_df(TOTALS, path=path), totals)
    folder = parts.parts_dir(path)
    listed = {row[0] for row in _active(path)}
    orphans = {p.name for p in folder.glob("*.parquet")} - listed
    assert len(orphans) == 12 and not list(folder.glob(f"*{parts.TMP_SUFFIX}"))
    monkeypatch.undo()
    seal.seal(path)  # the next seal removes the files no manifest lists
    assert {p.name for p in folder.glob("*.parquet")} == {row[0] for row in _active(path)}
    pd.testing.assert_frame_equal(db.read_df(TOTALS, path=path), totals)


def test_an_arrow_table_and_an_empty_frame_are_typed_like_a_frame():
    facts = _prices(dt.date(2024, 1, 1), 3)
    from_frame = bulk._typed(facts)
    from_arrow = bulk._typed(pa.Table.from_pandas(facts, preserve_index=False))
    assert from_arrow.equals(from_frame)
    assert [f.type for f in from_frame.schema] == [
        pa.date32(),
        pa.dictionary(pa.int32(), pa.string()),
        pa.dictionary(pa.int32(), pa.string()),
        pa.dictionary(pa.int32(), pa.string()),
        pa.float64(),
        pa.dictionary(pa.int32(), pa.string()),
    ]
    empty = bulk._typed(facts.iloc[0:0].astype("float64"))
    assert empty.num_rows == 0 and empty.schema.equals(from_frame.schema)


def test_a_part_that_cannot_be_written_leaves_no_working_file(tmp_path, monkeypatch):
    write = seal.write_arrow_part
    tried: list[dt.date] = []

    def fail_on_the_third(table, folder, month, name):
        tried.append(month)
        if len(tried) == 3:
            raise OSError("disk full")
        return write(table, folder, month, name)

    monkeypatch.setattr(seal, "write_arrow_part", fail_on_the_third)
    table = bulk._typed(_prices(dt.date(2023, 1, 1), 365))
    months = bulk._months(table)
    with pytest.raises(OSError, match="disk full"):
        bulk._write_parts(
            bulk._stored(table, "pihps", "r", dt.datetime(2025, 1, 1)), months, tmp_path
        )
    assert len(tried) >= 3 and not list(tmp_path.iterdir())
