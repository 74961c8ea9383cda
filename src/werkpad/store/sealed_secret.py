"""TOTP secrets encrypted at rest: the column holds a Fernet token (AES-128-CBC + HMAC-SHA256),
never the base32 secret, so a database dump or a stolen disk does not hand out second factors.

The key lives outside the database: ``$WERKPAD_TOTP_KEY_FILE`` (a file) or ``$WERKPAD_TOTP_KEY``
(the key itself), else it is generated once into ``./werkpad-totp.key`` (0600), beside
``./werkpad-secret.key``. Losing it means every user enrols the second factor again. Stored
values carry the prefix ``fernet:``; migration 0017 encrypts secrets stored before this release.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from werkpad.protected.keys import MissingKey, generate_key
from werkpad.protected.modes import open_private

KEY_FILE_ENV = "WERKPAD_TOTP_KEY_FILE"
KEY_ENV = "WERKPAD_TOTP_KEY"
DEFAULT_KEY_FILE = Path("werkpad-totp.key")
PREFIX = "fernet:"
MIN_KEY_CHARS = 32


def totp_key_text() -> str:
    """The TOTP key (see module docstring); made once into ``./werkpad-totp.key`` if absent."""
    named = os.environ.get(KEY_FILE_ENV, "").strip()
    if named:
        path = Path(named)
        if not path.is_file():
            raise MissingKey(f"TOTP-sleutelbestand {path} (${KEY_FILE_ENV}) bestaat niet.")
        text = path.read_text(encoding="utf-8").strip()
    else:
        text = os.environ.get(KEY_ENV, "").strip()
        if not text:
            if not DEFAULT_KEY_FILE.exists():
                try:
                    with open_private(
                        DEFAULT_KEY_FILE, "w", encoding="ascii", exclusive=True
                    ) as handle:
                        handle.write(generate_key() + "\n")
                except FileExistsError:
                    pass  # another process made it a moment ago
            text = DEFAULT_KEY_FILE.read_text(encoding="utf-8").strip()
    if len(text) < MIN_KEY_CHARS:
        raise MissingKey(f"De TOTP-sleutel is te kort (minder dan {MIN_KEY_CHARS} tekens).")
    return text


@lru_cache(maxsize=4)
def _fernet(text: str) -> Fernet:
    raw = HKDF(hashes.SHA256(), 32, salt=None, info=b"werkpad-totp/fernet").derive(text.encode())
    return Fernet(base64.urlsafe_b64encode(raw))


def seal_secret(secret: str, key_text: str | None = None) -> str:
    return PREFIX + _fernet(key_text or totp_key_text()).encrypt(secret.encode()).decode("ascii")


def open_secret(stored: str, key_text: str | None = None) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before migration 0017; the migration seals these
    try:
        token = stored[len(PREFIX) :].encode("ascii")
        return _fernet(key_text or totp_key_text()).decrypt(token).decode()
    except InvalidToken:
        raise MissingKey(
            f"Een TOTP-geheim is niet te ontsleutelen met deze TOTP-sleutel (${KEY_FILE_ENV} of "
            f"${KEY_ENV}): een andere sleutel dan waarmee het is opgeslagen."
        ) from None


class SealedSecret(TypeDecorator[str]):
    """A short secret stored encrypted (see module docstring); Python code sees plain text."""

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else seal_secret(str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else open_secret(str(value))
