"""What every service shares: the error type users see and the login check."""

from __future__ import annotations


class ServiceError(ValueError):
    """A problem the user can act on; ``str(error)`` is the message to show."""


class LoginRequired(ServiceError, PermissionError):
    """Only a logged-in officer may write."""

    def __init__(self) -> None:
        super().__init__("Masuk sebagai petugas untuk menyimpan / log in as an officer to save")


def require_user(user: str | None) -> str:
    """The officer's name, stripped; ``LoginRequired`` for anonymous callers."""
    if not user or not str(user).strip():
        raise LoginRequired()
    return str(user).strip()
