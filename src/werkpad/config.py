"""Runtime configuration from the environment, with embedded defaults that just work."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
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


# --- outgoing mail (issue 16) -----------------------------------------------------------------

DEFAULT_SMTP_PORT = 25


@dataclass(frozen=True)
class SmtpSettings:
    """The SMTP server invitations and reminders go to. ``host`` None: no mail server is
    configured, so e-mails fail with that reason (and letters still work)."""

    host: str | None = None
    port: int = DEFAULT_SMTP_PORT
    sender: str = "werkpad@localhost"
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0


def smtp_settings() -> SmtpSettings:
    """From ``WERKPAD_SMTP_HOST``, ``_PORT`` (25), ``_SENDER``, ``_STARTTLS`` (``ja``/``1``),
    ``_USER`` and ``_PASSWORD``; the password only ever from the environment."""
    env = os.environ
    port = env.get("WERKPAD_SMTP_PORT", "").strip()
    return SmtpSettings(
        host=env.get("WERKPAD_SMTP_HOST", "").strip() or None,
        port=int(port) if port.isdigit() else DEFAULT_SMTP_PORT,
        sender=env.get("WERKPAD_SMTP_SENDER", "").strip() or "werkpad@localhost",
        starttls=env.get("WERKPAD_SMTP_STARTTLS", "").strip().lower() in ("1", "ja", "yes", "true"),
        username=env.get("WERKPAD_SMTP_USER", "").strip() or None,
        password=env.get("WERKPAD_SMTP_PASSWORD") or None,
    )


# --- documents on the candidate file (issue 16) ---------------------------------------------

DEFAULT_UPLOAD_MAX_MB = 10


@dataclass(frozen=True)
class DocumentSettings:
    """Where uploaded documents are kept (outside the web root, owner-only), the largest
    upload, and the virus scanner to run on each file (None: no scanner)."""

    directory: Path
    max_bytes: int
    scan_command: str | None = None


def document_settings() -> DocumentSettings:
    """From ``WERKPAD_DATA_DIR`` (default ``./werkpad-data``; documents in its ``documents``
    folder), ``WERKPAD_UPLOAD_MAX_MB`` (10) and ``WERKPAD_VIRUS_SCAN_COMMAND`` (e.g.
    ``clamdscan --no-summary``; the file's path is added, exit status 0 means clean)."""
    env = os.environ
    size = env.get("WERKPAD_UPLOAD_MAX_MB", "").strip()
    base = Path(env.get("WERKPAD_DATA_DIR", "").strip() or Path.cwd() / "werkpad-data")
    return DocumentSettings(
        directory=base / "documents",
        max_bytes=(int(size) if size.isdigit() else DEFAULT_UPLOAD_MAX_MB) * 1024 * 1024,
        scan_command=env.get("WERKPAD_VIRUS_SCAN_COMMAND", "").strip() or None,
    )
