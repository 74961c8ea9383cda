"""The figures service: one load per figures version, shared by concurrent requests, and a
version in the database that every write changing the figures bumps in its own transaction."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import factories as f
from werkpad.analytics.snapshot import Snapshot
from werkpad.services import figures as figures_module
from werkpad.services import snapshot as snapshot_module
from werkpad.services.figures import Figures
from werkpad.store.db import transaction
from werkpad.store.figures_version import WATCHED, read_figures_version
from werkpad.store.models import Base

REF = date(2020, 12, 31)


def _bump(factory: sessionmaker[Session]) -> None:
    """A write that changes the figures: a new route."""
    with transaction(factory) as session:
        team = f.make_team(session)
        f.make_route(session, f.make_candidate(session, team))


def test_ten_concurrent_requests_after_a_write_load_the_snapshot_once(
    engine: Engine, factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[date] = []
    real = figures_module.load_snapshot

    def counting_load(bind: Engine, reference_date: date) -> Snapshot:
        loads.append(reference_date)
        time.sleep(0.2)  # keep the load going while the other requests arrive
        return real(bind, reference_date)

    monkeypatch.setattr(figures_module, "load_snapshot", counting_load)
    figures = Figures(engine)
    figures.current().snapshot(REF)
    _bump(factory)  # every worker's copy is now stale
    loads.clear()
    start = threading.Barrier(10)
    seen: list[Snapshot] = []

    def request() -> None:
        start.wait()
        seen.append(figures.current().snapshot(REF))

    threads = [threading.Thread(target=request) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == [REF]
    assert len(seen) == 10 and all(s is seen[0] for s in seen)


def test_a_write_in_one_worker_makes_another_workers_figures_stale(
    engine: Engine, factory: sessionmaker[Session]
) -> None:
    worker_a, worker_b = Figures(engine), Figures(engine)
    cached = worker_b.current().snapshot(REF)
    assert worker_b.current().snapshot(REF) is cached  # same version: from the cache
    worker_a.current().snapshot(REF)
    _bump(factory)
    fresh = worker_b.current().snapshot(REF)
    assert fresh is not cached
    assert len(fresh.routes) == len(cached.routes) + 1


def test_derived_figures_are_recomputed_only_after_a_write(
    engine: Engine, factory: sessionmaker[Session]
) -> None:
    figures = Figures(engine)
    computed: list[int] = []

    def board() -> int:
        computed.append(1)
        return len(computed)

    assert figures.current().derived("board", board) == 1
    assert figures.current().derived("board", board) == 1
    _bump(factory)
    assert figures.current().derived("board", board) == 2


def test_a_rolled_back_write_leaves_the_version_as_it_was(
    engine: Engine, factory: sessionmaker[Session]
) -> None:
    before = read_figures_version(engine)
    with pytest.raises(RuntimeError), transaction(factory) as session:
        f.make_route(session, f.make_candidate(session, f.make_team(session)))
        raise RuntimeError("the form had an error after all")
    assert read_figures_version(engine) == before
    _bump(factory)
    assert read_figures_version(engine) == before + 1  # one bump per transaction


def test_writes_that_change_no_figure_leave_the_version_alone(
    engine: Engine, factory: sessionmaker[Session]
) -> None:
    with transaction(factory) as session:
        team = f.make_team(session)
        user = f.make_user(session, "KLANTMANAGER", team)
        candidate = f.make_candidate(session, team)
    before = read_figures_version(engine)
    with transaction(factory) as session:
        session.get(type(user), user.id).full_name = "Nieuwe Naam"  # type: ignore[union-attr]
        session.get(type(candidate), candidate.id).postcode = "2512 CD"  # type: ignore[union-attr]
    assert read_figures_version(engine) == before
    with transaction(factory) as session:
        session.get(type(user), user.id).fte = 0.5  # type: ignore[union-attr,assignment]
    assert read_figures_version(engine) == before + 1


def test_every_table_the_snapshot_reads_is_watched() -> None:
    read = {
        value.__tablename__
        for value in vars(snapshot_module).values()
        if isinstance(value, type) and issubclass(value, Base) and value is not Base
    }
    assert read == set(WATCHED)
