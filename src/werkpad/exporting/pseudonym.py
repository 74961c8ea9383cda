"""Keyed pseudonyms (HMAC-SHA256) for people in exports, with the key kept outside the database.

The same BSN and the same key always give the same pseudonym, so analysts can link exports
over time; without the key nobody can go back from pseudonym to BSN, not even by trying all
possible BSNs (which a plain hash would allow). Pseudonyms are written with the letters a-p only
(hexadecimal shifted to letters) so that no digit run can look like a BSN and Excel cannot
turn one into a number.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_ENV = "WERKPAD_PSEUDONYM_KEY"
MIN_KEY_CHARS = 32
PSEUDONYM_CHARS = 32  # 128 bits
_HEX_TO_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")

HOW_TO_MAKE_A_KEY = (
    "Maak een sleutel met 'werkpad export keygen --out /veilige/plek/werkpad-pseudoniem.key' "
    f"en geef die mee met --key-file, of zet de omgevingsvariabele {KEY_ENV}. Bewaar de sleutel "
    "buiten de database en buiten de repository; met dezelfde sleutel krijgt dezelfde persoon "
    "in elke export hetzelfde pseudoniem."
)


class MissingKey(Exception):
    """No usable pseudonym key: exporting personal data without one is refused."""


def generate_key() -> str:
    """A new random key: 64 hexadecimal characters (256 bits)."""
    return secrets.token_hex(32)


def write_key_file(path: Path) -> Path:
    """Create a key file readable by its owner only; an existing file is never overwritten."""
    if path.exists():
        raise FileExistsError(f"{path} bestaat al; een bestaande sleutel wordt niet overschreven")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(generate_key() + "\n")
    return path


def load_key(key_file: Path | None = None) -> bytes:
    """The key from ``key_file`` if given, else from ``$WERKPAD_PSEUDONYM_KEY``."""
    if key_file is not None:
        if not key_file.is_file():
            raise MissingKey(f"Sleutelbestand {key_file} bestaat niet. {HOW_TO_MAKE_A_KEY}")
        text = key_file.read_text(encoding="utf-8").strip()
        source = str(key_file)
    else:
        text = os.environ.get(KEY_ENV, "").strip()
        source = KEY_ENV
        if not text:
            raise MissingKey(f"Geen pseudonimiseringssleutel gevonden. {HOW_TO_MAKE_A_KEY}")
    if len(text) < MIN_KEY_CHARS:
        raise MissingKey(
            f"De sleutel in {source} is te kort (minder dan {MIN_KEY_CHARS} tekens). "
            + HOW_TO_MAKE_A_KEY
        )
    return text.encode("utf-8")


def _digest(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def person_pseudonym(key: bytes, bsn: str) -> str:
    """The pseudonym of the person with ``bsn``: 32 letters a-p, stable per key."""
    return _digest(key, f"person:{bsn}")[:PSEUDONYM_CHARS].translate(_HEX_TO_LETTERS)


def key_fingerprint(key: bytes) -> str:
    """A short check value: two exports with the same fingerprint used the same key."""
    return _digest(key, "werkpad-key-fingerprint")[:12]
