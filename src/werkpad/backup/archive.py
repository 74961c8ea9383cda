"""The backup file: a sealed (encrypted, signed) zip with one JSON-lines member per table and a
checksummed manifest. ``werkpad.backup.sealing`` does the sealing; inside the seal the layout is::

    manifest.json          format, schema revision, tables in insert order (columns, kinds,
                           row count, SHA-256 of the member) and the SHA-256 of all members
    manifest.sha256        SHA-256 of manifest.json
    tables/<table>.jsonl   one JSON array per row, cells encoded by ``werkpad.backup.codec``

Every check happens before anything is restored: the signature over the whole file first (a
wrong key or any edit is refused there), then ``check_plain_archive`` reads every member once;
each raises ``BackupInvalid`` (with a Dutch message) on any mismatch.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from werkpad.backup.codec import KINDS, Kind
from werkpad.backup.sealing import SealBroken, SealingWriter, opened_backup
from werkpad.protected.modes import open_private

FORMAT = "werkpad-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"


class BackupInvalid(Exception):
    """The file is not an intact werkpad backup; nothing has been restored."""


@dataclass(frozen=True)
class TableEntry:
    name: str
    member: str
    columns: list[str]
    kinds: list[Kind]
    rows: int
    sha256: str


@dataclass
class Manifest:
    revision: str
    created_at: str
    source_dialect: str
    tables: list[TableEntry] = field(default_factory=list)
    format: str = FORMAT
    version: int = FORMAT_VERSION

    @property
    def content_sha256(self) -> str:
        """One checksum over every member, in manifest order."""
        digest = hashlib.sha256()
        for entry in self.tables:
            digest.update(f"{entry.member}:{entry.sha256}\n".encode())
        return digest.hexdigest()

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def to_json(self) -> bytes:
        body = asdict(self)
        body["content_sha256"] = self.content_sha256
        return json.dumps(body, indent=1, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            body: dict[str, Any] = json.loads(raw)
            if body.get("format") != FORMAT:
                raise BackupInvalid("Dit is geen werkpad-back-up (onbekend formaat).")
            if body.get("version") != FORMAT_VERSION:
                raise BackupInvalid(
                    f"Back-upformaat versie {body.get('version')} wordt niet ondersteund."
                )
            tables = [TableEntry(**t) for t in body["tables"]]
            manifest = cls(
                revision=body["revision"],
                created_at=body["created_at"],
                source_dialect=body["source_dialect"],
                tables=tables,
            )
            claimed = body["content_sha256"]
        except (KeyError, TypeError, ValueError) as broken:
            raise BackupInvalid(
                f"De inhoudsopgave van de back-up is onleesbaar: {broken}"
            ) from None
        for entry in tables:
            if len(entry.columns) != len(entry.kinds) or set(entry.kinds) - set(KINDS):
                raise BackupInvalid(f"De inhoudsopgave van tabel {entry.name} is onleesbaar.")
        if claimed != manifest.content_sha256:
            raise BackupInvalid("De controlesom over alle tabellen klopt niet met de inhoud.")
        return manifest


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupInvalid(f"Back-upbestand {path} bestaat niet.") from None
    except zipfile.BadZipFile:
        raise BackupInvalid(f"{path} is geen leesbaar back-upbestand (geen zip).") from None


def read_manifest(archive: zipfile.ZipFile) -> Manifest:
    """The manifest, after checking it against its own checksum."""
    try:
        raw = archive.read(MANIFEST)
        claimed = archive.read(MANIFEST_SUM).decode("ascii").strip()
    except KeyError:
        raise BackupInvalid("De back-up mist zijn inhoudsopgave (manifest).") from None
    if hashlib.sha256(raw).hexdigest() != claimed:
        raise BackupInvalid(
            "De controlesom van de inhoudsopgave klopt niet: het bestand is gewijzigd of "
            "beschadigd. Er is niets teruggezet."
        )
    return Manifest.from_json(raw)


@contextmanager
def opened_archive(path: Path, key: bytes) -> Iterator[Path]:
    """The plain zip of the sealed backup ``path`` (a private temporary file, removed on exit),
    after the optional sidecar ``<path>.sha256`` and the signature have been checked."""
    sidecar = path.with_name(path.name + ".sha256")
    if sidecar.exists() and path.exists():
        expected = sidecar.read_text(encoding="ascii").split()[0]
        if sha256_file(path) != expected:
            raise BackupInvalid(
                f"De controlesom van {path.name} klopt niet met {sidecar.name}: het bestand is "
                "gewijzigd of beschadigd. Er is niets teruggezet."
            )
    try:
        with opened_backup(path, key) as plain:
            yield plain
    except SealBroken as broken:
        raise BackupInvalid(str(broken)) from None


def verify_archive(path: Path, key: bytes) -> Manifest:
    """Check the sealed backup ``path`` completely without restoring it (see module docstring)."""
    with opened_archive(path, key) as plain:
        return check_plain_archive(plain)


def check_plain_archive(path: Path) -> Manifest:
    """Check the manifest and every member's SHA-256 and row count of a plain (opened) zip;
    raise ``BackupInvalid`` on the first mismatch."""
    with _open_zip(path) as archive:
        manifest = read_manifest(archive)
        for entry in manifest.tables:
            digest = hashlib.sha256()
            rows = 0
            try:
                with archive.open(entry.member) as handle:
                    for line in handle:
                        digest.update(line)
                        rows += 1
            except KeyError:
                raise BackupInvalid(f"Tabel {entry.name} ontbreekt in de back-up.") from None
            except (zipfile.BadZipFile, OSError) as broken:
                raise BackupInvalid(f"Tabel {entry.name} is beschadigd: {broken}") from None
            if digest.hexdigest() != entry.sha256:
                raise BackupInvalid(
                    f"De controlesom van tabel {entry.name} klopt niet: het bestand is gewijzigd "
                    "of beschadigd. Er is niets teruggezet."
                )
            if rows != entry.rows:
                raise BackupInvalid(
                    f"Tabel {entry.name} heeft {rows} rijen, de inhoudsopgave zegt {entry.rows}."
                )
    return manifest


def iter_rows(path: Path, entry: TableEntry) -> Iterator[list[Any]]:
    """The encoded rows of one table (call after :func:`verify_archive`)."""
    with _open_zip(path) as archive, archive.open(entry.member) as handle:
        for line in handle:
            yield json.loads(line)


class ArchiveWriter:
    """Write members one by one, hashing as they stream, then the manifest last; the zip goes
    straight through the seal into an owner-only file (never in plain text on disk)."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self._raw = open_private(path, "wb")
        self._sealer = SealingWriter(self._raw, key)
        self.zip = zipfile.ZipFile(
            self._sealer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6
        )

    def write_table(
        self, name: str, columns: list[str], kinds: list[Kind], rows: Iterator[list[Any]]
    ) -> TableEntry:
        member = f"tables/{name}.jsonl"
        digest = hashlib.sha256()
        count = 0
        with self.zip.open(member, "w", force_zip64=True) as handle:
            for row in rows:
                line = json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
                data = line.encode("utf-8")
                digest.update(data)
                handle.write(data)
                count += 1
        return TableEntry(name, member, columns, kinds, count, digest.hexdigest())

    def finish(self, manifest: Manifest) -> None:
        raw = manifest.to_json()
        self.zip.writestr(MANIFEST, raw)
        self.zip.writestr(MANIFEST_SUM, hashlib.sha256(raw).hexdigest() + "\n")
        self.zip.close()
        self._sealer.seal()
        self._raw.close()

    def abort(self) -> None:
        try:
            self.zip.close()
        finally:
            self._raw.close()
            self.path.unlink(missing_ok=True)
