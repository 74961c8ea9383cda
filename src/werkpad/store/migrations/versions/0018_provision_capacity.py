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


CHECK_NAME = "ck_provision_type_capacity_not_negative"
CHECK = "capacity IS NULL OR capacity >= 0"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # A batch migration would copy and drop provision_type, which every provision row
        # refers to: with the foreign keys on, SQLite refuses the drop on any database that
        # holds provisions. SQLite adds a column with its CHECK in place.
        op.execute(
            f"ALTER TABLE provision_type ADD COLUMN capacity INTEGER "
            f"CONSTRAINT {CHECK_NAME} CHECK ({CHECK})"
        )
        return
    op.add_column("provision_type", sa.Column("capacity", sa.Integer(), nullable=True))
    op.create_check_constraint(CHECK_NAME, "provision_type", CHECK)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE provision_type DROP COLUMN capacity")
        return
    op.drop_constraint(CHECK_NAME, "provision_type", type_="check")
    op.drop_column("provision_type", "capacity")
