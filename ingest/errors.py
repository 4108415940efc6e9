"""Errors an ingest run reports to the user as one clear message."""

from __future__ import annotations


class IngestError(RuntimeError):
    """Base class: the run stops, nothing is written, the message says what to do."""


class FetchError(IngestError):
    """A source could not be reached or kept failing after retries."""


class SourceFormatError(IngestError):
    """A source answered, but not in the shape we expect (HTML page, bad JSON, missing field)."""


class FileFormatError(IngestError):
    """An uploaded file cannot be read as a whole (unknown layout, too big, unreadable)."""


def missing_field(source: str, field: str, where: str) -> SourceFormatError:
    """The standard message for a response that lacks a field we need."""
    return SourceFormatError(
        f"{source}: field '{field}' is missing in {where}. The source may have changed its "
        f"format; check the raw response in the run's archive and update the connector."
    )
