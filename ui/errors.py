"""Unexpected errors: logged in full on the server, shown to the user as a short code.

``client.showErrorDetails = "none"`` (``.streamlit/config.toml``) keeps tracebacks out of the
browser; ``page_errors`` catches what a page raises, logs it with an id and shows that id, so
an officer can quote it and the administrator can find the traceback in the server log.
With ``JSW_RAISE_PAGE_ERRORS=1`` (development and the test suite) page errors propagate.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import streamlit as st

from ui.i18n import t

LOG = logging.getLogger("jsw.dashboard")


@dataclass
class PageOutcome:
    """Set by ``page_errors``: the id of the error shown, or None."""

    error_id: str | None = None


def new_error_id() -> str:
    """A short id to quote: ``E-1a2b3c4d``."""
    return f"E-{secrets.token_hex(4)}"


@contextlib.contextmanager
def page_errors() -> Iterator[PageOutcome]:
    """Run a page inside: an unexpected exception is logged with an id and the id is shown.

    Streamlit's own stop/rerun signals are not ``Exception``s and pass through untouched.
    """
    outcome = PageOutcome()
    if os.environ.get("JSW_RAISE_PAGE_ERRORS") == "1":
        yield outcome
        return
    try:
        yield outcome
    except Exception:  # noqa: BLE001 - every page error is logged and shown as an id
        outcome.error_id = new_error_id()
        LOG.exception("dashboard error %s", outcome.error_id)
        st.error(t("internal_error", error_id=outcome.error_id))
