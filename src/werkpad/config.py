"""Runtime configuration from the environment, with embedded defaults that just work."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_SQLITE_FILE = "werkpad.db"


def database_url(explicit: str | None = None) -> str:
    """The database URL: ``--db`` first, then ``WERKPAD_DATABASE_URL``, else a local SQLite file."""
    if explicit:
        return explicit
    env = os.environ.get("WERKPAD_DATABASE_URL")
    if env:
        return env
    return f"sqlite:///{Path.cwd() / DEFAULT_SQLITE_FILE}"


DEFAULT_IDLE_MINUTES = 30


def session_idle_minutes(explicit: int | None = None) -> int:
    """Minutes without a request after which a login session ends: the argument, else
    ``WERKPAD_SESSION_IDLE_MINUTES``, else 30 (at least 1)."""
    if explicit is not None:
        return max(1, explicit)
    text = os.environ.get("WERKPAD_SESSION_IDLE_MINUTES", "").strip()
    return max(1, int(text)) if text.isdigit() else DEFAULT_IDLE_MINUTES


def trusted_proxies(explicit: str | None = None) -> tuple[IpNetwork, ...]:
    """The reverse proxies (addresses or networks, comma-separated) whose ``X-Forwarded-For``
    header is believed: the argument, else ``WERKPAD_TRUSTED_PROXIES``, else none. A value that
    is not an address is a configuration error (ValueError), never silently ignored."""
    text = explicit if explicit is not None else os.environ.get("WERKPAD_TRUSTED_PROXIES", "")
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()
    )


DEFAULT_MUNICIPALITY_NAME = "Gemeente"


def default_municipality() -> tuple[str, str | None]:
    """Name and CBS code (4 digits, or None) of the municipality a single-municipality
    installation works for: ``WERKPAD_MUNICIPALITY`` and ``WERKPAD_GEMEENTECODE``, else
    "Gemeente" without a code. The first write of a dossier, budget or cost line creates it
    (docs/municipalities.md); a regional service adds its other municipalities."""
    name = os.environ.get("WERKPAD_MUNICIPALITY", "").strip()[:100] or DEFAULT_MUNICIPALITY_NAME
    code = os.environ.get("WERKPAD_GEMEENTECODE", "").strip()
    return name, code if len(code) == 4 and code.isdigit() else None
