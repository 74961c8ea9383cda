"""Backup and restore of the whole database as one encrypted, signed file (docs/backup.md).

Public entry points: ``backup_database`` (one consistent read, one sealed zip plus ``.sha256``),
``restore_database`` (check the signature and checksums, refuse a non-empty target, load in one
transaction), ``verify_archive``, ``load_backup_key`` and the errors ``BackupInvalid`` /
``RestoreRefused`` / ``BackupExists`` / ``MissingKey`` (Dutch messages).
"""

from __future__ import annotations

from werkpad.backup.archive import BackupInvalid, Manifest, verify_archive
from werkpad.backup.dump import BackupExists, BackupResult, backup_database
from werkpad.backup.restore import RestoreRefused, RestoreResult, restore_database
from werkpad.backup.sealing import KEY_ENV, MissingKey, load_backup_key

__all__ = [
    "KEY_ENV",
    "BackupExists",
    "BackupInvalid",
    "BackupResult",
    "Manifest",
    "MissingKey",
    "RestoreRefused",
    "RestoreResult",
    "backup_database",
    "load_backup_key",
    "restore_database",
    "verify_archive",
]
