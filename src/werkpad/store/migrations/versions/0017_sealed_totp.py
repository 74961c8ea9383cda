"""TOTP secrets encrypted at rest: widen the two secret columns for the Fernet token and
encrypt the secrets stored in plain text before this release (``werkpad.store.sealed_secret``).

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from werkpad.store.sealed_secret import PREFIX, open_secret, seal_secret

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_COLUMNS = ("totp_secret", "totp_pending_secret")


def upgrade() -> None:
    with op.batch_alter_table("user_credential") as batch:
        for column in _COLUMNS:
            batch.alter_column(
                column, type_=sa.String(length=255), existing_type=sa.String(length=64)
            )
    conn = op.get_bind()
    table = sa.table("user_credential", sa.column("user_id"), *(sa.column(c) for c in _COLUMNS))
    for row in conn.execute(sa.select(table)).mappings().all():
        values = {
            c: seal_secret(row[c])
            for c in _COLUMNS
            if row[c] is not None and not str(row[c]).startswith(PREFIX)
        }
        if values:
            conn.execute(sa.update(table).where(table.c.user_id == row["user_id"]).values(**values))


def downgrade() -> None:
    """Back to plain secrets (an older release reads them so); the columns keep their width,
    as a plain secret fits either."""
    conn = op.get_bind()
    table = sa.table("user_credential", sa.column("user_id"), *(sa.column(c) for c in _COLUMNS))
    for row in conn.execute(sa.select(table)).mappings().all():
        values = {
            c: open_secret(row[c])
            for c in _COLUMNS
            if row[c] is not None and str(row[c]).startswith(PREFIX)
        }
        if values:
            conn.execute(sa.update(table).where(table.c.user_id == row["user_id"]).values(**values))
