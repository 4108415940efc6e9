"""Hostile and broken uploads: every file of the generated corpus ends in its documented
state with a message naming the problem, nothing partial is written, and the upload command
(the one the dashboard runs) returns instead of hanging."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from hostile.corpus import HELD, LOADED, NEEDS_CONFIRMATION, REFUSED, build_cases, build_corpus
from hostile.integrity import check_warehouse

from ingest.officer_file import import_file
from services.common import ServiceError
from services.officer_files import check_officer_file

EXIT_CODES = {REFUSED: 1, NEEDS_CONFIRMATION: 3, LOADED: 0, HELD: 0}
STATUSES = {
    REFUSED: "failed",
    NEEDS_CONFIRMATION: "needs_confirmation",
    LOADED: "success",
    HELD: "success",
}
HEAVY = ("sejuta.csv", "bom.xlsx", "besar.csv")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def upload_db(demo_warehouse, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("uploads") / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, path)
    return path


def _state(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT (SELECT count(*) FROM facts), (SELECT count(*) FROM held_values),"
            " (SELECT count(*) FROM rejected_rows), (SELECT count(*) FROM facts WHERE source = 'officer')"
        ).fetchone()
        con.complete()
    return dict(zip(("facts", "held", "rejected", "officer"), row, strict=True))


def test_the_corpus_has_at_least_forty_files():
    assert len(build_cases()) >= 40
    assert len({case.filename for case in build_cases()}) == len(build_cases())


@pytest.mark.slow
@pytest.mark.parametrize("case_name", [case.filename for case in build_cases()])
def test_each_hostile_file_ends_in_its_documented_state(
    corpus, upload_db, case_name, monkeypatch, tmp_path
):
    case, path = next((c, p) for c, p in corpus if c.filename == case_name)
    monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
    for name, value in case.env:
        monkeypatch.setenv(name, value)
    before = _state(upload_db)
    result, code = import_file(path, user="budi", db=str(upload_db))
    after = _state(upload_db)
    reasons_id = [row["reason_id"] for row in result.details.get("error_rows", [])]
    text = " ".join([result.message, *result.errors, *reasons_id]).lower()
    assert (result.status, code) == (STATUSES[case.outcome], EXIT_CODES[case.outcome]), text[:500]
    assert all(needle.lower() in text for needle in case.needles), text[:500]
    if case.outcome in (REFUSED, NEEDS_CONFIRMATION):
        assert after == before, "something was written for a refused file"
    elif case.outcome == HELD:
        assert after["held"] > before["held"]
        assert after["facts"] - before["facts"] == result.details["facts_new"]
    else:
        assert after["facts"] - before["facts"] == result.details["facts_new"] > 0
    if case.outcome == NEEDS_CONFIRMATION:
        assert result.details["error_rows"], "the rows at fault are named"
    assert check_warehouse(upload_db).ok


@pytest.mark.slow
@pytest.mark.parametrize("filename", HEAVY)
def test_heavy_files_are_refused_through_the_dashboard_upload_service(
    corpus, upload_db, filename, tmp_path
):
    """The dashboard's upload path (``services.officer_files``, in process) answers and
    refuses the file with a message naming the problem, writing nothing."""
    case, path = next((c, p) for c, p in corpus if c.filename == filename)
    env = {"JSW_RAW_DIR": str(tmp_path / "raw"), **dict(case.env)}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with pytest.raises(ServiceError) as refused:
            check_officer_file(upload_db, path.name, path.read_bytes(), "petugas")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert str(refused.value).startswith(f"{path.name}: ")
    assert any(needle in str(refused.value).lower() for needle in case.needles)


def test_upload_limits_are_settings(corpus, upload_db, monkeypatch, tmp_path):
    """JSW_UPLOAD_MAX_ROWS and JSW_UPLOAD_MAX_MB change what is refused."""
    _, good = next((c, p) for c, p in corpus if c.filename == "bom_crlf.csv")
    monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("JSW_UPLOAD_MAX_ROWS", "0")
    result, code = import_file(good, dry_run=True, db=str(upload_db))
    assert code == 1 and "above the 0 limit" in result.message
    monkeypatch.setenv("JSW_UPLOAD_MAX_ROWS", "10")
    monkeypatch.setenv("JSW_UPLOAD_MAX_MB", "0.00001")
    result, code = import_file(good, dry_run=True, db=str(upload_db))
    assert code == 1 and "MB limit" in result.message
