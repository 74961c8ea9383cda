"""provision states, diagnosis consistency overrides, one stored postcode form

* ``provision.state`` (PROVISION life cycle) and ``provision.state_reason``. Existing rows map
  from their dates: ended with a stop result -> STOPPED, otherwise ended -> COMPLETED, not
  ended and starting after today -> PLANNED, else STARTED (``provision_state_from_dates``).
* ``assessment.consistency_warnings`` / ``consistency_override_reason``: the consistency rules
  that warned and the reason the klantmanager saved the diagnosis anyway.
* Postcodes are stored as "1234 AB" (``domain.normalise``); the import used to store "1234AB".

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STOP_RESULTS = "('STOPPED_EARLY','STOPPED_EXTERNAL')"
POSTCODE_TABLES = ("candidate", "employer", "vacancy")


def upgrade() -> None:
    with op.batch_alter_table("provision") as batch:
        batch.add_column(sa.Column("state", sa.String(length=12), nullable=True))
        batch.add_column(sa.Column("state_reason", sa.Text(), nullable=True))
    op.execute(
        "UPDATE provision SET state = CASE "
        f"WHEN end_date IS NOT NULL AND result IN {STOP_RESULTS} THEN 'STOPPED' "
        "WHEN end_date IS NOT NULL THEN 'COMPLETED' "
        "WHEN start_date > CURRENT_DATE THEN 'PLANNED' "
        "ELSE 'STARTED' END"
    )
    with op.batch_alter_table("provision") as batch:
        batch.alter_column("state", existing_type=sa.String(length=12), nullable=False)
        batch.create_check_constraint(
            op.f("ck_provision_state_known"),
            "state IN ('REQUESTED','PLANNED','STARTED','COMPLETED','STOPPED','CANCELLED')",
        )
        batch.create_check_constraint(
            op.f("ck_provision_ended_has_end_date"),
            "(state IN ('COMPLETED','STOPPED') AND end_date IS NOT NULL) OR "
            "(state NOT IN ('COMPLETED','STOPPED') AND end_date IS NULL)",
        )
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("consistency_warnings", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("consistency_override_reason", sa.Text(), nullable=True))
    for table in POSTCODE_TABLES:
        op.execute(
            f"UPDATE {table} SET postcode = substr(postcode, 1, 4) || ' ' || "
            "upper(substr(postcode, 5, 2)) WHERE length(postcode) = 6"
        )


def downgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.drop_column("consistency_override_reason")
        batch.drop_column("consistency_warnings")
    with op.batch_alter_table("provision") as batch:
        batch.drop_constraint(op.f("ck_provision_ended_has_end_date"), type_="check")
        batch.drop_constraint(op.f("ck_provision_state_known"), type_="check")
        batch.drop_column("state_reason")
        batch.drop_column("state")
