"""``python -m ingest file``: kept as the command's entry point; the code lives in ``ingest.officer``."""

from ingest.officer.cli import main
from ingest.officer.importer import import_file

__all__ = ["import_file", "main"]
