"""Backup and restore of the whole database as one checksummed file (docs/backup.md).

Public entry points: ``backup_database`` (one consistent read, one zip plus ``.sha256``),
``restore_database`` (verify, refuse a non-empty target, load in one transaction),
``verify_archive`` and the errors ``BackupInvalid`` / ``RestoreRefused`` (Dutch messages).
"""

from __future__ import annotations

from werkpad.backup.archive import BackupInvalid, Manifest, verify_archive
from werkpad.backup.dump import BackupResult, backup_database
from werkpad.backup.restore import RestoreRefused, RestoreResult, restore_database

__all__ = [
    "BackupInvalid",
    "BackupResult",
    "Manifest",
    "RestoreRefused",
    "RestoreResult",
    "backup_database",
    "restore_database",
    "verify_archive",
]
