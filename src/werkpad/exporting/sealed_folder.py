"""The import folder as one sealed file: the CSVs of ``export_folder`` in a zip, encrypted
(AES-256-GCM) and signed (HMAC-SHA256) exactly like a backup (``werkpad.backup.sealing``), under
the backup key, which is never in the file.

The file never holds plain text on disk: each CSV streams through the seal. Opening it
(``opened_sealed_folder``) checks the signature over the whole file first, so a changed file or
another key is refused before a byte is decrypted; only then are the CSVs written to a private
folder (0700, files 0600) for ``werkpad import``. The file's magic differs from a backup's, so a
sealed folder is not taken for a backup, nor the other way round.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from werkpad.backup.sealing import FOLDER, SealBroken, SealingWriter, opened_backup
from werkpad.exporting.folder import DELIMITER, export_rows
from werkpad.importing.spec import SPEC_BY_KIND
from werkpad.protected.modes import open_private, private_dir
from werkpad.protected.spreadsheet import write_csv_to

SUFFIX = ".werkpadmap"
_MEMBER = re.compile(r"^([a-z_]+)\.csv$")


class SealedFolderExists(FileExistsError):
    """The target file exists and overwriting was not asked for (Dutch message)."""


@dataclass(frozen=True)
class SealedFolder:
    path: Path
    rows: dict[str, int]  # file kind -> rows written


def export_sealed_folder(
    database: str | Engine, out: Path, key: bytes, *, overwrite: bool = False
) -> SealedFolder:
    """Write the import folder sealed to the file ``out``; an existing file is refused unless
    ``overwrite``. A half-written file is removed."""
    out = Path(out)
    if out.is_dir():
        raise SealedFolderExists(
            f"{out} is een map; geef een bestandsnaam, bijvoorbeeld {out.name}{SUFFIX}."
        )
    if out.exists() and not overwrite:
        raise SealedFolderExists(
            f"{out} bestaat al; kies een andere naam of geef --overwrite om hem te vervangen."
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    try:
        with open_private(partial, "wb") as raw:
            sealer = SealingWriter(raw, key, FOLDER)
            with zipfile.ZipFile(sealer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

                def emit(kind: str, header: list[str], rows: list[list[str]]) -> None:
                    with (
                        archive.open(f"{kind}.csv", "w", force_zip64=True) as member,
                        io.TextIOWrapper(member, encoding="utf-8", newline="") as text,
                    ):
                        write_csv_to(text, header, rows, delimiter=DELIMITER, lineterminator="\n")

                counts = export_rows(database, emit)
            sealer.seal()
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return SealedFolder(out, counts)


def _members(archive: zipfile.ZipFile) -> list[str]:
    names = archive.namelist()
    for name in names:
        match = _MEMBER.match(name)
        if match is None or match.group(1) not in SPEC_BY_KIND:
            raise SealBroken(
                f"De versleutelde importmap bevat een onbekend bestand ({name!r}). "
                "Er is niets geopend."
            )
    return names


@contextmanager
def opened_sealed_folder(path: Path, key: bytes) -> Iterator[Path]:
    """The plain import folder inside the sealed file ``path`` (a private temporary folder,
    removed on exit), after the signature over the whole file has been checked. Raises
    ``SealBroken`` (Dutch message) for a changed file or another key."""
    with opened_backup(Path(path), key, FOLDER) as plain, zipfile.ZipFile(plain) as archive:
        names = _members(archive)
        with tempfile.TemporaryDirectory(prefix="werkpad-importmap-") as folder:
            target = private_dir(Path(folder) / "map")
            for name in names:
                with archive.open(name) as source, open_private(target / name, "wb") as sink:
                    sink.write(source.read())
            yield target


def verify_sealed_folder(path: Path, key: bytes) -> dict[str, int]:
    """Check the sealed file completely; returns the data rows per file kind."""
    with opened_backup(Path(path), key, FOLDER) as plain, zipfile.ZipFile(plain) as archive:
        counts = {}
        for name in _members(archive):
            with (
                archive.open(name) as member,
                io.TextIOWrapper(member, encoding="utf-8", newline="") as text,
            ):
                rows = sum(1 for _ in csv.reader(text, delimiter=DELIMITER))
                counts[name.removesuffix(".csv")] = max(rows - 1, 0)
        return counts


def is_sealed_folder(path: Path) -> bool:
    """Whether ``path`` is a file that starts like a sealed import folder."""
    if not Path(path).is_file():
        return False
    with Path(path).open("rb") as handle:
        return handle.read(len(FOLDER.magic)) == FOLDER.magic


__all__ = [
    "SUFFIX",
    "SealBroken",
    "SealedFolder",
    "SealedFolderExists",
    "export_sealed_folder",
    "is_sealed_folder",
    "opened_sealed_folder",
    "verify_sealed_folder",
]
