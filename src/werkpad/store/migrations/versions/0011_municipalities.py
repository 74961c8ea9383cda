"""municipalities: one service, several municipalities (issue 12)

``municipality`` (name, CBS code), ``team_municipality`` (a team serves several), and a
municipality on every benefit dossier, budget and cost line, plus a user's municipality scope
the link between the two dossiers of a move within the service, and why a benefit spell began
(``benefit_spell.inflow_reason``). Existing rows belong to
one default municipality created here from the configuration (``WERKPAD_MUNICIPALITY``,
``WERKPAD_GEMEENTECODE``); an empty database gets it on its first write instead, so a fresh
database stays without rows.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from werkpad.config import default_municipality

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_OWNED = ("benefit_dossier", "budget", "cost_line")


def _default_id(conn: sa.Connection) -> int | None:
    """The default municipality's id when any owned table has rows (created if needed)."""
    if not any(conn.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() for table in _OWNED):
        return None
    name, code = default_municipality()
    conn.execute(
        sa.text("INSERT INTO municipality (name, cbs_code, is_default) VALUES (:n, :c, :d)"),
        {"n": name, "c": code, "d": True},
    )
    return int(conn.execute(sa.text("SELECT min(id) FROM municipality")).scalar_one())


def upgrade() -> None:
    op.create_table(
        "municipality",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("cbs_code", sa.String(length=4), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "cbs_code IS NULL OR length(cbs_code) = 4",
            name=op.f("ck_municipality_cbs_code_four"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipality")),
        sa.UniqueConstraint("cbs_code", name=op.f("uq_municipality_cbs_code")),
        sa.UniqueConstraint("name", name=op.f("uq_municipality_name")),
    )
    op.create_table(
        "team_municipality",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_team_municipality_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_team_municipality_team_id_team")
        ),
        sa.PrimaryKeyConstraint("team_id", "municipality_id", name=op.f("pk_team_municipality")),
    )
    with op.batch_alter_table("team_municipality", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_municipality_municipality_id"), ["municipality_id"], unique=False
        )
    conn = op.get_bind()
    default_id = _default_id(conn)
    for table in _OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("municipality_id", sa.Integer(), nullable=True))
        if default_id is not None:
            conn.execute(sa.text(f"UPDATE {table} SET municipality_id = :m"), {"m": default_id})
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("municipality_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_municipality_id_municipality"),
                "municipality",
                ["municipality_id"],
                ["id"],
            )
            if table != "budget":
                batch_op.create_index(
                    batch_op.f(f"ix_{table}_municipality_id"), ["municipality_id"], unique=False
                )
    with op.batch_alter_table("budget", schema=None) as batch_op:
        batch_op.drop_constraint("uq_budget_year_item", type_="unique")
        batch_op.create_unique_constraint(
            "uq_budget_year_item", ["municipality_id", "year", "cost_item"]
        )
    with op.batch_alter_table("benefit_dossier", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moved_from_dossier_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_benefit_dossier_moved_from_dossier_id"), ["moved_from_dossier_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_benefit_dossier_moved_from_dossier_id_benefit_dossier"),
            "benefit_dossier",
            ["moved_from_dossier_id"],
            ["id"],
        )
    with op.batch_alter_table("benefit_spell", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inflow_reason", sa.String(length=20), nullable=True))
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("municipality_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_app_user_municipality_id_municipality"),
            "municipality",
            ["municipality_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_app_user_municipality_id_municipality"), type_="foreignkey"
        )
        batch_op.drop_column("municipality_id")
    with op.batch_alter_table("benefit_spell", schema=None) as batch_op:
        batch_op.drop_column("inflow_reason")
    with op.batch_alter_table("benefit_dossier", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_benefit_dossier_moved_from_dossier_id_benefit_dossier"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            batch_op.f("uq_benefit_dossier_moved_from_dossier_id"), type_="unique"
        )
        batch_op.drop_column("moved_from_dossier_id")
    with op.batch_alter_table("budget", schema=None) as batch_op:
        batch_op.drop_constraint("uq_budget_year_item", type_="unique")
        batch_op.create_unique_constraint("uq_budget_year_item", ["year", "cost_item"])
    for table in _OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table != "budget":
                batch_op.drop_index(batch_op.f(f"ix_{table}_municipality_id"))
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_municipality_id_municipality"), type_="foreignkey"
            )
            batch_op.drop_column("municipality_id")
    with op.batch_alter_table("team_municipality", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_municipality_municipality_id"))
    op.drop_table("team_municipality")
    op.drop_table("municipality")
