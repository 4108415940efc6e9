"""Officer login. Viewing is open; writing (uploads, alert steps, saved scenarios) needs a login.

Two ways, in this order:

* OIDC through ``st.login`` when ``[auth]`` is configured in ``.streamlit/secrets.toml``. Only
  people on the ``[writers]`` allow-list may write (``emails``, ``domains`` and ``groups``
  lists; the groups are read from the identity token's ``groups`` claim). Anyone else the
  identity provider knows is logged in as a viewer.
* local accounts with salted bcrypt hashes: ``[accounts.<username>]`` tables with ``name`` and
  ``password_hash``, read from ``.streamlit/secrets.toml`` or from the TOML file named by
  ``JSW_ACCOUNTS_FILE``. Hash a password with
  ``python -c "import bcrypt, getpass; print(bcrypt.hashpw(getpass.getpass().encode(), bcrypt.gensalt()).decode())"``.
  Failed logins are throttled per user name and per client; an unknown user name costs the
  same bcrypt check as a known one. The published demo password works only on a demo
  warehouse.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bcrypt
import streamlit as st

from ui.i18n import t
from warehouse.db import db_path
from warehouse.provenance import is_demo_warehouse

USER_KEY = "auth_user"
USER_NAME_KEY = "auth_user_name"
# The password of the demo account in .streamlit/secrets.example.toml: public, so refused on
# any warehouse that holds real data.
PUBLISHED_DEMO_PASSWORD = "jambi-demo-2026"
# A bcrypt hash of a random secret nobody knows: checked for unknown user names so that a
# wrong user name takes as long as a wrong password.
DUMMY_HASH = b"$2b$12$JLR06xAeHIA1q.P685XyrO.b9VHBP96RM/aX1m1wAGmPYOvKfjNB2"
MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


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
    """True when ``password`` matches the stored hash of ``username``.

    Always runs one bcrypt check (against a dummy hash for an unknown user name), so the time
    taken does not tell which user names exist.
    """
    account = (accounts() if known is None else known).get(username.strip())
    stored = str(account.get("password_hash", "")).encode() if account else DUMMY_HASH
    try:
        matches = bcrypt.checkpw(password.encode(), stored)
    except ValueError:  # a malformed stored hash: spend the same time, then refuse
        bcrypt.checkpw(password.encode(), DUMMY_HASH)
        matches = False
    return bool(account) and bool(password) and matches


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value] if isinstance(value, Iterable) else [str(value)]


def oidc_may_write(claims: Mapping[str, Any], allow: Mapping[str, Any]) -> bool:
    """True when an OIDC user's email, email domain or one of their groups is allowed.

    ``allow`` is the ``[writers]`` secrets table (``emails``, ``domains``, ``groups``); an
    empty or missing table allows nobody. Only a verified email counts when the provider
    says whether it is verified.
    """
    email = str(claims.get("email") or "").strip().lower()
    if claims.get("email_verified") is False:
        email = ""
    emails = {e.strip().lower() for e in _as_list(allow.get("emails"))}
    domains = {d.strip().lower().lstrip("@") for d in _as_list(allow.get("domains"))}
    groups = {g.strip() for g in _as_list(allow.get("groups"))}
    if email and (email in emails or email.rpartition("@")[2] in domains):
        return True
    return bool(groups & {g.strip() for g in _as_list(claims.get("groups"))})


@dataclass
class LoginThrottle:
    """Failed-login counter per key (a user name or a client): after ``max_failures`` within
    ``window`` seconds the key is locked until the oldest failure leaves the window."""

    max_failures: int = MAX_FAILURES
    window: float = LOCKOUT_SECONDS
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str) -> list[float]:
        now = self.clock()
        kept = [t0 for t0 in self._failures.get(key, []) if now - t0 < self.window]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def blocked(self, *keys: str) -> bool:
        """True when any of ``keys`` has too many recent failures."""
        with self._lock:
            return any(len(self._recent(key)) >= self.max_failures for key in keys)

    def failed(self, *keys: str) -> None:
        """Count one failed attempt against every key."""
        with self._lock:
            for key in keys:
                self._recent(key)
                self._failures.setdefault(key, []).append(self.clock())

    def clear(self) -> None:
        """Forget every failure (a server restart does the same)."""
        with self._lock:
            self._failures.clear()

    def succeeded(self, user_key: str) -> None:
        """Forget the user's failures after a successful login (the client's stay counted)."""
        with self._lock:
            self._failures.pop(user_key, None)


# One throttle for the whole server process: every session's attempts count.
THROTTLE = LoginThrottle()


def client_key() -> str:
    """The throttle key of the browser's connection (its address; "local" on localhost)."""
    try:
        address = st.context.ip_address
    except (AttributeError, RuntimeError):
        address = None
    return f"client:{address or 'local'}"


def is_published_demo_password(password: str) -> bool:
    """True for the demo password printed in the example secrets file."""
    return hmac.compare_digest(password.encode(), PUBLISHED_DEMO_PASSWORD.encode())


def check_login(
    username: str,
    password: str,
    known: dict[str, dict[str, Any]],
    client: str,
    warehouse: str | os.PathLike[str],
    throttle: LoginThrottle = THROTTLE,
) -> str:
    """``"ok"``, ``"throttled"``, ``"demo_refused"`` or ``"failed"`` for one login attempt."""
    user_key = f"user:{username.strip().lower()}"
    if throttle.blocked(user_key, client):
        return "throttled"
    if not verify(username, password, known):
        throttle.failed(user_key, client)
        return "failed"
    if is_published_demo_password(password) and not is_demo_warehouse(warehouse):
        return "demo_refused"
    throttle.succeeded(user_key)
    return "ok"


def current_user() -> str | None:
    """The officer who may write, or None for viewers (anonymous or not on the allow-list)."""
    if oidc_configured():
        user = st.user
        if not user.is_logged_in or not oidc_may_write(user.to_dict(), _secrets_section("writers")):
            return None
        return str(user.get("email") or user.get("name"))
    return st.session_state.get(USER_KEY)


def can_write() -> bool:
    """Only logged-in officers may write."""
    return current_user() is not None


def _log_in(username: str, password: str) -> str:
    known = accounts()
    outcome = check_login(username, password, known, client_key(), db_path())
    if outcome == "ok":
        st.session_state[USER_KEY] = username.strip()
        st.session_state[USER_NAME_KEY] = known[username.strip()].get("name", username.strip())
    return outcome


def _log_out() -> None:
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(USER_NAME_KEY, None)


def _oidc_box(box: Any) -> None:
    if not st.user.is_logged_in:
        box.button(t("login_oidc"), on_click=st.login, key="sidebar_login_oidc")
        return
    name = str(st.user.get("email") or st.user.get("name"))
    box.write(t("logged_in_as", user=name))
    if current_user() is None:
        box.caption(t("oidc_not_writer"))
    box.button(t("logout"), on_click=st.logout, key="sidebar_logout")


def sidebar_login() -> None:
    """Login / logout box in the sidebar."""
    box = st.sidebar.expander(t("login_title"), expanded=False)
    if oidc_configured():
        _oidc_box(box)
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
    if not submitted:
        return
    outcome = _log_in(username, password)
    if outcome == "ok":
        st.rerun()
    box.error(t(f"login_{outcome}"))
