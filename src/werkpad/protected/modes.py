"""Owner-only files (0600) and folders (0700), whatever the process umask.

A file is created with its final mode in the ``open`` call itself, so it is never readable by
others, not even for the moment between creating and ``chmod``; a file that already exists
(an older export, a rejects file of yesterday) is narrowed to 0600 before anything is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) and make ``path`` itself 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    os.chmod(path, PRIVATE_DIR)
    return path


def open_private(
    path: Path,
    mode: str = "w",
    *,
    encoding: str | None = None,
    newline: str | None = None,
    exclusive: bool = False,
) -> IO[Any]:
    """Open ``path`` for writing (``"w"`` or ``"wb"``) as an owner-only file.

    ``exclusive`` refuses an existing file (``FileExistsError``) instead of replacing it.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"open_private writes only ('w' or 'wb'), not {mode!r}")
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    descriptor = os.open(path, flags, PRIVATE_FILE)
    try:
        os.fchmod(descriptor, PRIVATE_FILE)
    except BaseException:
        os.close(descriptor)
        raise
    if mode == "wb":
        return os.fdopen(descriptor, "wb")
    return os.fdopen(descriptor, "w", encoding=encoding or "utf-8", newline=newline)
