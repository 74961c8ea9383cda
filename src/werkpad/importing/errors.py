"""Row-level import errors: which file, which row, which column and why, in plain Dutch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from werkpad.protected.spreadsheet import write_csv

REJECT_COLUMNS = ("bestand", "rij", "kolom", "waarde", "reden")


@dataclass(frozen=True, order=True)
class RowError:
    """One problem in an import file.

    ``row`` is the row number as a spreadsheet shows it: the header is row 1, the first data row
    is row 2; 0 means the problem concerns the whole file. ``column`` is empty when it concerns
    the whole row or file.
    """

    file: str
    row: int
    column: str
    reason: str
    value: str = ""

    def as_row(self) -> tuple[str, str, str, str, str]:
        return (self.file, str(self.row), self.column, self.value, self.reason)


class ImportRejected(Exception):
    """Raised when the folder has errors; nothing has been written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = sorted(errors)
        super().__init__(f"{len(self.errors)} fout(en) gevonden; er is niets geïmporteerd")


def write_rejects(errors: Iterable[RowError], path: Path) -> Path:
    """Write the errors as a semicolon CSV (opens directly in Dutch Excel), UTF-8 with BOM.

    The rejected values come from the source system and may hold personal data and formulas:
    the file is owner-only (0600) and every cell is formula-safe (werkpad.protected).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = (error.as_row() for error in errors)
    write_csv(path, REJECT_COLUMNS, rows, delimiter=";", encoding="utf-8-sig")
    return path
