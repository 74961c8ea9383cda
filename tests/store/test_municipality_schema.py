"""The municipality in the schema (issue 12): existing rows move to one default municipality,
a fresh database stays empty until its first dossier, and a writer that names no municipality
keeps working as in a single-municipality installation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from werkpad.store.db import alembic_config, session_factory, transaction
from werkpad.store.models import BenefitDossier, Budget, CostLine, Municipality


def _municipalities(engine: Engine) -> list[tuple[int, str, str | None, bool]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, name, cbs_code, is_default FROM municipality ORDER BY id")
        ).all()
    return [(r[0], r[1], r[2], bool(r[3])) for r in rows]


def test_upgrade_puts_existing_dossiers_budgets_and_cost_lines_in_one_default_municipality(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WERKPAD_MUNICIPALITY", "Gemeente Lisse")
    monkeypatch.setenv("WERKPAD_GEMEENTECODE", "0553")
    command.downgrade(alembic_config(engine), "0010")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO benefit_dossier (dossier_number, opened_on) "
                "VALUES ('D1', '2017-01-02')"
            )
        )
        conn.execute(
            sa.text("INSERT INTO budget (year, cost_item, amount) VALUES (2017, 'BUIG', 100)")
        )
        conn.execute(
            sa.text(
                "INSERT INTO cost_line (booked_on, cost_item, amount) "
                "VALUES ('2017-02-01', 'BUIG', 5)"
            )
        )
    command.upgrade(alembic_config(engine), "head")
    [(default_id, name, code, is_default)] = _municipalities(engine)
    assert (name, code, is_default) == ("Gemeente Lisse", "0553", True)
    with engine.connect() as conn:
        for table in ("benefit_dossier", "budget", "cost_line"):
            owners = conn.execute(sa.text(f"SELECT municipality_id FROM {table}")).scalars().all()
            assert owners == [default_id], table


def test_a_fresh_database_has_no_municipality_until_its_first_dossier(engine: Engine) -> None:
    assert _municipalities(engine) == []
    with transaction(session_factory(engine)) as session:
        session.add(BenefitDossier(dossier_number="D1", opened_on=date(2020, 1, 6)))
        session.add(Budget(year=2020, cost_item="BUIG", amount=Decimal("10")))
        session.add(CostLine(booked_on=date(2020, 1, 6), cost_item="BUIG", amount=Decimal("1")))
    [(default_id, name, code, is_default)] = _municipalities(engine)
    assert (name, code, is_default) == ("Gemeente", None, True)
    with Session(engine) as session:
        assert session.scalars(sa.select(BenefitDossier.municipality_id)).all() == [default_id]
        assert session.scalars(sa.select(CostLine.municipality_id)).all() == [default_id]


def test_a_failed_write_leaves_no_default_municipality_behind(engine: Engine) -> None:
    factory = session_factory(engine)
    with pytest.raises(sa.exc.IntegrityError), transaction(factory) as session:
        session.add(BenefitDossier(dossier_number="D1", opened_on=date(2020, 1, 6)))
        session.add(BenefitDossier(dossier_number="D1", opened_on=date(2020, 1, 7)))
    assert _municipalities(engine) == []


def test_budgets_of_two_municipalities_may_share_year_and_cost_item(engine: Engine) -> None:
    with transaction(session_factory(engine)) as session:
        lisse = Municipality(name="Lisse", cbs_code="0553")
        hillegom = Municipality(name="Hillegom", cbs_code="0534")
        session.add_all([lisse, hillegom])
        session.flush()
        for place in (lisse, hillegom):
            session.add(
                Budget(year=2017, cost_item="BUIG", amount=Decimal("1"), municipality_id=place.id)
            )
    with pytest.raises(sa.exc.IntegrityError), transaction(session_factory(engine)) as session:
        session.add(
            Budget(year=2017, cost_item="BUIG", amount=Decimal("2"), municipality_id=lisse.id)
        )
