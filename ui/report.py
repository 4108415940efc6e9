"""The weekly export for the governor's office, built in process by ``services.weekly``.

Files are rendered in memory (no temporary folder); only logged-in officers build exports.
"""

from __future__ import annotations

from pathlib import Path

from services.weekly import WeeklyFiles, WeeklyRequest, build_weekly_export, week_from_text

MIME = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html",
    ".json": "application/json",
}


def weekly_request(week: str | None, dialect: str, fmt: str, allow_stale: bool) -> WeeklyRequest:
    """The export the form asks for (a blank week = the last complete week of the data)."""
    return WeeklyRequest(week_from_text(week), dialect, fmt, allow_stale, brief=True)


def build_weekly(
    db: str, week: str | None, dialect: str, fmt: str, allow_stale: bool, user: str | None
) -> WeeklyFiles:
    """Build the export as ``user``; raises ``ServiceError`` with a message to show."""
    return build_weekly_export(db, weekly_request(week, dialect, fmt, allow_stale), user)


def mime_of(name: str) -> str:
    """MIME type for a download button."""
    return MIME.get(Path(name).suffix.lower(), "application/octet-stream")
