"""The sealed backup file: the backup zip encrypted (AES-256-GCM) and signed (HMAC-SHA256).

A backup holds every BSN and every password hash, and a checksum only catches damage: whoever
can edit the file can recompute it. So the zip never touches the disk in plain text; it is
streamed through :class:`SealingWriter` into a file only the backup key can open and vouch for.

Layout (all integers big-endian)::

    MAGIC                      b"WERKPAD-SEALED-BACKUP\\n" (22 bytes)
    version                    1 byte (1)
    key fingerprint            16 bytes (HKDF of the key, says "which key", reveals nothing)
    nonce prefix               7 random bytes
    chunks                     4-byte length + AES-GCM ciphertext and tag, one per MiB
    signature                  32 bytes HMAC-SHA256 over everything before it

Chunk ``i`` is encrypted under nonce ``prefix || i (4 bytes) || last (1 byte)`` with the header
as associated data (the STREAM construction), so chunks cannot be reordered, dropped or cut
off. The signature is checked over the whole file before a byte is decrypted. Encryption and
signature keys are derived from the one backup key with HKDF-SHA256, each for its purpose;
the key itself is never in the backup (``--key-file`` or ``$WERKPAD_BACKUP_KEY``).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import struct
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from werkpad.protected.keys import MissingKey
from werkpad.protected.keys import load_key as _load_key

MAGIC = b"WERKPAD-SEALED-BACKUP\n"
VERSION = 1
FINGERPRINT_BYTES = 16
NONCE_PREFIX_BYTES = 7
HEADER_BYTES = len(MAGIC) + 1 + FINGERPRINT_BYTES + NONCE_PREFIX_BYTES
SIGNATURE_BYTES = 32
CHUNK = 1 << 20
_LENGTH = struct.Struct(">I")

KEY_ENV = "WERKPAD_BACKUP_KEY"
HOW_TO_MAKE_A_KEY = (
    "Maak een back-upsleutel met 'werkpad backup keygen --out /veilige/plek/werkpad-backup.key' "
    f"en geef die mee met --key-file, of zet de omgevingsvariabele {KEY_ENV}. Bewaar de sleutel "
    "buiten de database, buiten de repository en niet bij de back-ups: zonder sleutel is een "
    "back-up niet terug te zetten."
)


class SealBroken(Exception):
    """The sealed file cannot be opened with this key or was changed (Dutch message)."""


@dataclass(frozen=True)
class Seal:
    """What kind of sealed file: its magic (same length as the backup's, so the layout is one)
    and the words its messages use. A sealed import folder is not a backup and is refused as
    one, and the other way round."""

    magic: bytes
    noun: str  # "back-up"
    key_name: str  # "back-upsleutel"
    nothing_done: str  # "Er is niets teruggezet."


BACKUP = Seal(MAGIC, "back-up", "back-upsleutel", "Er is niets teruggezet.")
FOLDER = Seal(
    b"WERKPAD-SEALED-FOLDER\n", "versleutelde importmap", "back-upsleutel", "Er is niets geopend."
)


def load_backup_key(key_file: Path | None = None) -> bytes:
    """The backup key from ``key_file`` if given, else from ``$WERKPAD_BACKUP_KEY``."""
    return _load_key(key_file, KEY_ENV, "back-upsleutel", HOW_TO_MAKE_A_KEY)


def _derive(key: bytes, purpose: bytes, length: int = 32) -> bytes:
    return HKDF(hashes.SHA256(), length, salt=None, info=b"werkpad-backup/" + purpose).derive(key)


def fingerprint(key: bytes) -> bytes:
    return _derive(key, b"fingerprint", FINGERPRINT_BYTES)


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


class SealingWriter(io.RawIOBase):
    """A write-only, unseekable stream: what is written arrives encrypted and signed in ``raw``.

    Call :meth:`seal` after the last write; without it the file has no final chunk and no
    signature, and opening it is refused.
    """

    def __init__(self, raw: IO[bytes], key: bytes, seal: Seal = BACKUP) -> None:
        super().__init__()
        self._raw = raw
        self._aead = AESGCM(_derive(key, b"encryption"))
        self._mac = hmac.new(_derive(key, b"signature"), digestmod=hashlib.sha256)
        self._prefix = os.urandom(NONCE_PREFIX_BYTES)
        self._header = seal.magic + bytes([VERSION]) + fingerprint(key) + self._prefix
        self._buffer = bytearray()
        self._index = 0
        self._emit(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self._buffer += view
        while len(self._buffer) > CHUNK:  # keep at least one byte back for the final chunk
            self._chunk(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(view)

    def _emit(self, data: bytes) -> None:
        self._mac.update(data)
        self._raw.write(data)

    def _chunk(self, plain: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._index, last), plain, self._header)
        self._emit(_LENGTH.pack(len(sealed)) + sealed)
        self._index += 1

    def seal(self) -> None:
        self._chunk(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._raw.write(self._mac.digest())
        self._raw.flush()


def _read_header(handle: IO[bytes], key: bytes, seal: Seal = BACKUP) -> bytes:
    header = handle.read(HEADER_BYTES)
    if not header.startswith(seal.magic):
        if seal is BACKUP:
            raise SealBroken(
                "Dit bestand is geen versleutelde en ondertekende werkpad-back-up. Een back-up "
                "zonder handtekening wordt niet teruggezet: niemand kan zeggen of hij is "
                "gewijzigd. Er is niets teruggezet."
            )
        raise SealBroken(
            f"Dit bestand is geen {seal.noun} van werkpad (versleuteld en ondertekend). "
            f"{seal.nothing_done}"
        )
    if header[len(seal.magic)] != VERSION:
        raise SealBroken(f"Versie {header[len(seal.magic)]} wordt niet ondersteund.")
    if header[len(seal.magic) + 1 : len(seal.magic) + 1 + FINGERPRINT_BYTES] != fingerprint(key):
        raise SealBroken(
            f"Deze {seal.noun} is met een andere {seal.key_name} gemaakt. Gebruik de sleutel "
            f"van toen (--key-file of ${KEY_ENV}). {seal.nothing_done}"
        )
    return header


def _check_signature(path: Path, key: bytes, seal: Seal = BACKUP) -> None:
    size = path.stat().st_size
    if size < HEADER_BYTES + SIGNATURE_BYTES:
        raise SealBroken(
            f"{path.name} is te kort voor een {seal.noun} van werkpad. {seal.nothing_done}"
        )
    mac = hmac.new(_derive(key, b"signature"), digestmod=hashlib.sha256)
    with path.open("rb") as handle:
        _read_header(handle, key, seal)
        handle.seek(0)
        remaining = size - SIGNATURE_BYTES
        while remaining:
            block = handle.read(min(CHUNK, remaining))
            mac.update(block)
            remaining -= len(block)
        claimed = handle.read(SIGNATURE_BYTES)
    if not hmac.compare_digest(mac.digest(), claimed):
        raise SealBroken(
            f"De handtekening van de {seal.noun} klopt niet: het bestand is na het maken "
            f"gewijzigd of beschadigd. {seal.nothing_done}"
        )


def _decrypt(
    source: IO[bytes], target: IO[bytes], key: bytes, size: int, seal: Seal = BACKUP
) -> None:
    header = _read_header(source, key, seal)
    aead = AESGCM(_derive(key, b"encryption"))
    prefix = header[-NONCE_PREFIX_BYTES:]
    end = size - SIGNATURE_BYTES
    index = 0
    while True:
        length = _LENGTH.unpack(source.read(_LENGTH.size))[0]
        sealed = source.read(length)
        last = source.tell() == end
        try:
            target.write(aead.decrypt(_nonce(prefix, index, last), sealed, header))
        except InvalidTag:
            raise SealBroken(
                f"Een deel van de {seal.noun} is niet te ontsleutelen: gewijzigd of "
                f"beschadigd. {seal.nothing_done}"
            ) from None
        if last:
            return
        index += 1


@contextmanager
def opened_backup(path: Path, key: bytes, seal: Seal = BACKUP) -> Iterator[Path]:
    """The plain zip inside the sealed backup ``path``, in a private temporary folder (0700,
    removed afterwards), after the signature over the whole file has been checked."""
    try:
        _check_signature(path, key, seal)
    except FileNotFoundError:
        raise SealBroken(f"Bestand {path} bestaat niet. {seal.nothing_done}") from None
    with tempfile.TemporaryDirectory(prefix="werkpad-restore-") as folder:
        plain = Path(folder) / "backup.zip"
        descriptor = os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with path.open("rb") as source, os.fdopen(descriptor, "wb") as target:
            _decrypt(source, target, key, path.stat().st_size, seal)
        yield plain


__all__ = [
    "BACKUP",
    "FOLDER",
    "KEY_ENV",
    "MissingKey",
    "Seal",
    "SealBroken",
    "SealingWriter",
    "load_backup_key",
    "opened_backup",
]
