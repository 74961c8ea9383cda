"""sign-in: second factor (TOTP) with recovery codes, login between its steps, password resets,
role changes with four-eyes for the beheerder role, break-the-glass access

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_credential",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("totp_pending_secret", sa.String(length=64), nullable=True),
        sa.Column("totp_confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_user_credential_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_credential")),
    )
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_recovery_code_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_recovery_code_code_hash")),
    )
    op.create_index(op.f("ix_recovery_code_user_id"), "recovery_code", ["user_id"])
    op.create_table(
        "login_challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("next_path", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_login_challenge_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_challenge")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_challenge_token_hash")),
    )
    op.create_index(op.f("ix_login_challenge_user_id"), "login_challenge", ["user_id"])
    op.create_table(
        "password_reset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_password_reset_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["app_user.id"],
            name=op.f("fk_password_reset_created_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_reset_token_hash")),
    )
    op.create_index(op.f("ix_password_reset_user_id"), "password_reset", ["user_id"])

    op.create_table(
        "role_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("from_role", sa.String(length=20), nullable=False),
        sa.Column("to_role", sa.String(length=20), nullable=False),
        sa.Column("to_team_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "state IN ('PENDING','APPLIED','REJECTED')",
            name=op.f("ck_role_change_role_change_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_role_change_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["to_team_id"], ["team.id"], name=op.f("fk_role_change_to_team_id_team")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["app_user.id"],
            name=op.f("fk_role_change_requested_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["app_user.id"], name=op.f("fk_role_change_decided_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_change")),
    )
    op.create_index(op.f("ix_role_change_user_id"), "role_change", ["user_id"])
    op.create_table(
        "break_glass",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("seen_by_teamleider_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_break_glass_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_break_glass_candidate_id_candidate")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_break_glass_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_glass")),
    )
    op.create_index(op.f("ix_break_glass_user_id"), "break_glass", ["user_id"])
    op.create_index(op.f("ix_break_glass_candidate_id"), "break_glass", ["candidate_id"])
    op.create_index(op.f("ix_break_glass_team_id"), "break_glass", ["team_id"])


def downgrade() -> None:
    op.drop_table("break_glass")
    op.drop_table("role_change")
    op.drop_table("password_reset")
    op.drop_table("login_challenge")
    op.drop_table("recovery_code")
    op.drop_table("user_credential")
