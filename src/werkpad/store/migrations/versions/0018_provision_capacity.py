"""provision capacity: the number of places a provision type offers at one time (where known),
set by the beheerder; the provision picker shows it beside the places in use

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("provision_type") as batch:
        batch.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
        batch.create_check_constraint(
            op.f("ck_provision_type_capacity_not_negative"), "capacity IS NULL OR capacity >= 0"
        )


def downgrade() -> None:
    with op.batch_alter_table("provision_type") as batch:
        batch.drop_constraint(op.f("ck_provision_type_capacity_not_negative"), type_="check")
        batch.drop_column("capacity")
