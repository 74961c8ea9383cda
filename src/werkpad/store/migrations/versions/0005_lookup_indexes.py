"""lookup indexes: dossier membership per candidate, routes per plan, placements per vacancy

The caseload asks for every candidate whether they belong to an open benefit dossier; without
an index on dossier_member.candidate_id that was a full scan per candidate (a teamleider's
caseload at Den Haag scale took seconds on SQLite). Indexes only: no data changes.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_dossier_member_candidate_id", "dossier_member", "candidate_id"),
    ("ix_route_plan_id", "route", "plan_id"),
    ("ix_placement_vacancy_id", "placement", "vacancy_id"),
)


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)
