"""the klantmanager formation (FTE) per municipality and year (issue 12)

``municipality_fte`` holds the FTE that works for one municipality of a regional service in a
year, set by the beheerder on Beheer → Gemeenten; it is the denominator of that
municipality's caseload per FTE. A new table only: existing rows are unaffected, and a
single-municipality installation keeps using the FTE of its active klantmanagers.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "municipality_fte",
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("fte", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.CheckConstraint("fte > 0", name=op.f("ck_municipality_fte_fte_positive")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_municipality_fte_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("municipality_id", "year", name=op.f("pk_municipality_fte")),
    )


def downgrade() -> None:
    op.drop_table("municipality_fte")
