"""figures version: one counter row that every write changing the figures bumps

Worker processes cache the snapshot-derived figures; comparing this counter with the version of
their copy tells them when it is stale (``werkpad.store.figures_version``).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No row yet: the first write that changes figures creates it (an empty database stays
    # without rows, so "nothing written" means nothing at all).
    op.create_table(
        "figures_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figures_version")),
    )


def downgrade() -> None:
    op.drop_table("figures_version")
