"""Loading the synthetic municipality: integrity, reproducibility, replace and rollback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from werkpad.domain.bsn import is_valid_bsn
from werkpad.services.accounts import authenticate
from werkpad.store.db import make_engine, session_factory, transaction, upgrade
from werkpad.store.models import Base, Candidate, Route, Team, User
from werkpad.synth import DatabaseNotEmpty, SynthData, database_is_empty, generate, load, run_synth
from werkpad.synth.load import CONFIGURATION_TABLES, data_tables


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in data_tables()
        }


def _dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, ordered by primary key, without password hashes."""
    out = {}
    with engine.connect() as conn:
        for table in data_tables():
            columns = [c for c in table.columns if c.name != "password_hash"]
            rows = conn.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def _fresh_sqlite(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


def test_small_scale_loads_with_foreign_keys_and_checks_intact(database_url: str) -> None:
    engine = make_engine(database_url)
    assert database_is_empty(engine)
    summary = run_synth(engine, scale="small", seed=3, replace=False)
    assert not database_is_empty(engine)
    counts = _counts(engine)
    assert counts == {**{t.name: 0 for t in data_tables()}, **summary.counts}
    assert 900 <= counts["candidate"] <= 1100 and counts["route"] > counts["candidate"]
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        bad_routes = conn.execute(
            sa.select(sa.func.count())
            .select_from(Route)
            .where((Route.end_date.is_(None)) != (Route.end_reason.is_(None)))
        ).scalar_one()
        assert bad_routes == 0
        bsns = conn.execute(sa.select(Candidate.bsn)).scalars().all()
    assert len(set(bsns)) == len(bsns) and all(is_valid_bsn(b) for b in bsns)
    # The id sequences continue after the generated ids (PostgreSQL setval).
    with transaction(session_factory(engine)) as session:
        team = Team(name="Team Nieuw")
        session.add(team)
        session.flush()
        assert team.id == counts["team"] + 1
    engine.dispose()


def test_demo_users_log_in_with_their_returned_password_and_others_cannot(
    sqlite_url: str,
) -> None:
    engine = make_engine(sqlite_url)
    summary = run_synth(engine, scale="small", seed=1, replace=False)
    roles = {role for _, _, role in summary.logins}
    assert roles == {"KLANTMANAGER", "ACCOUNTMANAGER", "TEAMLEIDER", "ANALIST", "BEHEERDER"}
    factory = session_factory(engine)
    with transaction(factory) as session:
        for username, password, role in summary.logins:
            user = authenticate(session, username, password)
            assert user is not None and user.role == role and username == role.lower()
            assert authenticate(session, username, password + "x") is None
        other = session.scalars(sa.select(User).where(User.username.like("km.%"))).first()
        assert other is not None
        assert authenticate(session, other.username, other.password_hash) is None
        assert authenticate(session, other.username, "") is None
    engine.dispose()


def test_same_seed_gives_identical_rows(tmp_path: Path) -> None:
    engines = [_fresh_sqlite(tmp_path / f"{name}.db") for name in ("a", "b")]
    for engine in engines:
        run_synth(engine, scale="small", seed=5, replace=False)
    first, second = (_dump(e) for e in engines)
    assert first == second
    for engine in engines:
        engine.dispose()


def test_another_seed_gives_other_people_and_routes(small_data: SynthData) -> None:
    other = generate("small", seed=2)
    for table, column in (("candidate", "bsn"), ("candidate", "last_name"), ("route", "start")):
        assert list(small_data[table][column]) != list(other[table][column])


def test_replace_leaves_only_one_copy(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    once = run_synth(engine, scale="small", seed=2, replace=False).counts
    run_synth(engine, scale="small", seed=2, replace=True)
    assert {k: v for k, v in _counts(engine).items() if v} == once
    engine.dispose()


def test_a_load_without_replace_into_a_used_database_is_refused_and_writes_nothing(
    sqlite_url: str,
) -> None:
    engine = make_engine(sqlite_url)
    with transaction(session_factory(engine)) as session:
        session.add(Team(name="Team Bestaand"))
    before = _counts(engine)
    with pytest.raises(DatabaseNotEmpty):
        run_synth(engine, scale="small", seed=9, replace=False)
    assert _counts(engine) == before
    engine.dispose()


def _broken(data: SynthData) -> SynthData:
    """The same data with one follow-up that breaks a check constraint (months 7)."""
    follow_ups = data["follow_up"].copy()
    follow_ups.loc[follow_ups.index[-1], "months"] = 7
    tables = dict(data.tables, follow_up=follow_ups)
    return SynthData(tables=tables, logins=data.logins)


def test_a_failed_load_writes_nothing(sqlite_url: str, small_data: SynthData) -> None:
    engine = make_engine(sqlite_url)
    with pytest.raises(IntegrityError):
        load(engine, _broken(small_data), replace=False)
    assert not any(_counts(engine).values())
    engine.dispose()


def test_a_failed_replace_keeps_the_previous_data(sqlite_url: str, small_data: SynthData) -> None:
    engine = make_engine(sqlite_url)
    load(engine, small_data, replace=False)
    before = _dump(engine)
    with pytest.raises(IntegrityError):
        load(engine, _broken(generate("small", seed=4)), replace=True)
    assert _dump(engine) == before
    engine.dispose()


def test_every_application_table_is_filled(small_data: SynthData) -> None:
    # The audit log, its seals, the correction history, login sessions and the sign-in steps
    # record what users do on screen; so do the working day's appointments, messages, signal
    # decisions, notes and documents (the synthetic history ends before the demo's today, and
    # it holds no files). The synthetic municipality writes none of them.
    empty_by_design = {"audit_log", "correction", "web_session", "audit_seal"}
    empty_by_design |= {
        "user_credential", "recovery_code", "login_challenge", "password_reset", "role_change",
        "break_glass",
    }  # fmt: skip
    empty_by_design |= {
        "appointment", "outbox_message", "message_preference", "signal_decision", "file_note",
        "document",
    }  # fmt: skip
    # Linked identity-provider accounts come from OIDC sign-ins; a municipality's staff FTE and
    # its own targets are stated by the beheerder on Beheer -> Gemeenten.
    empty_by_design |= {"oidc_identity", "municipality_fte", "municipality_target"}
    names = {t.name for t in Base.metadata.sorted_tables} - CONFIGURATION_TABLES - empty_by_design
    assert names == set(small_data.tables)
    assert all(len(frame) > 0 for frame in small_data.tables.values())
    assert np.isin(small_data["candidate"]["sex"], ["M", "V", "X"]).all()
