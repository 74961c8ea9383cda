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
from pathlib import Path

from werkpad.protected.keys import MissingKey, generate_key, write_key_file
from werkpad.protected.keys import load_key as _load_key

KEY_ENV = "WERKPAD_PSEUDONYM_KEY"
PSEUDONYM_CHARS = 32  # 128 bits
_HEX_TO_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")

HOW_TO_MAKE_A_KEY = (
    "Maak een sleutel met 'werkpad export keygen --out /veilige/plek/werkpad-pseudoniem.key' "
    f"en geef die mee met --key-file, of zet de omgevingsvariabele {KEY_ENV}. Bewaar de sleutel "
    "buiten de database en buiten de repository; met dezelfde sleutel krijgt dezelfde persoon "
    "in elke export hetzelfde pseudoniem."
)


def load_key(key_file: Path | None = None) -> bytes:
    """The key from ``key_file`` if given, else from ``$WERKPAD_PSEUDONYM_KEY``."""
    return _load_key(key_file, KEY_ENV, "pseudonimiseringssleutel", HOW_TO_MAKE_A_KEY)


def _digest(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def person_pseudonym(key: bytes, bsn: str) -> str:
    """The pseudonym of the person with ``bsn``: 32 letters a-p, stable per key."""
    return _digest(key, f"person:{bsn}")[:PSEUDONYM_CHARS].translate(_HEX_TO_LETTERS)


__all__ = [
    "KEY_ENV",
    "MissingKey",
    "generate_key",
    "key_fingerprint",
    "load_key",
    "person_pseudonym",
    "write_key_file",
]


def key_fingerprint(key: bytes) -> str:
    """A short check value: two exports with the same fingerprint used the same key."""
    return _digest(key, "werkpad-key-fingerprint")[:12]
