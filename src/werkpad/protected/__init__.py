"""Files that hold personal data or secrets: owner-only modes, formula-safe CSV, key files.

The bottom layer beside ``domain`` and ``config``: importing, exporting, backup, services and the
CLI all write such files, so the one way to write them lives below all of them
(docs/security.md, "Data at rest").
"""

from __future__ import annotations

from werkpad.protected.keys import MissingKey, generate_key, load_key, write_key_file
from werkpad.protected.modes import PRIVATE_DIR, PRIVATE_FILE, open_private, private_dir
from werkpad.protected.spreadsheet import neutralise_cell, safe_frame, write_csv

__all__ = [
    "PRIVATE_DIR",
    "PRIVATE_FILE",
    "MissingKey",
    "generate_key",
    "load_key",
    "neutralise_cell",
    "open_private",
    "private_dir",
    "safe_frame",
    "write_csv",
    "write_key_file",
]
