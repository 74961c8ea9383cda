"""the klantmanager's working day (issue 16): appointments

``appointment`` holds each planned appointment with a candidate (kind, day, time, place or
video link, who takes part) and its outcome; a held appointment points to the contact it
became. New tables only: existing rows are unaffected.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("video_link", sa.String(length=300), nullable=True),
        sa.Column("with_whom", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('PLANNED','HELD','NO_SHOW_NOTICE','NO_SHOW','CANCELLED')",
            name=op.f("ck_appointment_state_known"),
        ),
        sa.CheckConstraint(
            "duration_minutes BETWEEN 5 AND 480", name=op.f("ck_appointment_duration_range")
        ),
        sa.CheckConstraint(
            "location IS NOT NULL OR video_link IS NOT NULL",
            name=op.f("ck_appointment_has_place_or_link"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_appointment_candidate_id_candidate")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_appointment_contact_id_contact")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_appointment_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["app_user.id"], name=op.f("fk_appointment_staff_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
    )
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appointment_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_appointment_day"), ["day"], unique=False)
        batch_op.create_index("ix_appointment_staff_day", ["staff_id", "day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index("ix_appointment_staff_day")
        batch_op.drop_index(batch_op.f("ix_appointment_day"))
        batch_op.drop_index(batch_op.f("ix_appointment_candidate_id"))

    op.drop_table("appointment")
