"""Officer login. Viewing is open; writing (uploads, alert steps, saved scenarios) needs a login.

Two ways, in this order:

* OIDC through ``st.login`` when ``[auth]`` is configured in ``.streamlit/secrets.toml``;
* local accounts with salted bcrypt hashes: ``[accounts.<username>]`` tables with ``name`` and
  ``password_hash``, read from ``.streamlit/secrets.toml`` or from the TOML file named by
  ``JSW_ACCOUNTS_FILE``. Hash a password with
  ``python -c "import bcrypt, getpass; print(bcrypt.hashpw(getpass.getpass().encode(), bcrypt.gensalt()).decode())"``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import bcrypt
import streamlit as st

from ui.i18n import t

USER_KEY = "auth_user"
USER_NAME_KEY = "auth_user_name"


def _secrets_section(name: str) -> dict[str, Any]:
    try:
        return dict(st.secrets[name]) if name in st.secrets else {}
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return {}


def accounts() -> dict[str, dict[str, Any]]:
    """Local officer accounts: secrets ``[accounts]`` plus the ``JSW_ACCOUNTS_FILE`` file."""
    found = {user: dict(data) for user, data in _secrets_section("accounts").items()}
    path = os.environ.get("JSW_ACCOUNTS_FILE")
    if path and Path(path).is_file():
        with open(path, "rb") as handle:
            found.update(tomllib.load(handle).get("accounts", {}))
    return found


def oidc_configured() -> bool:
    """True when ``[auth]`` with an OIDC provider is configured in the secrets."""
    return bool(_secrets_section("auth"))


def hash_password(password: str) -> str:
    """A salted bcrypt hash for ``password`` (what goes into ``password_hash``)."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def verify(username: str, password: str, known: dict[str, dict[str, Any]] | None = None) -> bool:
    """True when ``password`` matches the stored hash of ``username``."""
    account = (accounts() if known is None else known).get(username.strip())
    if not account or not password:
        return False
    stored = str(account.get("password_hash", "")).encode()
    try:
        return bcrypt.checkpw(password.encode(), stored)
    except ValueError:
        return False


def current_user() -> str | None:
    """The logged-in officer's user name, or None for anonymous viewers."""
    if oidc_configured():
        user = st.user
        return str(user.get("email") or user.get("name")) if user.is_logged_in else None
    return st.session_state.get(USER_KEY)


def can_write() -> bool:
    """Only logged-in officers may write."""
    return current_user() is not None


def _log_in(username: str, password: str) -> bool:
    known = accounts()
    if not verify(username, password, known):
        return False
    st.session_state[USER_KEY] = username.strip()
    st.session_state[USER_NAME_KEY] = known[username.strip()].get("name", username.strip())
    return True


def _log_out() -> None:
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(USER_NAME_KEY, None)


def sidebar_login() -> None:
    """Login / logout box in the sidebar."""
    box = st.sidebar.expander(t("login_title"), expanded=False)
    if oidc_configured():
        if st.user.is_logged_in:
            box.write(t("logged_in_as", user=current_user()))
            box.button(t("logout"), on_click=st.logout, key="sidebar_logout")
        else:
            box.button(t("login_oidc"), on_click=st.login, key="sidebar_login_oidc")
        return
    user = current_user()
    if user:
        box.write(t("logged_in_as", user=st.session_state.get(USER_NAME_KEY, user)))
        box.button(t("logout"), on_click=_log_out, key="sidebar_logout")
        return
    if not accounts():
        box.caption(t("no_accounts"))
        return
    with box.form("sidebar_login_form", clear_on_submit=True):
        username = st.text_input(t("username"), key="sidebar_login_user")
        password = st.text_input(t("password"), type="password", key="sidebar_login_password")
        submitted = st.form_submit_button(t("login"))
    if submitted and not _log_in(username, password):
        box.error(t("login_failed"))
    elif submitted:
        st.rerun()
