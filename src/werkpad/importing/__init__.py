"""Import a municipality's history from CSV/XLSX files: validate everything, then write all.

Public entry points: ``import_folder`` (service), ``read_folder`` + ``validate_folder`` (pure
checks), ``RowError`` / ``ImportRejected`` (what went wrong where) and ``EXAMPLE_FOLDER``
(a complete, valid example folder shipped with the package). Formats: docs/import.md.
"""

from __future__ import annotations

from pathlib import Path

from werkpad.importing.errors import ImportRejected, RowError, write_rejects
from werkpad.importing.reading import read_folder
from werkpad.importing.service import ImportReport, import_folder
from werkpad.importing.validation import KnownKeys, validate_folder

EXAMPLE_FOLDER = Path(__file__).resolve().parent / "example"

__all__ = [
    "EXAMPLE_FOLDER",
    "ImportRejected",
    "ImportReport",
    "KnownKeys",
    "RowError",
    "import_folder",
    "read_folder",
    "validate_folder",
    "write_rejects",
]
