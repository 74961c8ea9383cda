"""corrections: the correction history of a candidate's file, and when a work profile's
candidate is available from

``correction`` keeps every correction, deletion and undone exit with the old and new values,
who and when and the mandatory reason. ``work_profile.available_from`` is the date the
candidate can start, entered with the structured work profile at the referral to matching.
New table and a nullable column: existing rows are unaffected.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "action IN ('CORRECT','DELETE','UNDO_EXIT')", name=op.f("ck_correction_action_known")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_correction_candidate_id_candidate")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_correction_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction")),
    )
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_correction_candidate_id"), ["candidate_id"], unique=False
        )
    with op.batch_alter_table("work_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("available_from", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("work_profile", schema=None) as batch_op:
        batch_op.drop_column("available_from")
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_correction_candidate_id"))
    op.drop_table("correction")
