"""audit_seal table: the keyed HMAC chain that makes the audit log tamper-evident

One row per sealed block of audit entries (services/audit_chain.py). No data changes; existing
entries are sealed by the first ``werkpad audit seal``.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_seal",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_entry_id", sa.Integer(), nullable=False),
        sa.Column("last_entry_id", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(), nullable=False),
        sa.Column("key_fingerprint", sa.String(length=32), nullable=False),
        sa.Column("previous_mac", sa.String(length=64), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "last_entry_id >= first_entry_id", name=op.f("ck_audit_seal_entry_range")
        ),
        sa.CheckConstraint("entries >= 1", name=op.f("ck_audit_seal_not_empty")),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_audit_seal")),
        sa.UniqueConstraint("first_entry_id", name=op.f("uq_audit_seal_first_entry_id")),
        sa.UniqueConstraint("last_entry_id", name=op.f("uq_audit_seal_last_entry_id")),
    )


def downgrade() -> None:
    op.drop_table("audit_seal")
