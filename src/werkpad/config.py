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


# --- OpenID Connect sign-in (issue 15) --------------------------------------------------------

OIDC_ROLES = ("KLANTMANAGER", "ACCOUNTMANAGER", "TEAMLEIDER", "ANALIST")


@dataclass(frozen=True)
class OidcSettings:
    """The organisation's identity provider. ``group_roles`` keeps the setting's order: the
    first group of the list the user is in decides the role. The beheerder role is never
    given by a group (it is given in werkpad, with four-eyes)."""

    issuer: str
    client_id: str
    client_secret: str
    group_roles: tuple[tuple[str, str], ...]
    redirect_uri: str | None = None  # None: this server's /login/oidc/terug
    groups_claim: str = "groups"
    timeout: float = 10.0


def parse_group_roles(text: str) -> tuple[tuple[str, str], ...]:
    """``"grp-km=KLANTMANAGER,grp-tl=TEAMLEIDER"`` as pairs; a role werkpad does not know, or
    the beheerder role, is a configuration error (ValueError)."""
    pairs: list[tuple[str, str]] = []
    for part in text.split(","):
        if not part.strip():
            continue
        group, sep, role = part.partition("=")
        role = role.strip().upper()
        if not sep or not group.strip() or role not in OIDC_ROLES:
            raise ValueError(
                f"WERKPAD_OIDC_GROUP_ROLES: '{part.strip()}' is not GROUP=ROLE with ROLE one of "
                f"{', '.join(OIDC_ROLES)}"
            )
        pairs.append((group.strip(), role))
    return tuple(pairs)


def oidc_settings() -> OidcSettings | None:
    """From ``WERKPAD_OIDC_ISSUER``, ``_CLIENT_ID``, ``_CLIENT_SECRET_FILE`` (a file holding
    the secret, so it is never in the environment of every process), ``_GROUP_ROLES``, and
    optionally ``_REDIRECT_URI`` and ``_GROUPS_CLAIM`` (``groups``). None when the issuer or
    client id is not set: the login page offers the password only. A secret file that cannot
    be read is a configuration error (OSError)."""
    env = os.environ
    issuer = env.get("WERKPAD_OIDC_ISSUER", "").strip().rstrip("/")
    client_id = env.get("WERKPAD_OIDC_CLIENT_ID", "").strip()
    if not issuer or not client_id:
        return None
    secret_file = env.get("WERKPAD_OIDC_CLIENT_SECRET_FILE", "").strip()
    secret = Path(secret_file).read_text(encoding="utf-8").strip() if secret_file else ""
    return OidcSettings(
        issuer=issuer,
        client_id=client_id,
        client_secret=secret,
        group_roles=parse_group_roles(env.get("WERKPAD_OIDC_GROUP_ROLES", "")),
        redirect_uri=env.get("WERKPAD_OIDC_REDIRECT_URI", "").strip() or None,
        groups_claim=env.get("WERKPAD_OIDC_GROUPS_CLAIM", "").strip() or "groups",
    )
