"""chain: route decision, override reason, horizon and review date on an assessment

All columns are nullable, so rows written before (and the synthetic generator's Core inserts)
stay valid.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("months_to_work", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("route_decision", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("route_override_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("review_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.drop_column("review_date")
        batch.drop_column("route_override_reason")
        batch.drop_column("route_decision")
        batch.drop_column("months_to_work")
