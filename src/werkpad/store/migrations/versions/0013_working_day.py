"""the klantmanager's working day (issue 16): appointments, their messages, signal decisions

``appointment`` holds each planned appointment with a candidate (kind, day, time, place or
video link, who takes part) and its outcome; a held appointment points to the contact it
became. ``outbox_message`` keeps every invitation and reminder with its delivery status (one
per appointment and kind, so senders on several workers cannot double it);
``message_preference`` records a candidate's opt-out of e-mail. ``signal_decision`` keeps a
worklist signal marked handled or snoozed, with the fingerprint of its cause. New tables only:
existing rows are unaffected. ``file_note`` and ``document`` hold typed notes and uploaded documents
(the files themselves on disk under the data directory).

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
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("document_type", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_document_not_empty")),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_document_candidate_id_candidate")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["app_user.id"], name=op.f("fk_document_uploaded_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_document_storage_key")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_retain_until"), ["retain_until"], unique=False
        )

    op.create_table(
        "file_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("note_type", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_file_note_candidate_id_candidate")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_file_note_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_note")),
    )
    with op.batch_alter_table("file_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_file_note_candidate_id"), ["candidate_id"], unique=False
        )

    op.create_table(
        "message_preference",
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("email_opt_out", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_message_preference_candidate_id_candidate"),
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["app_user.id"],
            name=op.f("fk_message_preference_changed_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("candidate_id", name=op.f("pk_message_preference")),
    )
    op.create_table(
        "signal_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "action = 'HANDLED' OR snoozed_until IS NOT NULL",
            name=op.f("ck_signal_decision_snooze_has_date"),
        ),
        sa.CheckConstraint(
            "action IN ('HANDLED','SNOOZED')", name=op.f("ck_signal_decision_action_known")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_signal_decision_candidate_id_candidate"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_signal_decision_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_decision")),
        sa.UniqueConstraint("candidate_id", "code", name="uq_signal_decision_candidate_code"),
    )
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

    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=True),
        sa.Column("subject", sa.String(length=250), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(length=250), nullable=True),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "channel IN ('EMAIL','LETTER')", name=op.f("ck_outbox_message_channel_known")
        ),
        sa.CheckConstraint(
            "kind IN ('INVITATION','REMINDER')", name=op.f("ck_outbox_message_kind_known")
        ),
        sa.CheckConstraint(
            "status IN ('QUEUED','SENDING','SENT','FAILED','PRINTED')",
            name=op.f("ck_outbox_message_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_outbox_message_appointment_id_appointment"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_outbox_message_candidate_id_candidate"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("appointment_id", "kind", name="uq_outbox_message_appointment_kind"),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_message_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index("ix_outbox_message_status", ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_status")
        batch_op.drop_index(batch_op.f("ix_outbox_message_candidate_id"))

    op.drop_table("outbox_message")
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index("ix_appointment_staff_day")
        batch_op.drop_index(batch_op.f("ix_appointment_day"))
        batch_op.drop_index(batch_op.f("ix_appointment_candidate_id"))

    op.drop_table("appointment")
    op.drop_table("signal_decision")
    op.drop_table("message_preference")
    with op.batch_alter_table("file_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_file_note_candidate_id"))

    op.drop_table("file_note")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_retain_until"))
        batch_op.drop_index(batch_op.f("ix_document_candidate_id"))

    op.drop_table("document")
