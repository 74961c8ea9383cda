"""Upgrading a database that holds provisions: the capacity column of migration 0018 is added
in place. A batch copy of ``provision_type`` would have to drop the table every provision refers
to, which SQLite refuses with the foreign keys on (the demo's second start failed so)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

import factories as f
from werkpad.store.db import alembic_config, session_factory, transaction


def test_upgrade_to_provision_capacity_keeps_provisions_and_refuses_a_negative_capacity(
    engine: Engine,
) -> None:
    with transaction(session_factory(engine)) as s:
        team = f.make_team(s)
        km = f.make_user(s, "KLANTMANAGER", team)
        route = f.make_route(s, f.make_candidate(s, team, km))
        f.make_provision(s, route)
    command.downgrade(alembic_config(engine), "0017")
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM provision")).scalar_one() == 1
        assert conn.execute(sa.text("SELECT capacity FROM provision_type")).scalar_one() is None
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(sa.text("UPDATE provision_type SET capacity = -1"))
