"""matching: work profiles, postcode centroids and proposals (shortlist to placement)

New tables only, so the synthetic generator's Core inserts and older rows are unaffected.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "postcode_centroid",
        sa.Column("postcode4", sa.String(length=4), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("place", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("postcode4", name=op.f("pk_postcode_centroid")),
    )
    op.create_table(
        "work_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("wished_occupations", sa.JSON(), nullable=False),
        sa.Column("wished_sectors", sa.JSON(), nullable=False),
        sa.Column("experience", sa.JSON(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("days", sa.JSON(), nullable=False),
        sa.Column("hours_min", sa.Integer(), nullable=False),
        sa.Column("hours_max", sa.Integer(), nullable=False),
        sa.Column("radius_km", sa.Integer(), nullable=False),
        sa.Column("transport", sa.String(length=8), nullable=False),
        sa.Column("driving_licence", sa.Boolean(), nullable=False),
        sa.Column("language_level", sa.String(length=4), nullable=True),
        sa.Column("loonwaarde_pct", sa.Integer(), nullable=True),
        sa.Column("restrictions", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("last_confirmed_on", sa.Date(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "transport IN ('LOPEN','FIETS','OV','AUTO')",
            name=op.f("ck_work_profile_transport_known"),
        ),
        sa.CheckConstraint(
            "hours_max BETWEEN hours_min AND 60", name=op.f("ck_work_profile_hours_max_range")
        ),
        sa.CheckConstraint(
            "hours_min BETWEEN 1 AND 60", name=op.f("ck_work_profile_hours_min_range")
        ),
        sa.CheckConstraint(
            "loonwaarde_pct IS NULL OR loonwaarde_pct BETWEEN 0 AND 100",
            name=op.f("ck_work_profile_loonwaarde_pct"),
        ),
        sa.CheckConstraint("radius_km >= 0", name=op.f("ck_work_profile_radius_not_negative")),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_work_profile_candidate_id_candidate")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["app_user.id"], name=op.f("fk_work_profile_updated_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_profile")),
        sa.UniqueConstraint("candidate_id", name=op.f("uq_work_profile_candidate_id")),
    )
    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("score_milli", sa.Integer(), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("consent_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state IN ('SHORTLISTED','PROPOSED','INTERVIEW','TRIAL','PLACED','REJECTED','WITHDRAWN')",
            name=op.f("ck_proposal_state_known"),
        ),
        sa.CheckConstraint(
            "state IN ('SHORTLISTED','WITHDRAWN') OR consent_on IS NOT NULL",
            name=op.f("ck_proposal_proposed_needs_consent"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_proposal_candidate_id_candidate")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_proposal_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"], ["vacancy.id"], name=op.f("fk_proposal_vacancy_id_vacancy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
        sa.UniqueConstraint("vacancy_id", "candidate_id", name="uq_proposal_vacancy_candidate"),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_proposal_vacancy_id"), ["vacancy_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_vacancy_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_candidate_id"))

    op.drop_table("proposal")
    op.drop_table("work_profile")
    op.drop_table("postcode_centroid")
