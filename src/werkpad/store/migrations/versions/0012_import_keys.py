"""source keys for plans, referrals and proposals, so the import can bring them

Everything a klantmanager enters on screen can also come from another system's export: plans,
referrals to matching and proposals get the source system's key (``source_id``, unique) like
routes and provisions have, so a re-import updates them in place.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLES = ("plan", "referral", "proposal")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("source_id", sa.String(length=60), nullable=True))
            batch.create_unique_constraint(op.f(f"uq_{table}_source_id"), ["source_id"])


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"uq_{table}_source_id"), type_="unique")
            batch.drop_column("source_id")
