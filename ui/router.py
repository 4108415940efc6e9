"""Keep every request on the ``st.navigation`` router defined in ``app.py``.

Streamlit starts in its legacy multipage mode because a ``pages/`` folder sits beside
``app.py``: on a fresh server, a deep link such as ``/ringkasan`` would run the page script
alone (no sidebar, no language switch, no page config) until some session runs ``app.py``.
The first time a page imports ``ui`` in that mode we switch the legacy mode off and rerun,
so the same URL is served through ``app.py``.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def leave_legacy_page_mode() -> None:
    """Rerun through ``app.py`` if Streamlit is still in legacy ``pages/`` mode."""
    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()
