"""Secret keys kept outside the database: one file per key (0600) or an environment variable.

The pseudonymisation key (analytics export), the backup key and the audit-seal key all follow
the same rules: at least 32 characters, from ``--key-file`` first, else an environment variable;
a new key file is never written over an existing one. Each purpose has its own key, so the
people holding one (analysts, the backup operator, the auditor) cannot use it for another.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from werkpad.protected.modes import open_private

MIN_KEY_CHARS = 32


class MissingKey(Exception):
    """No usable key: the operation that needs it is refused (Dutch message)."""


def generate_key() -> str:
    """A new random key: 64 hexadecimal characters (256 bits)."""
    return secrets.token_hex(32)


def write_key_file(path: Path) -> Path:
    """Create a key file readable by its owner only; an existing file is never overwritten."""
    if path.exists():
        raise FileExistsError(f"{path} bestaat al; een bestaande sleutel wordt niet overschreven")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_private(path, "w", encoding="ascii", exclusive=True) as handle:
        handle.write(generate_key() + "\n")
    return path


def load_key(key_file: Path | None, env: str, what: str, how_to: str) -> bytes:
    """The key from ``key_file`` if given, else from ``$env``; ``what`` names it in messages
    ("pseudonimiseringssleutel"), ``how_to`` says how to make one."""
    if key_file is not None:
        if not key_file.is_file():
            raise MissingKey(f"Sleutelbestand {key_file} bestaat niet. {how_to}")
        text = key_file.read_text(encoding="utf-8").strip()
        source = str(key_file)
    else:
        text = os.environ.get(env, "").strip()
        source = env
        if not text:
            raise MissingKey(f"Geen {what} gevonden. {how_to}")
    if len(text) < MIN_KEY_CHARS:
        raise MissingKey(
            f"De sleutel in {source} is te kort (minder dan {MIN_KEY_CHARS} tekens). {how_to}"
        )
    return text.encode("utf-8")
