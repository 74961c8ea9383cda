"""the klantmanager formation (FTE) and the targets per municipality (issue 12)

``municipality_fte`` holds the FTE that works for one municipality of a regional service in a
year, set by the beheerder on Beheer → Gemeenten; it is the denominator of that
municipality's caseload per FTE. ``municipality_target`` holds a target of ``targets.csv``
as the beheerder sets it for one municipality (or, without one, for the service). New tables only: existing rows are unaffected, and a
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
    op.create_table(
        "municipality_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=True),
        sa.Column("target_id", sa.String(length=40), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("minimum", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("maximum", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.CheckConstraint(
            "first_year <= last_year", name=op.f("ck_municipality_target_years_ordered")
        ),
        sa.CheckConstraint(
            "minimum IS NOT NULL OR maximum IS NOT NULL",
            name=op.f("ck_municipality_target_has_bound"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_municipality_target_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipality_target")),
    )
    with op.batch_alter_table("municipality_target", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_municipality_target_municipality_id"), ["municipality_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("municipality_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipality_target_municipality_id"))
    op.drop_table("municipality_target")
    op.drop_table("municipality_fte")
